"""QEMU for Cortex-M boards: start it deterministic (-icount shift=0), reach the guest UART over
a TCP socket with pyserial, always stop it (also on error, timeout or Ctrl-C)."""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

import serial

from ...errors import SimulatorError
from .host import stop_process
from ... import tools

QEMU = "qemu-system-arm"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def qemu_command(elf: str, machine: str, port: int | None = None, serial_spec: str | None = None) -> list[str]:
    if serial_spec is None:
        serial_spec = f"tcp:127.0.0.1:{port},server=on,wait=on,nodelay=on"
    return [
        QEMU, "-M", machine, "-display", "none", "-monitor", "none",
        # Deterministic time: the clock advances with retired instructions, so SysTick counts them.
        "-icount", "shift=0,sleep=off,align=off",
        "-serial", serial_spec, "-kernel", str(elf),
    ]


class Qemu:
    """Context manager yielding a pyserial port connected to the guest's first UART."""

    def __init__(self, elf: str, machine: str, log_path: str | None = None, connect_timeout: float = 10.0):
        self.elf = elf
        self.machine = machine
        self.log_path = log_path
        self.connect_timeout = connect_timeout
        self.proc: subprocess.Popen | None = None
        self.port = None
        self.command: list[str] = []

    def __enter__(self):
        tools.require(QEMU)
        if not Path(self.elf).is_file():
            raise SimulatorError(f"{self.elf}: firmware not built (run tinygen build)")
        for _ in range(3):  # the free port may be taken between our probe and QEMU's bind
            port = free_port()
            self.command = qemu_command(self.elf, self.machine, port)
            tools.log_command(self.command)
            log = open(self.log_path, "wb") if self.log_path else subprocess.DEVNULL
            self.proc = subprocess.Popen(self.command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
            if self.log_path:
                log.close()
            try:
                self.port = self._connect(port)
                return self.port
            except _PortInUse:
                stop_process(self.proc)
                continue
            except BaseException:
                stop_process(self.proc)
                raise
        raise SimulatorError(f"{QEMU}: could not get a free TCP port for the guest UART")

    def _connect(self, port: int):
        deadline = time.monotonic() + self.connect_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                text = Path(self.log_path).read_text(errors="replace") if self.log_path else ""
                if "Address already in use" in text:
                    raise _PortInUse()
                last = text.strip().splitlines()[-1] if text.strip() else f"exit status {self.proc.returncode}"
                raise SimulatorError(f"{QEMU} -M {self.machine} stopped at start: {last}")
            try:
                return serial.serial_for_url(f"socket://127.0.0.1:{port}", timeout=0.05)
            except (serial.SerialException, OSError):
                time.sleep(0.05)
        raise SimulatorError(f"{QEMU} -M {self.machine}: guest UART not reachable within {self.connect_timeout:.0f} s")

    def __exit__(self, *exc) -> None:
        try:
            if self.port is not None:
                self.port.close()
        finally:
            stop_process(self.proc)


class _PortInUse(Exception):
    pass


def serve(elf: str, machine: str, host: str, port: int, log_path: str | None = None) -> int:
    """Runs QEMU with the guest UART served on host:port until QEMU ends or Ctrl-C; returns QEMU's
    exit status. QEMU waits for the first client before the guest starts, so no output is lost."""
    tools.require(QEMU)
    if not Path(elf).is_file():
        raise SimulatorError(f"{elf}: firmware not built (run tinygen build)")
    cmd = qemu_command(elf, machine, serial_spec=f"tcp:{host}:{port},server=on,wait=on,nodelay=on")
    tools.log_command(cmd)
    log = open(log_path, "wb") if log_path else subprocess.DEVNULL
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    try:
        return proc.wait()
    finally:
        stop_process(proc)
        if log_path:
            log.close()
