#!/usr/bin/env bash
# `make bench`: the benchmarks in tests/bench against a real PostgreSQL and Redis,
# started the way CI starts them. They print figures beside their targets and never
# fail on time. BENCH_SCALE=small runs every benchmark at a small size (a smoke run).
#
# The fan-out benchmark (tests/bench/bench_nightly.py, "100,000 employees on two worker
# processes") generates 100,000 employees and their month with COPY (a few minutes on a quiet
# machine), then runs one night on one worker process and one on two; BENCH_FAN_OUT_EMPLOYEES
# measures another size, and `bash scripts/bench.sh -k fan_out` runs it alone.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/services.sh
services_start opsdept_bench 6392 "$(pwd)/var/bench"
.venv/bin/pytest tests/bench -s -p no:cacheprovider "$@"
