#!/usr/bin/env bash
# Benchmark for issue 16: how long `./build.sh Analyze --service shortlink` takes to reach a verdict with a 30 s window and a 5 s
# interval against a real Prometheus (Debian's 2.42, 1 s scrapes) and the real sample service under a bounded
# load, versus the window itself (the floor: a verdict cannot come before the window has passed). The overhead
# is split into the build's own start-up (`./build.sh --plan Analyze`, measured in the same run) and the rest.
# Then a second Analyze of the same deploy (a retried CI job): how long it takes to report "already judged" instead
# of measuring again, as a ratio of the first. The manifests repository is the repo's manifests/ with a digest pinned
# in staging (what Analyze judges), in a temporary bare repository; the repo's pipeline state is set aside for the run
# and put back on exit. The timed rounds pass --fresh, so each one measures.
#
#   bench/analysis.sh [--window 30s] [--interval 5s] [--rounds N]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WINDOW=30s
INTERVAL=5s
ROUNDS=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --window) WINDOW="$2"; shift 2 ;;
    --interval) INTERVAL="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
command -v prometheus >/dev/null || { echo "prometheus is not installed: bash .ci/prerequisites" >&2; exit 1; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/analysis-bench.XXXXXX")"
PIDS=()
STATE="$ROOT/artifacts/pipeline-state.json"
[[ -f "$STATE" ]] && mv "$STATE" "$WORK/pipeline-state.json.saved"
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true
  rm -f "$STATE"; [[ -f "$WORK/pipeline-state.json.saved" ]] && mv "$WORK/pipeline-state.json.saved" "$STATE"
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
seconds() { local t="$1"; case "$t" in *m) echo $(( ${t%m} * 60 )) ;; *s) echo "${t%s}" ;; *) echo "$t" ;; esac; }

# 1. The sample service, built and run as a process, and Prometheus scraping it every second.
dotnet build "$ROOT/samples/shortlink/src/Shortlink" -c Release -v q -nologo >/dev/null
SERVICE_PORT="$(free_port)"
Logging__LogLevel__Default=Warning dotnet "$ROOT/samples/shortlink/src/Shortlink/bin/Release/net10.0/Shortlink.dll" --urls "http://127.0.0.1:$SERVICE_PORT" >"$WORK/service.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$SERVICE_PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
PROM_PORT="$(free_port)"
cat > "$WORK/prometheus.yml" <<YAML
global: { scrape_interval: 1s, scrape_timeout: 1s }
scrape_configs:
  - job_name: bench
    static_configs:
      - targets: ["127.0.0.1:$SERVICE_PORT"]
        labels: { namespace: bench }
YAML
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/data" --web.listen-address="127.0.0.1:$PROM_PORT" --log.level=warn >"$WORK/prometheus.log" 2>&1 &
PIDS+=($!)

# 2. Bounded load: one link, followed 20 times a second for at most 10 minutes.
CODE="$(curl -fsS -H 'Content-Type: application/json' -d '{"url":"https://example.com/"}' "http://127.0.0.1:$SERVICE_PORT/links" | python3 -c 'import json,sys; print(json.load(sys.stdin)["code"])')"
( for _ in $(seq 1 12000); do curl -s -o /dev/null "http://127.0.0.1:$SERVICE_PORT/$CODE" & sleep 0.05; done; wait ) >/dev/null 2>&1 &
PIDS+=($!)
for _ in $(seq 1 200); do
  [[ "$(curl -fsS "http://127.0.0.1:$PROM_PORT/api/v1/query?query=up" 2>/dev/null | grep -c '"1"')" -ge 1 ]] && break; sleep 0.25
done
sleep 3

# 3. The shipped objectives with the window and interval under test (and a traffic floor the load meets).
sed -e "s/^window: .*/window: $WINDOW/" -e "s/^interval: .*/interval: $INTERVAL/" -e "s/^  requests: .*/  requests: 10/" \
  "$ROOT/manifests/apps/shortlink/objectives.yaml" > "$WORK/objectives.yaml"

# 4. A manifests repository whose staging overlay runs a pinned digest: the deploy Analyze judges (and records).
mkdir "$WORK/manifests-src"
cp -r "$ROOT/manifests/." "$WORK/manifests-src/"
sed -i 's/^    digest: ""/    digest: "sha256:5555555555555555555555555555555555555555555555555555555555555555"/' \
  "$WORK/manifests-src/apps/shortlink/overlays/staging/kustomization.yaml"
git -C "$WORK/manifests-src" init -q -b main
git -C "$WORK/manifests-src" -c user.name=bench -c user.email=bench@localhost add -A
git -C "$WORK/manifests-src" -c user.name=bench -c user.email=bench@localhost commit -qm "deploy(staging): shortlink pinned for the bench"
git clone -q --bare "$WORK/manifests-src" "$WORK/manifests.git"

# Baseline in the same run: the build's start-up and planning without running anything (after one untimed
# call, which compiles the build when it changed).
"$ROOT/build.sh" --plan Analyze --skip --prometheus-url "http://127.0.0.1:$PROM_PORT" >/dev/null
start=$(now_ms); "$ROOT/build.sh" --plan Analyze --skip --prometheus-url "http://127.0.0.1:$PROM_PORT" >/dev/null; startup=$(( $(now_ms) - start ))

window_ms=$(( $(seconds "$WINDOW") * 1000 ))
echo "window $WINDOW, interval $INTERVAL, Prometheus 127.0.0.1:$PROM_PORT, service 127.0.0.1:$SERVICE_PORT"
for round in $(seq 1 "$ROUNDS"); do
  start=$(now_ms)
  "$ROOT/build.sh" Analyze --skip --service shortlink --prometheus-url "http://127.0.0.1:$PROM_PORT" --objectives "$WORK/objectives.yaml" \
    --analysis-namespace bench --environment staging --manifests-repo "$WORK/manifests.git" --fresh >"$WORK/analyze-$round.log" 2>&1 \
    || { echo "Analyze failed:" >&2; tail -n 20 "$WORK/analyze-$round.log" >&2; exit 1; }
  took=$(( $(now_ms) - start ))
  first=$took
  overhead=$(( took - window_ms ))
  printf 'round %d: verdict in %d ms = %s x window; overhead %d ms (build start-up %d ms, rest %d ms)\n' "$round" "$took" \
    "$(python3 -c "print(f'{$took/$window_ms:.3f}')")" "$overhead" "$startup" $(( overhead - startup ))
done
grep -E "passed|Check [0-9]+/" "$WORK/analyze-$ROUNDS.log" | sed 's/^/  /' | tail -n 8

# 5. The retried job: the same Analyze again, without --fresh.
start=$(now_ms)
"$ROOT/build.sh" Analyze --skip --service shortlink --prometheus-url "http://127.0.0.1:$PROM_PORT" --objectives "$WORK/objectives.yaml" \
  --analysis-namespace bench --environment staging --manifests-repo "$WORK/manifests.git" >"$WORK/analyze-again.log" 2>&1 \
  || { echo "The second Analyze failed:" >&2; tail -n 20 "$WORK/analyze-again.log" >&2; exit 1; }
again=$(( $(now_ms) - start ))
grep -q "Already judged" "$WORK/analyze-again.log" || { echo "The second Analyze did not report 'already judged':" >&2; tail -n 20 "$WORK/analyze-again.log" >&2; exit 1; }
printf 'second Analyze of the same deploy: "already judged" in %d ms = %s x the first (%d ms); build start-up %d ms of it\n' "$again" \
  "$(python3 -c "print(f'{$again/$first:.3f}')")" "$first" "$startup"
grep -o "Already judged: [^:]*:[^:]*:[^:]*: [a-z]*" "$WORK/analyze-again.log" | head -n 1 | sed 's/^/  /' 
