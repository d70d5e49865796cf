#!/usr/bin/env bash
# Train the Rasa model only when the training data, domain, config or Finnish components changed.
# The model is named by a hash of those inputs; models/current.tar.gz points at the newest.
set -euo pipefail
cd "$(dirname "$0")/.."
inputs=$(find config.yml domain.yml data bot/rasa bot/finnish bot/safety.py bot/data -type f \
  \( -name '*.yml' -o -name '*.py' -o -name '*.csv' \) | LC_ALL=C sort)
hash=$(cat $inputs | sha256sum | cut -c1-12)
model="models/hyte-${hash}.tar.gz"
if [ -f "$model" ]; then
  echo "==> Model is up to date: $model"
else
  echo "==> Training data changed: training $model (about 2 minutes on 2 cores)"
  mkdir -p models
  start=$(date +%s)
  PYTHONPATH=. TF_CPP_MIN_LOG_LEVEL=2 .venv-rasa/bin/rasa train --fixed-model-name "hyte-${hash}" \
    --out models --domain domain.yml --data data --config config.yml
  echo "==> Trained in $(( $(date +%s) - start )) s"
  find models -name 'hyte-*.tar.gz' ! -name "hyte-${hash}.tar.gz" -delete
fi
ln -sf "hyte-${hash}.tar.gz" models/current.tar.gz
