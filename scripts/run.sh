#!/usr/bin/env bash
# Start the Rasa server, the action server and the catalog service in the foreground.
# Ctrl-C (or any of the three exiting) stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH=. TF_CPP_MIN_LOG_LEVEL=2
export RASA_PORT="${RASA_PORT:-5005}" ACTION_PORT="${ACTION_PORT:-5055}" CATALOG_PORT="${CATALOG_PORT:-8000}"
export PRIVATE_PORT="${PRIVATE_PORT:-8001}"
export HYTE_ENV="${HYTE_ENV:-development}"
if [ "$HYTE_ENV" = "development" ]; then
  # development: the demo (partners, demo portal) and the published development secrets of
  # bot/settings.py, with a loud warning from every process; production refuses all of them
  export HYTE_DEMO="${HYTE_DEMO:-1}"
  export RASA_AUTH_TOKEN="${RASA_AUTH_TOKEN:-dev-token-change-me}"
  export ACTION_SERVER_TOKEN="${ACTION_SERVER_TOKEN:-dev-action-token-change-me}"
  echo "==> DEVELOPMENT MODE: published development secrets and demo data; never expose these ports." >&2
  echo "    For a county: HYTE_ENV=production and the secrets in README 'Deploying for a county'." >&2
fi
export ACTION_ENDPOINT_URL="${ACTION_ENDPOINT_URL:-http://127.0.0.1:${ACTION_PORT}/webhook}"
export TRACKER_DB="${TRACKER_DB:-$(pwd)/${HYTE_DATA_DIR:-var}/trackers.sqlite}"
export RASA_URL="${RASA_URL:-http://127.0.0.1:${RASA_PORT}}"
export RASA_PUBLIC_URL="${RASA_PUBLIC_URL-http://localhost:${RASA_PORT}}"
export ACTION_SERVER_URL="${ACTION_SERVER_URL:-http://127.0.0.1:${ACTION_PORT}}"
export CATALOG_URL="${CATALOG_URL:-http://127.0.0.1:${CATALOG_PORT}}"
export PUBLIC_URL="${PUBLIC_URL:-http://localhost:${CATALOG_PORT}}"
export PRIVATE_URL="${PRIVATE_URL:-http://127.0.0.1:${PRIVATE_PORT}}"
model="${RASA_MODEL:-models/current.tar.gz}"

# The search cache: a private Redis under the data folder, unless REDIS_URL points elsewhere.
# REDIS_URL= (empty) runs without a cache.
REDIS_PORT="${REDIS_PORT:-6390}"
start_redis=""
if [ -z "${REDIS_URL+set}" ] && command -v redis-server >/dev/null; then
  redis_password="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"  # a new one every start
  export REDIS_URL="redis://:${redis_password}@127.0.0.1:${REDIS_PORT}/0"
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
  # the password goes in on standard input, not the command line
  printf 'requirepass %s\n' "$redis_password" | redis-server - --port "$REDIS_PORT" --bind 127.0.0.1 \
    --dir "${HYTE_DATA_DIR:-var}/redis" --save "" --appendonly no --maxmemory 256mb \
    --maxmemory-policy allkeys-lru --loglevel warning &
  pids+=($!)
fi
# every listener on 127.0.0.1 unless CATALOG_HOST / RASA_HOST / ACTION_HOST / PRIVATE_HOST say
# otherwise; the private listener (internal, partner and admin APIs) is on PRIVATE_PORT
.venv/bin/python -m bot.catalog serve --port "$CATALOG_PORT" --private-port "$PRIVATE_PORT" &
pids+=($!)
.venv/bin/python -m bot.action_server --actions actions --port "$ACTION_PORT" &
pids+=($!)
# the token comes from RASA_AUTH_TOKEN, not the command line (visible in ps)
.venv-rasa/bin/python -m bot.rasa_server --model "$model" \
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
