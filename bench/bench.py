#!/usr/bin/env python3
"""Stevedore side by side with what users would pick instead, measured in one run on this machine.

A  Stevedore (`dotnet publish`)                  B  a hand-written best-practice Dockerfile, same buildx flags
C  the .NET SDK's own container publishing         D  a naive Dockerfile whose build stage is emulated

Every figure is a wall-clock time of one command; results are medians of --runs runs with min/max,
and the targets are checked as ratios taken in this same run. Writes bench/results.md and .json.
Run it through eng/bench.sh, which brings the engine, stand-ins and packages up first.
"""
import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REGISTRY = "127.0.0.1:5000"
PLATFORMS = "linux/amd64,linux/arm64"
WORK = ROOT / "artifacts" / "bench"
# The BuildKit image of docker-container builders, built from Debian's sources by eng/buildkit-image.sh.
BUILDKIT_IMAGE = f"{REGISTRY}/moby/buildkit:v0.13"


def log(message):
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def run(args, cwd, env=None, check=True):
    """Runs a command; returns (seconds, output)."""
    started = time.monotonic()
    result = subprocess.run(args, cwd=cwd, env={**os.environ, **(env or {})}, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    seconds = time.monotonic() - started
    if check and result.returncode != 0:
        tail = "\n".join(result.stdout.splitlines()[-40:])
        raise RuntimeError(f"{' '.join(map(str, args))} exited {result.returncode}:\n{tail}")
    return seconds, result.stdout


def prune():
    """Empties the local build cache: the next build is cold (base images stay in the image store). The disk is then
    synced, so the writes of the builds before (and the prune's deletions) are not flushed during the next one."""
    run(["docker", "buildx", "prune", "-af"], ROOT)
    run(["sync"], ROOT)


def restore_cached(output, step):
    """True when every platform's `step` RUN is reported CACHED in buildx's plain output; None without such a step."""
    if step is None:
        return None
    ids = set(re.findall(r"#(\d+) \[[^\]]*\] RUN [^\n]*" + re.escape(step), output))
    return bool(ids) and all(re.search(rf"^\s*#{i} CACHED", output, re.M) for i in ids)


MANIFEST_TYPES = ("application/vnd.oci.image.index.v1+json,application/vnd.docker.distribution.manifest.list.v2+json,"
                  "application/vnd.oci.image.manifest.v1+json,application/vnd.docker.distribution.manifest.v2+json")


def registry_manifest(image, ref=None):
    """(digest, manifest) of `image` (REGISTRY/repo:tag), or of `ref` (a digest) in its repository, from the registry."""
    repo, tag = image.split("/", 1)[1].rsplit(":", 1)
    request = urllib.request.Request(f"http://{REGISTRY}/v2/{repo}/manifests/{ref or tag}", headers={"Accept": MANIFEST_TYPES})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.headers.get("Docker-Content-Digest"), json.load(response)


def platform_entries(index):
    """{"os/arch": descriptor} of an index's platform images (attestation manifests left out)."""
    return {f"{e['platform']['os']}/{e['platform']['architecture']}": e for e in index.get("manifests", [])
            if e.get("platform", {}).get("os", "unknown") != "unknown"}


def platform_manifests(image):
    """{"os/arch": manifest} of every platform image of `image` (attestation manifests left out), from the registry."""
    _, index = registry_manifest(image)
    return {p: registry_manifest(image, e["digest"])[1] for p, e in platform_entries(index).items()}


def image_digests(image):
    """The index digest of `image` and each platform's manifest digest, from `docker buildx imagetools inspect --raw`
    (the registry's Docker-Content-Digest for the index: the raw bytes' digest)."""
    _, raw = run(["docker", "buildx", "imagetools", "inspect", "--raw", image], ROOT)
    index_digest, _ = registry_manifest(image)
    return {"index": index_digest, "platforms": {p: e["digest"] for p, e in sorted(platform_entries(json.loads(raw)).items())}}


def buildkit_image_present():
    try:
        registry_manifest(BUILDKIT_IMAGE)
        return True
    except Exception:
        return False


class FreshBuilder:
    """A docker-container builder made for one measurement (its own buildkitd, empty cache, the local registry over
    plain HTTP), removed afterwards: `with FreshBuilder(name): ...`."""

    def __init__(self, name):
        self.name = name
        self.config = WORK / f"{name}.buildkitd.toml"

    def __enter__(self):
        WORK.mkdir(parents=True, exist_ok=True)
        self.config.write_text(f'[registry."{REGISTRY}"]\n  http = true\n')
        run(["docker", "buildx", "rm", self.name], ROOT, check=False)  # one left by an interrupted run
        try:
            run(["docker", "buildx", "create", "--name", self.name, "--driver", "docker-container", "--driver-opt", f"image={BUILDKIT_IMAGE}",
                 "--driver-opt", "network=host", "--config", str(self.config), "--bootstrap"], ROOT)
        except Exception:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc):
        run(["docker", "buildx", "rm", self.name], ROOT, check=False)
        self.config.unlink(missing_ok=True)
        return False


def same_digest_fresh_builders(tool, stamp):
    """Issue 12's figure: the same commit published by Stevedore on two fresh docker-container builders, to two tags;
    {"same": the index and every platform's manifest digests are equal, "digests": [first, second]}."""
    tool.app.lay_out(tool.folder)  # the checkout as committed: no edit of an earlier scenario
    found = []
    for n in (1, 2):
        name = f"stv-bench-repro-{os.getpid()}-{n}"
        tag = f"repro-{stamp}-{n}"
        with FreshBuilder(name):
            tool.build(tag, extra=[f"ContainerBuilder={name}"])
        found.append(image_digests(tool.image(tag)))
    same = found[0]["index"] is not None and found[0] == found[1] and sorted(found[0]["platforms"]) == sorted(PLATFORMS.split(","))
    return {"same": same, "digests": found}


def compressed_sizes(image):
    """Per platform: the sum of the compressed layer sizes the registry holds for `image`."""
    return {p: sum(layer["size"] for layer in m["layers"]) for p, m in platform_manifests(image).items()}


def pushed_bytes(before, after):
    """Bytes of the blobs (layers and configs, every platform) of image `after` that image `before` of the same
    repository did not have: what pushing `after` had to upload, since a registry keeps each blob once per repository."""
    def blobs(image):
        found = {}
        for m in platform_manifests(image).values():
            for blob in m["layers"] + [m["config"]]:
                found[blob["digest"]] = blob["size"]
        return found
    old = blobs(before)
    return sum(size for digest, size in blobs(after).items() if digest not in old)


class Tool:
    """One way of building the sample; each method is one timed command."""

    def __init__(self, key, name, app):
        self.key, self.name, self.app = key, name, app
        self.folder = WORK / key / app.name

    def image(self, tag):
        return f"{REGISTRY}/bench/{self.app.name}-{self.key.lower()}:{tag}"


class Stevedore(Tool):
    def build(self, tag, platforms=PLATFORMS, cache_from=None, cache_to=None, extra=()):
        props = list(extra) + [f"ContainerRegistry={REGISTRY}", f"ContainerBaseImageRegistry={REGISTRY}", "ContainerBuildNetwork=host",
                 f"ContainerPlatforms={platforms}", f"ContainerImageTags={tag}", "ContainerBuildProgress=plain",
                 f"ContainerRepository=bench/{self.app.name}-{self.key.lower()}"]
        if cache_from:
            props.append(f"ContainerCacheFrom={cache_from}")
        if cache_to:
            props.append(f"ContainerCacheTo={cache_to}")
        args = ["dotnet", "publish", self.app.project, "-tl:off", "-v:n", "-nologo"] + [f'-p:{p.split("=", 1)[0]}="{p.split("=", 1)[1]}"' for p in props]
        return run(args, self.app.project_dir(self.folder), self.app.env)

    def buildx_command(self):
        """The command line Stevedore ran last, as it wrote it under obj/."""
        files = sorted(self.app.project_dir(self.folder).rglob("stevedore/buildx-command.txt"))
        return files[0].read_text().strip() if files else None


class Dockerfile(Tool):
    def __init__(self, key, name, app, dockerfile):
        super().__init__(key, name, app)
        self.dockerfile = dockerfile

    def build(self, tag, platforms=PLATFORMS, cache_from=None, cache_to=None):
        args = ["docker", "buildx", "build", "--progress=plain", "--provenance=false", "--network=host",
                "--platform", platforms, "-f", str(self.dockerfile), "-t", self.image(tag), "--push"]
        if cache_from:
            args += ["--cache-from", cache_from]
        if cache_to:
            args += ["--cache-to", cache_to]
        return run(args + [str(self.app.context_dir(self.folder))], self.folder)


class SdkContainers(Tool):
    """The .NET SDK's own container publishing: no Dockerfile, host build, no BuildKit cache."""

    def build(self, tag, platforms=PLATFORMS, cache_from=None, cache_to=None):
        rids = ";".join({"linux/amd64": "linux-x64", "linux/arm64": "linux-arm64"}[p] for p in platforms.split(","))
        args = ["dotnet", "publish", self.app.project, "-t:PublishContainer", "-tl:off", "-nologo", "-c", "Release",
                "-p:EnableStevedore=false", f'-p:ContainerRuntimeIdentifiers="{rids}"', f'-p:RuntimeIdentifiers="{rids}"',
                # The host restores the runtime packs of both RIDs: it may reach NuGet, unlike a build container.
                "-p:RestoreAdditionalProjectSources=https://api.nuget.org/v3/index.json",
                f"-p:ContainerBaseImage={REGISTRY}/dotnet/aspnet:10.0", f"-p:ContainerRegistry={REGISTRY}",
                f"-p:ContainerRepository=bench/{self.app.name}-c", f"-p:ContainerImageTags={tag}"]
        env = {**self.app.env, "DOTNET_CONTAINER_INSECURE_REGISTRIES": REGISTRY}
        return run(args, self.app.project_dir(self.folder), env)

    def clean(self):
        for d in self.app.project_dir(self.folder).parent.parent.rglob("*"):
            if d.is_dir() and d.name in ("bin", "obj"):
                shutil.rmtree(d, ignore_errors=True)


class Sample:
    """A sample laid out like the repository (samples/<name> beside artifacts/packages holding the packed SDK) and
    pinned to the packed version: the layout eng/run.sh uses. The build context is `context` below the copy."""

    def __init__(self, name, project, source, restore_step, context, version, sibling, os_packages=False, native=False):
        self.name, self.project, self.source, self.restore_step, self.context = name, project, source, restore_step, context
        # Native AOT: every compile is ILCompiler's (minutes), so the scenarios another builder's cache adds nothing to are skipped.
        self.native = native
        # The project has ContainerOsPackage items: its per-platform legs also measure them warm and installed by `run`.
        self.os_packages = os_packages
        # A file of another service in the same repository, relative to the project folder: no input of this app.
        self.sibling = sibling
        self.version = version
        self.env = {"NUGET_PACKAGES": str(ROOT / "artifacts" / "nuget-packages" / version)}

    def lay_out(self, folder):
        shutil.rmtree(folder, ignore_errors=True)
        # The layout the tests and eng/run.sh use: samples/<name> beside artifacts/packages, pinned.
        subprocess.run(["bash", str(ROOT / "eng" / "lay-out-sample.sh"), str(ROOT / "samples" / self.name), str(folder), self.version], check=True)

    def project_dir(self, folder):
        return folder / "samples" / self.name

    def context_dir(self, folder):
        return folder / self.context


def dotnet_sample(version):
    # The .NET build context is the copy's root: restore reads the packed SDK's feed too.
    # It installs curl (ContainerOsPackage): unpacked for each platform on the build machine, no emulated apt.
    return Sample("dotnet", "src/Api/Api.csproj", "src/Greetings/Greeter.cs", "dotnet restore", ".", version, "src/Billing/Program.cs",
                  os_packages=True)


def go_sample(version):
    return Sample("go", "api.goproj", "main.go", "go mod download", "samples/go", version, "../go-billing/main.go")


def aot_sample(version):
    # PublishAot: ILCompiler and the native link run for each platform on the build machine (no emulation).
    return Sample("aot", "src/Api/Api.csproj", "src/Api/Program.cs", "dotnet restore", ".", version, "src/Billing/Program.cs", native=True)


def realistic_dotnet_sample(version):
    # ~100 packages from the sample's folder feed (eng/sample-feed.sh): restore is where a cached layer pays off.
    # Its test project is the other code of the repository: an edit there is no input of the API's image.
    return Sample("realistic-dotnet", "src/Orders.Api/Orders.Api.csproj", "src/Orders.Domain/Order.cs", "dotnet restore", ".", version,
                  "tests/Orders.Tests/OrderTests.cs")


def realistic_go_sample(version):
    # 32 modules vendored from Debian's sources (eng/go-vendor.sh): no download step at all. What a fresh builder must
    # take from the registry cache instead is Stevedore's dependency precompile (`go list -e … | xargs go build`), the
    # standard library and the modules compiled per platform from go.mod and vendor/ alone: its "restore" step.
    return Sample("realistic-go", "orders.goproj", "main.go", "go list -e", "samples/realistic-go", version, "../realistic-go-billing/main.go")


def edit(tool, run_index, what):
    """A one-line source change: a comment unique to this run and step."""
    path = tool.app.project_dir(tool.folder) / tool.app.source
    with path.open("a") as f:
        f.write(f"\n// bench {tool.key} run {run_index} {what} {time.time_ns()}\n")


def edit_sibling(tool, run_index):
    """An edit in another service of the repository (the monorepo case): nothing this app reads changes."""
    path = tool.app.project_dir(tool.folder) / tool.app.sibling
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as f:
        f.write(f"\n// bench {tool.key} run {run_index} sibling {time.time_ns()}\n")


# What --scenarios may name. The cold build always runs: every other scenario starts from it (its cache export feeds
# fresh_from_registry). "legs" is cold_both_no_export (and, for samples with warm legs, warm_both_no_export) and the
# one-platform legs; "overhead" and "same_digest_fresh_builders" are the per-app figures taken after the runs.
SCENARIOS = ("warm", "noop", "monorepo_other_service_edit", "noop_buildx_by_hand", "fresh_from_registry", "legs",
             "overhead", "same_digest_fresh_builders")


def scenarios(tool, run_index, stamp, legs, emulated=False, wanted=SCENARIOS, engine=None):
    """One run of every scenario (of `wanted`) for one tool; returns {scenario: seconds} plus notes and figures. An
    emulated tool (D) runs only the cold build and the per-platform legs: its warm, no-op and fresh rebuilds redo the
    emulated compile. With a private engine, each build's CPU seconds (user+sys) are figures too (cpu_seconds_<scenario>)."""
    out, notes, figures = {}, {}, {}

    def timed(name, *args, **kwargs):
        before = engine.cpu_seconds() if engine else None
        out[name], output = tool.build(*args, **kwargs)
        if before is not None:
            figures[f"cpu_seconds_{name}"] = round(engine.cpu_seconds() - before, 2)
        return output
    tool.app.lay_out(tool.folder)
    cache_ref = f"{REGISTRY}/bench/{tool.app.name}-{tool.key.lower()}-cache:{stamp}-{run_index}"
    caches = not isinstance(tool, SdkContainers) and not emulated
    prune()
    if isinstance(tool, SdkContainers):
        tool.clean()
    timed("cold", f"cold-{stamp}-{run_index}", cache_to=f"type=registry,ref={cache_ref},mode=max" if caches else None)
    if not emulated:
        if "warm" in wanted:
            edit(tool, run_index, "warm")
            output = timed("warm", f"warm-{stamp}-{run_index}")
            notes["warm_restore_cached"] = restore_cached(output, tool.app.restore_step) if caches else None
            try:
                figures["warm_pushed_bytes"] = pushed_bytes(tool.image(f"cold-{stamp}-{run_index}"), tool.image(f"warm-{stamp}-{run_index}"))
            except Exception as e:  # a figure, not a reason to lose the run
                log(f"bytes pushed on warm unavailable: {e}")
        if "noop" in wanted:
            timed("noop", f"warm-{stamp}-{run_index}")
        if "monorepo_other_service_edit" in wanted:
            edit_sibling(tool, run_index)
            timed("monorepo_other_service_edit", f"warm-{stamp}-{run_index}")
    if isinstance(tool, Stevedore) and "noop_buildx_by_hand" in wanted:
        command = tool.buildx_command()
        if command:
            out["noop_buildx_by_hand"], _ = run(["bash", "-c", command], tool.app.project_dir(tool.folder))
    if caches and not tool.app.native and "fresh_from_registry" in wanted:
        edit(tool, run_index, "fresh")
        prune()
        output = timed("fresh_from_registry", f"fresh-{stamp}-{run_index}", cache_from=f"type=registry,ref={cache_ref}")
        notes["fresh_restore_cached"] = restore_cached(output, tool.app.restore_step)
    if legs and "legs" in wanted:
        # Both platforms again, cold and without the cache export the first cold build pays, so that it compares with
        # the one-platform legs below like for like (two_platforms_over_one).
        warm_legs = isinstance(tool, Stevedore) and (tool.app.os_packages or tool.app.native)
        prune()
        timed("cold_both_no_export", f"both-{stamp}-{run_index}")
        if warm_legs:
            # The same one-line edit as each warm leg below, built the same way (after a cold build without export).
            edit(tool, run_index, "warm both")
            timed("warm_both_no_export", f"both-{stamp}-{run_index}")
        for leg in ("linux/amd64", "linux/arm64"):
            prune()
            timed(f"cold_{leg.split('/')[1]}_only", f"leg-{stamp}-{run_index}", platforms=leg)
            if warm_legs:
                edit(tool, run_index, f"warm leg {leg}")
                timed(f"warm_{leg.split('/')[1]}_only", f"leg-{stamp}-{run_index}", platforms=leg)
        if isinstance(tool, Stevedore) and tool.app.os_packages:
            # The same packages installed by apt in the final stage (ContainerOsPackageInstall=run): emulated for arm64.
            for leg in ("linux/amd64", "linux/arm64"):
                prune()
                out[f"cold_{leg.split('/')[1]}_only_os_run"], _ = tool.build(f"leg-run-{stamp}-{run_index}", platforms=leg,
                                                                             extra=["ContainerOsPackageInstall=run"])
    return out, notes, figures


def overhead(tool, stamp, runs):
    """Seconds from `dotnet publish` start until buildx starts, through a docker shim that notes the time, for each of
    `runs` no-op publishes (summarized as median and min–max: one publish can meet a slow moment of the machine)."""
    shim = WORK / "shim"
    shim.mkdir(parents=True, exist_ok=True)
    real = shutil.which("docker")
    stamp_file = WORK / "shim" / "started"
    (shim / "docker").write_text(f"#!/bin/sh\n[ \"$1\" = buildx ] && [ \"$2\" = build ] && date +%s.%N > {stamp_file}\nexec {real} \"$@\"\n")
    (shim / "docker").chmod(0o755)
    env_path = os.environ["PATH"]
    os.environ["PATH"] = f"{shim}:{env_path}"
    try:
        seconds = []
        for _ in range(runs):
            stamp_file.unlink(missing_ok=True)
            started = time.time()
            tool.build(f"noop-{stamp}")
            if stamp_file.exists():
                seconds.append(float(stamp_file.read_text()) - started)
        return seconds
    finally:
        os.environ["PATH"] = env_path


def summarize(samples):
    values = [v for v in samples if v is not None]
    if not values:
        return None
    return {"median": round(statistics.median(values), 2), "min": round(min(values), 2), "max": round(max(values), 2), "runs": len(values)}


def versions():
    def out(args):
        try:
            return subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, timeout=30).stdout.strip()
        except OSError:
            return "missing"
    return {
        "machine": f"{platform.system()} {platform.release()} {platform.machine()}, {os.cpu_count()} cores, "
                   f"{round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30)} GiB",
        "docker": out(["docker", "version", "--format", "{{.Server.Version}}"]),
        "buildx": out(["docker", "buildx", "version"]),
        "dotnet": out(["dotnet", "--version"]),
    }


def ratio(a, b):
    return round(a / b, 2) if a is not None and b else None


DEFAULT_APPS = "realistic-dotnet,realistic-go,dotnet,go,aot"


def app_tools(app_name, version):
    """(sample, tools, what is not measured and why) of one app."""
    if app_name in ("dotnet", "realistic-dotnet"):
        app = dotnet_sample(version) if app_name == "dotnet" else realistic_dotnet_sample(version)
        tools = [Stevedore("A", "Stevedore", app), Dockerfile("B", "hand-written Dockerfile", app, ROOT / f"bench/{app_name}/handwritten.Dockerfile"),
                 SdkContainers("C", ".NET SDK containers", app)]
        missing = {"D": "not measurable here: an emulated .NET build stage needs a linux/arm64 SDK image, and no arm64 "
                        "`dotnet` muxer can be had offline (NuGet has none) to build one"}
    elif app_name == "aot":
        app = aot_sample(version)
        tools = [Stevedore("A", "Stevedore", app)]
        missing = {"B": "not written: a hand-written cross-compiling AOT Dockerfile is what Stevedore generates (toolchain step, "
                        "-a $TARGETARCH publish); the sample's figures stand against its own legs and the framework-dependent sample",
                   "C": "not possible: the .NET SDK's container publishing AOT-compiles only for the host's architecture",
                   "fresh builder": "not measured: the compile is ILCompiler's either way; the restore layer is the same as samples/dotnet's case"}
    elif app_name in ("go", "realistic-go"):
        app = go_sample(version) if app_name == "go" else realistic_go_sample(version)
        tools = [Stevedore("A", "Stevedore", app), Dockerfile("B", "hand-written Dockerfile", app, ROOT / f"bench/{app_name}/handwritten.Dockerfile"),
                 Dockerfile("D", "naive Dockerfile (emulated)", app, ROOT / f"bench/{app_name}/naive.Dockerfile")]
        missing = {"D warm/no-op/fresh": "not measured: each redoes the emulated compile, so they cost what D's cold build does"}
        if app_name == "realistic-go":
            missing["B restore CACHED"] = ("n/a: the modules are vendored and B compiles them in its `go build` (a build-cache mount, "
                                           "not exported): it has no step to find CACHED, so its checks read false")
    else:
        raise SystemExit(f"unknown app {app_name}")
    return app, tools, missing


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--apps", default=DEFAULT_APPS)
    parser.add_argument("--version", required=True, help="the packed Stevedore.Sdk version")
    parser.add_argument("--engine", choices=("shared", "private"), default="shared",
                        help="private: build on a dockerd of the bench's own (its own build cache to empty), not the running one")
    parser.add_argument("--out", default=str(ROOT / "bench"), help="folder for results.md and results.json")
    parser.add_argument("--merge", action="store_true",
                        help="keep the apps of an existing results.json that this run does not measure (each app says when it was measured)")
    parser.add_argument("--tools", help="only these tools, by key (A,B,C,D); default all of each app's")
    parser.add_argument("--scenarios", help=f"only these scenarios besides the cold build, which always runs: {','.join(SCENARIOS)}; default all")
    options = parser.parse_args()
    wanted = SCENARIOS if options.scenarios is None else tuple(w for w in options.scenarios.split(",") if w and w != "cold")
    unknown = [w for w in wanted if w not in SCENARIOS]
    if unknown:
        raise SystemExit(f"unknown scenario(s) {','.join(unknown)}: pick from cold,{','.join(SCENARIOS)}")
    stamp = time.strftime("%Y%m%d%H%M%S")
    engine = PrivateEngine() if options.engine == "private" else None
    try:
        if engine:
            engine.start()
        results = {"versions": versions(), "runs": options.runs, "engine": options.engine, "apps": {}}
        for app_name in options.apps.split(","):
            app, tools, missing = app_tools(app_name, options.version)
            if options.tools:
                tools = [t for t in tools if t.key in options.tools.split(",")]
                if not tools:
                    raise SystemExit(f"--tools {options.tools}: none of {app_name}'s tools")
            if not (ROOT / "samples" / app.name / app.project).exists():
                log(f"samples/{app.name} is missing: skipping it")
                continue
            if engine:
                engine.pull(tools)
            raw = {t.key: {} for t in tools}
            flags = {t.key: {} for t in tools}
            measured = {t.key: {} for t in tools}
            for i in range(options.runs):
                for tool in tools:  # interleaved, so drift in the machine's load hits every tool alike
                    log(f"{app_name} run {i + 1}/{options.runs}: {tool.key} {tool.name}")
                    times, notes, figures = scenarios(tool, i, stamp, legs=tool.key in ("A", "D"), emulated=tool.key == "D",
                                                      wanted=wanted, engine=engine)
                    for k, v in times.items():
                        raw[tool.key].setdefault(k, []).append(v)
                    for k, v in notes.items():
                        flags[tool.key].setdefault(k, []).append(v)
                    for k, v in figures.items():
                        measured[tool.key].setdefault(k, []).append(v)
            app_result = {"tools": {}, "not_measured": missing}
            for tool in tools:
                entry = {"name": tool.name, "seconds": {k: summarize(v) for k, v in raw[tool.key].items()},
                         "checks": {k: all(v) if None not in v else None for k, v in flags[tool.key].items()},
                         "figures": {k: summarize(v) for k, v in measured[tool.key].items()}}
                try:
                    entry["compressed_size_bytes"] = compressed_sizes(tool.image(f"{'warm' if 'warm' in raw[tool.key] else 'cold'}-{stamp}-0"))
                except Exception as e:  # the size is a figure, not a reason to lose the run
                    entry["compressed_size_bytes"] = f"unavailable: {e}"
                app_result["tools"][tool.key] = entry
            app_result["native"] = app.native
            if tools[0].key == "A" and app_name in ("dotnet", "go") and "same_digest_fresh_builders" in wanted:
                if buildkit_image_present():
                    log(f"{app_name}: A on two fresh docker-container builders (same commit, same digest?)")
                    repro = same_digest_fresh_builders(tools[0], stamp)
                    app_result["same_digest_fresh_builders"] = repro
                    app_result["tools"]["A"]["checks"]["same_digest_fresh_builders"] = repro["same"]
                else:
                    app_result["not_measured"]["same digest on fresh builders"] = f"{BUILDKIT_IMAGE} is not in the registry (eng/buildkit-image.sh)"
            if tools[0].key == "A" and "overhead" in wanted:
                spread = summarize(overhead(tools[0], stamp, max(options.runs, 3)))
                app_result["overhead_seconds_before_buildx"] = spread["median"] if spread else -1
                app_result["overhead_before_buildx"] = spread
            app_result["ratios"], app_result["targets"] = targets(app_result)
            # Issue 12's figure: time for linux/amd64+linux/arm64 over time for linux/amd64 alone, in one run.
            app_result["two_platforms_over_one"] = {
                "cold": app_result["ratios"]["A two platforms/one (cold / amd64 leg)"],
                "warm": app_result["ratios"]["A two platforms/one (warm / amd64 leg warm)"],
            }
            app_result["measured"] = {"at": stamp, "runs": options.runs, "engine": options.engine}
            results["apps"][app_name] = app_result
        native_size_ratios(results["apps"])
    finally:
        if engine:
            engine.stop()
    out = Path(options.out)
    out.mkdir(parents=True, exist_ok=True)
    if options.merge and (out / "results.json").exists():
        earlier = json.loads((out / "results.json").read_text())
        kept = {k: v for k, v in earlier.get("apps", {}).items() if k not in results["apps"]}
        for app in kept.values():
            app.setdefault("measured", {"at": "an earlier run", "runs": earlier.get("runs"), "engine": earlier.get("engine", "shared")})
        # Realistic apps first, whichever run measured them.
        order = [a for a in DEFAULT_APPS.split(",") if a in results["apps"] or a in kept]
        results["apps"] = {a: results["apps"].get(a) or kept[a] for a in order + [a for a in {**results["apps"], **kept} if a not in order]}
    (out / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    (out / "results.md").write_text(markdown(results))
    log(f"wrote {out}/results.md and {out}/results.json")


class PrivateEngine:
    """A dockerd of the bench's own (own data-root, exec-root and socket; eng/engine.sh's settings), so emptying its
    build cache between runs disturbs no other build on the machine. Every command of the bench reaches it through
    DOCKER_HOST; the stand-in base images are pulled into it before the first measurement, as the shared engine has them."""

    def __init__(self):
        self.root = Path(f"/tmp/stv-bench-{os.getpid()}")
        self.process = None

    def start(self):
        shutil.rmtree(self.root, ignore_errors=True)
        self.root.mkdir(parents=True)
        (self.root / "daemon.json").write_text(json.dumps({
            "features": {"containerd-snapshotter": True}, "bridge": "none", "iptables": False, "ip6tables": False,
            "ip-forward": False, "ip-masq": False, "data-root": f"{self.root}/data", "exec-root": f"{self.root}/exec",
            "pidfile": f"{self.root}/dockerd.pid", "hosts": [f"unix://{self.root}/docker.sock"],
            # The build steps' processes in a cgroup of this engine's own, so their CPU seconds can be read (cpu_seconds).
            "cgroup-parent": self.root.name}))
        home = Path(os.environ.get("STEVEDORE_HOME") or Path.home() / ".cache" / "stevedore")
        tools = home / "tools" / "bin"
        dockerd = str(tools / "dockerd") if (tools / "dockerd").exists() else shutil.which("dockerd")
        if not dockerd:
            raise SystemExit("no dockerd for a private engine: run eng/engine.sh up first")
        with open(self.root / "dockerd.log", "w") as logfile:
            self.process = subprocess.Popen([dockerd, "--config-file", str(self.root / "daemon.json")], stdout=logfile, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, env={**os.environ, "PATH": f"{tools}:{os.environ['PATH']}"})
        os.environ["DOCKER_HOST"] = f"unix://{self.root}/docker.sock"
        for _ in range(120):
            if subprocess.run(["docker", "info"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0:
                log(f"private engine up: {os.environ['DOCKER_HOST']}")
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.5)
        raise SystemExit(f"the private dockerd did not start; see {self.root}/dockerd.log")

    def pull(self, tools):
        """The stand-ins the tools build FROM, for every platform they build it for."""
        names = set()
        for tool in tools:
            dockerfile = getattr(tool, "dockerfile", None)
            text = dockerfile.read_text() if dockerfile else ""
            names.update(re.findall(rf"^FROM (?:--platform=\S+ )?{re.escape(REGISTRY)}/(\S+)", text, re.M))
        names.update(["dotnet/sdk:10.0", "dotnet/aspnet:10.0"] if tools[0].app.restore_step == "dotnet restore" else ["golang:1.24", "distroless/static:nonroot"])
        if tools[0].app.native:
            names.update(["dotnet/sdk:10.0-noble-aot", "dotnet/runtime-deps:10.0-noble-chiseled"])
        self.pull_images(names)

    def pull_images(self, names):
        """Each stand-in (a name below the local registry) for every platform the bench builds."""
        for name in sorted(names):
            for platform_name in PLATFORMS.split(","):
                # The stand-in sdk image is amd64 only: a missing platform is no error here.
                run(["docker", "pull", "-q", "--platform", platform_name, f"{REGISTRY}/{name}"], ROOT, check=False)

    def cpu_seconds(self):
        """User+system CPU seconds so far of this engine: the build steps' processes (its cgroup, below which BuildKit
        puts each RUN) and dockerd with its containerd (BuildKit itself: snapshots, compression, cache export)."""
        total = 0.0
        ticks = os.sysconf("SC_CLK_TCK")
        for stat in (Path(f"/sys/fs/cgroup/cpuacct/{self.root.name}/cpuacct.stat"), Path(f"/sys/fs/cgroup/{self.root.name}/cpu.stat")):
            if stat.exists():
                values = dict(line.split() for line in stat.read_text().splitlines())
                total += (int(values["user"]) + int(values["system"])) / ticks if "user" in values else int(values["usage_usec"]) / 1e6
                break
        for pid in self.process_tree(self.process.pid):
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
            except (OSError, IndexError):
                pass
        return total

    @staticmethod
    def process_tree(root):
        children = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    children.setdefault(int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]), []).append(int(entry.name))
                except (OSError, IndexError):
                    pass
        found, queue = [], [root]
        while queue:
            pid = queue.pop()
            found.append(pid)
            queue.extend(children.get(pid, []))
        return found

    def stop(self):
        os.environ.pop("DOCKER_HOST", None)
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.root, ignore_errors=True)


def median(app, key, scenario):
    s = app["tools"].get(key, {}).get("seconds", {}).get(scenario)
    return s["median"] if s else None


def targets(app):
    a = lambda s: median(app, "A", s)
    size = lambda k, p: (app["tools"].get(k, {}).get("compressed_size_bytes") or {}).get(p) if isinstance(app["tools"].get(k, {}).get("compressed_size_bytes"), dict) else None
    ratios = {
        "A/B warm": ratio(a("warm"), median(app, "B", "warm")),
        "A/C warm": ratio(a("warm"), median(app, "C", "warm")),
        "A/B cold": ratio(a("cold"), median(app, "B", "cold")),
        "A/C cold": ratio(a("cold"), median(app, "C", "cold")),
        "A/D cold": ratio(a("cold"), median(app, "D", "cold")),
        "A warm/cold": ratio(a("warm"), a("cold")),
        "A fresh/cold": ratio(a("fresh_from_registry"), a("cold")),
        "A noop/cold": ratio(a("noop"), a("cold")),
        "A monorepo edit/cold": ratio(a("monorepo_other_service_edit"), a("cold")),
        "B monorepo edit/cold": ratio(median(app, "B", "monorepo_other_service_edit"), median(app, "B", "cold")),
        "A arm64/amd64 leg": ratio(a("cold_arm64_only"), a("cold_amd64_only")),
        "A two platforms/one (cold / amd64 leg)": ratio(a("cold_both_no_export"), a("cold_amd64_only")),
        "A two platforms/one (warm / amd64 leg warm)": ratio(a("warm_both_no_export"), a("warm_amd64_only")),
        "D two platforms/one (cold / amd64 leg)": ratio(median(app, "D", "cold"), median(app, "D", "cold_amd64_only")),
        "D arm64/amd64 leg": ratio(median(app, "D", "cold_arm64_only"), median(app, "D", "cold_amd64_only")),
        "A noop / buildx by hand": ratio(a("noop"), a("noop_buildx_by_hand")),
        "A arm64/amd64 leg warm": ratio(a("warm_arm64_only"), a("warm_amd64_only")),
        "A arm64/amd64 leg, OS packages by emulated apt (run)": ratio(a("cold_arm64_only_os_run"), a("cold_amd64_only_os_run")),
        "A arm64 leg, OS packages run/unpack": ratio(a("cold_arm64_only_os_run"), a("cold_arm64_only")),
    }
    for p in ("linux/amd64", "linux/arm64"):
        ratios[f"size A/C {p}"] = ratio(size("A", p), size("C", p))
    pushed = lambda k: ((app["tools"].get(k, {}).get("figures") or {}).get("warm_pushed_bytes") or {}).get("median")
    ratios["bytes pushed on warm A/B"] = ratio(pushed("A"), pushed("B"))
    ratios["bytes pushed on warm A/C"] = ratio(pushed("A"), pushed("C"))
    checks = app["tools"].get("A", {}).get("checks", {})
    t = {
        "warm rebuild: A <= 1.05 x B": (ratios["A/B warm"], ratios["A/B warm"] is not None and ratios["A/B warm"] <= 1.05),
        "edit in another service <= 0.15 x cold": (ratios["A monorepo edit/cold"], ratios["A monorepo edit/cold"] is not None and ratios["A monorepo edit/cold"] <= 0.15),
        "warm rebuild <= 0.5 x cold": (ratios["A warm/cold"], ratios["A warm/cold"] is not None and ratios["A warm/cold"] <= 0.5),
        "fresh builder from registry cache <= 0.6 x cold, restore CACHED": (ratios["A fresh/cold"], ratios["A fresh/cold"] is not None and ratios["A fresh/cold"] <= 0.6 and checks.get("fresh_restore_cached") is not False),
        "no-op rebuild <= 0.15 x cold": (ratios["A noop/cold"], ratios["A noop/cold"] is not None and ratios["A noop/cold"] <= 0.15),
        "arm64 leg <= 1.3 x amd64 leg": (ratios["A arm64/amd64 leg"], ratios["A arm64/amd64 leg"] is not None and ratios["A arm64/amd64 leg"] <= 1.3),
        "overhead before buildx <= 1 s": (app.get("overhead_seconds_before_buildx"), 0 <= (app.get("overhead_seconds_before_buildx") or -1) <= 1.0),
    }
    two = ratios["A two platforms/one (cold / amd64 leg)"]
    t["two platforms <= 1.25 x one, cold"] = (two, two is not None and two <= 1.25)
    if app.get("same_digest_fresh_builders"):
        same = app["same_digest_fresh_builders"]["same"]
        t["same commit on two fresh builders: same digest"] = (same, same)
    if ratios["A two platforms/one (warm / amd64 leg warm)"] is not None:
        two = ratios["A two platforms/one (warm / amd64 leg warm)"]
        t["two platforms <= 1.25 x one, warm"] = (two, two <= 1.25)
    if a("warm_arm64_only") is not None:
        # ContainerOsPackage: the packages are unpacked for arm64 on the build machine, so no leg runs apt under QEMU.
        t["OS packages: arm64 leg <= 1.5 x amd64 leg, cold"] = (ratios["A arm64/amd64 leg"], ratios["A arm64/amd64 leg"] is not None and ratios["A arm64/amd64 leg"] <= 1.5)
        t["OS packages: arm64 leg <= 1.5 x amd64 leg, warm"] = (ratios["A arm64/amd64 leg warm"], ratios["A arm64/amd64 leg warm"] is not None and ratios["A arm64/amd64 leg warm"] <= 1.5)
    if app.get("native"):
        # Issue 13: the arm64 leg, cross-compiled on the build machine, costs about what the native amd64 one does.
        t["AOT: arm64 leg <= 1.3 x amd64 leg, warm"] = (ratios["A arm64/amd64 leg warm"], ratios["A arm64/amd64 leg warm"] is not None and ratios["A arm64/amd64 leg warm"] <= 1.3)
        keep = ("arm64 leg <= 1.3 x amd64 leg", "AOT: arm64 leg <= 1.3 x amd64 leg, warm", "no-op rebuild <= 0.15 x cold",
                "edit in another service <= 0.15 x cold", "overhead before buildx <= 1 s")
        t = {k: v for k, v in t.items() if k in keep}
    if "C" in app["tools"]:
        worst = max((r for k, r in ratios.items() if k.startswith("size A/C") and r is not None), default=None)
        t["image size A <= 1.02 x C"] = (worst, worst is not None and worst <= 1.02)
    return ratios, {k: {"value": v, "met": met} for k, (v, met) in t.items()}


def native_size_ratios(apps):
    """The AOT sample's compressed image against the framework-dependent samples/dotnet's, per platform (both Stevedore's)."""
    aot, fdd = apps.get("aot"), apps.get("dotnet")
    if not aot or not fdd:
        return
    sizes = lambda app: app["tools"]["A"].get("compressed_size_bytes") if isinstance(app["tools"]["A"].get("compressed_size_bytes"), dict) else {}
    for p in PLATFORMS.split(","):
        aot["ratios"][f"size aot/dotnet (framework-dependent) {p}"] = ratio(sizes(aot).get(p), sizes(fdd).get(p))


def markdown(results):
    lines = ["# Benchmark results", "", "Generated by `eng/bench.sh`; every ratio is taken between figures of this one run, on a machine",
             "running nothing else (another build or test run on the same cores skews whichever tool it overlaps).", ""]
    for k, v in results["versions"].items():
        lines.append(f"- {k}: {v}")
    lines += [f"- runs per figure: {results['runs']} (median, min–max)", f"- engine: {results.get('engine', 'shared')}", ""]
    lines += ["The realistic samples come first: `samples/realistic-dotnet` (ASP.NET Core with EF Core on SQLite and Npgsql,",
              "Serilog, Swashbuckle, OpenTelemetry, Polly, FluentValidation: ~100 packages) and `samples/realistic-go` (chi,",
              "viper, zerolog, uuid, the Prometheus client: 32 vendored modules) are what users' services look like; the",
              "small `dotnet` and `go` samples follow for comparison.", ""]
    for app_name, app in results["apps"].items():
        lines += [f"## {app_name} sample", ""]
        if app.get("measured"):
            m = app["measured"]
            lines += [f"Measured {m['at']}, {m['runs']} run(s) per figure, {m.get('engine', 'shared')} engine.", ""]
        lines += ["| tool | scenario | median s | min | max |", "|---|---|---|---|---|"]
        for key, tool in app["tools"].items():
            for scenario, s in tool["seconds"].items():
                if s:
                    lines.append(f"| {key} {tool['name']} | {scenario} | {s['median']} | {s['min']} | {s['max']} |")
        for key, why in app["not_measured"].items():
            lines.append(f"| {key} | — | {why} | | |")
        lines += ["", "| ratio | value |", "|---|---|"]
        lines += [f"| {k} | {v if v is not None else 'n/a'} |" for k, v in app["ratios"].items()]
        lines += ["", "| target | value | met |", "|---|---|---|"]
        lines += [f"| {k} | {v['value'] if v['value'] is not None else 'n/a'} | {'yes' if v['met'] else '**no**'} |" for k, v in app["targets"].items()]
        if app.get("overhead_before_buildx"):
            o = app["overhead_before_buildx"]
            lines += ["", f"Overhead before buildx (seconds from `dotnet publish` to `docker buildx build`, {o['runs']} no-op publishes): "
                          f"median {o['median']}, min–max {o['min']}–{o['max']}"]
        lines += ["", "Compressed image size per platform (bytes): " + "; ".join(f"{k}: {t['compressed_size_bytes']}" for k, t in app["tools"].items()), ""]
        pushed = {k: (t.get("figures") or {}).get("warm_pushed_bytes") for k, t in app["tools"].items()}
        lines += ["Bytes pushed by the warm rebuild (blobs the cold image did not have, both platforms; median): "
                  + "; ".join(f"{k}: {v['median'] if v else 'n/a'}" for k, v in pushed.items()), ""]
        lines += [f"Checks: " + "; ".join(f"{k}: {t['checks']}" for k, t in app["tools"].items()), ""]
        repro = app.get("same_digest_fresh_builders")
        if repro:
            lines += [f"Same commit on two fresh docker-container builders: {'the same' if repro['same'] else '**different**'} digests "
                      f"(index {' / '.join(str(d['index']) for d in repro['digests'])}; per platform "
                      + "; ".join(f"{p}: {' / '.join(d['platforms'].get(p, 'missing') for d in repro['digests'])}" for p in PLATFORMS.split(",")) + ")", ""]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
