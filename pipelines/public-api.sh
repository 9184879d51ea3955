#!/usr/bin/env bash
# The public surface of GitOps.Pipelines (Pipelines.dll): what a build author sees, tracked by PublicApiAnalyzers in
# pipelines/Pipelines/PublicAPI.{Shipped,Unshipped}.txt (a public symbol not listed, RS0016, or listed but gone, RS0017,
# fails the build). The analyzer's code fix that writes those files runs only in an IDE, hence this script:
#   pipelines/public-api.sh            build, print the count of public types and members
#   pipelines/public-api.sh --list     the same, and the public types by name
#   pipelines/public-api.sh --update   after an intended API change: rebuild against an empty Unshipped.txt, take the
#                                      symbols from the RS0016 messages (they carry them in the file's format, nullable
#                                      annotations included), write them sorted into PublicAPI.Unshipped.txt, and mark
#                                      Shipped.txt symbols that are gone (RS0017) as *REMOVED* there; review the diff.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
project="$here/Pipelines/Pipelines.csproj"
unshipped="$here/Pipelines/PublicAPI.Unshipped.txt"
dll="$here/Pipelines/bin/Release/net10.0/Pipelines.dll"
mode="${1:-}"
case "$mode" in
  ""|--list|--update) ;;
  *) echo "usage: $0 [--list|--update]; got '$mode'" >&2; exit 2 ;;
esac

if [[ "$mode" == "--update" ]]; then
  previous="$(cat "$unshipped")"
  printf '#nullable enable\n' > "$unshipped"
  log="$(mktemp)"
  trap 'rm -f "$log"' EXIT
  dotnet build "$project" -c Release -v q -nologo > "$log" 2>&1 || true
  if grep -E ': error ' "$log" | grep -vqE 'error RS00(16|17):'; then
    printf '%s\n' "$previous" > "$unshipped"
    echo "The build fails for another reason than the API files; fix these first (PublicAPI.Unshipped.txt left as it was):" >&2
    grep -E ': error ' "$log" | grep -vE 'error RS00(16|17):' | sort -u | head -20 >&2
    exit 1
  fi
  {
    printf '#nullable enable\n'
    {
      grep -oE "error RS0016: Symbol '.*' is not part of the declared public API" "$log" |
        sed -E "s/^error RS0016: Symbol '(.*)' is not part of the declared public API$/\1/" || true
      grep -oE "error RS0017: Symbol '.*' is part of the declared API" "$log" |
        sed -E "s/^error RS0017: Symbol '(.*)' is part of the declared API$/*REMOVED*\1/" || true
    } | LC_ALL=C sort -u
  } > "$unshipped"
  echo "PublicAPI.Unshipped.txt: $(($(wc -l < "$unshipped") - 1)) symbols; review with git diff." >&2
fi

if ! dotnet build "$project" -c Release -v q -nologo > /dev/null 2>&1; then
  echo "Pipelines does not build; see: dotnet build $project -c Release. If it is RS0016/RS0017 (public API not" >&2
  echo "declared), run $0 --update after checking the change is intended." >&2
  exit 1
fi
list=()
[[ "$mode" == "--list" ]] && list=(--list)
cd "$here/tools" && dotnet run PublicApiCount.cs -- "$dll" "${list[@]}"
