#!/usr/bin/env bash
# Sustained load on the suite (docs/scale.md): starts the five services on the
# demo models on ipc sockets in a fresh folder, wired as `irg up` wires them,
# runs `irg load` with CLIENTS clients (default 20) for SECONDS (default 600)
# mixing loops, AssessBatch, Embed, Caption and Health, prints requests/s,
# p50/p99 and errors per method and every service's memory over the run, writes
# them as JSON, and stops the suite. Exits non-zero on any error.
# Usage: Scripts/load.sh [SECONDS] [OUT_JSON]
#   IRG_BIN: the executables' folder (default .build/release)
#   GENERATOR_ARGS: extra irg-generator options, e.g. "--prefix-cache-mb 64"
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
out="${2:-load-report.json}"
bin="${IRG_BIN:-.build/release}"
[ -x "$bin/irg" ] || swift build -c release
run="$(mktemp -d)"
address() { echo "ipc://$run/$1.ipc"; }
pids=()
start() { "$bin/$1" "${@:2}" --log-level warning 2>>"$run/services.log" & pids+=($!); }
trap 'kill "${pids[@]}" 2>/dev/null; wait "${pids[@]}" 2>/dev/null || true; rm -rf "$run"' EXIT
start irg-tokenizer --listen "$(address tokenizer)"
# shellcheck disable=SC2086
start irg-generator --listen "$(address generator)" ${GENERATOR_ARGS:-}
start irg-assessor --listen "$(address assessor)" --tokenizer "$(address tokenizer)"
start irg-evaluator --listen "$(address evaluator)"
start irg-orchestrator --listen "$(address orchestrator)" --generator "$(address generator)" \
    --tokenizer "$(address tokenizer)" --assessor "$(address assessor)" --sessions "$run/sessions.sqlite"
for name in tokenizer generator assessor evaluator orchestrator; do
    for _ in $(seq 120); do "$bin/irg" health "$(address $name)" --timeout 1000 >/dev/null 2>&1 && break; sleep 0.5; done
    "$bin/irg" health "$(address $name)" --timeout 2000 >/dev/null || { cat "$run/services.log"; exit 1; }
done
"$bin/irg" load --clients "${CLIENTS:-20}" --seconds "$seconds" --out "$out" \
    --orchestrator "$(address orchestrator)" --generator "$(address generator)" --tokenizer "$(address tokenizer)" \
    --assessor "$(address assessor)" --evaluator "$(address evaluator)"
