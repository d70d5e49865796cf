#!/usr/bin/env bash
# Start the Rasa server, the action server and the catalog service in the foreground.
# Ctrl-C (or any of the three exiting) stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH=. TF_CPP_MIN_LOG_LEVEL=2
export RASA_PORT="${RASA_PORT:-5005}" ACTION_PORT="${ACTION_PORT:-5055}" CATALOG_PORT="${CATALOG_PORT:-8000}"
export RASA_AUTH_TOKEN="${RASA_AUTH_TOKEN:-dev-token-change-me}"
export ACTION_ENDPOINT_URL="${ACTION_ENDPOINT_URL:-http://localhost:${ACTION_PORT}/webhook}"
export TRACKER_DB="${TRACKER_DB:-$(pwd)/${HYTE_DATA_DIR:-var}/trackers.sqlite}"
export RASA_URL="${RASA_URL:-http://localhost:${RASA_PORT}}"
export ACTION_SERVER_URL="${ACTION_SERVER_URL:-http://localhost:${ACTION_PORT}}"
export CATALOG_URL="${CATALOG_URL:-http://localhost:${CATALOG_PORT}}"
model="${RASA_MODEL:-models/current.tar.gz}"

# The search cache: a private Redis under the data folder, unless REDIS_URL points elsewhere.
# REDIS_URL= (empty) runs without a cache.
REDIS_PORT="${REDIS_PORT:-6390}"
start_redis=""
if [ -z "${REDIS_URL+set}" ] && command -v redis-server >/dev/null; then
  export REDIS_URL="redis://127.0.0.1:${REDIS_PORT}/0"
  start_redis=1
fi

pids=()
stop() {
  trap - INT TERM EXIT
  echo; echo "==> Stopping"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

if [ -n "$start_redis" ]; then
  mkdir -p "${HYTE_DATA_DIR:-var}/redis"
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "${HYTE_DATA_DIR:-var}/redis" --save "" \
    --appendonly no --maxmemory 256mb --maxmemory-policy allkeys-lru --loglevel warning &
  pids+=($!)
fi
.venv/bin/python -m bot.catalog serve --port "$CATALOG_PORT" &
pids+=($!)
.venv/bin/python -m rasa_sdk --actions actions --port "$ACTION_PORT" &
pids+=($!)
.venv-rasa/bin/rasa run --enable-api --auth-token "$RASA_AUTH_TOKEN" --model "$model" \
  --endpoints endpoints.yml --credentials credentials.yml --port "$RASA_PORT" &
pids+=($!)

echo "==> Starting: chat at http://localhost:${CATALOG_PORT}/ (Rasa takes about 30 s to load)"
(
  for _ in $(seq 1 180); do
    if curl -fsS "http://localhost:${CATALOG_PORT}/health" >/dev/null 2>&1; then
      echo "==> Ready: open http://localhost:${CATALOG_PORT}/  (Ctrl-C stops all three)"; exit 0
    fi
    sleep 1
  done
  echo "==> Still not healthy after 180 s: see the logs above" >&2
) &
wait -n "${pids[@]}"
