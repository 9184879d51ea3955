#!/usr/bin/env bash
# Benchmark for issue 14: a rerun with nothing changed.
#
#   bench/noop.sh [--test-filter EXPR | --all-tests]
#
# 1. cold: `./build.sh Deploy` with an empty target cache (.gitops/cache/targets and images/ removed), against the local
#    defaults (registry on 127.0.0.1:5000, the manifests repository in .gitops/manifests.git, the development
#    key) with a stand-in trivy that reports a clean image and a vulnerability DB good for a day;
# 2. no-op: the same command again with nothing changed. Goal: <= 3 s and >= 10x faster than cold.
# 3. one test file of the sample service changed: only Test runs again (the image does not read tests);
# 4. one source file of the sample service changed: Test and Containerize run again; Scan and Sign follow the
#    digest (the change appended here is a comment, which compiles to the same binary: same digest, so they stay cached).
# The changed files are restored at the end. Test runs the sample service's tests by default (Test dominates the
# cold time; the whole solution's tests make the ratio larger still): --all-tests runs all of them.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FILTER="FullyQualifiedName~Shortlink.Tests"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --test-filter) FILTER="$2"; shift 2 ;;
    --all-tests) FILTER=""; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

WORK="$(mktemp -d "${TMPDIR:-/tmp}/noop-bench.XXXXXX")"
TEST_FILE="$ROOT/samples/shortlink/tests/Shortlink.Tests/HealthTests.cs"
SOURCE_FILE="$ROOT/samples/shortlink/src/Shortlink/Program.cs"
cp "$TEST_FILE" "$WORK/test-file.orig"
cp "$SOURCE_FILE" "$WORK/source-file.orig"
restore() {
  cp "$WORK/test-file.orig" "$TEST_FILE"
  cp "$WORK/source-file.orig" "$SOURCE_FILE"
  rm -rf "$WORK"
}
trap restore EXIT

# The stand-in trivy: `version` names a DB updated an hour ago and due for renewal in a day; `image` writes a
# clean report where --output says; `convert` writes an empty CycloneDX SBOM.
cat > "$WORK/trivy" <<SCRIPT
#!/bin/sh
output=""; previous=""
for argument in "\$@"; do
  if [ "\$previous" = "--output" ]; then output="\$argument"; fi
  previous="\$argument"
done
case "\$1" in
  version) printf '{"Version":"0.74.0","VulnerabilityDB":{"Version":2,"UpdatedAt":"$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)","NextUpdate":"$(date -u -d '+1 day' +%Y-%m-%dT%H:%M:%SZ)"}}\n' ;;
  image) printf '{"SchemaVersion":2,"ArtifactType":"container_image","Results":[]}\n' > "\$output" ;;
  convert) printf '{"bomFormat":"CycloneDX","specVersion":"1.6"}\n' > "\$output" ;;
  *) echo "stand-in trivy: unknown command \$1" >&2; exit 2 ;;
esac
SCRIPT
chmod +x "$WORK/trivy"

ARGS=(Deploy --trivy-path "$WORK/trivy")
[[ -n "$FILTER" ]] && ARGS+=(--test-filter "$FILTER")

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
# Runs the build, keeps its log, prints the milliseconds it took; a failed build stops the benchmark.
timed() {
  local log="$1"; shift
  local start; start="$(now_ms)"
  if ! "$ROOT/build.sh" "$@" >"$log" 2>&1; then
    echo "./build.sh $* failed; its log:" >&2; tail -n 40 "$log" >&2; exit 1
  fi
  echo $(( $(now_ms) - start ))
}
# The summary's rows: which targets ran, and why the others were skipped.
rows() { grep -E '^\s*(Test|Containerize|Scan|Sign|Deploy)\s\s+(succeeded|skipped|failed)' "$1" | sed 's/^/    /'; }
seconds() { awk -v ms="$1" 'BEGIN { printf "%.2f s", ms / 1000 }'; }

echo "Compiling the build (untimed)..."
"$ROOT/build.sh" --help >/dev/null
# The floor: starting the build and planning, no target run (what any rerun pays before its first target).
floor="$(timed "$WORK/plan.log" "${ARGS[@]}" --plan)"

rm -rf "$ROOT/.gitops/cache/targets" "$ROOT/.gitops/cache/images"
cold="$(timed "$WORK/cold.log" "${ARGS[@]}")"
warm="$(timed "$WORK/warm.log" "${ARGS[@]}")"
ratio="$(awk -v c="$cold" -v w="$warm" 'BEGIN { printf "%.1f", c / w }')"

echo
echo "== ./build.sh ${ARGS[*]} (test filter: ${FILTER:-none, all tests})"
echo "cold (empty target cache):  $(seconds "$cold")"
rows "$WORK/cold.log"
echo "rerun, nothing changed:     $(seconds "$warm")"
rows "$WORK/warm.log"
echo "ratio cold / rerun:         ${ratio}x   (goal: rerun <= 3 s and >= 10x)"
echo "start-up floor (--plan):    $(seconds "$floor");  load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) core(s)"
verdict="met"
awk -v w="$warm" -v r="$ratio" 'BEGIN { exit !(w <= 3000 && r >= 10) }' || verdict="NOT met"
echo "goal $verdict"

printf '\n// bench/noop.sh: a changed test\n' >> "$TEST_FILE"
changed_test="$(timed "$WORK/test.log" "${ARGS[@]}")"
echo
echo "== one test file of the sample service changed ($(basename "$TEST_FILE")): $(seconds "$changed_test")"
rows "$WORK/test.log"
grep -E '(Test|Containerize|Scan|Sign) runs: ' "$WORK/test.log" | sed 's/^/    /' || true

printf '\n// bench/noop.sh: a changed source\n' >> "$SOURCE_FILE"
changed_source="$(timed "$WORK/source.log" "${ARGS[@]}")"
echo
echo "== one source file of the sample service changed ($(basename "$SOURCE_FILE")): $(seconds "$changed_source")"
rows "$WORK/source.log"
grep -E '(Test|Containerize|Scan|Sign) runs: ' "$WORK/source.log" | sed 's/^/    /' || true
