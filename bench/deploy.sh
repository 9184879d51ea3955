#!/usr/bin/env bash
# Benchmark for issue 7 §9: one Deploy against a baseline of full `git clone` + `sed` + commit + push, on a
# manifests repository with many apps and a long history, at several history lengths.
#
#   bench/deploy.sh [--apps N] [--commits "500 5000"] [--rounds N] [--git-only]
#
# The Deploy side runs `./build.sh Deploy --skip --image <repo>:<tag>@<digest> --manifests-repo <bare> …` for a
# real image: before each (untimed) round a tiny image is built FROM scratch, pushed to a registry on
# $BENCH_REGISTRY (Debian's docker-registry, started when nothing answers) and signed with `./build.sh Sign`, so
# Deploy's signature check is real (the scan check is off: --require-scan false). DEPLOY_ARGS adds arguments;
# DEPLOY_CMD replaces the whole command; it sees $IMAGE, $MANIFESTS_REPO, $MANIFESTS_PATH, $APP.
# --git-only times the git steps the toolkit performs instead (shallow, blob-less, sparse clone; in-place edit;
# commit; push): the floor a Deploy can reach, without .NET start-up or policy checks.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
APPS=2000
COMMITS="500 5000"
ROUNDS=5
GIT_ONLY=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --apps) APPS="$2"; shift 2 ;;
    --commits) COMMITS="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --git-only) GIT_ONLY=1; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

WORK="$(mktemp -d "${TMPDIR:-/tmp}/deploy-bench.XXXXXX")"
REGISTRY_PID=""
trap '[[ -n "$REGISTRY_PID" ]] && kill "$REGISTRY_PID" 2>/dev/null; rm -rf "$WORK"' EXIT
BENCH_REGISTRY="${BENCH_REGISTRY:-127.0.0.1:5055}"

# A registry for the signed images (the signature check reads it), unless one already answers.
start_registry() {
  curl -fsS "http://$BENCH_REGISTRY/v2/" >/dev/null 2>&1 && return
  printf 'version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: %s\n' "$WORK/registry" "$BENCH_REGISTRY" > "$WORK/registry.yml"
  docker-registry serve "$WORK/registry.yml" >"$WORK/registry.log" 2>&1 &
  REGISTRY_PID=$!
  for _ in $(seq 1 50); do curl -fsS "http://$BENCH_REGISTRY/v2/" >/dev/null 2>&1 && return; sleep 0.1; done
  echo "the registry on $BENCH_REGISTRY did not start: $(tail -n 5 "$WORK/registry.log")" >&2; exit 1
}

# Runs a step with its output in a log; when it fails, says which step of which round failed and why, and stops.
logged() {
  local what="$1"; shift
  local log="$WORK/step.log"
  local code=0
  "$@" >"$log" 2>&1 || code=$?
  if [[ $code != 0 ]]; then
    { echo "round ${n:-?} ($what) failed with exit code $code:"; tail -n 30 "$log"; } >&2
    exit 1
  fi
}

# Untimed: a tiny image for $1 with content $2, pushed and signed; prints <repo>:1.1.0@<digest>.
prepare_image() {
  local app="$1" n="$2" dir="$WORK/image-$2" repo="$BENCH_REGISTRY/$1"
  mkdir -p "$dir" && echo "$n" > "$dir/round" && printf 'FROM scratch\nCOPY round /round\n' > "$dir/Dockerfile"
  logged "docker build" docker build -q -t "$repo:1.1.0" "$dir"
  logged "docker push" docker push -q "$repo:1.1.0"
  local digest; digest="$(docker inspect --format '{{range .RepoDigests}}{{println .}}{{end}}' "$repo:1.1.0" | grep "^$repo@" | head -n 1 | cut -d@ -f2)"
  [[ -n "$digest" ]] || { echo "round $n: docker push gave $repo:1.1.0 no digest from $BENCH_REGISTRY" >&2; exit 1; }
  logged "./build.sh Sign" "$ROOT/build.sh" Sign --skip --service shortlink --image "$repo:1.1.0@$digest"
  echo "$repo:1.1.0@$digest"
}
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@bench.local GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@bench.local
export GIT_TERMINAL_PROMPT=0

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
digest_for() { printf 'sha256:%064x' "$1"; }

# A bare repository with $1 apps and $2 commits, written as one git fast-import stream (seconds, not minutes).
generate() {
  local apps="$1" commits="$2" bare="$3"
  git init --quiet --bare --initial-branch main "$bare"
  awk -v apps="$apps" -v commits="$commits" '
    function blob(path, text) { printf "M 100644 inline %s\ndata %d\n%s\n", path, length(text), text }
    function overlay(app, tag, digest) {
      return "# dev overlay of " app "\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n" \
        "resources:\n  - ../../base\nimages:\n  - name: " app "\n    newName: 127.0.0.1:5000/" app "\n" \
        "    newTag: " tag " # the release\n    digest: " digest "\n"
    }
    function commit(n, message) {
      printf "commit refs/heads/main\ncommitter bench <bench@bench.local> %d +0000\ndata %d\n%s\n", 1700000000 + n, length(message), message
    }
    BEGIN {
      commit(0, "seed " apps " apps")
      for (a = 0; a < apps; a++) {
        app = sprintf("app%04d", a)
        blob("apps/" app "/base/kustomization.yaml", "resources:\n  - deployment.yaml\n")
        blob("apps/" app "/base/deployment.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: " app "\nspec:\n  selector:\n    matchLabels: {app: " app "}\n  template:\n    metadata:\n      labels: {app: " app "}\n    spec:\n      containers:\n        - name: app\n          image: " app "\n")
        blob("apps/" app "/overlays/dev/kustomization.yaml", overlay(app, "1.0.0", sprintf("sha256:%064d", 0)))
      }
      for (c = 1; c < commits; c++) {
        app = sprintf("app%04d", (c * 7919) % apps)
        commit(c, "deploy(dev): " app " 1.0." c)
        blob("apps/" app "/overlays/dev/kustomization.yaml", overlay(app, "1.0." c, sprintf("sha256:%064d", c)))
      }
    }' | git --git-dir "$bare" fast-import --quiet
  git --git-dir "$bare" config uploadpack.allowFilter true
  git --git-dir "$bare" gc --quiet
}

# Baseline: what a pipeline script usually does.
baseline_round() {
  local bare="$1" app="$2" digest="$3" dir="$WORK/baseline-$RANDOM$RANDOM"
  git clone --quiet --branch main "file://$bare" "$dir"
  sed -i "s|^    digest: .*|    digest: $digest|" "$dir/apps/$app/overlays/dev/kustomization.yaml"
  git -C "$dir" commit --quiet -am "deploy(dev): $app $digest"
  git -C "$dir" push --quiet origin HEAD:main
  rm -rf "$dir"
}

# What ManifestsRepository runs, step for step, with the edit done by sed.
git_only_round() {
  local bare="$1" app="$2" digest="$3" dir="$WORK/toolkit-$RANDOM$RANDOM" path="apps/$2/overlays/dev"
  git clone --quiet --single-branch --branch main --no-tags --filter=blob:none --sparse --depth 1 "file://$bare" "$dir"
  git -C "$dir" sparse-checkout set -- "$path"
  sed -i "s|^    digest: .*|    digest: $digest|" "$dir/$path/kustomization.yaml"
  git -C "$dir" add -- "$path/kustomization.yaml"
  git -C "$dir" commit --quiet --no-verify -m "deploy(dev): $app $digest"
  git -C "$dir" push --quiet --porcelain origin HEAD:refs/heads/main >/dev/null
  rm -rf "$dir"
}

deploy_round() {
  local bare="$1" app="$2" digest="$3"
  if [[ $GIT_ONLY == 1 ]]; then git_only_round "$@"; return; fi
  export IMAGE="$PREPARED" MANIFESTS_REPO="$bare" MANIFESTS_PATH="apps/$app/overlays/dev" APP="$app"
  if [[ -n "${DEPLOY_CMD:-}" ]]; then
    logged "DEPLOY_CMD" bash -c "$DEPLOY_CMD"
  else
    # shellcheck disable=SC2086 # DEPLOY_ARGS is a list of extra arguments on purpose
    logged "./build.sh Deploy" "$ROOT/build.sh" Deploy --skip --service shortlink --image "$IMAGE" --manifests-repo "$MANIFESTS_REPO" \
      --manifests-path "$MANIFESTS_PATH" --manifests-image "$APP" --environment dev --require-scan false ${DEPLOY_ARGS:-}
  fi
}

[[ $GIT_ONLY == 1 ]] || start_registry
echo "Manifests repository: $APPS apps; rounds: $ROUNDS; deploy: $([[ $GIT_ONLY == 1 ]] && echo 'toolkit git steps only' || echo "${DEPLOY_CMD:-./build.sh Deploy --skip}")"
printf '%-9s %-8s %14s %14s %8s\n' commits size baseline_ms deploy_ms ratio
n=0
for commits in $COMMITS; do
  bare="$WORK/manifests-$commits.git"
  generate "$APPS" "$commits" "$bare"
  size="$(du -sh "$bare" | cut -f1)"
  base_times=(); deploy_times=()
  for ((r = 0; r < ROUNDS; r++)); do
    n=$((n + 1))
    app="$(printf 'app%04d' $(((n * 31) % APPS)))"
    start=$(now_ms); baseline_round "$bare" "$app" "$(digest_for $((n * 2)))"; base_times+=($(( $(now_ms) - start )))
    # Not in $(…): a failing step must stop the script with its message, not leave PREPARED empty.
    [[ $GIT_ONLY == 1 ]] || { prepare_image "$app" "$n" > "$WORK/prepared"; PREPARED="$(cat "$WORK/prepared")"; }
    start=$(now_ms); deploy_round "$bare" "$app" "$(digest_for $((n * 2 + 1)))"; deploy_times+=($(( $(now_ms) - start )))
  done
  base_median="$(printf '%s\n' "${base_times[@]}" | median)"
  deploy_median="$(printf '%s\n' "${deploy_times[@]}" | median)"
  ratio="$(awk -v d="$deploy_median" -v b="$base_median" 'BEGIN { printf "%.2f", (b > 0 ? d / b : 0) }')"
  printf '%-9s %-8s %14s %14s %8s\n' "$commits" "$size" "$base_median" "$deploy_median" "$ratio"
done
echo "ratio = deploy median / baseline median (lower is better; target: deploy <= 2000 ms, flat across history lengths)"
