#!/usr/bin/env bash
# The generated Tekton Pipeline run on the local Docker engine (./build.sh TektonRun --local) against the same
# targets run directly on this host (./build.sh Deploy), in one run, with the same inputs: this checkout's commit,
# the same narrow test filter, the same local registry, manifests repository and development key, and the same
# stand-in Trivy (a script that reports no findings; no trivy binary is installed here). One run each; prints both
# wall times and the ratio local PipelineRun / Deploy.
#   Usage: bench/tekton-local.sh [test-filter]   (default FullyQualifiedName~TektonVariablesTests)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FILTER="${1:-FullyQualifiedName~TektonVariablesTests}"
FAKE_DIR="$ROOT/.gitops/bench-trivy"
mkdir -p "$FAKE_DIR"
# The stand-in Trivy lives in the checkout's .gitops (ignored by git): Deploy runs it from there on the host, and the
# PipelineRun's steps see the same path through --tekton-host-paths (mounted read-only).
# Note: the PipelineRun starts from a fresh workspace (NuGet restore and a full compile in the pod), as a cluster does;
# the host's Deploy reuses this checkout's bin/obj and the warm NuGet cache.
cat > "$FAKE_DIR/trivy" <<'SH'
#!/bin/sh
output=""; previous=""
for argument in "$@"; do
  if [ "$previous" = "--output" ]; then output="$argument"; fi
  previous="$argument"
done
if [ "$1" = "version" ]; then echo '{"Version":"0.74.0","VulnerabilityDB":{"Version":2,"UpdatedAt":"2026-11-21T06:00:00Z"}}'; exit 0; fi
for image in "$@"; do :; done
if [ "$1" = "convert" ]; then printf '{"bomFormat":"CycloneDX","specVersion":"1.6"}\n' > "$output"; exit 0; fi
report='{"SchemaVersion":2,"ArtifactName":"'"$image"'","ArtifactType":"container_image","Results":[]}'
if [ -n "$output" ]; then printf '%s\n' "$report" > "$output"; else printf '%s\n' "$report"; fi
SH
chmod 0755 "$FAKE_DIR/trivy"

seconds() { date +%s.%N; }

echo "Deploy on the host: ./build.sh Deploy --fresh --test-filter $FILTER --trivy-path $FAKE_DIR/trivy"
start=$(seconds)
# Cold as the pod is: no target cache (--fresh) and no kept service images.
rm -rf "$ROOT/.gitops/cache/images"
"$ROOT/build.sh" Deploy --fresh --test-filter "$FILTER" --trivy-path "$FAKE_DIR/trivy" > "$FAKE_DIR/deploy.log" 2>&1 || { tail -30 "$FAKE_DIR/deploy.log"; exit 1; }
deploy=$(echo "$(seconds) - $start" | bc)

echo "Local PipelineRun: ./build.sh TektonRun --local --tekton-params test-filter=…,trivy-path=$FAKE_DIR/trivy"
start=$(seconds)
"$ROOT/build.sh" TektonRun --local --tekton-params "test-filter=$FILTER,trivy-path=$FAKE_DIR/trivy" \
  --tekton-images curlimages/curl:8.11.1=runner --tekton-host-paths "$FAKE_DIR" > "$FAKE_DIR/tekton.log" 2>&1 || { tail -40 "$FAKE_DIR/tekton.log"; exit 1; }
tekton=$(echo "$(seconds) - $start" | bc)

printf 'Deploy (host):          %6.1f s\n' "$deploy"
printf 'TektonRun --local:      %6.1f s\n' "$tekton"
printf 'ratio local PipelineRun / Deploy: %.2f\n' "$(echo "$tekton / $deploy" | bc -l)"
