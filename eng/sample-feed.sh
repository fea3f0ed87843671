#!/usr/bin/env bash
# Fills the samples' offline dependencies on the host. Build containers cannot reach NuGet or a Go module proxy,
# so everything their restore needs beyond the base image must travel in the build context:
#   - a .NET sample with a `packages` folder feed in its nuget.config (samples/dotnet, samples/realistic-dotnet):
#     its whole package closure for linux-x64 and linux-arm64, plus the linux-arm64 apphost pack that
#     cross-publishing needs, found by restoring the sample's own projects against NuGet into an empty folder;
#   - a .NET sample with a sample-feed.properties file: also restored with each of its lines as extra restore properties
#     (samples/aot: its ReadyToRun variant, so the feed carries crossgen and the runtime packs as well);
#   - a Go sample with eng/go-vendor.packages (samples/realistic-go): vendor/ built from Debian's sources
#     (eng/go-vendor.sh).
# Cached by a hash of the inputs (project files, props, NuGet configs, the SDK version): a second run is instant.
#
# usage: eng/sample-feed.sh [sample-dir...]     (default: every sample that needs it)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# The files whose content decides what restore downloads, relative to the sample, in a stable order.
restore_inputs() {
  (cd "$1" && find . \( -name packages -o -name bin -o -name obj \) -prune -o -type f \
    \( -name '*.csproj' -o -name '*.fsproj' -o -name '*.props' -o -name '*.targets' -o -name 'global.json' -o -iname 'nuget.config' -o -name sample-feed.properties \) \
    -print | LC_ALL=C sort)
}

fill_dotnet_feed() { # fill_dotnet_feed <sample dir>
  local sample="$1" feed="$1/packages" sdk_version key work
  sdk_version="$(cd "$sample" && dotnet --version)"
  key="$( { echo "sdk $sdk_version"; restore_inputs "$sample" | while read -r f; do echo "$f $(sha256sum <"$sample/$f" | cut -c1-64)"; done; } | sha256sum | cut -c1-64)"
  if [[ -f "$feed/.complete" && "$(cat "$feed/.complete")" == "$key" ]]; then
    echo "sample feed is current: $feed"
    return 0
  fi

  work="$(mktemp -d)"
  # The sample's own projects, restored against NuGet into an empty packages folder the way the build stage
  # restores (`-a <arch>`): whatever lands there is what the feed needs. Stevedore.Sdk is left out (the build
  # context brings it from artifacts/packages), and so is the sample's nuget.config (it names only local folders).
  mkdir -p "$work/sample"
  tar -C "$sample" --exclude=./packages --exclude=bin --exclude=obj -cf - . | tar -C "$work/sample" -xf -
  find "$work/sample" -name '*.csproj' -exec sed -i '/<Sdk Name="Stevedore.Sdk"/d' {} +
  printf '{ "sdk": { "version": "%s" } }\n' "$sdk_version" >"$work/sample/global.json"
  # NuGet itself: the host fills the offline feeds from it.
  cp "$repo/eng/nuget.org.config" "$work/sample/nuget.config"
  local project arch variant variants=("")
  # Each line of sample-feed.properties: more restore properties for a variant the tests publish (comments start with #).
  if [[ -f "$sample/sample-feed.properties" ]]; then
    while IFS= read -r variant; do variants+=("$variant"); done < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$sample/sample-feed.properties")
  fi
  while IFS= read -r project; do
    for variant in "${variants[@]}"; do
      # No RID: what `dotnet test` / `dotnet run` on the host restore; x64 and arm64: what each platform's build stage restores.
      for arch in "" x64 arm64; do
        # shellcheck disable=SC2086 # a variant is a list of -p: arguments
        NUGET_PACKAGES="$work/nuget-packages" dotnet restore "$work/sample/$project" ${arch:+-a "$arch"} $variant -v:q -nologo \
          || { rm -rf "$work"; echo "restoring $project ${arch:+for $arch }${variant:+($variant) }from NuGet failed" >&2; return 1; }
      done
    done
  done < <(cd "$work/sample" && find . -name '*.csproj' | LC_ALL=C sort)

  mkdir -p "$feed"
  find "$work/nuget-packages" -name '*.nupkg' -print0 | while IFS= read -r -d '' nupkg; do
    # The packages folder names files in lower case; a flat feed is read case-insensitively.
    [[ -f "$feed/$(basename "$nupkg")" ]] || cp "$nupkg" "$feed/"
  done
  rm -rf "$work"
  printf '%s' "$key" >"$feed/.complete"
  echo "sample feed filled: $feed ($(find "$feed" -name '*.nupkg' | wc -l) packages, $(du -sh "$feed" | cut -f1))"
}

fill() { # fill <sample dir>
  local sample
  sample="$(cd "$1" && pwd)"
  if [[ -f "$sample/go-vendor.packages" ]]; then
    bash "$repo/eng/go-vendor.sh" "$sample"
  elif [[ -f "$sample/nuget.config" ]] && grep -q 'value="packages"' "$sample/nuget.config"; then
    fill_dotnet_feed "$sample"
  else
    echo "nothing to fill for $sample" >&2
  fi
}

if [[ $# -eq 0 ]]; then
  set -- "$repo/samples/dotnet" "$repo/samples/aot" "$repo/samples/realistic-dotnet" "$repo/samples/realistic-go"
fi
for sample in "$@"; do
  fill "$sample"
done
