#!/usr/bin/env bash
# Install what is missing: Debian packages, the Rasa environment (Python 3.10) and the services
# environment (Python 3.11). Re-running is cheap: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

DEBIAN_PACKAGES=(libvoikko1 voikko-fi redis-server)
missing=()
for pkg in "${DEBIAN_PACKAGES[@]}" ${EXTRA_DEBIAN_PACKAGES:-}; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> Installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

make_venv() {  # dir python-version lockfile
  local dir="$1" version="$2" lock="$3"
  local stamp="$dir/.installed-$(sha256sum "$lock" | cut -c1-16)"
  [ -f "$stamp" ] && return 0
  echo "==> Preparing $dir (Python $version) from $lock"
  if [ ! -x "$dir/bin/python" ]; then
    "$(scripts/find-python.sh "$version")" -m venv "$dir"
  fi
  "$dir/bin/pip" install -q --upgrade "pip<25" >/dev/null
  "$dir/bin/pip" install -q --no-deps -r "$lock"
  "$dir/bin/pip" check >/dev/null || { "$dir/bin/pip" check; exit 1; }
  rm -f "$dir"/.installed-*
  touch "$stamp"
}
make_venv .venv-rasa 3.10 requirements/rasa.lock
make_venv .venv 3.11 requirements/services.lock
