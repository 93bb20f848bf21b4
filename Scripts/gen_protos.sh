#!/usr/bin/env bash
# Regenerates every file derived from Protos/ (the one source of truth):
#   Shared/CProtos/        protoc-c output, plus irg_registry.{c,h} (services, messages,
#                          idempotency read from the protos' `idempotency_level` options)
#   Shared/Proto/Generated/ a Swift type per message, enum and service (gen_swift_messages.py)
#   Scripts/python/irg/    protoc --python_out for the external Python client
# Usage: Scripts/gen_protos.sh [OUTPUT_ROOT]   (default: the repository root)
# Needs protoc-c, protoc and Python's protobuf package.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$repo}"
cd "$repo"
protos=(Protos/irg/v1/*.proto)

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

protoc-c --c_out="$tmp" -I Protos "${protos[@]}"
mkdir -p "$out/Shared/CProtos/irg/v1" "$out/Shared/CProtos/include/irg/v1"
rm -f "$out"/Shared/CProtos/irg/v1/*.pb-c.c "$out"/Shared/CProtos/include/irg/v1/*.pb-c.h
cp "$tmp"/irg/v1/*.pb-c.c "$out/Shared/CProtos/irg/v1/"
cp "$tmp"/irg/v1/*.pb-c.h "$out/Shared/CProtos/include/irg/v1/"

mkdir -p "$out/Scripts/python/irg/v1"
rm -f "$out"/Scripts/python/irg/v1/*_pb2.py
protoc --python_out="$out/Scripts/python" -I Protos "${protos[@]}"
touch "$out/Scripts/python/irg/__init__.py" "$out/Scripts/python/irg/v1/__init__.py"

protoc --include_imports --descriptor_set_out="$tmp/set.pb" -I Protos "${protos[@]}"
python3 Scripts/gen_registry.py "$tmp/set.pb" "$out/Shared/CProtos"
python3 Scripts/gen_swift_messages.py "$tmp/set.pb" "$out/Shared/Proto/Generated"
