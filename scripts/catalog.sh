#!/usr/bin/env bash
# Generate the demo catalog (when its generator changed) and load it into the catalog store.
#
# Only into the development default, the SQLite file under the data folder (CATALOG_DATABASE_URL
# unset), or wherever HYTE_DEMO=1 asks for it explicitly: a configured catalog (a county's
# PostgreSQL or SQLite filled by `make sync`) is never overwritten by `make run` or `make catalog`.
set -euo pipefail
cd "$(dirname "$0")/.."
data_dir="${HYTE_DATA_DIR:-var}"
demo="${DEMO_CATALOG_DIR:-$data_dir/demo-catalog}"
configured_url="$(printf '%s' "${CATALOG_DATABASE_URL:-}" | tr -d '[:space:]')"
demo_flag="$(printf '%s' "${HYTE_DEMO:-}" | tr -d '[:space:]' | tr '[:upper:]' '[:lower:]')"
case "$demo_flag" in 1|true|yes|on) demo_asked=1 ;; *) demo_asked="" ;; esac

if [ -n "$configured_url" ] && [ -z "$demo_asked" ]; then
  echo "==> CATALOG_DATABASE_URL is set: leaving the configured catalog alone (no demo catalog loaded;" \
       "HYTE_DEMO=1 would load it there, 'make sync' updates it from PTV)"
  exit 0
fi

hash=$(cat bot/demo/*.py bot/catalog/*.py bot/finnish/*.py bot/data/*.csv | sha256sum | cut -c1-12)
stamp="$demo/.generated-$hash"
if [ ! -f "$stamp" ]; then
  echo "==> Generating the demo catalog into $demo"
  .venv/bin/python -m bot.demo.generator "$demo"
  touch "$stamp"
fi
loaded="$data_dir/.loaded-$hash"
if [ -n "$configured_url" ]; then  # HYTE_DEMO=1 with a configured catalog: asked for, so every time
  echo "==> Loading the demo catalog into the configured catalog (HYTE_DEMO=1)"
elif [ -f "$loaded" ] && [ -f "$data_dir/catalog.sqlite" ]; then
  exit 0
else
  # The default file may hold a real catalog (`make sync` without CATALOG_DATABASE_URL): only a
  # missing file or one the demo catalog was imported into is (re)loaded without HYTE_DEMO=1.
  source=""
  if [ -f "$data_dir/catalog.sqlite" ]; then
    source=$(.venv/bin/python - "$data_dir/catalog.sqlite" "$demo" <<'PY'
import os, sqlite3, sys
try:
    with sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True) as db:
        row = db.execute("SELECT value FROM catalog_meta WHERE key = 'source'").fetchone()
except sqlite3.Error:
    row = None
if row and row[0] and os.path.realpath(row[0]) != os.path.realpath(sys.argv[2]):
    print(row[0])
PY
)
  fi
  if [ -n "$source" ] && [ -z "$demo_asked" ]; then
    echo "==> $data_dir/catalog.sqlite holds a catalog from $source: leaving it alone (HYTE_DEMO=1 would" \
         "load the demo catalog over it)"
    exit 0
  fi
  echo "==> Loading the demo catalog"
fi
# A second writer (a sync or import already running) is refused with exit status 75.
PYTHONPATH=. .venv/bin/python -m bot.catalog import "$demo"
if [ -z "$configured_url" ]; then
  rm -f "$data_dir"/.loaded-*
  touch "$loaded"
fi
