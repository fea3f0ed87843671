#!/usr/bin/env bash
# Packs Stevedore.Sdk and Stevedore.Templates into artifacts/packages as 0.1.0-dev-<hash of the sources>, so every change gets a new
# version (NuGet caches never serve a stale package), skips packing when that version exists, and writes the
# version to artifacts/packages/version.txt. A lock makes concurrent callers wait for one another.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/artifacts/packages"
mkdir -p "$out"

exec 9>"$out/.pack.lock"
flock 9

# Content hash of everything that goes into the package: paths and bytes, bin/obj excluded, stable order.
hash="$(cd "$root" && find src templates Directory.Build.props Directory.Packages.props global.json -type f \
          -not -path '*/bin/*' -not -path '*/obj/*' -print0 | LC_ALL=C sort -z \
        | xargs -0 sha256sum | sha256sum | cut -c1-12)"
version="0.1.0-dev-$hash"

if [[ ! -f "$out/Stevedore.Sdk.$version.nupkg" ]]; then
  dotnet pack "$root/src/Sdk/Stevedore.Sdk.csproj" -c Release -o "$out" \
    -p:StevedoreVersion="$version" -nologo -tl:off -v:q >&2
fi
# Same version: the templates pin the Stevedore.Sdk they were packed with (global.json msbuild-sdks).
if [[ ! -f "$out/Stevedore.Templates.$version.nupkg" ]]; then
  dotnet pack "$root/templates/Stevedore.Templates.csproj" -c Release -o "$out" \
    -p:StevedoreVersion="$version" -nologo -tl:off -v:q >&2
fi

# Written last and atomically: a reader never sees a version whose package is not there yet.
printf '%s\n' "$version" > "$out/version.txt.tmp"
mv "$out/version.txt.tmp" "$out/version.txt"
echo "$version"
