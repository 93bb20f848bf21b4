#!/usr/bin/env bash
# Quick start on a fresh Debian 12 machine with Swift: installs the packages,
# builds, starts all five services with `irg up`, checks that each one is
# SERVING, and stops them. (Once the demo models land, this generates a motion.)
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/setup.sh
swift build -c release
.build/release/irg up --check
echo
echo "Run the suite until Ctrl-C with: .build/release/irg up"
