#!/usr/bin/env bash
# Sourced by .ci/run and scripts/bench.sh: install (if missing) and start a real
# PostgreSQL and a private Redis, export DATABASE_URL and CELERY_BROKER_URL, and
# stop on exit only what was started here (by PID / cluster).
#   services_start <database name> <redis port> <run dir>
services_start() {
  local dbname="$1" redis_port="$2" rundir="$3"
  mkdir -p "$rundir"
  local need=()
  for pkg in postgresql redis-server chromium gettext fonts-wqy-microhei; do
    [ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" = "install ok installed" ] || need+=("$pkg")
  done
  if [ ${#need[@]} -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  fi

  SERVICES_PG_VERSION=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  SERVICES_STARTED_PG=no
  if ! pg_ctlcluster "$SERVICES_PG_VERSION" main status >/dev/null 2>&1; then
    pg_ctlcluster "$SERVICES_PG_VERSION" main start
    SERVICES_STARTED_PG=yes
  fi
  SERVICES_RUNDIR="$rundir"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no \
    --dir "$rundir" --pidfile "$rundir/redis.pid" --logfile "$rundir/redis.log"
  trap services_stop EXIT

  runuser -u postgres -- psql -q -v ON_ERROR_STOP=1 <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'opsdept') THEN
    CREATE ROLE opsdept LOGIN PASSWORD 'opsdept' CREATEDB;
  END IF;
END $$;
SQL
  runuser -u postgres -- psql -tAc "SELECT 1 FROM pg_database WHERE datname='$dbname'" | grep -q 1 \
    || runuser -u postgres -- createdb -O opsdept "$dbname"

  for _ in $(seq 1 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done

  export DATABASE_URL="postgres://opsdept:opsdept@127.0.0.1:5432/$dbname"
  export CELERY_BROKER_URL="redis://127.0.0.1:${redis_port}/0"
}

services_stop() {
  if [ -f "$SERVICES_RUNDIR/redis.pid" ]; then kill "$(cat "$SERVICES_RUNDIR/redis.pid")" 2>/dev/null || true; fi
  if [ "$SERVICES_STARTED_PG" = yes ]; then pg_ctlcluster "$SERVICES_PG_VERSION" main stop || true; fi
}
