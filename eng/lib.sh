# Shared by the eng/ scripts: where Stevedore keeps its engine, tools and caches, and small helpers.
# Everything lives under one project-owned folder, STEVEDORE_HOME (default ~/.cache/stevedore), so a
# second run, or a fresh clone on the same machine, reuses what the first one installed and built.
set -euo pipefail
shopt -s inherit_errexit   # a failure inside \$(…) stops the script too

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STEVEDORE_HOME="${STEVEDORE_HOME:-$HOME/.cache/stevedore}"
TOOLS_DIR="$STEVEDORE_HOME/tools"          # extracted Debian packages
TOOLS_BIN="$TOOLS_DIR/bin"                 # what the engine runs from
STATE_DIR="$STEVEDORE_HOME/state"          # dockerd data-root, exec-root, pid files
REGISTRY_DIR="$STEVEDORE_HOME/registry"    # the local registry's storage
LOG_DIR="$STEVEDORE_HOME/logs"
CACHE_DIR="$STEVEDORE_HOME/cache"          # downloads and stand-in image inputs
REGISTRY_ADDR="127.0.0.1:5000"
DOCKER_CONFIG="${DOCKER_CONFIG:-$HOME/.docker}"
export DOCKER_CONFIG
export PATH="$TOOLS_BIN:$PATH"

# Each line carries the time since the first script of this run started (STEVEDORE_T0 is handed to the ones it calls).
export STEVEDORE_T0="${STEVEDORE_T0:-$(date +%s)}"
say() { printf '\033[1m[stevedore +%ss]\033[0m %s\n' "$(( $(date +%s) - STEVEDORE_T0 ))" "$*" >&2; }
die() { printf '[stevedore] error: %s\n' "$*" >&2; exit 1; }

# True when an engine answers and has buildx: then nothing of ours is needed for it.
engine_ready() { docker info >/dev/null 2>&1 && docker buildx version >/dev/null 2>&1; }
registry_ready() { curl -fsS --max-time 3 "http://$REGISTRY_ADDR/v2/" >/dev/null 2>&1; }

# True when the local registry holds repo:tag (an index or a manifest).
registry_has() {
  curl -fsS -o /dev/null --max-time 5 -H 'Accept: application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' \
    "http://$REGISTRY_ADDR/v2/${1%%:*}/manifests/${1##*:}"
}

# The BuildKit image for docker-container builders (eng/buildkit-image.sh builds it from Debian's sources).
BUILDKIT_IMAGE="$REGISTRY_ADDR/moby/buildkit:v0.13"

# Waits up to $2 seconds for command $1 to succeed.
wait_for() {
  local check="$1" seconds="$2" i
  for ((i = 0; i < seconds * 4; i++)); do
    if eval "$check"; then return 0; fi
    sleep 0.25
  done
  return 1
}

mkdir -p "$TOOLS_BIN" "$STATE_DIR" "$REGISTRY_DIR" "$LOG_DIR" "$CACHE_DIR"
