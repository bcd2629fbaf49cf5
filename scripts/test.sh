#!/usr/bin/env bash
# Runs every test of the solution on a clean Debian 12 machine: installs system packages, restores, builds, tests.
# Prints one closing line: "tests: N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
# The job-store tests run against a real, throwaway PostgreSQL (stopped on exit); without it they are skipped.
if [ -z "${PAINSERVICE_TEST_POSTGRES:-}" ]; then
  pgdir=$(mktemp -d /tmp/painservice-pg.XXXXXX)
  trap 'scripts/postgres-throwaway.sh stop "$pgdir"; rm -rf "$pgdir"' EXIT
  if PAINSERVICE_TEST_POSTGRES=$(scripts/postgres-throwaway.sh start "$pgdir"); then
    export PAINSERVICE_TEST_POSTGRES
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
# Sum the per-assembly summaries ("Passed!  - Failed: 0, Passed: 12, Skipped: 0, ...").
sed -nE 's/.*(Passed|Failed)! +- Failed: +([0-9]+), Passed: +([0-9]+), Skipped: +([0-9]+).*/\2 \3 \4/p' "$log" |
  awk -v rc="$rc" '{f+=$1; p+=$2; s+=$3} END {printf "tests: %d passed, %d failed, %d skipped\n", p, f, s; if (p == 0 && rc == 0) exit 1}'
rm -f "$log"
exit "$rc"
