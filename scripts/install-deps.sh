#!/usr/bin/env bash
# Installs Parley's build and test dependencies from Debian 12 packages.
# Idempotent: packages already present are skipped; apt-get update runs only when needed.
set -euo pipefail

build_packages=(
  build-essential cmake pkg-config git mold ccache
  libboost-system-dev libboost-dev
  libssl-dev openssl
  libexpat1-dev
  libidn-dev
  libstrophe-dev
  nlohmann-json3-dev
  libsqlitecpp-dev libsqlite3-dev
  libgtest-dev libgmock-dev
  libosip2-dev
  libjemalloc-dev  # parleyd's allocator (PARLEY_JEMALLOC)
)
test_packages=(
  clang-format
  python3-slixmpp
  sipsak
  baresip-core
  sqlite3          # the compliance durability test reads the room archive with it
)

want=("${build_packages[@]}")
if [ "${1:-}" = "--with-tests" ]; then
  want+=("${test_packages[@]}")
fi

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#want[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
