"""A pseudo-terminal in front of a firmware's UART, for tools that only open serial devices by path
(the MLPerf Tiny runner: docs/protocol.md). `tinygen sim PROJECT --pty LINK` runs the simulator and
makes LINK a symlink to the pty's slave side; bytes are copied both ways until the bridge stops.

Output the firmware sends before the host's first byte is not forwarded (it goes to the log only):
a real board boots when it is powered, long before a tool opens its port, so its boot lines are never
read; forwarded, `m-init-done ... m-ready` would be read as the reply to the tool's first command
and every later reply would be one behind."""

from __future__ import annotations

import os
import pty
import select
import threading
import tty
from pathlib import Path

from ..errors import InputError


class PtyBridge:
    def __init__(self, port, link: str | Path, log=None):
        self.port = port
        self.link = Path(link).expanduser()
        self.log = log  # a binary file that gets everything the device sent, forwarded or not
        self._stop = threading.Event()
        self._host_spoke = threading.Event()
        self._threads: list[threading.Thread] = []
        self.master = self.slave = -1
        self.error: Exception | None = None

    def __enter__(self) -> "PtyBridge":
        if self.link.exists() and not self.link.is_symlink():
            raise InputError(f"--pty {self.link}: exists and is not a symlink; give a new path")
        self.master, self.slave = pty.openpty()
        tty.setraw(self.slave)  # no echo, no line editing, no CR/LF translation: bytes as they are
        # our slave descriptor stays open so that the master never reads EIO between two opens by the tool
        tmp = self.link.with_name(f".{self.link.name}.{os.getpid()}")
        tmp.unlink(missing_ok=True)
        tmp.symlink_to(os.ttyname(self.slave))
        tmp.replace(self.link)
        for target, name in ((self._to_host, "tinygen-pty-out"), (self._to_device, "tinygen-pty-in")):
            t = threading.Thread(target=target, name=name, daemon=True)
            t.start()
            self._threads.append(t)
        return self

    @property
    def device(self) -> str:
        return os.ttyname(self.slave)

    def _to_host(self) -> None:
        while not self._stop.is_set():
            try:
                self.port.timeout = 0.05
                data = self.port.read(4096)
            except Exception as exc:  # the simulator went away: the bridge ends
                self.error = exc
                self._stop.set()
                return
            if not data:
                continue
            if self.log is not None:
                self.log.write(data)
            if self._host_spoke.is_set():
                os.write(self.master, data)

    def _to_device(self) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if not ready:
                continue
            try:
                data = os.read(self.master, 4096)
            except OSError:
                continue
            if data:
                self._host_spoke.set()
                self.port.write(data)

    def wait(self) -> None:
        """Until the simulator stops (or Ctrl-C)."""
        while not self._stop.wait(0.5):
            pass

    def __exit__(self, *exc) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(2.0)
        for fd in (self.master, self.slave):
            if fd >= 0:
                os.close(fd)
        if self.link.is_symlink():
            self.link.unlink()
