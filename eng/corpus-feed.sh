#!/usr/bin/env bash
# Fills artifacts/corpus-feed/ with what the repository-shape corpus (tests/corpus) restores beyond the .NET sample's
# feed: the .NET 8 reference packs its multi-targeting library needs (the SDK image holds only .NET 10's) and a
# package with RID-specific native assets (SQLite's) for both linux-x64 and linux-arm64, and MinVer and
# Nerdbank.GitVersioning (versions computed from git on the host, which the build stage, having no .git, must receive
# instead of computing).
# Build containers cannot reach NuGet, so the tests copy this folder into each corpus repository's local feed.
# Idempotent: a complete feed for the same SDK is left alone.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
feed="$repo/artifacts/corpus-feed"
sdk_version="$(cd "$repo" && dotnet --version)"
stamp="$sdk_version sqlite 2.1.11 minver 8.0.0 nbgv 3.10.94"
if [[ -f "$feed/.complete" && "$(cat "$feed/.complete")" == "$stamp" ]]; then
  echo "corpus feed is current: $feed"
  exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat >"$work/feed.csproj" <<'PROJECT'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFrameworks>net10.0;net8.0</TargetFrameworks>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="SQLitePCLRaw.lib.e_sqlite3" Version="2.1.11" />
    <PackageReference Include="MinVer" Version="8.0.0" PrivateAssets="all" />
    <PackageReference Include="Nerdbank.GitVersioning" Version="3.10.94" PrivateAssets="all" />
  </ItemGroup>
</Project>
PROJECT
# NuGet itself: the host fills the offline feeds from it.
cp "$repo/eng/nuget.org.config" "$work/nuget.config"
printf '{ "sdk": { "version": "%s" } }\n' "$sdk_version" >"$work/global.json"
NUGET_PACKAGES="$work/nuget-packages" dotnet restore "$work/feed.csproj" --configfile "$work/nuget.config" -v:q -nologo

mkdir -p "$feed"
find "$work/nuget-packages" -name '*.nupkg' -exec cp {} "$feed/" \;
printf '%s' "$stamp" >"$feed/.complete"
echo "corpus feed filled: $feed"
