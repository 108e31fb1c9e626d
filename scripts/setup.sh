#!/usr/bin/env bash
# Idempotent set-up for tinygen: Debian packages, a .venv, and the package with its dev extras.
# Skips what is already present. Run as root or with sudo available.
set -euo pipefail
cd "$(dirname "$0")/.."

# libstdc++-arm-none-eabi-*: the C++ library (headers, and libraries per multilib) that --runtime tflm
# needs; g++: the host board's TFLM build; ccache: tinygen build compiles through it when present.
APT_PACKAGES=(gcc-arm-none-eabi libnewlib-arm-none-eabi binutils-arm-none-eabi libstdc++-arm-none-eabi-newlib
              libstdc++-arm-none-eabi-dev qemu-system-arm make gcc g++ libc6-dev ccache)
VENV=${VENV:-.venv}
PYTHON=${PYTHON:-python3}

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ! "$PYTHON" -m venv --help >/dev/null 2>&1; then
  missing+=(python3-venv)
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "error: need root or sudo to install ${missing[*]}" >&2; exit 2; }
    SUDO=sudo
  fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "setup: Debian packages present"
fi

if [ ! -x "$VENV/bin/python" ]; then
  echo "setup: creating $VENV"
  "$PYTHON" -m venv "$VENV"
fi
stamp="$VENV/.tinygen-installed"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "setup: installing tinygen[dev] into $VENV (TensorFlow is large: a few minutes the first time)"
  "$VENV/bin/python" -m pip install -q --upgrade pip >/dev/null
  "$VENV/bin/python" -m pip install -q -e '.[dev]'
  touch "$stamp"
else
  echo "setup: $VENV is up to date"
fi

# Renode (simulated STM32 boards) when ../shared/tools/renode is there; skipped otherwise.
VENV="$VENV" bash scripts/setup_renode.sh

# rp2040js (the RP2040 emulator for board pico) at a pinned version, with npm, outside the package.
RP2040JS_DIR=${TINYGEN_RP2040JS:-${XDG_CACHE_HOME:-$HOME/.cache}/tinygen/rp2040js}
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "setup: installing Debian packages: nodejs npm"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
if grep -qs '"version": "1.4.1"' "$RP2040JS_DIR/node_modules/rp2040js/package.json"; then
  echo "setup: rp2040js 1.4.1 present"
else
  echo "setup: installing rp2040js 1.4.1 into $RP2040JS_DIR"
  mkdir -p "$RP2040JS_DIR"
  [ -f "$RP2040JS_DIR/package.json" ] || echo '{"name": "tinygen-rp2040js", "private": true}' > "$RP2040JS_DIR/package.json"
  npm install --prefix "$RP2040JS_DIR" --no-audit --no-fund -q rp2040js@1.4.1 >/dev/null
fi
