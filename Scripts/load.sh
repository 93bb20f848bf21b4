#!/usr/bin/env bash
# Sustained load on the suite (docs/scale.md): starts every service on the demo
# models with `irg up` (ipc sockets in a fresh folder), runs `irg load` with
# CLIENTS clients (default 20) for SECONDS (default 600) mixing loops,
# AssessBatch, Embed, Caption and Health, prints requests/s, p50/p99 and errors
# per method and every service's resident memory, writes them as JSON, and
# stops the suite. Exits non-zero on any error.
# Usage: Scripts/load.sh [SECONDS] [OUT_JSON]   (IRG_BIN: the executables' folder, default .build/release)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
out="${2:-load-report.json}"
bin="${IRG_BIN:-.build/release}"
[ -x "$bin/irg" ] || swift build -c release
run="$(mktemp -d)"
"$bin/irg" up --run-dir "$run" > "$run/up.log" 2>&1 &
up=$!
trap 'kill -INT $up 2>/dev/null; wait $up 2>/dev/null || true; rm -rf "$run"' EXIT
until grep -q "suite up" "$run/up.log"; do
    kill -0 "$up" 2>/dev/null || { cat "$run/up.log"; exit 1; }
    sleep 0.5
done
address() { echo "ipc://$run/$1.ipc"; }
"$bin/irg" load --clients "${CLIENTS:-20}" --seconds "$seconds" --out "$out" \
    --orchestrator "$(address orchestrator)" --generator "$(address generator)" --tokenizer "$(address tokenizer)" \
    --assessor "$(address assessor)" --evaluator "$(address evaluator)"
