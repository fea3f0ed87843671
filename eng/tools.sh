#!/usr/bin/env bash
# Installs the engine's programs from Debian packages into $STEVEDORE_HOME/tools, without touching
# the system's libc: trixie packages are downloaded through a separate apt configuration and
# extracted; bookworm packages that integrate with the system are installed with apt-get.
# Usage: eng/tools.sh [engine|buildx|registry|rootfs|go|all|extract <root> <package>...|go-sources <root> <package>...]   (idempotent)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TRIXIE_DIR="$CACHE_DIR/apt-trixie"
DEB_DIR="$CACHE_DIR/debs"

apt_updated=""
bookworm_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing from Debian: ${missing[*]}"
  if [ -z "$apt_updated" ]; then apt-get update -qq >"$LOG_DIR/apt-update.log" 2>&1; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$LOG_DIR/apt-install.log" 2>&1 \
    || die "apt-get install ${missing[*]} failed; see $LOG_DIR/apt-install.log"
}

trixie_apt() {
  apt-get -o Dir::Etc::SourceList="$TRIXIE_DIR/sources.list" -o Dir::Etc::SourceParts=/dev/null \
    -o Dir::State::Lists="$TRIXIE_DIR/lists" -o Dir::Cache="$TRIXIE_DIR/cache" \
    -o APT::Architecture=amd64 -o APT::Architectures::=amd64 -o APT::Architectures::=arm64 -o Debug::NoLocking=1 "$@"
}

trixie_ready=""
trixie_setup() {
  [ -n "$trixie_ready" ] && return 0
  mkdir -p "$TRIXIE_DIR/lists/partial" "$TRIXIE_DIR/cache/archives/partial"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main" >"$TRIXIE_DIR/sources.list"
  # Refresh the package lists at most once a day.
  if [ -z "$(find "$TRIXIE_DIR/lists" -name '*Packages*' -mtime -1 2>/dev/null | head -n1)" ]; then
    say "reading trixie package lists"
    trixie_apt update -qq >"$LOG_DIR/apt-trixie.log" 2>&1 || die "apt-get update for trixie failed; see $LOG_DIR/apt-trixie.log"
  fi
  trixie_ready=1
}

# Downloads and extracts trixie packages (once per package version): NAME into $TOOLS_DIR/root,
# NAME:arm64 into $TOOLS_DIR/root-arm64 (inputs of the arm64 stand-in images, never run here).
trixie_extract() {
  trixie_extract_into "$TOOLS_DIR/root" "$@"
}

# The same into <root> (NAME:arch into <root>-arch); the .debs stay cached in $DEB_DIR.
trixie_extract_into() {
  trixie_setup
  mkdir -p "$DEB_DIR"
  local base="$1" pkg name arch root deb missing=()
  shift
  # Whatever is not cached yet comes in one apt-get call (hundreds of Go source packages take seconds, not minutes).
  # A name asked for twice (NAME and NAME:arm64) goes in once: an Architecture: all package has no NAME:arm64 to
  # download, and the loop below finds or fetches the other architecture's file on its own.
  local batched=" "
  for pkg in "$@"; do
    name="${pkg%%:*}"; arch="amd64"; [ "$name" != "$pkg" ] && arch="${pkg#*:}"
    [[ $batched == *" $name "* ]] && continue
    compgen -G "$DEB_DIR/${name}_*_$arch.deb" >/dev/null || compgen -G "$DEB_DIR/${name}_*_all.deb" >/dev/null \
      || { missing+=("$pkg"); batched+="$name "; }
  done
  if [ ${#missing[@]} -gt 1 ]; then
    say "downloading ${#missing[@]} packages (trixie)"
    (cd "$DEB_DIR" && trixie_apt download "${missing[@]}" >>"$LOG_DIR/apt-trixie.log" 2>&1) || die "apt-get download failed; see $LOG_DIR/apt-trixie.log"
  fi
  for pkg in "$@"; do
    name="${pkg%%:*}"; arch="amd64"; root="$base"
    if [ "$name" != "$pkg" ]; then arch="${pkg#*:}"; root="$base-$arch"; fi
    mkdir -p "$root"
    find_deb() { ls "$DEB_DIR/${name}_"*"_$arch.deb" "$DEB_DIR/${name}_"*"_all.deb" 2>/dev/null | head -n1 || true; }
    deb=$(find_deb)
    if [ -z "$deb" ]; then
      say "downloading $pkg (trixie)"
      (cd "$DEB_DIR" && trixie_apt download "$pkg" >>"$LOG_DIR/apt-trixie.log" 2>&1) || die "apt-get download $pkg failed; see $LOG_DIR/apt-trixie.log"
      deb=$(find_deb)
    fi
    local marker="$root/.extracted-$(basename "$deb")"
    if [ ! -f "$marker" ]; then
      dpkg -x "$deb" "$root" && touch "$marker"
    fi
  done
}

# The Go source packages (golang-*-dev) that <package>... need, themselves included: their Depends, recursively.
go_source_closure() {
  trixie_setup
  apt-cache -o Dir::Etc::SourceList="$TRIXIE_DIR/sources.list" -o Dir::Etc::SourceParts=/dev/null \
    -o Dir::State::Lists="$TRIXIE_DIR/lists" -o Dir::Cache="$TRIXIE_DIR/cache" -o APT::Architecture=amd64 \
    depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces --no-enhances "$@" \
    | grep -E '^golang-[a-z0-9.+-]+-dev$' | sort -u
}

link_tool() { # link_tool <name on PATH> <path under tools/root>
  [ -x "$TOOLS_DIR/root/$2" ] || die "$2 missing from the extracted packages"
  ln -sf "$TOOLS_DIR/root/$2" "$TOOLS_BIN/$1"
}

install_engine() {
  bookworm_install runc iptables qemu-user-static ca-certificates curl openssl
  trixie_extract docker.io containerd docker-buildx tini
  link_tool dockerd usr/sbin/dockerd
  link_tool docker-proxy usr/sbin/docker-proxy
  link_tool containerd usr/bin/containerd
  link_tool containerd-shim-runc-v2 usr/bin/containerd-shim-runc-v2
  link_tool docker-init usr/bin/tini-static
  # The CLI ships with this kind of machine; another Debian machine gets trixie's.
  if ! command -v docker >/dev/null 2>&1; then
    trixie_extract docker-cli
    link_tool docker usr/bin/docker
  fi
  mkdir -p "$DOCKER_CONFIG/cli-plugins"
  ln -sf "$TOOLS_DIR/root/usr/libexec/docker/cli-plugins/docker-buildx" "$DOCKER_CONFIG/cli-plugins/docker-buildx"
}

install_buildx_only() {
  trixie_extract docker-buildx
  mkdir -p "$DOCKER_CONFIG/cli-plugins"
  ln -sf "$TOOLS_DIR/root/usr/libexec/docker/cli-plugins/docker-buildx" "$DOCKER_CONFIG/cli-plugins/docker-buildx"
}

install_registry() {
  bookworm_install curl
  trixie_extract docker-registry
  link_tool docker-registry usr/bin/docker-registry
}

install_rootfs_tools() {
  bookworm_install mmdebstrap arch-test qemu-user-static
}

install_go() {
  trixie_extract golang-1.24-go golang-1.24-src golang-1.24-go:arm64 golang-1.24-src:arm64
}

case "${1:-all}" in
  engine) install_engine ;;
  buildx) install_buildx_only ;;
  registry) install_registry ;;
  rootfs) install_rootfs_tools ;;
  go) install_go ;;
  all) install_engine; install_registry; install_rootfs_tools; install_go ;;
  # extract <root> <package>...: trixie packages (e.g. Go sources for a vendor/ folder) into a folder of the caller's.
  extract) shift; [ $# -ge 2 ] || die "usage: eng/tools.sh extract <root> <package>..."; trixie_extract_into "$@" ;;
  # go-sources <root> <package>... [-<package>...]: those Go source packages and every golang-*-dev they depend on,
  # into <root>, less the -<package>s (an alternative that ships the same import path in another version).
  go-sources) shift; [ $# -ge 2 ] || die "usage: eng/tools.sh go-sources <root> <package>... [-<package>...]"
    root="$1"; shift; wanted=(); unwanted=()
    for pkg in "$@"; do if [[ $pkg == -* ]]; then unwanted+=("${pkg#-}"); else wanted+=("$pkg"); fi; done
    mapfile -t closure < <(go_source_closure "${wanted[@]}" | grep -vxF -f <(printf '%s\n' "${unwanted[@]}" ""))
    [ ${#closure[@]} -gt 0 ] || die "no Go source packages found for ${wanted[*]}"
    trixie_extract_into "$root" "${closure[@]}" ;;
  *) die "usage: eng/tools.sh [engine|buildx|registry|rootfs|go|all|extract <root> <package>...|go-sources <root> <package>...]" ;;
esac
