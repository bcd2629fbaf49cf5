#!/usr/bin/env bash
# Sets up the machine and runs the API on its embedded default (untrained reference) model.
# Extra arguments go to the service, e.g.: scripts/run.sh --urls http://127.0.0.1:5080
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
# libtorch's OpenMP threads spin while waiting by default, which starves other work on small machines.
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
# One malloc arena from the first thread on, as in the container image (see NativeMemoryTuning).
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-1}"
exec dotnet run --project src/PainService.Api -c Release -- "$@"
