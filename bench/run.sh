#!/usr/bin/env bash
# Runs every benchmark once and rewrites bench/RESULTS.md (on demand; not part of CI). Takes ~10 minutes on 2 cores.
#   bench/run.sh                       # everything
#   bench/run.sh --only model,haar     # parts: model, layout, haar, pipeline, service
# Build output goes to $BENCH_ARTIFACTS (default bench/out/artifacts, git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
export OMP_WAIT_POLICY=PASSIVE
art="${BENCH_ARTIFACTS:-$PWD/bench/out/artifacts}"
dotnet build src/PainService.Api/PainService.Api.csproj -c Release --artifacts-path "$art" -v quiet -nologo
dotnet build bench/PainService.Bench/PainService.Bench.csproj -c Release --artifacts-path "$art" -v quiet -nologo
api=$(find "$art/bin/PainService.Api" -name PainService.Api.dll -path '*release*' | head -1)
bench=$(find "$art/bin/PainService.Bench" -name PainService.Bench.dll -path '*release*' | head -1)
commit=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src bench || echo "+local")
exec dotnet "$bench" --repo "$PWD" --api "$api" --commit "$commit" "$@"
