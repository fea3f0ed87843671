# B: the hand-written best practice (dotnet-docker's multi-project pattern): explicit project-file
# copies, restore, --no-restore publish, build stage cross-compiling on $BUILDPLATFORM; curl from apt as the sample asks.
FROM --platform=$BUILDPLATFORM 127.0.0.1:5000/dotnet/sdk:10.0 AS build
ARG TARGETARCH
WORKDIR /src
COPY samples/dotnet/nuget.config samples/dotnet/global.json samples/dotnet/Directory.Build.props samples/dotnet/Directory.Packages.props samples/dotnet/
COPY samples/dotnet/packages/ samples/dotnet/packages/
COPY artifacts/packages/ artifacts/packages/
COPY samples/dotnet/src/Api/Api.csproj samples/dotnet/src/Api/
COPY samples/dotnet/src/Greetings/Greetings.csproj samples/dotnet/src/Greetings/
RUN dotnet restore samples/dotnet/src/Api/Api.csproj -a $TARGETARCH -p:EnableStevedore=false
COPY samples/dotnet/src/ samples/dotnet/src/
RUN dotnet publish samples/dotnet/src/Api/Api.csproj --no-restore -c Release -a $TARGETARCH -o /app -p:EnableStevedore=false

FROM 127.0.0.1:5000/dotnet/aspnet:10.0
# The same OS package the sample asks for (ContainerOsPackage curl), installed as hand-written Dockerfiles do: apt in
# the final stage, so for linux/arm64 under emulation.
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
USER $APP_UID
ENTRYPOINT ["./Api"]
