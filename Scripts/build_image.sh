#!/usr/bin/env bash
# Builds the suite's image (Compose/Dockerfile): release binaries with the Swift
# standard library linked in, then a debian:bookworm-slim image around them.
# Needs a Docker engine (none runs on the development machine; see docs/deployment.md).
# Usage: Scripts/build_image.sh [TAG]   (default irg-motion-suite:latest)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --static-swift-stdlib
DOCKER_BUILDKIT=1 docker build -f Compose/Dockerfile -t "${1:-irg-motion-suite:latest}" .
