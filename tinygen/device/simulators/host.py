"""The host board's firmware runs as a child process; its stdin/stdout are the serial link."""

from __future__ import annotations

import os
import select
import subprocess

from ...errors import SimulatorError
from .base import Simulator
from .process import start_process, stop_process

__all__ = ["HostProcess", "PipePort", "stop_process"]


class PipePort:
    """A serial-port look-alike over a child's pipes: read(n) honours `timeout`, write(b)."""

    def __init__(self, proc: subprocess.Popen):
        self.proc = proc
        self.timeout = 1.0
        self._out = proc.stdout.fileno()

    def read(self, n: int) -> bytes:
        ready, _, _ = select.select([self._out], [], [], self.timeout)
        if not ready:
            return b""
        data = os.read(self._out, n)
        if not data and self.proc.poll() is not None:
            raise SimulatorError(f"firmware process exited with status {self.proc.returncode}")
        return data

    def write(self, data: bytes) -> int:
        self.proc.stdin.write(data)
        self.proc.stdin.flush()
        return len(data)

    def close(self) -> None:
        pass


class HostProcess(Simulator):
    """Starts the host firmware, yields a PipePort, always stops it."""

    name = "host"

    def __init__(self, binary, board=None, log_path=None, env: dict | None = None):
        super().__init__(binary, board or {}, log_path)
        self.extra_env = env
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> PipePort:
        # stderr goes to the log; stdout is the link.
        self.proc = start_process([self.elf], self.log_path, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  env={**os.environ, **(self.extra_env or {})}, bufsize=0)
        return PipePort(self.proc)

    def __exit__(self, *exc) -> None:
        stop_process(self.proc)
