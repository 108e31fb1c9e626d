#!/usr/bin/env bash
# Renode for tinygen's simulated STM32 boards, when the shared tarball is there (CI, developers):
# the Debian packages it needs (Mono), the tarball unpacked once into a cache outside the
# repository, and what its `renode-test` (Robot Framework) needs in the project's venv.
# Idempotent: a second run checks and returns. Users with their own Renode need none of this:
# tinygen finds `renode` on PATH or $RENODE (docs/boards.md).
set -euo pipefail
cd "$(dirname "$0")/.."

RENODE_VERSION=1.15.3
TARBALL=${RENODE_TARBALL:-../shared/tools/renode/renode-$RENODE_VERSION-mono.tar.gz}
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/tinygen/renode-$RENODE_VERSION
VENV=${VENV:-.venv}
# From the tarball's README: each one is needed (checked one by one); libllvm14 only for disassembly.
# gcc and python3-dev build psutil, which renode-test needs and which has no wheel for every Python.
RENODE_APT=(mono-runtime libmono-posix4.0-cil libmono-microsoft-csharp4.0-cil libmono-system-xml-linq4.0-cil
            libmono-system-drawing4.0-cil libllvm14 gcc python3-dev)

if [ ! -f "$TARBALL" ]; then
  echo "setup: no Renode tarball at $TARBALL; Renode tests will be skipped (or install Renode: renode.io)"
  exit 0
fi

missing=()
for pkg in "${RENODE_APT[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages for Renode: ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "error: need root or sudo to install ${missing[*]}" >&2; exit 2; }
    SUDO=sudo
  fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "setup: Debian packages for Renode present"
fi

# Unpacked once; the stamp holds the tarball's size and time, so a new tarball is unpacked again.
stamp="$CACHE/.tinygen-unpacked"
want=$(stat -c '%s %Y' "$TARBALL")
if [ ! -x "$CACHE/renode" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: unpacking Renode $RENODE_VERSION into $CACHE"
  tmp="$CACHE.partial.$$"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  tar -xzf "$TARBALL" -C "$tmp"
  # the tarball holds the tree itself or one top folder with it
  top="$tmp"
  if [ ! -e "$tmp/renode" ] && [ "$(ls -A "$tmp" | wc -l)" -eq 1 ]; then
    top="$tmp/$(ls -A "$tmp")"
  fi
  [ -e "$top/renode" ] || { echo "error: $TARBALL has no renode launcher" >&2; rm -rf "$tmp"; exit 2; }
  echo "$want" > "$top/.tinygen-unpacked"
  rm -rf "$CACHE"
  mv "$top" "$CACHE"
  rm -rf "$tmp"
else
  echo "setup: Renode $RENODE_VERSION is unpacked in $CACHE"
fi

# renode-test runs `python3` from PATH: tinygen's tests put the venv's bin/ first.
if [ -x "$VENV/bin/python" ]; then
  req="$CACHE/tests/requirements.txt"
  [ -f "$req" ] || req=../shared/tools/renode/robot-requirements.txt
  if ! "$VENV/bin/python" -c "import robot, psutil, elftools, construct, RetryFailed" 2>/dev/null; then
    echo "setup: installing renode-test's Python packages into $VENV"
    "$VENV/bin/python" -m pip install -q -r "$req"
  else
    echo "setup: renode-test's Python packages present in $VENV"
  fi
fi
