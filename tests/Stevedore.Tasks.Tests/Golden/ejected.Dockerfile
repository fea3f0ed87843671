# Ejected from Stevedore.Sdk: this file is yours now, and builds without Stevedore, from the build context's root:
#   docker buildx build --platform linux/amd64,linux/arm64 -f src/Api/Dockerfile .
# First remove Stevedore.Sdk from the project: its <Sdk Name="Stevedore.Sdk" /> line (or Sdk="Stevedore.Sdk/...", or its
# PackageReference) and its entry in global.json's msbuild-sdks. While the project imports it, the restore below needs
# the package from your feeds and the publish below would try to build an image inside the build stage.

FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_TieredPGO=0
WORKDIR /src
# Only what restore reads, so the restore layer stays cached until a project or package changes.
COPY ["nuget.config", "./"]
COPY ["packages/", "packages/"]
COPY ["global.json", "./"]
COPY ["Directory.Build.props", "./"]
COPY ["src/Api/Api.csproj", "src/Api/"]
COPY ["src/Lib/Lib.csproj", "src/Lib/"]
# One restore for every target platform, packages in this layer (not only a cache mount), so --cache-to exports them with it.
RUN dotnet restore "src/Api/Api.csproj" "-p:RuntimeIdentifiers=\"linux-x64;linux-arm64\"" -p:EnableRuntimePackDownload=false
# Only the sources of the project and what it references, trimmed by the generated .dockerignore: an edit anywhere else in the repository leaves this build cached.
COPY ["src/Api/", "src/Api/"]
COPY ["src/Lib/", "src/Lib/"]
# Declared after the restore and the sources, so both are shared by every target platform.
ARG TARGETARCH
# Cross-compiled on the build platform for the target's RuntimeIdentifier (restored above): no emulation, no network.
RUN --network=none case "$TARGETARCH" in amd64) rid=linux-x64 ;; arm64) rid=linux-arm64 ;; *) echo "no RuntimeIdentifier restored for $TARGETARCH" >&2; exit 1 ;; esac; \
 dotnet publish "src/Api/Api.csproj" --no-restore -c Release -r "$rid" -o /app -p:EnableRuntimePackDownload=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS final
WORKDIR /app
COPY --from=build /app/ .
USER 1654
EXPOSE 8080/tcp
ENTRYPOINT ["./Api"]
