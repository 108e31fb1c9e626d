"""Every external program is found and started through here: one clear line when it is missing."""

from __future__ import annotations

import shutil
import subprocess
import sys

from .errors import ToolMissingError

INSTALL_HINTS = {
    "arm-none-eabi-gcc": "apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi",
    "arm-none-eabi-size": "apt-get install binutils-arm-none-eabi",
    "qemu-system-arm": "apt-get install qemu-system-arm",
    "node": "apt-get install nodejs npm",
    "make": "apt-get install make",
    "cc": "apt-get install gcc",
    "size": "apt-get install binutils",
}

VERBOSE = False


def require(program: str) -> str:
    path = shutil.which(program)
    if path is None:
        hint = INSTALL_HINTS.get(program, f"install {program}")
        raise ToolMissingError(f"{program} not found (install: {hint}, or run make setup)")
    return path


def log_command(cmd: list[str], cwd=None) -> None:
    if VERBOSE:
        where = f" (in {cwd})" if cwd else ""
        print("+ " + " ".join(str(c) for c in cmd) + where, file=sys.stderr)


def run(cmd: list[str], cwd=None, timeout: float | None = None) -> subprocess.CompletedProcess:
    require(cmd[0])
    log_command(cmd, cwd)
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout)
