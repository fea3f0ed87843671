# B: the hand-written best practice (dotnet-docker's multi-project pattern) for the realistic sample: explicit
# copies of what restore reads, restore, --no-restore publish, build stage cross-compiling on $BUILDPLATFORM.
FROM --platform=$BUILDPLATFORM 127.0.0.1:5000/dotnet/sdk:10.0 AS build
ARG TARGETARCH
WORKDIR /src
COPY samples/realistic-dotnet/nuget.config samples/realistic-dotnet/global.json samples/realistic-dotnet/Directory.Build.props samples/realistic-dotnet/Directory.Packages.props samples/realistic-dotnet/
COPY samples/realistic-dotnet/packages/ samples/realistic-dotnet/packages/
COPY artifacts/packages/ artifacts/packages/
COPY samples/realistic-dotnet/src/Orders.Api/Orders.Api.csproj samples/realistic-dotnet/src/Orders.Api/
COPY samples/realistic-dotnet/src/Orders.Data/Orders.Data.csproj samples/realistic-dotnet/src/Orders.Data/
COPY samples/realistic-dotnet/src/Orders.Domain/Orders.Domain.csproj samples/realistic-dotnet/src/Orders.Domain/
RUN dotnet restore samples/realistic-dotnet/src/Orders.Api/Orders.Api.csproj -a $TARGETARCH -p:EnableStevedore=false
COPY samples/realistic-dotnet/src/ samples/realistic-dotnet/src/
RUN dotnet publish samples/realistic-dotnet/src/Orders.Api/Orders.Api.csproj --no-restore -c Release -a $TARGETARCH -o /app -p:EnableStevedore=false

FROM 127.0.0.1:5000/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
USER $APP_UID
ENTRYPOINT ["./Orders.Api"]
