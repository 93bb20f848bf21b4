#!/usr/bin/env bash
# Installs what the suite needs on Debian 12: the C libraries, the proto
# compilers, and the Python client's packages. Safe to run again.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q libnng-dev libprotobuf-c-dev protobuf-c-compiler libopenblas-dev protobuf-compiler zlib1g-dev libsqlite3-dev
python3 -m pip install -q -r "$repo/Scripts/python/requirements.txt"
# Only for the compose file's JSON schema (compose/config/compose_spec.json), which
# test_deployment.py validates Compose/compose.yaml against; its own dependencies are not needed.
python3 -m pip install -q --no-deps docker-compose==1.29.2
