#!/usr/bin/env bash
# Fails when a handler, client or command names a proto field as a string.
# Service code uses the generated types (Shared/Proto/Generated); the dynamic
# message (`ProtoMessage`, fields by name) is for Shared/Proto itself and for
# `irg call`, which serves any method by name (its client entry point is
# NngClient.call(_:_:options:) on ProtoMessage).
set -euo pipefail
cd "$(dirname "$0")/.."
pattern='ProtoMessage|ProtoValue|\.(string|bytes|int|uint|double|float|bool|enumValue|message|messages|list|stringMap|setStringMap|map|setMap)\("[a-z_0-9]+"|\["[a-z_0-9]+"\] = \.'
allowed='^(Shared/Proto/|Services/CLI/CallCommand\.swift:|Shared/RPC/Nng/NngClient\.swift:[0-9]+: +public func call\(_ method: String, _ request: ProtoMessage)'
found="$(grep -rnE "$pattern" --include='*.swift' Shared Services | grep -vE "$allowed" || true)"
if [ -n "$found" ]; then
  echo "error: proto fields named as strings outside Shared/Proto and irg call; use the generated types:" >&2
  echo "$found" >&2
  exit 1
fi
echo "no proto field is named as a string outside Shared/Proto and irg call"
