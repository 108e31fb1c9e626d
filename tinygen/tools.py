"""Every external program is found and started through here: one clear line when it is missing."""

from __future__ import annotations

import shutil
import subprocess
import sys

from .errors import ToolMissingError

INSTALL_HINTS = {
    "arm-none-eabi-gcc": "apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi",
    "arm-none-eabi-size": "apt-get install binutils-arm-none-eabi",
    "arm-none-eabi-g++": "apt-get install gcc-arm-none-eabi",
    "c++": "apt-get install g++",
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


# The C++ standard library for arm-none-eabi is separate Debian packages from the compiler: the
# headers (libstdc++-arm-none-eabi-dev) and the libraries per multilib (-newlib). TFLM needs both.
CXX_LIBRARY_HINT = "apt-get install libstdc++-arm-none-eabi-newlib libstdc++-arm-none-eabi-dev"
_cxx_checked: set[tuple[str, ...]] = set()


def require_cxx_library(compiler: str, flags: list[str]) -> None:
    """Compiles a one-line C++ file that includes <cstddef> for these CPU flags and looks for the
    multilib's libstdc++.a: a compiler without its C++ library fails here in one line, not deep inside a
    TFLM build with `fatal error: cstddef`."""
    key = (compiler, *flags)
    if key in _cxx_checked:
        return
    require(compiler)
    cmd = [compiler, *flags, "-x", "c++", "-fsyntax-only", "-"]
    log_command(cmd)
    res = subprocess.run(cmd, input="#include <cstddef>\n", capture_output=True, text=True)
    missing = None
    if res.returncode:
        missing = "its headers (<cstddef> not found)" if "cstddef" in res.stderr else res.stderr.strip().splitlines()[0]
    else:
        lib = subprocess.run([compiler, *flags, "-print-file-name=libstdc++.a"], capture_output=True, text=True)
        if not lib.stdout.strip().startswith("/"):  # gcc echoes the bare name when it has no such file
            missing = f"libstdc++.a for {' '.join(flags)}"
    if missing:
        where = " ".join(flags) or "the host"
        hint = CXX_LIBRARY_HINT if compiler.startswith("arm-none-eabi") else "apt-get install g++"
        raise ToolMissingError(f"{compiler} has no C++ standard library for {where}: missing {missing} "
                               f"(install: {hint}, or run make setup)")
    _cxx_checked.add(key)


def log_command(cmd: list[str], cwd=None) -> None:
    if VERBOSE:
        where = f" (in {cwd})" if cwd else ""
        print("+ " + " ".join(str(c) for c in cmd) + where, file=sys.stderr)


def run(cmd: list[str], cwd=None, timeout: float | None = None) -> subprocess.CompletedProcess:
    require(cmd[0])
    log_command(cmd, cwd)
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout)
