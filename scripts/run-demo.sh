#!/usr/bin/env bash
# Serve the demo: a Celery worker with embedded beat on kombu's filesystem
# transport beside Django's development server, both stopped together.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
mkdir -p var/celery/queue var/celery/processed var/log
$PY -m celery -A opsdept worker --beat --pool=solo --loglevel=INFO \
    --schedule=var/celerybeat-schedule --logfile=var/log/celery.log &
CELERY_PID=$!
trap 'kill $CELERY_PID 2>/dev/null || true; wait $CELERY_PID 2>/dev/null || true' EXIT INT TERM
echo
echo "opsdept demo: http://127.0.0.1:8000  (Celery worker + beat log: var/log/celery.log)"
echo "Sign in with any demo login above; password demo1234. Ctrl-C stops everything."
echo
$PY manage.py runserver 127.0.0.1:8000
