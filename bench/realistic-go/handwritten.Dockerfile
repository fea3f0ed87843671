# B: the hand-written best practice for a vendored Go module: go.mod and vendor/ first (their own layer, cached
# until a dependency changes), then the sources, cross-compiled on $BUILDPLATFORM with a build-cache mount.
FROM --platform=$BUILDPLATFORM 127.0.0.1:5000/golang:1.24 AS build
ARG TARGETOS TARGETARCH
WORKDIR /src
COPY go.mod ./
COPY vendor/ vendor/
COPY . .
RUN --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -trimpath -o /out/app .

FROM 127.0.0.1:5000/distroless/static:nonroot
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
