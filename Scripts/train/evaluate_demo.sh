#!/usr/bin/env bash
# The demo models' results (Models/demo/README.md): the HumanML3D protocol with the demo
# evaluator on the test split (held-out phrasings) for single-shot generation, the EXPLICIT
# loop, NATIVE, BEST_OF_N (4 candidates) and the Motion-Agent format, through the real
# services; then captioning (BLEU@1/@4, ROUGE-L, CIDEr) of the test motions.
#
#   Scripts/train/evaluate_demo.sh DATA OUT [REPEATS] [LOOP_REPEATS]
#
# DATA: a dataset from `irg data build`; REPEATS for the single-call rows (default 20),
# LOOP_REPEATS for the loop rows (default REPEATS); MultiModality (100 texts x 30 motions per
# repeat) for single-shot generation only, MM_REPEATS times (default 3); NATIVE_REPEATS for the
# native row (its transcripts are the longest; default LOOP_REPEATS). Sampling (temperature 1), seeds fixed.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 DATA OUT [REPEATS] [LOOP_REPEATS]" >&2; exit 64; }
DATA=$1; OUT=$2; REPEATS=${3:-20}; LOOP_REPEATS=${4:-$REPEATS}
REPO=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${IRG_BIN_DIR:-$REPO/.build/release}
DEMO=$REPO/Models/demo
mkdir -p "$OUT/logs"
RUN=$(mktemp -d -t irg-demo-eval.XXXXXX)
addr() { echo "ipc://$RUN/$1.ipc"; }
PIDS=()
start() { "$BIN/$1" --listen "$(addr "$2")" --log-level warning "${@:3}" > "$OUT/logs/$2.log" 2>&1 & PIDS+=($!); }
trap 'kill "${PIDS[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf "$RUN"' EXIT
start irg-tokenizer tokenizer
start irg-generator generator
start irg-generator generator2  # the loop rows: a second worker for the second core (a tiny model's decode uses one)
start irg-generator agent --adapter t2m="$DEMO/motion-agent/t2m" --adapter m2t="$DEMO/motion-agent/m2t"
start irg-assessor assessor --tokenizer "$(addr tokenizer)"
start irg-orchestrator orchestrator --generator "$(addr generator)" --generator "$(addr generator2)" --tokenizer "$(addr tokenizer)" \
    --assessor "$(addr assessor)" --sessions "$RUN/sessions.sqlite"
for role in tokenizer generator generator2 agent assessor orchestrator; do
    "$BIN/irg" health "$(addr $role)" --timeout 30000 > /dev/null
done

row() {  # row NAME REPEATS ARGS...: one `irg eval run`, its report in OUT/NAME
    local name=$1 repeats=$2; shift 2
    [ -f "$OUT/$name/report.json" ] && { echo "$name: done before (remove $OUT/$name to run it again)"; return; }
    local start=$(date +%s)
    "$BIN/irg" eval run --dataset "$DATA" --tokenizer "$(addr tokenizer)" --repeats "$repeats" --out "$OUT/$name" "$@" \
        > "$OUT/logs/eval-$name.log" 2>&1
    echo "$name: $(( $(date +%s) - start )) s"
}
row generate "$REPEATS" --generator "$(addr generator)"
row motion-agent "$REPEATS" --generator "$(addr agent)" --format motion-agent
row explicit "$LOOP_REPEATS" --orchestrator "$(addr orchestrator)" --mode explicit
row explicit-final "$LOOP_REPEATS" --orchestrator "$(addr orchestrator)" --mode explicit --take final
row best-of-4 "$LOOP_REPEATS" --orchestrator "$(addr orchestrator)" --mode best-of-n --candidates 4
row native "${NATIVE_REPEATS:-$LOOP_REPEATS}" --orchestrator "$(addr orchestrator)" --mode native --take final
row generate-multimodality "${MM_REPEATS:-3}" --generator "$(addr generator)" --multimodality

python3 "$REPO/Scripts/train/caption_test_split.py" "$DATA" "$(addr tokenizer)" "$(addr generator)" "$OUT/captions"
"$BIN/irg" eval captions --pred "$OUT/captions/predictions.txt" --refs "$OUT/captions/references.json" --json \
    > "$OUT/captions/metrics.json"
python3 "$REPO/Scripts/train/results_table.py" "$OUT" | tee "$OUT/results.md"
