# D: the naive Go Dockerfile: no --platform=$BUILDPLATFORM, so the arm64 build stage runs under QEMU.
FROM 127.0.0.1:5000/golang:1.24 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app .

FROM 127.0.0.1:5000/distroless/static:nonroot
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
