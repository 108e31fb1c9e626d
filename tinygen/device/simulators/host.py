"""The host board's firmware runs as a child process; its stdin/stdout are the serial link."""

from __future__ import annotations

import os
import select
import subprocess

from ...errors import SimulatorError
from ... import tools


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


class HostProcess:
    """Context manager: starts the host firmware, yields a PipePort, always stops it."""

    def __init__(self, binary: str, log_path: str | None = None, env: dict | None = None):
        self.binary = binary
        self.log_path = log_path
        self.env = env
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> PipePort:
        cmd = [self.binary]
        tools.log_command(cmd)
        stderr = open(self.log_path, "wb") if self.log_path else subprocess.DEVNULL
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, bufsize=0,
                                     env={**os.environ, **(self.env or {})})
        if self.log_path:
            stderr.close()
        return PipePort(self.proc)

    def __exit__(self, *exc) -> None:
        stop_process(self.proc)


def stop_process(proc: subprocess.Popen | None, grace: float = 2.0) -> None:
    if proc is None or proc.poll() is not None:
        return
    try:
        if proc.stdin:
            proc.stdin.close()
    except OSError:
        pass
    proc.terminate()
    try:
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
