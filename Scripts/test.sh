#!/usr/bin/env bash
# The test command: generated code is fresh, the Swift tests, and the Python
# client's tests against the real service executables.
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/check_generated.sh
Scripts/check_typed_messages.sh
swift build --build-tests
swift test
IRG_BIN_DIR="$(swift build --show-bin-path)" python3 -m pytest -q Scripts/python/tests
