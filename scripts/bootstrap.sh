#!/usr/bin/env bash
# Set up everything motcua needs on Debian 12 (apt packages, .venv, the project) and
# then run it or its tests. Idempotent: a second run reuses what is there.
#   scripts/bootstrap.sh run     # the application (GUI demo with a DISPLAY, headless demo without)
#   scripts/bootstrap.sh test    # the whole test suite (what .ci/run calls)
#   scripts/bootstrap.sh setup   # only install
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
ACTION=${1:-run}
shift || true

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

missing=()
while read -r pkg; do
  [ -z "$pkg" ] || [ "${pkg#\#}" != "$pkg" ] && continue
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
done < scripts/apt-packages.txt
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11+ is needed" >&2; exit 1; }
  echo "==> creating .venv"
  "$PY" -m venv .venv
fi
stamp=.venv/.motcua-installed
want=$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "==> installing Python packages into .venv"
  .venv/bin/python -m pip install -q --upgrade pip wheel setuptools
  .venv/bin/python -m pip install -q -e ".[test]"
  echo "$want" > "$stamp"
fi

case "$ACTION" in
  setup) echo "==> ready: .venv/bin/motcua" ;;
  run)
    if [ -n "${DISPLAY:-}" ]; then exec .venv/bin/motcua gui --demo "$@"; else exec .venv/bin/motcua demo "$@"; fi ;;
  test)
    export QT_QPA_PLATFORM=offscreen
    # one worker per core (MOTCUA_TEST_WORKERS=0 runs in this process); a file's tests stay in one
    # worker, so its module fixtures (a frozen build, OCR pools) are made once. The tests of the
    # real pcscd (one per machine) in two files wait for each other on tests/signing/pcsc.py's lock.
    exec .venv/bin/python -m pytest -q -p no:cacheprovider -n "${MOTCUA_TEST_WORKERS:-auto}" --dist loadfile "$@" ;;
  *) echo "usage: $0 run|test|setup" >&2; exit 2 ;;
esac
