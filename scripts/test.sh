#!/usr/bin/env bash
# Runs every test of the solution on a clean Debian 12 machine: installs system packages, restores, builds, tests.
# Prints one closing line: "tests: N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
# One malloc arena from the first thread on, as the service is launched (Dockerfile, scripts/run.sh): the memory
# tests measure the service's own settings (see NativeMemoryTuning).
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-1}"
# The job-store tests run against a real, throwaway PostgreSQL (stopped on exit); without it they are skipped.
if [ -z "${PAINSERVICE_TEST_POSTGRES:-}" ]; then
  pgdir=$(mktemp -d /tmp/painservice-pg.XXXXXX)
  trap 'scripts/postgres-throwaway.sh stop "$pgdir"; rm -rf "$pgdir"' EXIT
  if PAINSERVICE_TEST_POSTGRES=$(scripts/postgres-throwaway.sh start "$pgdir"); then
    export PAINSERVICE_TEST_POSTGRES
  elif [ "${CI:-}" = "true" ]; then
    # In CI a skipped PostgreSQL suite would hide a broken job store: fail instead.
    echo "test.sh: could not start PostgreSQL (required in CI)" >&2
    exit 1
  else
    echo "test.sh: could not start PostgreSQL; the PostgreSQL job-store tests will be skipped" >&2
    unset PAINSERVICE_TEST_POSTGRES
  fi
fi
log=$(mktemp)
set +e
dotnet test PainService.sln -c Release --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e
# Name every failed test again just above the closing line, so the tail of a long CI log says which one broke.
grep -E '^ +Failed [A-Za-z_][A-Za-z0-9_.]+' "$log" | sed -E 's/^ +Failed /failed test: /' | sort -u || true
# Sum the per-assembly summaries that dotnet test prints at normal verbosity:
#   "Total tests: 91" / "     Passed: 90" / "     Failed: 1" / "    Skipped: 0" / " Total time: ..."
awk -v rc="$rc" '
  /^Total tests: [0-9]+/ { inblock = 1; next }
  inblock && /^ +Passed: +[0-9]+/  { p += $2; next }
  inblock && /^ +Failed: +[0-9]+/  { f += $2; next }
  inblock && /^ +Skipped: +[0-9]+/ { s += $2; next }
  inblock && /Total time:/ { inblock = 0 }
  END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s; if (p == 0 && rc == 0) exit 1 }' "$log"
rm -f "$log"
exit "$rc"
