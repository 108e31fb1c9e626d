"""Generated project -> firmware binary, and its flash and RAM read from the ELF."""

from __future__ import annotations

import os
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from ..errors import BuildError, FitError
from ..codegen.project import load_project
from .. import tools

FLASH_SECTIONS = (".isr_vector", ".text", ".rodata", ".ARM.exidx", ".data")
RAM_SECTIONS = (".data", ".bss", ".stack")


@dataclass
class BuildResult:
    elf: str
    flash_bytes: int
    ram_bytes: int
    arena_bytes: int
    stack_bytes: int
    sections: dict

    def to_dict(self) -> dict:
        return asdict(self)


def section_sizes(elf: Path, size_tool: str) -> dict[str, int]:
    out = tools.run([size_tool, "-A", str(elf)])
    if out.returncode:
        raise BuildError(f"{elf}: {size_tool} failed: {out.stderr.strip()}")
    sizes = {}
    for line in out.stdout.splitlines():
        m = re.match(r"^(\.\S+)\s+(\d+)\s+(\d+)", line)
        if m:
            sizes[m.group(1)] = int(m.group(2))
    return sizes


def tflm_object_cache(project_dir, meta: dict, extra_cflags: str) -> str:
    """Where TFLM's compiled sources are kept between projects: one directory per tree, board flags and
    extra flags (compiling TFLM takes minutes; the generated project takes seconds)."""
    import hashlib
    import json

    tree = os.environ.get("TFLM_DIR") or _makefile_value(Path(project_dir) / "Makefile", "TFLM_DIR")
    key = json.dumps([str(tree), meta["board_spec"], extra_cflags], sort_keys=True)
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "tinygen" / "tflm"
    return str(base / hashlib.sha256(key.encode()).hexdigest()[:16])


def ccache() -> str | None:
    """ccache when it is installed and not turned off (TINYGEN_CCACHE=0): a rebuild, or a new project
    of the same board, then compiles only what changed (the kernels with sanitizers take a minute)."""
    import shutil

    if os.environ.get("TINYGEN_CCACHE", "1") == "0":
        return None
    return shutil.which("ccache")


def _makefile_value(makefile: Path, name: str) -> str:
    m = re.search(rf"^{name} \?= *(.*)$", makefile.read_text(), re.M)
    return m.group(1).strip() if m else ""


def build_project(project_dir: str | Path, extra_cflags: str = "", jobs: int | None = None,
                  meta: dict | None = None) -> BuildResult:
    """`meta`: the project's facts when the caller has them in memory (tinygen run); else tinygen.json."""
    meta = meta or load_project(project_dir)
    if meta.get("sdk"):
        raise BuildError(f"{project_dir}: a {meta['sdk']} project, built by CMake: cmake -B build "
                         f"-DPICO_SDK_PATH=<pico-sdk> && cmake --build build (see its README.md)")
    is_host = meta["board_spec"]["core"] == "host"
    tools.require("make")
    tools.require("cc" if is_host else "arm-none-eabi-gcc")
    cmd = ["make", "-j", str(jobs or os.cpu_count() or 1)]
    if ccache():
        cmd.append(f"CCACHE={ccache()}")
    if extra_cflags:
        cmd.append(f"EXTRA_CFLAGS={extra_cflags}")
    if meta.get("runtime") == "tflm":
        from ..boards.registry import Board

        tools.require_cxx_library("c++" if is_host else "arm-none-eabi-g++", Board(**meta["board_spec"]).cpu_flags)
        cmd.append(f"TFLM_OBJDIR={tflm_object_cache(project_dir, meta, extra_cflags)}")
    out = tools.run(cmd, cwd=project_dir)
    if out.returncode:
        text = (out.stderr or out.stdout).strip()
        overflow = re.search(r"region [`']?(\w+)'? overflowed by (\d+) bytes", text)
        if overflow:
            raise FitError(f"{project_dir}: firmware does not fit: {overflow.group(1)} overflowed by "
                           f"{overflow.group(2)} bytes")
        first = next((l for l in text.splitlines() if "error" in l), text.splitlines()[-1] if text else "")
        raise BuildError(f"{project_dir}: build failed: {first.strip()}")
    elf = Path(project_dir) / meta["elf"]
    chip = _chip(meta["board_spec"].get("chip"))
    if chip.get("uf2_family"):  # boards flashed by drag-and-drop (the Pico's BOOTSEL drive): firmware.uf2 beside the ELF
        from ..fsutil import write_bytes_atomic
        from .uf2 import elf_to_uf2

        write_bytes_atomic(elf.with_suffix(".uf2"), elf_to_uf2(elf, chip["uf2_family"], chip.get("uf2_abs_block")))
    sizes = section_sizes(elf, "size" if is_host else "arm-none-eabi-size")
    if not is_host:  # the real sizes against the board's regions (the fit check before was an estimate)
        from ..boards.fit import check_elf

        check_elf(sizes, meta["board_spec"].get("memory") or {}, meta["board"], str(elf))
    stack = meta["board_spec"].get("stack_bytes", 0)
    return BuildResult(
        elf=str(elf),
        flash_bytes=sum(sizes.get(s, 0) for s in FLASH_SECTIONS),
        ram_bytes=sum(sizes.get(s, 0) for s in RAM_SECTIONS),
        arena_bytes=meta["arena_bytes"],
        stack_bytes=stack,
        sections=sizes,
    )


def _chip(chip: str | None) -> dict:
    from ..boards.registry import CHIPS

    return CHIPS.get(chip, {}) if chip else {}
