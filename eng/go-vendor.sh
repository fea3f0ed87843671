#!/usr/bin/env bash
# Fills a Go sample's vendor/ from Debian's Go source packages (golang-*-dev, trixie), on the host, so its image
# builds offline: build containers reach no Go module proxy, and the generated Dockerfile builds a module that has
# vendor/modules.txt from the context alone (no `go mod download`). The packages are listed in the sample's
# go-vendor.packages; go.mod says which module versions it requires (eng/go-vendor.py checks them against the
# packages' versions). Cached by a hash of go.mod, the package list and the Go sources: a second run is instant.
#
# usage: eng/go-vendor.sh <sample dir>
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

sample="$(cd "${1:?usage: eng/go-vendor.sh <sample dir>}" && pwd)"
list="$sample/go-vendor.packages"
[ -f "$list" ] || die "$list is missing"
mapfile -t packages < <(sed 's/#.*//; s/[[:space:]]//g; /^$/d' "$list")

key="$( { sha256sum <"$sample/go.mod"; sha256sum <"$list"; sha256sum <"$REPO_ROOT/eng/go-vendor.py";
          (cd "$sample" && find . -path ./vendor -prune -o -name '*.go' -type f -print | LC_ALL=C sort | xargs sha256sum); } | sha256sum | cut -c1-64)"
if [[ -f "$sample/vendor/.complete" && "$(cat "$sample/vendor/.complete")" == "$key" ]]; then
  echo "vendor/ is current: $sample/vendor"
  exit 0
fi

# Go itself (trixie's golang-1.24, the stand-in golang image's) to list imports and check the build.
bash "$REPO_ROOT/eng/tools.sh" go
GO="$TOOLS_DIR/root/usr/lib/go-1.24/bin/go"
[ -x "$GO" ] || die "$GO missing after eng/tools.sh go"

# Each package extracted on its own, so the script can tell which package holds which module at which version.
sources="$CACHE_DIR/go-vendor"
mkdir -p "$sources"
work="$(mktemp -d)"; out="$(mktemp -d)"
trap 'rm -rf "$work" "$out"' EXIT
for package in "${packages[@]}"; do
  bash "$REPO_ROOT/eng/tools.sh" extract "$sources/$package" "$package"
  deb=$(ls "$CACHE_DIR/debs/${package}_"*_all.deb | head -n1)   # the one eng/tools.sh extracted
  dpkg-deb -f "$deb" Version >"$sources/$package/VERSION"
  ln -s "$sources/$package" "$work/$package"
done

python3 "$REPO_ROOT/eng/go-vendor.py" "$GO" "$sample" "$work" "$out/vendor"
rm -rf "$sample/vendor.new" && mv "$out/vendor" "$sample/vendor.new"
rm -rf "$sample/vendor" && mv "$sample/vendor.new" "$sample/vendor"
printf '%s' "$key" >"$sample/vendor/.complete"
echo "vendor/ filled: $sample/vendor ($(du -sh "$sample/vendor" | cut -f1))"
