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

# test_run <label> <project> [filter]: one `dotnet test` run into $RESULTS/<label> (its trx and console.log); no output.
test_run() {
  local label="$1" project="$2" filter=("${@:3}")
  mkdir -p "$RESULTS/$label"
  [ "$build_rc" -ne 0 ] && return 0
  dotnet test "$project" --no-build -c Debug "${filter[@]}" --logger "trx;LogFileName=$label.trx" \
    --logger "console;verbosity=normal" --results-directory "$RESULTS/$label" >"$RESULTS/$label/console.log" 2>&1 || true
}

# count <label>: adds the run's trx counters to the totals. Tests that did not run (skipped, timed out, aborted) count as
# failed: nothing may pass by not running.
count() {
  local label="$1" trx="$RESULTS/$1/$1.trx" counters p f e x t
  if [ "$build_rc" -ne 0 ]; then broken+=("$label (solution build failed)"); return; fi
  if [ ! -f "$trx" ]; then broken+=("$label (no results: the test run itself failed)"); return; fi
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  e=$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters")
  x=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(( ${f:-0} + ${e:-0} + ${t:-0} - ${x:-0} ))
  passed=$((passed + ${p:-0})); failed=$((failed + f))
  [ "${t:-0}" -gt 0 ] || broken+=("$label (no tests found)")
}

show() { cat "$RESULTS/$1/console.log" 2>/dev/null || true; }

# 1. The unit tests first, alone: a broken unit test shows before the long runs.
say "testing Stevedore.Tasks.Tests"
test_run Stevedore.Tasks.Tests tests/Stevedore.Tasks.Tests; show Stevedore.Tasks.Tests; count Stevedore.Tasks.Tests

# 2. Every other test project at once, each running two tests or classes at a time (its [assembly: Parallelize]): they
#    share the engine and the registry but never a tag, a folder or a builder. Classes that change what every build on
#    the engine sees (the EngineWide category: empty the build cache, stop the engine, unregister QEMU, load it on
#    purpose) are left for step 3.
projects=()
for project in tests/*.Tests; do
  [ "$project" = tests/Stevedore.Tasks.Tests ] || projects+=("$project")
done
say "testing ${projects[*]##*/} side by side (EngineWide classes after)"
for project in "${projects[@]}"; do
  test_run "$(basename "$project")" "$project" --filter "TestCategory!=EngineWide" &
done
wait
for project in "${projects[@]}"; do show "$(basename "$project")"; count "$(basename "$project")"; done

# 3. The EngineWide classes, one at a time, with nothing else on the engine.
for project in "${projects[@]}"; do
  grep -rqs --include='*.cs' '^\[EngineWide\]' "$project" || continue
  label="$(basename "$project").EngineWide"
  say "testing $label (alone on the engine)"
  test_run "$label" "$project" --filter "TestCategory=EngineWide"; show "$label"; count "$label"
done

say "time per test class (slowest first)"
python3 eng/test-report.py "$RESULTS" || true
for b in "${broken[@]}"; do say "FAILED: $b"; failed=$((failed + 1)); done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
