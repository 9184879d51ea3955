#!/usr/bin/env bash
# Resilience benchmark (issue 18), in one run, on loopback only:
#  1. The chain Containerize -> Sign -> Verify -> Deploy (./build.sh, one target each) against a fault-injecting proxy
#     (bench/faultproxy) in front of a real registry (Debian's docker-registry), in three modes: 503 on every third
#     request, a reset connection on every third request, one request in three at random (fixed seed); RUNS runs
#     each, plus the same chain through the proxy without faults as the baseline. Prints successes per mode, the
#     median time per run against the baseline, and whether the digest the registry holds equals the reported one.
#  2. Interrupts: Deploy (a bare manifests repository whose post-receive hook sleeps) stopped with SIGTERM or SIGKILL
#     at a random point, INTERRUPTS times each. Prints how many SIGTERM runs reported a state that matches the
#     manifests repository, and the temporary clones (gitops-*) left after each killed run and after the next run.
# Each run builds a tiny FROM-scratch image with fresh random content, so every push uploads its blobs.
# Usage: bench/chaos.sh [RUNS] [INTERRUPTS]   (defaults 10 and 20; e.g. bench/chaos.sh 2 4 for a quick look)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"   # the build takes the current directory as the repository (issue 15, item 5)
RUNS="${1:-10}"
INTERRUPTS="${2:-20}"
REGISTRY_PORT="${CHAOS_REGISTRY_PORT:-5392}"
PROXY_PORT="${CHAOS_PROXY_PORT:-5393}"
REGISTRY="127.0.0.1:$REGISTRY_PORT"
PROXY="127.0.0.1:$PROXY_PORT"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/chaos-bench.XXXXXX")"
REGISTRY_PID=""
PROXY_PID=""
export DOCKER_BUILDKIT=0
# The runs' temporary clones go here, so that leftovers are counted exactly.
export TMPDIR="$WORK/tmp"
mkdir -p "$TMPDIR"

cleanup() {
  [[ -n "$PROXY_PID" ]] && kill "$PROXY_PID" 2>/dev/null || true
  [[ -n "$REGISTRY_PID" ]] && kill "$REGISTRY_PID" 2>/dev/null || true
  docker images --format '{{.Repository}}:{{.Tag}}' | grep -E "^($PROXY|$REGISTRY)/chaos-" | xargs -r docker rmi -f >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print 0; else if (NR % 2) print v[(NR + 1) / 2]; else print int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
build() { "$ROOT/build.sh" "$@"; }

start_registry() {
  printf 'version: 0.1\nlog: {level: warn}\nstorage: {filesystem: {rootdirectory: %s}, delete: {enabled: true}}\nhttp: {addr: %s}\n' "$WORK/registry" "$REGISTRY" > "$WORK/registry.yml"
  docker-registry serve "$WORK/registry.yml" >"$WORK/registry.log" 2>&1 &
  REGISTRY_PID=$!
  for _ in $(seq 100); do curl -fs "http://$REGISTRY/v2/" >/dev/null 2>&1 && return; sleep 0.1; done
  echo "the registry did not start: $(tail -3 "$WORK/registry.log")" >&2; exit 1
}

start_proxy() {   # $1: fault mode
  [[ -n "$PROXY_PID" ]] && { kill "$PROXY_PID" 2>/dev/null || true; wait "$PROXY_PID" 2>/dev/null || true; }
  "$WORK/faultproxy/faultproxy" "$PROXY_PORT" "http://$REGISTRY/" "$1" >"$WORK/proxy-$1.log" 2>&1 &
  PROXY_PID=$!
  for _ in $(seq 100); do grep -q listening "$WORK/proxy-$1.log" 2>/dev/null && return; sleep 0.1; done
  echo "the fault proxy did not start: $(tail -3 "$WORK/proxy-$1.log")" >&2; exit 1
}

# A bare manifests repository seeded from manifests/.
seed_manifests() {   # $1: bare path
  git init -q --bare -b main "$1"
  local seed="$WORK/seed-$RANDOM$RANDOM"
  git clone -q "$1" "$seed" 2>/dev/null
  cp -r "$ROOT/manifests/." "$seed/"
  git -C "$seed" add -A
  git -C "$seed" -c user.name=bench -c user.email=bench@bench.local commit -q -m seed
  git -C "$seed" push -q origin HEAD:main
  rm -rf "$seed"
}

state_output() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("outputs", {}).get(sys.argv[2], ""))' "$ROOT/artifacts/pipeline-state.json" "$1" 2>/dev/null || true; }
# The build has two services (shortlink, linkcheck): every target of the chain runs for shortlink alone, whose image is
# recorded under image:shortlink (image: alone in a one-service build).
SERVICE=shortlink
state_digest() { python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); r=s.get("records",s); i=r.get("image:"+sys.argv[2]) or r.get("image") or {}; print((i.get("Digest") or i.get("digest") or ""))' "$ROOT/artifacts/pipeline-state.json" "$SERVICE" 2>/dev/null || true; }
registry_digest() {   # $1 name, $2 tag: what the registry itself holds (straight, not through the proxy)
  curl -fsSI -H 'Accept: application/vnd.oci.image.manifest.v1+json' -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
    "http://$REGISTRY/v2/$1/manifests/$2" | tr -d '\r' | awk -F': ' 'tolower($1) == "docker-content-digest" { print $2 }'
}

# One chain; prints "<ok 0|1> <ms> <digest match 0|1|->".
chain() {   # $1 mode slug, $2 run number, $3 manifests repository
  local name="chaos-$1-$2" ctx="$WORK/ctx-$1-$2" log="$WORK/chain-$1-$2.log" start ok=1 match=-
  mkdir -p "$ctx"
  head -c 2000000 /dev/urandom > "$ctx/data.bin"; head -c 1000 /dev/urandom > "$ctx/small.bin"
  printf 'FROM scratch\nCOPY data.bin /data.bin\nCOPY small.bin /small.bin\n' > "$ctx/Dockerfile"
  start=$(now_ms)
  {
    build Containerize --skip --service "$SERVICE" --registry "$PROXY" --image-name "$name" --context "$ctx" --dockerfile "$ctx/Dockerfile" --publish-project= &&
    build Sign --skip --service "$SERVICE" &&
    build Verify --service "$SERVICE" &&
    build Deploy --skip --service "$SERVICE" --manifests-repo "$3" --require-scan false
  } >"$log" 2>&1 || ok=0
  local elapsed=$(( $(now_ms) - start ))
  if [[ $ok == 1 ]]; then
    local reported tag held
    reported="$(state_digest)"
    tag="$(git -C "$ROOT" rev-parse HEAD | cut -c1-12)"
    held="$(registry_digest "$name" "$tag")"
    [[ -n "$reported" && "$reported" == "$held" ]] && match=1 || match=0
  else
    echo "  $1 run $2 failed: $(grep -iE 'fail|error|refused|gave up' "$log" | tail -2 | tr '\n' ' ' | cut -c1-300)" >&2
  fi
  rm -rf "$ctx"
  echo "$ok $elapsed $match"
}

echo "Building the fault proxy..."
dotnet build "$ROOT/bench/faultproxy" -c Release -v q -nologo -o "$WORK/faultproxy" >"$WORK/proxy-build.log" 2>&1 || { tail -20 "$WORK/proxy-build.log" >&2; exit 1; }
start_registry
build --help >/dev/null   # compiles the build once, outside the timings

echo
echo "== Chain Containerize -> Sign -> Verify -> Deploy through the fault proxy ($RUNS runs per mode) =="
printf '%-16s %10s %12s %8s %14s\n' mode successes median_ms ratio digest_match
BASE_MEDIAN=0
for mode in none 503:3 reset:3 random:3:1806; do
  slug="${mode//:/-}"
  start_proxy "$mode"
  seed_manifests "$WORK/manifests-$slug.git"
  times=(); successes=0; matches=0
  for ((i = 1; i <= RUNS; i++)); do
    read -r ok ms match < <(chain "$slug" "$i" "$WORK/manifests-$slug.git")
    times+=("$ms")
    [[ $ok == 1 ]] && successes=$((successes + 1))
    [[ $match == 1 ]] && matches=$((matches + 1))
  done
  med="$(printf '%s\n' "${times[@]}" | median)"
  [[ $mode == none ]] && BASE_MEDIAN=$med
  ratio="$(awk -v m="$med" -v b="$BASE_MEDIAN" 'BEGIN { printf "%.2f", (b > 0 ? m / b : 0) }')"
  kill "$PROXY_PID" 2>/dev/null || true; wait "$PROXY_PID" 2>/dev/null || true; PROXY_PID=""
  faults="$(grep -o 'faults [0-9]*' "$WORK/proxy-$mode.log" | tail -1 | cut -d' ' -f2)"
  requests="$(grep -o 'requests [0-9]*' "$WORK/proxy-$mode.log" | tail -1 | cut -d' ' -f2)"
  printf '%-16s %7s/%-3s %12s %8s %10s/%-3s  (%s faults in %s requests)\n' "$mode" "$successes" "$RUNS" "$med" "$ratio" "$matches" "$successes" "${faults:-?}" "${requests:-?}"
done
echo "ratio = median time per run / median without faults (goal: every run succeeds, ratio <= 3, every digest matches)"

echo
echo "== Deploy interrupted with SIGTERM and SIGKILL at a random point ($INTERRUPTS each; post-receive hook sleeps 2 s) =="
BARE="$WORK/manifests-interrupt.git"
seed_manifests "$BARE"
printf '#!/bin/sh\nsleep 2\n' > "$BARE/hooks/post-receive"; chmod +x "$BARE/hooks/post-receive"
# Two signed images straight on the registry; each Deploy sets the one the repository does not hold.
start_proxy none
IMAGES=()
for n in a b; do
  read -r ok _ _ < <(chain "img" "$n" "$WORK/manifests-none.git")
  [[ $ok == 1 ]] || { echo "could not prepare a signed image" >&2; exit 1; }
  IMAGES+=("$PROXY/chaos-img-$n@$(state_digest)")
done
deployed_digest() { git --git-dir "$BARE" show main:apps/shortlink/overlays/dev/kustomization.yaml 2>/dev/null | grep -oE 'sha256:[0-9a-f]{64}' | head -1; }
next_image() { local current; current="$(deployed_digest)"; [[ "${IMAGES[0]}" == *"$current" ]] && echo "${IMAGES[1]}" || echo "${IMAGES[0]}"; }
deploy_cmd() { build Deploy --skip --service shortlink --image "$1" --manifests-repo "$BARE" --require-scan false; }

truthful=0; term_runs=0; left_after_kill=0; left_after_next=0; kill_runs=0
outcomes=""
for signal in TERM KILL; do
  for ((i = 1; i <= INTERRUPTS; i++)); do
    before="$(git --git-dir "$BARE" rev-parse main)"
    published_before="$(state_output DEPLOY_COMMIT)"
    image="$(next_image)"
    log="$WORK/interrupt-$signal-$i.log"
    setsid "$ROOT/build.sh" Deploy --skip --service shortlink --image "$image" --manifests-repo "$BARE" --require-scan false >"$log" 2>&1 &
    pid=$!
    sleep "$(awk -v r="$RANDOM" 'BEGIN { printf "%.2f", 0.3 + (r % 3500) / 1000 }')"
    if [[ $signal == TERM ]]; then kill -TERM "$pid" 2>/dev/null || true; else kill -KILL -- "-$pid" 2>/dev/null || true; fi
    set +e; wait "$pid" 2>/dev/null; code=$?; set -e
    after="$(git --git-dir "$BARE" rev-parse main)"
    if [[ $signal == TERM ]]; then
      term_runs=$((term_runs + 1))
      claimed="$(grep -oE '(deployed at|deployed to dev at|already deployed at) [0-9a-f]{40}' "$log" | tail -1 | grep -oE '[0-9a-f]{40}' || true)"
      published="$(state_output DEPLOY_COMMIT)"
      # Truthful: exit 0 names the commit main holds and publishes it as DEPLOY_COMMIT; a failure leaves main
      # and DEPLOY_COMMIT as they were.
      if [[ $code == 0 && -n "$claimed" && "$claimed" == "$after" && "$published" == "$after" ]]; then
        truthful=$((truthful + 1))
        if grep -q 'interrupted after the push' "$log"; then outcomes+=" deployed-after-interrupt"; else outcomes+=" finished-before-the-signal"; fi
      elif [[ $code != 0 && "$after" == "$before" && "$published" == "$published_before" ]]; then
        truthful=$((truthful + 1))
        if grep -q 'not deployed: the manifests repository is unchanged' "$log"; then outcomes+=" not-deployed"; else outcomes+=" cancelled-before-deploy"; fi
      else outcomes+=" MISMATCH"; echo "  SIGTERM run $i: exit $code, claimed '${claimed}' published '${published}', main $before -> $after: $(tail -3 "$log" | tr '\n' ' ')" >&2
      fi
    else
      kill_runs=$((kill_runs + 1))
      left_after_kill=$((left_after_kill + $(find "$TMPDIR" -maxdepth 1 -name 'gitops-*' | wc -l)))
      # The next run (a normal Deploy) must remove what the killed one left.
      deploy_cmd "$(next_image)" >"$WORK/next-$i.log" 2>&1 || true
      left_after_next=$((left_after_next + $(find "$TMPDIR" -maxdepth 1 -name 'gitops-*' | wc -l)))
    fi
  done
done
printf 'SIGTERM: %d of %d runs reported a state that matches the manifests repository (%s)\n' "$truthful" "$term_runs" "$(echo "$outcomes" | tr ' ' '\n' | grep -v '^$' | sort | uniq -c | awk '{ printf "%s%s %s", (NR > 1 ? ", " : ""), $1, $2 }')"
printf 'SIGKILL: %d runs; temporary clones left right after the kills: %d in total; left after the next run: %d\n' "$kill_runs" "$left_after_kill" "$left_after_next"
printf 'temporary folders (gitops-*) left at the end: %d\n' "$(find "$TMPDIR" -maxdepth 1 -name 'gitops-*' | wc -l)"
