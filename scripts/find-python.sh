#!/usr/bin/env bash
# Print the path of a working Python interpreter of the given version (e.g. 3.10).
set -euo pipefail
version="$1"
candidates=("python${version}")
if command -v pyenv >/dev/null 2>&1; then
  for dir in "$(pyenv root)"/versions/"${version}".*; do
    [ -x "$dir/bin/python${version}" ] && candidates+=("$dir/bin/python${version}")
  done
fi
candidates+=(/usr/bin/python"${version}" /usr/local/bin/python"${version}")
for candidate in "${candidates[@]}"; do
  if "$candidate" -c 'import sys' >/dev/null 2>&1; then
    command -v "$candidate" 2>/dev/null || echo "$candidate"
    exit 0
  fi
done
echo "error: Python ${version} not found (tried: ${candidates[*]})" >&2
exit 1
