#!/usr/bin/env bash
# Warm start of the build: `./build.sh --help` once compiled, against two baselines measured in the
# same run: a bare `dotnet Build.dll --help` (the floor) and `dotnet run` with nothing to rebuild
# (what a bootstrap without the content-hash fast path would cost). Prints medians and ratios.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROUNDS="${ROUNDS:-15}"
cd "$ROOT"

./build.sh --help >/dev/null            # compile once, so every measured run is warm
DLL="$ROOT/.build/bin/Build.dll"

median_ms() {
  local -a samples=()
  for _ in $(seq 1 "$ROUNDS"); do
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s%N)
    samples+=($(( (end - start) / 1000 )))
  done
  printf '%s\n' "${samples[@]}" | sort -n | awk '{a[NR]=$1} END {m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%.1f", m / 1000}'
}

build_sh=$(median_ms ./build.sh --help)
bare=$(median_ms dotnet "$DLL" --help)
# Every SDK command (dotnet run, build, test) leaves two empty folders in the temp directory (dotnet/sdk#35353):
# the baseline's runs get a temp directory of their own, removed on exit, and no MSBuild node that outlives it.
SDK_TMP="$(mktemp -d "${TMPDIR:-/tmp}/startup-bench.XXXXXX")"
trap 'rm -rf "$SDK_TMP"' EXIT
dotnet_run=$(TMPDIR="$SDK_TMP" MSBUILDDISABLENODEREUSE=1 median_ms dotnet run --project build/Build.csproj --configuration Release --no-restore -- --help)

printf 'rounds: %s\n' "$ROUNDS"
printf '%-40s %8s ms\n' "./build.sh --help (warm)" "$build_sh" "dotnet Build.dll --help (floor)" "$bare" "dotnet run -- --help (no rebuild)" "$dotnet_run"
awk -v a="$build_sh" -v b="$bare" -v c="$dotnet_run" 'BEGIN {
  printf "ratio build.sh / bare dll:   %.2f\n", a / b
  printf "ratio build.sh / dotnet run: %.3f\n", a / c
  printf "target: warm ./build.sh --help <= 300 ms: %s\n", (a <= 300 ? "met" : "NOT met")
}'
