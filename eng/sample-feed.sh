#!/usr/bin/env bash
# Fills the .NET sample's local folder feed (samples/dotnet/packages/) from NuGet, on the host.
# Build containers cannot reach NuGet, so everything their `dotnet restore` needs beyond the SDK
# image must be in this folder: the sample's third-party packages and the linux-arm64 apphost
# pack that cross-publishing needs. Idempotent: a complete feed for the same inputs is left alone.
#
# usage: eng/sample-feed.sh [sample-dir]     (default: samples/dotnet)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sample="$(cd "${1:-$repo/samples/dotnet}" && pwd)"
feed="$sample/packages"

# Every PackageVersion of the sample, as <PackageReference Include=… Version=…/> lines.
references="$(grep -o '<PackageVersion [^>]*/>' "$sample/Directory.Packages.props" | sed 's/PackageVersion/PackageReference/')"
sdk_version="$(cd "$sample" && dotnet --version)"
stamp_text="$(printf '%s\n%s\n' "$sdk_version" "$references")"
if [[ -f "$feed/.complete" && "$(cat "$feed/.complete")" == "$stamp_text" ]]; then
  echo "sample feed is current: $feed"
  exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# A throw-away project with the same packages, restored against nuget.org into an empty packages
# folder the way the build stage restores (`-a <arch>`): whatever lands there is what the feed needs.
cat >"$work/feed.csproj" <<PROJECT
<Project Sdk="Microsoft.NET.Sdk.Web">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
  </PropertyGroup>
  <ItemGroup>
$references
  </ItemGroup>
</Project>
PROJECT
cat >"$work/nuget.config" <<'CONFIG'
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
</configuration>
CONFIG
cp "$sample/global.json" "$work/global.json" 2>/dev/null || true
# Only the sdk section matters here; msbuild-sdks would make this project resolve Stevedore.Sdk.
if [[ -f "$work/global.json" ]]; then
  printf '{ "sdk": { "version": "%s" } }\n' "$sdk_version" >"$work/global.json"
fi

for arch in x64 arm64; do
  NUGET_PACKAGES="$work/nuget-packages" dotnet restore "$work/feed.csproj" -a "$arch" --configfile "$work/nuget.config" -v:q -nologo
done

mkdir -p "$feed"
find "$work/nuget-packages" -name '*.nupkg' -print0 | while IFS= read -r -d '' nupkg; do
  # The packages folder names files in lower case; a flat feed is read case-insensitively.
  [[ -f "$feed/$(basename "$nupkg")" ]] || cp "$nupkg" "$feed/"
done
printf '%s' "$stamp_text" >"$feed/.complete"
echo "sample feed filled: $feed"
ls "$feed"
