#!/usr/bin/env bash
# Builds the BuildKit image that docker-container builders run (`docker buildx create --driver docker-container
# --driver-opt image=…`) and pushes it to the local registry as $BUILDKIT_IMAGE (moby/buildkit:v0.13): nothing can
# be pulled from Docker Hub here, and the engine's own `docker` driver cannot rewrite file timestamps, so
# reproducible digests need a builder that runs its own buildkitd.
#
# buildkitd and buildctl come from the BuildKit sources that Debian's docker.io ships (BuildKit v0.13, the engine's
# own), with Go dependencies from Debian's golang-*-dev packages (no Go module proxy is reachable), built offline in
# GOPATH mode in a stage FROM the golang stand-in. eng/buildkit/buildkit.patch drops the four imports Debian does
# not package: the GitHub Actions and Azure blob cache backends, the fuse-overlayfs snapshotter and amd64 microarch
# variant detection; eng/buildkit/packageurl is the small part of packageurl-go BuildKit uses. The final stage is
# the bookworm stand-in root filesystem plus bookworm's runc for the OCI worker. amd64 only: the builder runs on
# this machine and builds arm64 itself (cross-compiling or through QEMU's binfmt handlers).
#
# Inputs are hashed: when the registry holds the image built from the same inputs, this takes a second.
# Usage: eng/buildkit-image.sh [--force]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SOURCES="$REPO_ROOT/eng/buildkit"
WORK="$CACHE_DIR/buildkit"
VERSION="${BUILDKIT_IMAGE##*:}"
mapfile -t PACKAGES < <(sed 's/#.*//; s/[[:space:]]//g; /^$/d' "$SOURCES/go-packages")

KEY=$( { cat "${BASH_SOURCE[0]}" "$REPO_ROOT/eng/tools.sh"; find "$SOURCES" -type f | LC_ALL=C sort | xargs cat; } | sha256sum | cut -c1-16)
KEYED="$BUILDKIT_IMAGE-$KEY"   # moby/buildkit:v0.13-<inputs>: present only when these inputs were built and pushed

registry_ready || die "the local registry at $REGISTRY_ADDR does not answer; run eng/engine.sh up first"
if [ "${1:-}" != "--force" ] && registry_has "${KEYED#*/}" 2>/dev/null && registry_has "${BUILDKIT_IMAGE#*/}" 2>/dev/null; then
  say "BuildKit image is current: $BUILDKIT_IMAGE (inputs $KEY)"
  exit 0
fi

bash "$REPO_ROOT/eng/base-images.sh"   # the golang and bookworm stand-ins the Dockerfile starts from
bash "$REPO_ROOT/eng/tools.sh" go
GO="$TOOLS_DIR/root/usr/lib/go-1.24/bin/go"
if ! command -v patch >/dev/null; then
  say "installing patch from Debian"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends patch; } >"$LOG_DIR/apt-patch.log" 2>&1 \
    || die "apt-get install patch failed; see $LOG_DIR/apt-patch.log"
fi

# Debian's Go sources, then a GOPATH tree of hard links with the patch and the packageurl part applied.
say "gathering BuildKit's Go sources from Debian"
rm -rf "$WORK/debian"   # extracted afresh: a package left out must not linger from an earlier run
bash "$REPO_ROOT/eng/tools.sh" go-sources "$WORK/debian" "${PACKAGES[@]}"
deb=$(ls "$CACHE_DIR/debs/golang-github-docker-docker-dev_"*_all.deb | sort -V | tail -n1)
REVISION="debian-$(dpkg-deb -f "$deb" Version)"
tree="$WORK/tree/src"
rm -rf "$WORK/tree"; mkdir -p "$WORK/tree"
cp -al "$WORK/debian/usr/share/gocode/src" "$tree"
patch -d "$tree/github.com/moby/buildkit" -p1 --quiet <"$SOURCES/buildkit.patch" || die "eng/buildkit/buildkit.patch does not apply to $REVISION"
mkdir -p "$tree/github.com/package-url/packageurl-go"
cp "$SOURCES/packageurl/"*.go "$tree/github.com/package-url/packageurl-go/"
# Imports of go-systemd's v22 module path: GOPATH mode finds the package at the unversioned path.
[ -e "$tree/github.com/coreos/go-systemd/v22" ] || ln -s . "$tree/github.com/coreos/go-systemd/v22"

# BuildKit's own tests of the package that uses packageurl run against eng/buildkit/packageurl.
GO111MODULE=off GOPATH="$WORK/tree" GOFLAGS= CGO_ENABLED=0 "$GO" test github.com/moby/buildkit/util/purl >"$LOG_DIR/buildkit-purl-test.log" 2>&1 \
  || die "BuildKit's util/purl tests fail against eng/buildkit/packageurl; see $LOG_DIR/buildkit-purl-test.log"

# The build context holds only the packages the two commands import (go list), not the 2 GB of sources.
ctx="$WORK/context"
rm -rf "$ctx"; mkdir -p "$ctx/gopath/src" "$ctx/runc"
listing=$(GO111MODULE=off GOPATH="$WORK/tree" GOFLAGS= CGO_ENABLED=0 GOOS=linux GOARCH=amd64 "$GO" list -deps \
  -f '{{if not .Standard}}{{.ImportPath}} {{.Dir}}{{end}}' github.com/moby/buildkit/cmd/buildkitd github.com/moby/buildkit/cmd/buildctl 2>"$LOG_DIR/buildkit-go-list.log") \
  || die "a package buildkitd needs is missing from Debian's sources; see $LOG_DIR/buildkit-go-list.log"
declare -A modules=()
while read -r path dir; do
  [ -n "$path" ] || continue
  mkdir -p "$ctx/gopath/src/$path"
  find "$dir/" -maxdepth 1 -xtype f ! -name '*_test.go' -exec cp -L -t "$ctx/gopath/src/$path/" {} +
  # The go.mod files above it: GOPATH mode maps an import of a /vN path onto the unversioned folder only inside a
  # tree with a go.mod (the importer's) and when the target's go.mod declares the /vN path.
  rel="${dir#"$tree"/}"
  while [ "$rel" != . ] && [ -z "${modules[$rel]:-}" ]; do
    modules[$rel]=1
    if [ -f "$tree/$rel/go.mod" ]; then mkdir -p "$ctx/gopath/src/$rel" && cp -L "$tree/$rel/go.mod" "$ctx/gopath/src/$rel/"; fi
    rel=$(dirname "$rel")
  done
done <<<"$listing"
[ -e "$ctx/gopath/src/github.com/coreos/go-systemd/v22" ] || ln -s . "$ctx/gopath/src/github.com/coreos/go-systemd/v22"

# runc for the OCI worker: bookworm's (trixie's needs glibc 2.38), from the system's apt.
mkdir -p "$WORK/debs-bookworm"
if ! ls "$WORK/debs-bookworm/runc_"*.deb >/dev/null 2>&1; then
  (cd "$WORK/debs-bookworm" && { apt-get download runc >>"$LOG_DIR/apt-bookworm.log" 2>&1 \
    || { apt-get update -qq >>"$LOG_DIR/apt-bookworm.log" 2>&1 && apt-get download runc >>"$LOG_DIR/apt-bookworm.log" 2>&1; }; }) \
    || die "apt-get download runc failed; see $LOG_DIR/apt-bookworm.log"
fi
dpkg -x "$(ls "$WORK/debs-bookworm/runc_"*.deb | sort -V | tail -n1)" "$ctx/runc"
rm -rf "$ctx/runc/usr/share"
cp "$SOURCES/Dockerfile" "$ctx/Dockerfile"

say "building $BUILDKIT_IMAGE from $REVISION (linux/amd64; the first build compiles for a few minutes)"
docker buildx build --network=none --provenance=false --platform linux/amd64 \
  --build-arg "REGISTRY=$REGISTRY_ADDR" --build-arg "VERSION=$VERSION" --build-arg "REVISION=$REVISION" \
  -t "$BUILDKIT_IMAGE" -t "$KEYED" --push "$ctx" >"$LOG_DIR/buildkit-image.log" 2>&1 \
  || die "building the BuildKit image failed; see $LOG_DIR/buildkit-image.log"
rm -rf "$WORK/tree" "$WORK/debian"   # 2 GB of extracted sources; the .debs stay cached
say "pushed $BUILDKIT_IMAGE ($KEYED)"
