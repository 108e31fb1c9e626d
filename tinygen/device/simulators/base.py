"""The one simulator interface. A simulator runs a built ELF for a board and serves the firmware's
UART; used as a context manager it yields a pyserial-like port and is always stopped on the way out
(error, timeout, Ctrl-C; and by the kernel if tinygen itself is killed, see process.py).

Simulators whose UART is a TCP server (QEMU, Renode, rp2040js) subclass `TcpUartSimulator` and
only say how to start themselves (`command`) and how to recognise a failed start."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import serial

from ...errors import SimulatorError
from .process import start_process, stop_process


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Simulator:
    """Base: `name` (as in `--simulator`), `describe()` for results.json, `timer_unit` when the
    simulator fixes what the firmware's timer counts (None: the board's own unit)."""

    name = ""
    timer_unit: str | None = None

    def __init__(self, elf: str | Path, board: dict, log_path: str | Path | None = None):
        self.elf = str(elf)
        self.board = board
        self.log_path = str(log_path) if log_path else None

    def describe(self) -> str:
        return self.name

    def __enter__(self):
        raise NotImplementedError

    def __exit__(self, *exc) -> None:
        raise NotImplementedError

    def serve(self, host: str, port: int) -> int:
        raise SimulatorError(f"{self.name} cannot serve the UART on a TCP port")


class PortInUse(Exception):
    pass


class TcpUartSimulator(Simulator):
    """A simulator process whose guest UART is a TCP server on 127.0.0.1:PORT."""

    program = ""
    connect_timeout = 10.0

    def __init__(self, elf, board, log_path=None):
        super().__init__(elf, board, log_path)
        self.proc = None
        self.port = None
        self.command: list[str] = []

    # -- what a subclass says
    def make_command(self, host: str, port: int) -> list[str]:
        raise NotImplementedError

    def check_available(self) -> None:
        """Raise ToolMissingError (one line, how to install) when the simulator is not installed."""

    def env(self) -> dict | None:
        return None

    def failed_while_running(self, log_text: str) -> str | None:
        """Why a simulator that is still running will never serve the UART (a script error), or None."""
        return None

    def _start(self, cmd: list[str]):
        """Starts the simulator process (a subclass may give it stdin, a working folder...)."""
        return start_process(cmd, self.log_path, env=self.env())

    def start_failed(self, log_text: str) -> str | None:
        """The reason a process that exited at start gave, or None; PortInUse to retry."""
        if "Address already in use" in log_text:
            raise PortInUse()
        lines = log_text.strip().splitlines()
        return lines[-1] if lines else None

    # -- shared mechanics
    def _check_elf(self) -> None:
        if not Path(self.elf).is_file():
            raise SimulatorError(f"{self.elf}: firmware not built (run tinygen build)")

    def __enter__(self):
        self.check_available()
        self._check_elf()
        for _ in range(3):  # the free port may be taken between our probe and the simulator's bind
            port = free_port()
            self.command = self.make_command("127.0.0.1", port)
            self.proc = self._start(self.command)
            try:
                self.port = self._connect(port)
                return self.port
            except PortInUse:
                stop_process(self.proc)
                continue
            except BaseException:
                stop_process(self.proc)
                raise
        raise SimulatorError(f"{self.describe()}: could not get a free TCP port for the guest UART")

    def _log_text(self) -> str:
        return Path(self.log_path).read_text(errors="replace") if self.log_path and Path(self.log_path).exists() else ""

    def _connect(self, port: int):
        deadline = time.monotonic() + self.connect_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                reason = self.start_failed(self._log_text()) or f"exit status {self.proc.returncode}"
                raise SimulatorError(f"{self.describe()} stopped at start: {reason}")
            reason = self.failed_while_running(self._log_text())
            if reason:
                raise SimulatorError(f"{self.describe()} failed at start: {reason}")
            try:
                return serial.serial_for_url(f"socket://127.0.0.1:{port}", timeout=0.05)
            except (serial.SerialException, OSError):
                time.sleep(0.05)
        raise SimulatorError(f"{self.describe()}: guest UART not reachable within {self.connect_timeout:.0f} s")

    def __exit__(self, *exc) -> None:
        try:
            if self.port is not None:
                self.port.close()
        finally:
            stop_process(self.proc)

    def serve(self, host: str, port: int) -> int:
        """Runs the simulator with the guest UART served on host:port until it ends or Ctrl-C."""
        self.check_available()
        self._check_elf()
        self.proc = self._start(self.make_command(host, port))
        try:
            return self.proc.wait()
        finally:
            stop_process(self.proc)
