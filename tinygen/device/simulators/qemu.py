"""QEMU for Cortex-M boards: deterministic (-icount shift=0: the clock advances with retired
instructions), the guest UART a TCP server that QEMU waits on, so nothing printed at boot is lost."""

from __future__ import annotations

from ... import tools
from .base import TcpUartSimulator

QEMU = "qemu-system-arm"


def qemu_command(elf: str, machine: str, serial_spec: str) -> list[str]:
    return [
        QEMU, "-M", machine, "-display", "none", "-monitor", "none",
        "-icount", "shift=0,sleep=off,align=off",
        "-serial", serial_spec, "-kernel", str(elf),
    ]


class Qemu(TcpUartSimulator):
    name = "qemu"

    @property
    def machine(self) -> str:
        return self.board["simulator"]["qemu"]["machine"]

    def describe(self) -> str:
        return f"{QEMU} -M {self.machine}"

    def check_available(self) -> None:
        tools.require(QEMU)

    def make_command(self, host: str, port: int) -> list[str]:
        return qemu_command(self.elf, self.machine, f"tcp:{host}:{port},server=on,wait=on,nodelay=on")
