#!/usr/bin/env bash
# Rebuilds the demo models from ../shared/data: dataset (irg data build), text tokenizer,
# VQ-VAE, evaluator, IRG-MotionLLM and Motion-Agent's adapters. Seeded; each stage logs
# to OUT/logs/<stage>.log and prints a progress line. CPU by default, CUDA when present.
#
#   Scripts/train/train_demo.sh OUT [--smoke]      # --smoke: every stage for a few steps (CI)
#
# OUT then holds Models/demo/'s layout: tokenizer/ (the VQ-VAE, irg-tokenizer's model),
# evaluator/, motionllm/, motion-agent/{t2m,m2t}/, each with results.json where it has
# figures; copy those four folders into Models/demo/ to ship them (docs/models.md).
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 OUT [--smoke]" >&2; exit 64; }
OUT=$(mkdir -p "$1" && cd "$1" && pwd)
SMOKE=${2:-}
REPO=$(cd "$(dirname "$0")/../.." && pwd)
DATA_ROOT=${IRG_SHARED_DATA:-$REPO/../shared/data}
[ -d "$DATA_ROOT/bandai-namco" ] || { echo "error: no mocap in $DATA_ROOT (set IRG_SHARED_DATA)" >&2; exit 66; }
TRAIN="$REPO/Scripts/train"
mkdir -p "$OUT/logs"

stage() {  # stage NAME COMMAND...: runs it with its log, prints its last line
    local name=$1; shift
    echo "[demo] $name: started $(date +%T), log $OUT/logs/$name.log"
    "$@" > "$OUT/logs/$name.log" 2>&1 || { tail -20 "$OUT/logs/$name.log" >&2; echo "[demo] $name failed" >&2; exit 1; }
    echo "[demo] $name: $(tail -1 "$OUT/logs/$name.log")"
}

IRG=${IRG_BIN:-$REPO/.build/release/irg}  # any build of irg will do (the smoke test uses the debug one)
[ -x "$IRG" ] || (cd "$REPO" && swift build -c release --product irg > "$OUT/logs/build.log" 2>&1)
if [ -n "$SMOKE" ]; then LIMIT=(--limit 30); else LIMIT=(); fi
stage data "$IRG" data build --data "$DATA_ROOT" --out "$OUT/data" "${LIMIT[@]}"
stage tokenizer python3 "$TRAIN/train_tokenizer.py" "$OUT/data" "$OUT/motionllm-tokenizer.json" --kit "$DATA_ROOT/kit-ml/annotations.json.xz"
stage vqvae python3 "$TRAIN/train_vqvae.py" "$OUT/data" "$OUT/tokenizer" $SMOKE
stage evaluator python3 "$TRAIN/train_evaluator.py" "$OUT/data" "$OUT/evaluator" $SMOKE
stage motionllm python3 "$TRAIN/train_motionllm.py" "$OUT/data" "$OUT/tokenizer" "$OUT/motionllm-tokenizer.json" "$OUT" $SMOKE
echo "[demo] done: $OUT (tokenizer/ evaluator/ motionllm/ motion-agent/)"
