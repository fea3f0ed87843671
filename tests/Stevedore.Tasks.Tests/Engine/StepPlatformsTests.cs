using Stevedore.Tasks.Engine;

namespace Stevedore.Tasks.Tests.Engine;

[TestClass]
public sealed class StepPlatformsTests
{
    private static readonly string[] Both = ["linux/amd64", "linux/arm64"];

    private static string GoldenDockerfile(string name) =>
        File.ReadAllText(Path.Combine(Stevedore.Testing.Repo.Root, "tests", "Stevedore.Tasks.Tests", "Golden", name));

    [TestMethod]
    [DataRow("single-project.Dockerfile")]
    [DataRow("self-contained.Dockerfile")]
    [DataRow("multi-project.Dockerfile")]
    [DataRow("go-service.Dockerfile")]
    [DataRow("go-workspace.Dockerfile")]
    public void TheGeneratedDockerfilesRunNoStepOnATargetPlatform(string golden) =>
        Assert.IsEmpty(StepPlatforms.Find(GoldenDockerfile(golden), Both));

    [TestMethod]
    public void CgoBuildsOnEachTargetPlatform() =>
        CollectionAssert.AreEqual(Both, StepPlatforms.Find(GoldenDockerfile("go-cgo.Dockerfile"), Both).ToArray());

    [TestMethod]
    public void AHandWrittenDockerfileWithOsPackagesInTheFinalStageRunsOnEveryTarget() =>
        CollectionAssert.AreEqual(Both, StepPlatforms.Find("""
            FROM --platform=${BUILDPLATFORM} mcr.microsoft.com/dotnet/sdk:10.0 AS build
            RUN dotnet publish -a $TARGETARCH -o /app
            FROM mcr.microsoft.com/dotnet/aspnet:10.0
            # tools for the health check
            RUN apt-get update \
             && apt-get install -y curl
            COPY --from=build /app .
            """, Both).ToArray());

    [TestMethod]
    public void OnlyCopiesInTheTargetStagesNeedNothing() =>
        Assert.IsEmpty(StepPlatforms.Find("""
            # syntax=docker/dockerfile:1
            from --platform=$BUILDPLATFORM golang:1.24 as build
            run go build -o /out/app .
            FROM gcr.io/distroless/static:nonroot
            COPY --from=build /out/app /app
            ENTRYPOINT ["/app"]
            """, Both));

    [TestMethod]
    public void AStageFromAnEarlierStageKeepsItsPlatform()
    {
        const string Dockerfile = """
            FROM --platform=$BUILDPLATFORM alpine AS tools
            FROM tools AS generate
            RUN echo generated > /g
            FROM alpine AS base
            FROM base
            RUN echo on the target
            """;
        CollectionAssert.AreEqual(Both, StepPlatforms.Find(Dockerfile, Both).ToArray());
        Assert.IsEmpty(StepPlatforms.Find("""
            FROM --platform=$BUILDPLATFORM alpine AS tools
            FROM tools AS generate
            RUN echo generated > /g
            FROM alpine
            COPY --from=generate /g /g
            """, Both), "the RUN of a stage from a $BUILDPLATFORM stage runs on the build platform");
    }

    [TestMethod]
    [DataRow("FROM --platform=$TARGETPLATFORM alpine\nRUN true\n", "linux/amd64,linux/arm64")]
    [DataRow("FROM --platform=linux/arm64 alpine\nRUN true\n", "linux/arm64")]
    [DataRow("FROM --platform=linux/riscv64 alpine AS x\nRUN true\nFROM --platform=$BUILDPLATFORM alpine\nRUN true\n", "linux/riscv64")]
    [DataRow("FROM alpine\nCOPY . .\n", "")]
    public void PlatformFlags(string dockerfile, string expected) =>
        Assert.AreEqual(expected, string.Join(",", StepPlatforms.Find(dockerfile, Both)));

    [TestMethod]
    public void PreflightAsksForAnEmulatorOnlyWhereStepsRunThere()
    {
        var amd64Only = new BuildxBuilder("default", "docker", ["linux/amd64"], null);
        Assert.IsEmpty(PreflightCheck.Run(amd64Only, true, new BuildRequest { Platforms = Both, StepPlatforms = [] }));
        var problem = PreflightCheck.Run(amd64Only, true, new BuildRequest { Platforms = Both, StepPlatforms = Both }).Single();
        Assert.AreEqual("PlatformNotSupported", problem.ResourceName);
        Assert.AreEqual("linux/arm64", problem.Arguments[1]);
        Assert.AreEqual("PlatformNotSupported", PreflightCheck.Run(amd64Only, true, new BuildRequest { Platforms = Both }).Single().ResourceName, "unknown steps: every platform needs the builder");
    }
}
