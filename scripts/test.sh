#!/usr/bin/env bash
# Runs every test of the solution on a clean Debian 12 machine: installs system packages, restores, builds, tests.
# Prints one closing line: "tests: N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
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
