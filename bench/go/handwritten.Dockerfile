# B: the hand-written best practice for Go: module files first, download, then sources, cross-compiled
# on $BUILDPLATFORM with build-cache mounts, static non-root final image.
FROM --platform=$BUILDPLATFORM 127.0.0.1:5000/golang:1.24 AS build
ARG TARGETOS TARGETARCH
WORKDIR /src
COPY go.mod go.sum* ./
COPY greet/go.mod greet/go.sum* greet/
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -trimpath -o /out/app .

FROM 127.0.0.1:5000/distroless/static:nonroot
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
