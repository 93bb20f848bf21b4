#!/usr/bin/env bash
# libFuzzer over every decoder of bytes users and peers hand the suite
# (Tests/Fuzz; docs/scale.md): the RPC envelope, every API message, proto3 JSON,
# NPY, NPZ, BVH, ASF, AMC, safetensors and tokenizer.json.
# Usage: Scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET ...]   (default: 30 s, every target)
# Each target starts from its committed corpus, Tests/Fuzz/Corpus/<target>, and
# adds what it finds there (commit the new inputs to keep them). A crash is
# written to Tests/Fuzz/Crashes/<target>/ and makes the script exit non-zero.
# Prints executions, executions/s and crashes per target. FUZZ_SEED fixes libFuzzer's seed (CI sets 1);
# FUZZ_RUNS stops a target after that many executions (the goal run: FUZZ_RUNS=10000000 Scripts/fuzz.sh 1800).
set -euo pipefail
cd "$(dirname "$0")/../Tests/Fuzz"
seconds="${1:-30}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(envelope messages proto-json npy npz bvh asf amc safetensors tokenizer-json)
flags=(-c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -g)
swift build "${flags[@]}" --product irg-fuzz 2>&1 | grep -E "error|complete" || true
bin="$(swift build "${flags[@]}" --show-bin-path)/irg-fuzz"
[ -x "$bin" ] || { echo "fuzz build failed"; exit 1; }
failed=0
# libFuzzer, not the Swift runtime, handles a crash, so that it writes the input.
export SWIFT_BACKTRACE=enable=no
printf '%-16s %14s %10s %8s\n' target executions "exec/s" crashes
for target in "${targets[@]}"; do
    mkdir -p "Corpus/$target" "Crashes/$target"
    log="$(mktemp)"
    status=0
    IRG_FUZZ_TARGET="$target" "$bin" "Corpus/$target" -max_total_time="$seconds" -max_len=65536 -timeout=10 ${FUZZ_SEED:+-seed=$FUZZ_SEED} ${FUZZ_RUNS:+-runs=$FUZZ_RUNS} \
        -rss_limit_mb=4096 -artifact_prefix="Crashes/$target/" -print_final_stats=1 > "$log" 2>&1 || status=$?
    runs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)"
    rate="$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)"
    crashes="$(find "Crashes/$target" -type f | wc -l)"
    printf '%-16s %14s %10s %8s\n' "$target" "$runs" "$rate" "$crashes"
    if [ "$status" -ne 0 ] || [ "$crashes" -ne 0 ]; then
        failed=1
        grep -E "ERROR|Fatal error|SUMMARY|==[0-9]+==" "$log" | head -20
    fi
    rm -f "$log"
done
exit "$failed"
