#!/usr/bin/env bash
# Installs and starts what the browser and service tests need, when it is missing.
#   PostgreSQL 15: the cluster `15 main`, a role and a database for the tests
#                  (TACTFUL_TEST_PG_URL, default postgres://tactful:tactful@127.0.0.1:5432/tactful_test).
#   Redis:         on 127.0.0.1:6379 (TACTFUL_TEST_REDIS_URL, default redis://127.0.0.1:6379).
# Idempotent: running it twice changes nothing.
set -u
if ! command -v chromium >/dev/null 2>&1; then
  echo "installing chromium for the browser tests"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || echo "chromium could not be installed"
fi

# PostgreSQL 15
if command -v pg_ctlcluster >/dev/null 2>&1; then
  if ! pg_lsclusters 2>/dev/null | grep -qE '^15 +main .*online'; then
    pg_ctlcluster 15 main start || echo "PostgreSQL 15 could not be started"
  fi
  for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p 5432 && break
    sleep 0.5
  done
  if [ "$(su postgres -c "psql -qAt -c \"SELECT 1 FROM pg_roles WHERE rolname = 'tactful'\"")" != "1" ]; then
    su postgres -c "psql -v ON_ERROR_STOP=1 -q -c \"CREATE ROLE tactful LOGIN PASSWORD 'tactful' CREATEDB\"" || echo "could not create the test role"
  fi
  if [ "$(su postgres -c "psql -qAt -c \"SELECT 1 FROM pg_database WHERE datname = 'tactful_test'\"")" != "1" ]; then
    su postgres -c "psql -v ON_ERROR_STOP=1 -q -c \"CREATE DATABASE tactful_test OWNER tactful\"" || echo "could not create the test database"
  fi
else
  echo "PostgreSQL 15 is not installed: the store-postgres tests will fail in CI"
fi

# Redis
if ! command -v redis-server >/dev/null 2>&1; then
  echo "installing redis-server for the store-redis tests"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null) || echo "redis-server could not be installed"
fi
if command -v redis-server >/dev/null 2>&1; then
  if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    redis-server --bind 127.0.0.1 --port 6379 --daemonize yes --save '' --appendonly no >/dev/null || echo "redis-server could not be started"
    for _ in $(seq 1 20); do
      redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break
      sleep 0.25
    done
  fi
fi
exit 0
