#!/usr/bin/env bash
# Generate the demo catalog (when its generator changed) and load it into the catalog store.
set -euo pipefail
cd "$(dirname "$0")/.."
data_dir="${HYTE_DATA_DIR:-var}"
demo="${DEMO_CATALOG_DIR:-$data_dir/demo-catalog}"
hash=$(cat bot/demo/*.py bot/catalog/*.py bot/finnish/*.py bot/data/*.csv | sha256sum | cut -c1-12)
stamp="$demo/.generated-$hash"
if [ ! -f "$stamp" ]; then
  echo "==> Generating the demo catalog into $demo"
  .venv/bin/python -m bot.demo.generator "$demo"
  touch "$stamp"
fi
loaded="$data_dir/.loaded-$hash"
if [ ! -f "$loaded" ] || [ ! -f "$data_dir/catalog.sqlite" ] || [ -n "${CATALOG_DATABASE_URL:-}" ]; then
  echo "==> Loading the demo catalog"
  PYTHONPATH=. .venv/bin/python -m bot.catalog import "$demo"
  rm -f "$data_dir"/.loaded-*
  touch "$loaded"
fi
