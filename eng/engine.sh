#!/usr/bin/env bash
# Brings up (or reuses) the build engine the project needs: dockerd with the containerd image store,
# buildx, QEMU binfmt for linux/arm64, and a registry on 127.0.0.1:5000.
# Usage: eng/engine.sh up|down|status|binfmt       (up is idempotent and recovers from a crash)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DOCKERD_PID="$STATE_DIR/dockerd.pid"
REGISTRY_PID="$STATE_DIR/registry.pid"
OWNED_MARK="$STATE_DIR/engine-owned"   # present while the engine we serve is ours, not a reused one

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

QEMU_AARCH64=/proc/sys/fs/binfmt_misc/qemu-aarch64

# The kernel's handler itself, not `docker buildx ls`: BuildKit keeps the platform list it found when it started,
# so the list still shows linux/arm64 after the handler is gone (and not after it comes back).
binfmt_ready() { [ "$(uname -m)" = aarch64 ] || grep -qx enabled "$QEMU_AARCH64" 2>/dev/null; }

binfmt_up() {
  if binfmt_ready; then return 0; fi
  [ -d /proc/sys/fs/binfmt_misc ] || die "this kernel has no binfmt_misc: linux/arm64 builds cannot be emulated here"
  [ -f /proc/sys/fs/binfmt_misc/register ] || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc \
    || die "cannot mount binfmt_misc (run as root)"
  # A disabled handler (echo 0 > …) is switched back on; a missing one is registered.
  if [ -f "$QEMU_AARCH64" ]; then echo 1 >"$QEMU_AARCH64" || die "enabling $QEMU_AARCH64 failed"; fi
  if [ ! -f "$QEMU_AARCH64" ]; then
    bash "$REPO_ROOT/eng/tools.sh" rootfs
    local conf=/usr/lib/binfmt.d/qemu-aarch64.conf
    [ -f "$conf" ] || die "$conf missing: qemu-user-static did not install"
    # F: the kernel opens the interpreter now, so it works inside containers' mount namespaces.
    sed 's/:[A-Z]*$/:FP/' "$conf" >/proc/sys/fs/binfmt_misc/register || die "registering qemu-aarch64 with binfmt_misc failed"
  fi
}

dockerd_up() {
  if alive "$DOCKERD_PID" && docker info >/dev/null 2>&1; then return 0; fi
  bash "$REPO_ROOT/eng/tools.sh" engine
  # A crash leaves pid files and sockets behind; dockerd refuses to start over them.
  if alive "$DOCKERD_PID"; then kill "$(cat "$DOCKERD_PID")" 2>/dev/null || true; sleep 2; fi
  rm -f "$DOCKERD_PID" /var/run/docker.sock "$STATE_DIR/exec/containerd/containerd.pid" "$STATE_DIR/exec/docker.pid"
  mkdir -p "$STATE_DIR/data" "$STATE_DIR/exec"
  cat >"$STATE_DIR/daemon.json" <<JSON
{
  "features": { "containerd-snapshotter": true },
  "bridge": "none",
  "iptables": false,
  "ip6tables": false,
  "ip-forward": false,
  "ip-masq": false,
  "data-root": "$STATE_DIR/data",
  "exec-root": "$STATE_DIR/exec",
  "pidfile": "$DOCKERD_PID",
  "hosts": ["unix:///var/run/docker.sock"]
}
JSON
  say "starting dockerd (log: $LOG_DIR/dockerd.log)"
  setsid nohup dockerd --config-file "$STATE_DIR/daemon.json" >>"$LOG_DIR/dockerd.log" 2>&1 </dev/null &
  wait_for "docker info >/dev/null 2>&1" 60 || die "dockerd did not start; see $LOG_DIR/dockerd.log"
  touch "$OWNED_MARK"
}

registry_up() {
  if registry_ready; then return 0; fi
  bash "$REPO_ROOT/eng/tools.sh" registry
  if alive "$REGISTRY_PID"; then kill "$(cat "$REGISTRY_PID")" 2>/dev/null || true; sleep 1; fi
  cat >"$STATE_DIR/registry.yml" <<YAML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $REGISTRY_DIR
  delete:
    enabled: true
http:
  addr: $REGISTRY_ADDR
YAML
  say "starting the registry on $REGISTRY_ADDR (log: $LOG_DIR/registry.log)"
  setsid nohup docker-registry serve "$STATE_DIR/registry.yml" >>"$LOG_DIR/registry.log" 2>&1 </dev/null &
  echo $! >"$REGISTRY_PID"
  wait_for registry_ready 30 || die "the registry did not start; see $LOG_DIR/registry.log"
}

up() {
  if engine_ready && [ ! -f "$OWNED_MARK" ]; then
    say "using the engine that is already running ($(docker info --format '{{.Name}} {{.ServerVersion}}'))"
  elif docker info >/dev/null 2>&1 && [ ! -f "$OWNED_MARK" ]; then
    say "the running engine has no buildx: installing the buildx plugin only"
    bash "$REPO_ROOT/eng/tools.sh" buildx
  else
    dockerd_up
  fi
  binfmt_up
  registry_up
  binfmt_ready || die "linux/arm64 cannot be emulated: binfmt registration for qemu-aarch64 failed"
}

down() {
  local f pid
  for f in "$REGISTRY_PID" "$DOCKERD_PID"; do
    if alive "$f"; then
      pid=$(cat "$f"); kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$f"
  done
  rm -f "$OWNED_MARK"
  say "engine and registry stopped"
}

status() {
  local rc=0
  if docker info >/dev/null 2>&1; then
    echo "engine:   $(docker version --format 'docker {{.Server.Version}}, containerd image store: ' 2>/dev/null)$(docker info --format '{{range .DriverStatus}}{{if eq (index . 0) "driver-type"}}{{index . 1}}{{end}}{{end}}' 2>/dev/null)"
  else
    echo "engine:   not running"; rc=1
  fi
  if docker buildx version >/dev/null 2>&1; then echo "buildx:   $(docker buildx version)"; else echo "buildx:   missing"; rc=1; fi
  if registry_ready; then
    echo "registry: $REGISTRY_ADDR ($(docker-registry --version 2>/dev/null || echo 'not ours'))"
  else
    echo "registry: $REGISTRY_ADDR not answering"; rc=1
  fi
  echo "platforms:"
  docker buildx ls 2>/dev/null | sed 's/^/  /' || true
  return $rc
}

case "${1:-}" in
  up) up; status ;;
  down) down ;;
  status) status ;;
  binfmt) binfmt_up ;;   # only the qemu-aarch64 handler (tests that unregister it put it back with this)
  *) die "usage: eng/engine.sh up|down|status|binfmt" ;;
esac
