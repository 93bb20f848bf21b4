#!/usr/bin/env bash
# Quick start on a fresh Debian 12 machine with Swift: installs the packages, builds,
# starts the suite (`irg up`, with the bundled demo models in Models/demo), turns a
# sentence into a motion through the orchestrator's generate-assess-refine loop, prints
# the trace and where the GIF, HTML page and BVH are, and stops the suite.
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/setup.sh
swift build -c release
IRG=.build/release/irg
TEXT=${1:-"a person walks forward happily"}
OUT=${IRG_QUICKSTART_OUT:-quickstart}
LOG=$(mktemp -t irg-up.XXXXXX)
"$IRG" up --transport tcp > "$LOG" 2>&1 &
SUITE=$!
trap 'kill -INT $SUITE 2>/dev/null; wait $SUITE 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do  # the suite prints "suite up" once every service is SERVING
    grep -q "suite up" "$LOG" && break
    kill -0 $SUITE 2>/dev/null || { cat "$LOG"; exit 1; }
    sleep 0.5
done
grep -q "suite up" "$LOG" || { cat "$LOG"; echo "the suite did not come up" >&2; exit 1; }
cat "$LOG"
echo
"$IRG" generate "$TEXT" --seed 1 --out "$OUT"
echo
echo "open $OUT/motion.html in a browser (or $OUT/motion.gif); $OUT/motion.bvh for Blender; $OUT/trace.json holds every round"
echo "run the suite until Ctrl-C with: $IRG up --transport tcp"
