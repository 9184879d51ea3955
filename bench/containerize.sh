#!/usr/bin/env bash
# Containerize with the toolkit (./build.sh Containerize --skip: publish + build + push through the Docker
# Engine API) against the docker CLI doing the same job (dotnet publish + docker build + docker push), in
# one run, on the same daemon, with the same Dockerfile, context, base, tags and labels.
#   cold: empty registry and none of the image's build cache (its images removed, builder cache pruned)
#   warm: the same again with no change (the toolkit skips an unchanged publish by content hash; the CLI
#         baseline republishes, as a plain script does)
# Prints the median of each and the ratio toolkit/CLI, and the bytes each put into the registry (the sum of the stored
# blobs: layers as pushed, config, manifests) with their ratio. Usage: bench/containerize.sh [rounds]   (default 3)
# BENCH_THROTTLE_MBPS=20 puts both behind bench/faultproxy limited to that many MB/s, shared by every connection in
# both directions (a WAN push from a CI runner to a cloud registry, where the bytes pushed decide the time).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROUNDS="${1:-3}"
PORT="${BENCH_REGISTRY_PORT:-5391}"
THROTTLE="${BENCH_THROTTLE_MBPS:-}"
STORE="127.0.0.1:$PORT"                                       # the registry itself
REGISTRY="$STORE"                                             # where both push: the registry, or the throttled link to it
[ -n "$THROTTLE" ] && REGISTRY="127.0.0.1:$((PORT + 1))"
REPO="$REGISTRY/shortlink-bench"
BASE="pipelines.local/runtime-deps:host-glibc"
WORK="$(mktemp -d)"
REGISTRY_PID=""
PROXY_PID=""
export DOCKER_BUILDKIT=0   # the classic builder, the one the toolkit drives through the API

cleanup() {
  [ -n "$REGISTRY_PID" ] && kill "$REGISTRY_PID" 2>/dev/null || true
  [ -n "$PROXY_PID" ] && kill "$PROXY_PID" 2>/dev/null || true
  remove_images
  rm -rf "$WORK"
}
trap cleanup EXIT

remove_images() {
  docker images --format '{{.Repository}}:{{.Tag}}' | grep -F "$REPO:" | xargs -r docker rmi -f >/dev/null 2>&1 || true
}

start_registry() {   # a fresh, empty registry
  [ -n "$REGISTRY_PID" ] && { kill "$REGISTRY_PID" 2>/dev/null || true; wait "$REGISTRY_PID" 2>/dev/null || true; }
  rm -rf "$WORK/storage"; mkdir -p "$WORK/storage"
  cat > "$WORK/registry.yml" <<YAML
version: 0.1
log: {level: warn}
storage: {filesystem: {rootdirectory: $WORK/storage}}
http: {addr: $STORE}
YAML
  /usr/bin/docker-registry serve "$WORK/registry.yml" >"$WORK/registry.log" 2>&1 &
  REGISTRY_PID=$!
  for _ in $(seq 100); do curl -fs "http://$STORE/v2/" >/dev/null 2>&1 && return; sleep 0.1; done
  echo "registry did not start: $(tail -3 "$WORK/registry.log")" >&2; exit 1
}

start_link() {   # the throttled link in front of the registry (it outlives registry restarts)
  dotnet build "$ROOT/bench/faultproxy" -c Release -v q -nologo -o "$WORK/faultproxy" >"$WORK/proxy-build.log" 2>&1 \
    || { tail -20 "$WORK/proxy-build.log" >&2; exit 1; }
  "$WORK/faultproxy/faultproxy" "$((PORT + 1))" "http://$STORE/" none "$THROTTLE" >"$WORK/proxy.log" 2>&1 &
  PROXY_PID=$!
  for _ in $(seq 100); do grep -q listening "$WORK/proxy.log" 2>/dev/null && return; sleep 0.1; done
  echo "faultproxy did not start: $(tail -3 "$WORK/proxy.log")" >&2; exit 1
}

cold_reset() {
  remove_images
  rm -f "$ROOT/samples/shortlink/publish.inputs"   # the toolkit's publish cache: cold means it publishes too
  docker builder prune -af >/dev/null 2>&1 || true
  start_registry
}

now() { date +%s.%N; }

# What the registry stores: every blob's data file (layers as pushed, the config, the manifest).
stored_bytes() { find "$WORK/storage" -path '*/blobs/*' -name data -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }'; }

# The same tags and labels the toolkit derives from git.
COMMIT="$(git -C "$ROOT" rev-parse HEAD)"
SHORT="${COMMIT:0:12}"
BRANCH="$(git -C "$ROOT" symbolic-ref --short -q HEAD | tr 'A-Z' 'a-z' | sed 's/[^a-z0-9_.-]/-/g; s/^[.-]*//')"
CREATED="$(date -u -d "@$(git -C "$ROOT" log -1 --format=%ct)" +%Y-%m-%dT%H:%M:%SZ)"
SOURCE="$(git -C "$ROOT" config --get remote.origin.url || true)"
LABELS=(--label "org.opencontainers.image.created=$CREATED" --label "org.opencontainers.image.revision=$COMMIT"
        --label "org.opencontainers.image.title=shortlink-bench" --label "org.opencontainers.image.version=$SHORT")
[ -n "$SOURCE" ] && LABELS+=(--label "org.opencontainers.image.source=$SOURCE")
TAGS=(-t "$REPO:$SHORT"); [ -n "$BRANCH" ] && TAGS+=(-t "$REPO:$BRANCH")

toolkit() {
  "$ROOT/build.sh" Containerize --skip --service shortlink --registry "$REGISTRY" --image-name shortlink-bench --base-image "$BASE" >"$WORK/toolkit.log" 2>&1 \
    || { tail -20 "$WORK/toolkit.log" >&2; exit 1; }
}

cli() {
  {
    rm -rf "$ROOT/samples/shortlink/publish"
    dotnet publish "$ROOT/samples/shortlink/src/Shortlink" -c Release -r linux-x64 --self-contained \
      -o "$ROOT/samples/shortlink/publish" -nologo -p:DebugType=None
    docker build -f "$ROOT/samples/shortlink/Dockerfile" --build-arg "BASE_IMAGE=$BASE" "${LABELS[@]}" "${TAGS[@]}" "$ROOT/samples/shortlink"
    docker push --all-tags "$REPO"
  } >"$WORK/cli.log" 2>&1 || { tail -20 "$WORK/cli.log" >&2; exit 1; }
}

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# Untimed preparation: the build project compiled, the local base assembled, the NuGet cache warm.
echo "preparing (compile the build, assemble the base, warm NuGet)..." >&2
[ -n "$THROTTLE" ] && start_link
start_registry
toolkit
remove_images

declare -a TC TW CC CW
TB=0; CB=0
for round in $(seq "$ROUNDS"); do
  # Alternate who goes first, so neither always meets a colder page cache.
  for who in $( [ $((round % 2)) -eq 1 ] && echo "toolkit cli" || echo "cli toolkit" ); do
    cold_reset
    t0=$(now); $who; t1=$(now); $who; t2=$(now)
    cold=$(echo "$t1 - $t0" | bc); warm=$(echo "$t2 - $t1" | bc)
    bytes=$(stored_bytes)
    if [ "$who" = toolkit ]; then TC+=("$cold"); TW+=("$warm"); TB=$bytes; else CC+=("$cold"); CW+=("$warm"); CB=$bytes; fi
    printf 'round %d %-7s cold %6.2fs  warm %6.2fs  stored %s bytes\n' "$round" "$who" "$cold" "$warm" "$bytes" >&2
  done
done

tc=$(median "${TC[@]}"); tw=$(median "${TW[@]}"); cc=$(median "${CC[@]}"); cw=$(median "${CW[@]}")
printf '\n%-6s %12s %12s %16s\n' "" "toolkit (s)" "docker CLI (s)" "ratio toolkit/CLI"
printf '%-6s %12.2f %12.2f %16.3f\n' cold "$tc" "$cc" "$(echo "$tc / $cc" | bc -l)"
printf '%-6s %12.2f %12.2f %16.3f\n' warm "$tw" "$cw" "$(echo "$tw / $cw" | bc -l)"
printf '%-6s %12.1f %12.1f %16.3f\n' MB "$(echo "$TB / 1000000" | bc -l)" "$(echo "$CB / 1000000" | bc -l)" "$(echo "$TB / $CB" | bc -l)"
echo "(median of $ROUNDS rounds; each includes dotnet publish, build and push of 2 tags${THROTTLE:+, through a $THROTTLE MB/s link}; MB: what the registry stores after"
echo " the last round's cold and warm push, layers as the toolkit's --layer-compression default and docker push send them)"
