"""rp2040js (npm, MIT): an RP2040 with Cortex-M0+ cycle timings, run by our own node script
(rp2040js_runner.js) that boots the UF2 as the boot ROM would and serves UART0 on a TCP port.
Installed by scripts/setup.sh into ${XDG_CACHE_HOME:-~/.cache}/tinygen/rp2040js (env TINYGEN_RP2040JS)."""

from __future__ import annotations

import os
from pathlib import Path

from ... import tools
from ...errors import ToolMissingError
from .base import TcpUartSimulator

RUNNER = Path(__file__).with_name("rp2040js_runner.js")
INSTALL_HINT = "run make setup (or: npm install --prefix ~/.cache/tinygen/rp2040js rp2040js@1.4.1)"


def rp2040js_dir() -> Path:
    env = os.environ.get("TINYGEN_RP2040JS")
    if env:
        return Path(env)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "tinygen" / "rp2040js"


class Rp2040js(TcpUartSimulator):
    name = "rp2040js"
    timer_unit = "cycles"  # SysTick counts core cycles; rp2040js models the M0+'s

    def describe(self) -> str:
        return "rp2040js 1.4.1 (RP2040, Cortex-M0+ cycles)"

    def check_available(self) -> None:
        tools.require("node")
        if not (rp2040js_dir() / "node_modules" / "rp2040js" / "package.json").is_file():
            raise ToolMissingError(f"rp2040js is not installed in {rp2040js_dir()}: {INSTALL_HINT}")

    def uf2(self) -> Path:
        """firmware.uf2 beside the ELF (tinygen build writes it); rewritten when older than the ELF."""
        from ...build.uf2 import elf_to_uf2
        from ...boards.registry import CHIPS
        from ...fsutil import write_bytes_atomic

        elf = Path(self.elf)
        path = elf.with_suffix(".uf2")
        if not path.is_file() or path.stat().st_mtime < elf.stat().st_mtime:
            write_bytes_atomic(path, elf_to_uf2(elf, CHIPS["rp2040"]["uf2_family"]))
        return path

    def make_command(self, host: str, port: int) -> list[str]:
        return ["node", str(RUNNER), str(rp2040js_dir()), str(self.uf2()), host, str(port)]
