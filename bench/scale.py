#!/usr/bin/env python3
"""A solution of N services sharing one library, built by one `dotnet publish Shop.slnx` (one buildx bake) against
N sequential `dotnet publish` of its projects (ContainerBake=false builds each on its own), for N = 1, 4, 8.

cold: empty build cache, both platforms, pushed.   warm: one service edited, everything else as the build before.
project file edited: then one service's project file changed, as a package bump would (what the shared restore costs).
Targets, as ratios taken in this run: bake cold(N=8) <= 3 x bake cold(N=1); bake warm(N=8, one service edited)
<= 1.2 x bake warm(N=1). Writes bench/scale-results.md and .json.
Run it like the main bench, on an idle machine, through eng/bench.sh's setup (engine, stand-ins, packed SDK):
  bash eng/engine.sh up && bash eng/base-images.sh && bash eng/sample-feed.sh && python3 bench/scale.py --version "$(bash eng/pack.sh)" --engine private
--engine private builds on a dockerd of the bench's own, whose build cache the cold runs empty (as eng/bench.sh's does).
"""
import argparse
import json
import re
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench as common  # noqa: E402  (run, prune, log, summarize, versions, ratio: one implementation)

SIZES = (1, 4, 8)
SERVICE = """<Project Sdk="Microsoft.NET.Sdk">
  <Sdk Name="Stevedore.Sdk" />
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <OutputType>Exe</OutputType>
    <ContainerRepository>bench/scale-svc{index}</ContainerRepository>
  </PropertyGroup>
  <ItemGroup><ProjectReference Include="../Greetings/Greetings.csproj" /></ItemGroup>
</Project>
"""


def lay_out(size, version, stamp):
    """A copy of samples/dotnet (its feed, the packed SDK) with `size` console services sharing its Greetings library,
    listed with the library in Shop.slnx. Returns the sample folder."""
    checkout = common.WORK / f"scale-{size}-{stamp}"
    shutil.rmtree(checkout, ignore_errors=True)
    common.run(["bash", str(common.ROOT / "eng" / "lay-out-sample.sh"), str(common.ROOT / "samples" / "dotnet"), str(checkout), version],
               common.ROOT)
    folder = checkout / "samples" / "dotnet"
    projects = []
    for index in range(1, size + 1):
        service = folder / "src" / f"Svc{index}"
        service.mkdir(parents=True)
        (service / f"Svc{index}.csproj").write_text(SERVICE.format(index=index))
        (service / "Program.cs").write_text(f'System.Console.WriteLine(Greetings.Greeter.Greet("service {index}", 2));\n')
        projects.append(f"src/Svc{index}/Svc{index}.csproj")
    entries = "\n".join(f'  <Project Path="{p}" />' for p in projects + ["src/Greetings/Greetings.csproj"])
    (folder / "Shop.slnx").write_text(f"<Solution>\n{entries}\n</Solution>\n")
    return folder, projects


def publish_arguments(target, tag, extra=()):
    props = [f"ContainerBaseImageRegistry={common.REGISTRY}", f"ContainerRegistry={common.REGISTRY}", "ContainerBuildNetwork=host",
             f"ContainerPlatforms={common.PLATFORMS.replace(',', '%3B')}", f"ContainerImageTags={tag}", *extra]
    return ["dotnet", "publish", target, "-tl:off", "-v:m", *[f"-p:{p}" for p in props]]


def packages(version):
    """The NuGet cache the packed SDK version restores into, as the main bench's samples use."""
    return {"NUGET_PACKAGES": str(common.ROOT / "artifacts" / "nuget-packages" / version)}


def steps_run(progress_file, command):
    """How many distinct `command` RUN steps the bake ran rather than took from the cache, from its rawjson progress:
    BuildKit runs a step once for every target whose chain up to it is the same (one vertex digest), so shared work
    counts once."""
    ran = set()
    for part in re.split(r"(?m)^(?=\{)", progress_file.read_text()):
        if not part.startswith("{"):
            continue
        for vertex in json.loads(part).get("vertexes") or []:
            if command in vertex.get("name", "") and " RUN " in vertex.get("name", "") and vertex.get("completed") and not vertex.get("cached"):
                ran.add(vertex["digest"])
    return len(ran)


def bake(folder, projects, tag, env):
    # The bake as the issue measures it: one restore shared by every service (docs/scale.md weighs what it costs).
    seconds, _ = common.run(publish_arguments("Shop.slnx", tag, ["ContainerSharedRestore=true"]), folder, env)
    progress = folder / "obj" / "stevedore" / "Shop" / "bake-progress.rawjson"
    return seconds, {"restores_run": steps_run(progress, "dotnet restore"), "publishes_run": steps_run(progress, "-t:StevedorePublishPlatforms")}


def sequential(folder, projects, tag, env):
    total = 0.0
    for project in projects:
        seconds, _ = common.run(publish_arguments(project, tag, ["ContainerBake=false"]), folder, env)
        total += seconds
    return total, {}


def edit_one(folder, run_index):
    """A one-line change in the first service: the others' images are inputs-identical."""
    with (folder / "src" / "Svc1" / "Program.cs").open("a") as f:
        f.write(f"\n// scale bench run {run_index} {time.time_ns()}\n")


def edit_project(folder, run_index):
    """A change to the first service's project file (a package bump would be one): what its restore reads changes."""
    project = folder / "src" / "Svc1" / "Svc1.csproj"
    project.write_text(project.read_text().replace("</Project>", f"  <!-- scale bench run {run_index} {time.time_ns()} -->\n</Project>"))


def measure(size, version, runs, stamp):
    results = {"bake": {"cold": [], "warm": [], "project": []}, "sequential": {"cold": [], "warm": [], "project": []}}
    steps = {}
    for way, build in (("bake", bake), ("sequential", sequential)):
        for run_index in range(runs):
            folder, projects = lay_out(size, version, f"{stamp}-{way}-{run_index}")
            tag = f"scale-{stamp}-{way}-{size}-{run_index}"
            common.prune()
            common.log(f"N={size} {way} cold, run {run_index + 1}/{runs}")
            seconds, counted = build(folder, projects, tag, packages(version))
            results[way]["cold"].append(seconds)
            steps.update({f"{way}_cold_{name}": value for name, value in counted.items()})
            edit_one(folder, run_index)
            common.log(f"N={size} {way} warm (one service edited), run {run_index + 1}/{runs}")
            seconds, counted = build(folder, projects, tag, packages(version))
            results[way]["warm"].append(seconds)
            steps.update({f"{way}_warm_{name}": value for name, value in counted.items()})
            edit_project(folder, run_index)
            common.log(f"N={size} {way} warm (one project file edited), run {run_index + 1}/{runs}")
            seconds, counted = build(folder, projects, tag, packages(version))
            results[way]["project"].append(seconds)
            steps.update({f"{way}_project_{name}": value for name, value in counted.items()})
    summary = {way: {leg: common.summarize(values) for leg, values in legs.items()} for way, legs in results.items()}
    summary["steps_run"] = steps
    return summary


def median(results, size, way, leg):
    entry = results[str(size)][way][leg]
    return entry["median"] if entry else None


def targets(results):
    cold = common.ratio(median(results, 8, "bake", "cold"), median(results, 1, "bake", "cold"))
    warm = common.ratio(median(results, 8, "bake", "warm"), median(results, 1, "bake", "warm"))
    return [
        {"what": "bake cold(N=8) / cold(N=1)", "ratio": cold, "target": 3.0, "met": cold is not None and cold <= 3.0},
        {"what": "bake warm(N=8, one service edited) / warm(N=1)", "ratio": warm, "target": 1.2, "met": warm is not None and warm <= 1.2},
    ]


def markdown(report):
    lines = ["# Scale bench: a solution in one bake vs N sequential publishes", "",
             f"{report['versions']['machine']}; {report.get('engine', 'shared')} engine; medians of {report['runs']} run(s), seconds (min-max).", "",
             "| N | bake cold | sequential cold | bake warm | sequential warm | bake, project file edited | sequential, project file edited |",
             "|---|---|---|---|---|---|---|"]

    def cell(entry):
        return f"{entry['median']} ({entry['min']}-{entry['max']})" if entry else "-"

    for size in report["sizes"]:
        r = report["results"][str(size)]
        lines.append(f"| {size} | {cell(r['bake']['cold'])} | {cell(r['sequential']['cold'])} | {cell(r['bake']['warm'])} | {cell(r['sequential']['warm'])} | "
                     f"{cell(r['bake'].get('project'))} | {cell(r['sequential'].get('project'))} |")
    lines += ["", "Steps the bake ran (not CACHED) for N services, last run: restores and publishes (a step shared by several",
              "targets runs once).", "", "| N | cold restores | cold publishes | warm restores | warm publishes | project edited: restores | publishes |",
              "|---|---|---|---|---|---|---|"]
    for size in report["sizes"]:
        counts = report["results"][str(size)].get("steps_run", {})
        lines.append(f"| {size} | {counts.get('bake_cold_restores_run', '-')} | {counts.get('bake_cold_publishes_run', '-')} | "
                     f"{counts.get('bake_warm_restores_run', '-')} | {counts.get('bake_warm_publishes_run', '-')} | "
                     f"{counts.get('bake_project_restores_run', '-')} | {counts.get('bake_project_publishes_run', '-')} |")
    lines += ["", "| target | ratio | limit | met |", "|---|---|---|---|"]
    lines += [f"| {t['what']} | {t['ratio']} | {t['target']} | {'yes' if t['met'] else 'no'} |" for t in report["targets"]]
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", required=True, help="the packed Stevedore.Sdk version (eng/pack.sh prints it)")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--engine", choices=("shared", "private"), default="shared",
                        help="private: build on a dockerd of the bench's own (its own build cache to empty), not the running one")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    stamp = time.strftime("%Y%m%d%H%M%S")
    engine = common.PrivateEngine() if args.engine == "private" else None
    try:
        if engine:
            engine.start()
            engine.pull_images(["dotnet/sdk:10.0", "dotnet/runtime:10.0"])
        results = {str(size): measure(size, args.version, args.runs, stamp) for size in sizes}
    finally:
        if engine:
            engine.stop()
    report = {"versions": common.versions(), "runs": args.runs, "engine": args.engine, "sizes": sizes, "results": results}
    report["targets"] = targets(results) if {1, 8} <= set(sizes) else []
    out = common.ROOT / "bench"
    (out / "scale-results.json").write_text(json.dumps(report, indent=2) + "\n")
    (out / "scale-results.md").write_text(markdown(report))
    common.log(f"wrote {out / 'scale-results.md'}")
    return 0 if all(t["met"] for t in report["targets"]) else 1


if __name__ == "__main__":
    sys.exit(main())
