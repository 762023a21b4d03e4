#!/usr/bin/env bash
# `make bench`: the benchmarks in tests/bench against a real PostgreSQL and Redis,
# started the way CI starts them. They print figures beside their targets and never
# fail on time. BENCH_SCALE=small runs every benchmark at a small size (a smoke run).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/services.sh
services_start opsdept_bench 6392 "$(pwd)/var/bench"
.venv/bin/pytest tests/bench -s -p no:cacheprovider "$@"
