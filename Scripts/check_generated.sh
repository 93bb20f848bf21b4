#!/usr/bin/env bash
# Fails when the committed generated code differs from a fresh generation.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
fresh="$(mktemp -d)"
trap 'rm -rf "$fresh"' EXIT
"$repo/Scripts/gen_protos.sh" "$fresh"
status=0
for dir in Shared/CProtos Shared/Proto/Generated Scripts/python/irg; do
  if ! diff -r -x __pycache__ -x module.modulemap "$fresh/$dir" "$repo/$dir"; then
    echo "error: $dir is stale; run Scripts/gen_protos.sh and commit the result" >&2
    status=1
  fi
done
[ "$status" = 0 ] && echo "generated code is fresh"
exit "$status"
