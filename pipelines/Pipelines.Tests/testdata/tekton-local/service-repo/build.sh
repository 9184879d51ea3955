#!/bin/sh
# A repository shaped like this project for the local PipelineRun test: ./build.sh <Target> --skip with the
# generated Tasks' environment (PIPELINE_RESULTS_DIR, PIPELINE_REGISTRY, PIPELINE_MANIFESTS_REPO, PIPELINE_TRIVY_PATH, PIPELINE_SIGNING_KEY, …),
# doing each target's observable job with the tools of the runner image (docker, git) in seconds.
set -eu
target="$1"
state=artifacts/state
mkdir -p "$state"
result() { printf '%s' "$2" > "$PIPELINE_RESULTS_DIR/$1"; }
case "$target" in
  Test)
    echo "Test with filter '${PIPELINE_TEST_FILTER:-}' on $(git rev-parse --short HEAD)"
    if [ "${PIPELINE_TEST_FILTER:-}" = "fail" ]; then echo "1 test failed" >&2; exit 1; fi
    # As the real build: every result the Task declares is written, empty when coverage is off.
    result COVERAGE ""
    ;;
  Containerize)
    context=$(mktemp -d)
    git rev-parse HEAD > "$context/commit.txt"
    printf 'FROM scratch\nCOPY commit.txt /commit.txt\n' > "$context/Dockerfile"
    reference="$PIPELINE_REGISTRY/${PIPELINE_IMAGE_NAME:-shortlink}:$(git rev-parse --short=12 HEAD)"
    DOCKER_BUILDKIT=0 docker build --quiet --tag "$reference" "$context"
    docker push "$reference" | tee "$state/push.txt"
    digest=$(sed -n 's/.*digest: \(sha256:[0-9a-f]*\).*/\1/p' "$state/push.txt")
    docker rmi --no-prune "$reference" > /dev/null
    result IMAGES "$PIPELINE_REGISTRY/${PIPELINE_IMAGE_NAME:-shortlink}@$digest"
    printf '%s@%s' "$PIPELINE_REGISTRY/${PIPELINE_IMAGE_NAME:-shortlink}" "$digest" > "$state/image"
    ;;
  Scan)
    "$PIPELINE_TRIVY_PATH" image --format json --output "$state/scan.json" "$(cat "$state/image")"
    grep -q '"Results":\[\]' "$state/scan.json"
    for severity in CRITICAL HIGH MEDIUM LOW UNKNOWN; do result "SCAN_$severity" 0; done
    result SCAN_PASSED true
    result SCAN_SUMMARY "no findings"
    ;;
  Sign)
    [ -n "${PIPELINE_SIGNING_KEY:-}" ] || { echo "no SIGNING_KEY secret" >&2; exit 1; }
    result SIGNATURE_REF "$(sed 's/@sha256:/:sha256-/' "$state/image").sig"
    ;;
  Deploy)
    checkout=$(mktemp -d)
    git clone --quiet "$PIPELINE_MANIFESTS_REPO" "$checkout"
    mkdir -p "$checkout/apps/shortlink/overlays/${PIPELINE_ENVIRONMENT:-dev}"
    cat "$state/image" > "$checkout/apps/shortlink/overlays/${PIPELINE_ENVIRONMENT:-dev}/image.txt"
    git -C "$checkout" add -A
    git -C "$checkout" -c user.name=pipeline -c user.email=pipeline@example.com commit --quiet -m "Deploy $(cat "$state/image")"
    git -C "$checkout" push --quiet origin HEAD:main
    result DEPLOY_COMMIT "$(git -C "$checkout" rev-parse HEAD)"
    result DEPLOY_ENVIRONMENT "${PIPELINE_ENVIRONMENT:-dev}"
    ;;
  Analyze)
    # As the real build: skipped, with its reason, where no Prometheus is configured.
    if [ -z "${PIPELINE_PROMETHEUS_URL:-}" ]; then echo "Analyze skipped: no --prometheus-url"; result ANALYSIS_VERDICT skipped; exit 0; fi
    echo "no Prometheus in this fixture" >&2; exit 1
    ;;
  Promote)
    # As the real build: what --from runs, committed to --environment in one commit.
    [ -n "${PIPELINE_FROM:-}" ] || { echo "Promote needs --from" >&2; exit 1; }
    checkout=$(mktemp -d)
    git clone --quiet "$PIPELINE_MANIFESTS_REPO" "$checkout"
    image=$(cat "$checkout/apps/shortlink/overlays/$PIPELINE_FROM/image.txt")
    mkdir -p "$checkout/apps/shortlink/overlays/$PIPELINE_ENVIRONMENT"
    printf '%s' "$image" > "$checkout/apps/shortlink/overlays/$PIPELINE_ENVIRONMENT/image.txt"
    git -C "$checkout" add -A
    git -C "$checkout" -c user.name=pipeline -c user.email=pipeline@example.com commit --quiet -m "Promote $image from $PIPELINE_FROM to $PIPELINE_ENVIRONMENT"
    git -C "$checkout" push --quiet origin HEAD:main
    result DEPLOY_COMMIT "$(git -C "$checkout" rev-parse HEAD)"
    result DEPLOY_ENVIRONMENT "$PIPELINE_ENVIRONMENT"
    ;;
  Rollback)
    # As the real build: the last change to --environment reverted with a new commit.
    checkout=$(mktemp -d)
    git clone --quiet "$PIPELINE_MANIFESTS_REPO" "$checkout"
    last=$(git -C "$checkout" log -1 --format=%H -- "apps/shortlink/overlays/$PIPELINE_ENVIRONMENT")
    git -C "$checkout" -c user.name=pipeline -c user.email=pipeline@example.com revert --no-edit "$last" > /dev/null
    git -C "$checkout" push --quiet origin HEAD:main
    result DEPLOY_COMMIT "$(git -C "$checkout" rev-parse HEAD)"
    result DEPLOY_ENVIRONMENT "$PIPELINE_ENVIRONMENT"
    ;;
  *) echo "unknown target $target" >&2; exit 2 ;;
esac
