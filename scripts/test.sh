#!/usr/bin/env bash
# The whole suite. Under CI=true it runs against PostgreSQL and Redis
# (DATABASE_URL and CELERY_BROKER_URL are set by .ci/run) and requires chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p test-artifacts var
.venv/bin/python manage.py makemigrations --check --dry-run >/dev/null || {
  echo "Model changes without a migration: run manage.py makemigrations." >&2; exit 1; }
exec .venv/bin/pytest tests --ignore=tests/bench -p no:cacheprovider "$@"
