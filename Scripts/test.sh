#!/usr/bin/env bash
# The test command: generated code is fresh, the Swift tests, the Python
# client's tests against the real service executables, and 30 seconds of
# libFuzzer on each decoder of outside bytes (Scripts/fuzz.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/check_generated.sh
Scripts/check_typed_messages.sh
swift build --build-tests
swift test
IRG_BIN_DIR="$(swift build --show-bin-path)" python3 -m pytest -q Scripts/python/tests
FUZZ_SEED=1 Scripts/fuzz.sh 30
