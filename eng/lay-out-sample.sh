#!/usr/bin/env bash
# Lays out a sample the way its nuget.config expects it, in one place for the tests, eng/run.sh and the bench:
# <checkout>/samples/<name> (the sample without bin/ or obj/) beside <checkout>/artifacts/packages holding the
# packed Stevedore packages of <version>, its global.json's msbuild-sdks Stevedore.Sdk pinned to <version>.
#
# usage: eng/lay-out-sample.sh <sample-dir> <checkout-dir> <version>
set -euo pipefail
[[ $# -eq 3 ]] || { echo "usage: $0 <sample-dir> <checkout-dir> <version>" >&2; exit 2; }
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sample="$(cd "$1" && pwd)"
checkout="$2"
version="$3"
dest="$checkout/samples/$(basename "$sample")"

mkdir -p "$dest" "$checkout/artifacts/packages"
# Host build output of the checked-out sample (e.g. obj/stevedore) is no part of it.
tar -C "$sample" --exclude=bin --exclude=obj -cf - . | tar -C "$dest" -xf -
cp "$repo/artifacts/packages/"*".$version.nupkg" "$checkout/artifacts/packages/"
# Every global.json of the sample that pins Stevedore.Sdk (a Go workspace may have one per service).
find "$dest" -name global.json -not -path '*/bin/*' -not -path '*/obj/*' -print0 \
  | xargs -0 -r sed -i "s/\"Stevedore.Sdk\"\([[:space:]]*\):\([[:space:]]*\)\"[^\"]*\"/\"Stevedore.Sdk\"\1:\2\"$version\"/"
