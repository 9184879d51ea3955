#!/usr/bin/env bash
# Bootstrap: find (or install) the .NET SDK that global.json names, compile build/ (which references the
# GitOps.Pipelines package) when its sources changed, and run it with the arguments. Works from any directory
# and with spaces in paths.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BUILD_PROJECT="$ROOT/build/Build.csproj"
OUT_DIR="$ROOT/.build/bin"
STAMP="$ROOT/.build/sources.sha1"
LOCAL_DOTNET_DIR="$ROOT/.dotnet"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export PIPELINE_ROOT="$ROOT"

# The hash of everything the build is compiled from (build/ and global.json; the toolkit comes as a package
# whose version build/Build.csproj names); equal to the stamp means nothing to compile.
sources_hash() {
  (cd "$ROOT" && find build global.json \
      -type f \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.targets' -o -name '*.json' \) \
      -not -path '*/bin/*' -not -path '*/obj/*' -print0 | LC_ALL=C sort -z | xargs -0 sha1sum | sha1sum | cut -d' ' -f1)
}

find_dotnet() {
  if [[ -x "$LOCAL_DOTNET_DIR/dotnet" ]]; then echo "$LOCAL_DOTNET_DIR/dotnet"; return; fi
  command -v dotnet 2>/dev/null || true
}

DOTNET="$(find_dotnet)"
HASH="$(sources_hash)"

# Fast path: a compiled build that matches the sources runs directly, with no MSBuild at all.
if [[ -n "$DOTNET" && -f "$OUT_DIR/Build.dll" && -f "$STAMP" && "$(cat "$STAMP")" == "$HASH" ]]; then
  exec "$DOTNET" "$OUT_DIR/Build.dll" "$@"
fi

# The SDK global.json asks for: the one on PATH when it satisfies it, else install into ./.dotnet.
if [[ -z "$DOTNET" ]] || ! (cd "$ROOT" && "$DOTNET" --version >/dev/null 2>&1); then
  SDK_VERSION="$(sed -n 's/.*"version"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' "$ROOT/global.json" | head -n 1)"
  echo "Installing .NET SDK $SDK_VERSION into $LOCAL_DOTNET_DIR (this step needs the internet)..." >&2
  mkdir -p "$LOCAL_DOTNET_DIR"
  INSTALLER="$LOCAL_DOTNET_DIR/dotnet-install.sh"
  if command -v curl >/dev/null 2>&1; then
    curl -fsSL https://dot.net/v1/dotnet-install.sh -o "$INSTALLER"
  else
    wget -q https://dot.net/v1/dotnet-install.sh -O "$INSTALLER"
  fi
  bash "$INSTALLER" --version "$SDK_VERSION" --install-dir "$LOCAL_DOTNET_DIR" --no-path >&2
  DOTNET="$LOCAL_DOTNET_DIR/dotnet"
fi

# Compile quietly; show the compiler's output only when it fails.
mkdir -p "$ROOT/.build"
if ! BUILD_LOG="$("$DOTNET" build "$BUILD_PROJECT" --configuration Release --output "$OUT_DIR" \
      -nologo -verbosity:quiet -clp:NoSummary -p:UseSharedCompilation=true 2>&1)"; then
  echo "$BUILD_LOG" >&2
  echo "error: the build project did not compile (see above)." >&2
  exit 1
fi
echo "$HASH" > "$STAMP"

exec "$DOTNET" "$OUT_DIR/Build.dll" "$@"
