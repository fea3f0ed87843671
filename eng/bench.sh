#!/usr/bin/env bash
# The benchmark: Stevedore against a hand-written Dockerfile, the .NET SDK's container publishing and a
# naive emulated Dockerfile, for the samples, in one run; writes bench/results.md and bench/results.json.
# It empties the build cache between runs: do not run it beside the tests (or use --engine private).
# Usage: eng/bench.sh [--runs 3] [--apps realistic-dotnet,realistic-go,dotnet,go,aot] [--engine shared|private]
# --engine private builds on a dockerd of the bench's own, so emptying its build cache disturbs nothing else.
# --tools A,B (keys) and --scenarios fresh_from_registry,legs (besides the cold build, which always runs) measure
# only part of the run, e.g. one figure after a change; --merge keeps the apps the run leaves out. On a private engine
# every build's CPU seconds (user+sys: its build steps, dockerd and containerd) are figures too (cpu_seconds_<scenario>).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"
bash eng/engine.sh up >/dev/null
bash eng/base-images.sh
bash eng/buildkit-image.sh   # docker-container builders for the same-digest-on-fresh-builders figure
bash eng/sample-feed.sh >/dev/null
VERSION=$(bash eng/pack.sh)
exec python3 bench/bench.py --version "$VERSION" "$@"
