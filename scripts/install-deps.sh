#!/usr/bin/env bash
# Installs what hrtrack needs to build, run and test, from Debian 12 packages only (and, for
# the browser tests, the npm registry). Safe to run again: installs only what is missing.
set -euo pipefail
PKGS=(cmake g++ ninja-build pkg-config python3 sqlite3 libsqlite3-dev libcpp-httplib-dev
  nlohmann-json3-dev libkainjow-mustache-dev libsodium-dev libicu-dev libxlsxwriter-dev
  libzip-dev zlib1g-dev libexpat1-dev libcli11-dev libspdlog-dev libfmt-dev libgtest-dev
  libgmock-dev libbenchmark-dev libroaring-dev libxapian-dev clang libclang-rt-14-dev clang-format
  libcurl4-openssl-dev postgresql wrk time chromium fonts-dejavu-core fonts-noto-core
  python3-openpyxl libreoffice-calc-nogui)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
SUDO=""
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}" >&2
  [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Node.js for the browser tests (Debian's, unless one is already installed).
if ! command -v npm >/dev/null; then
  DEBIAN_FRONTEND=noninteractive ${SUDO:-} apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
# playwright-core and axe-core from the npm registry (no browser download: Debian's Chromium);
# @redocly/cli, ajv and ajv-formats for the OpenAPI test (tests/http/test_openapi.py);
# openapi-typescript and typescript for the generated-client test (tests/http/test_openapi_client.py).
cd "$(dirname "$0")/../tests/browser"
missing_node=0
for m in playwright-core axe-core @redocly/cli ajv ajv-formats openapi-typescript typescript; do
  [[ -d node_modules/$m ]] || missing_node=1
done
if [[ $missing_node == 1 || package-lock.json -nt node_modules ]]; then
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
fi
