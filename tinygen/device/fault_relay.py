"""A fault-injecting TCP relay for testing serial links: it sits between a client and a serial
port served over TCP (`tinygen sim --serve`) and damages bytes at a set rate, in both directions:
a flipped bit, a dropped byte or an inserted random byte, chosen at random. Seeded: the same seed
and traffic give the same damage. It counts what it did, so a test can check that every fault was
either recovered from or reported."""

from __future__ import annotations

import random
import socket
import threading
import time


class FaultRelay:
    def __init__(self, upstream: tuple[str, int], rate: float, seed: int = 0, listen_port: int = 0):
        self.upstream = upstream
        self.rate = rate
        self.rng = random.Random(seed)
        self.lock = threading.Lock()
        self.counts = {"flipped": 0, "dropped": 0, "inserted": 0, "bytes": 0}
        self.server = socket.socket()
        self.server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.server.bind(("127.0.0.1", listen_port))
        self.server.listen(1)
        self.port = self.server.getsockname()[1]
        self.url = f"socket://127.0.0.1:{self.port}"
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    @property
    def damaged(self) -> int:
        return self.counts["flipped"] + self.counts["dropped"] + self.counts["inserted"]

    def damage(self, data: bytes) -> bytes:
        out = bytearray()
        with self.lock:
            for b in data:
                self.counts["bytes"] += 1
                if self.rng.random() >= self.rate:
                    out.append(b)
                    continue
                kind = self.rng.randrange(3)
                if kind == 0:
                    out.append(b ^ (1 << self.rng.randrange(8)))
                    self.counts["flipped"] += 1
                elif kind == 1:
                    self.counts["dropped"] += 1
                else:
                    out += bytes([b, self.rng.randrange(256)])
                    self.counts["inserted"] += 1
        return bytes(out)

    def start(self) -> "FaultRelay":
        t = threading.Thread(target=self._serve, daemon=True)
        t.start()
        self._threads.append(t)
        return self

    def _serve(self) -> None:
        self.server.settimeout(0.2)
        while not self._stop.is_set():
            try:
                client, _ = self.server.accept()
            except socket.timeout:
                continue
            upstream = self._connect()
            if upstream is None:
                client.close()
                return
            for a, b in ((client, upstream), (upstream, client)):
                t = threading.Thread(target=self._pump, args=(a, b), daemon=True)
                t.start()
                self._threads.append(t)
            return

    def _connect(self) -> socket.socket | None:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and not self._stop.is_set():
            try:
                s = socket.create_connection(self.upstream, timeout=1)
                s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                return s
            except OSError:
                time.sleep(0.05)
        return None

    def _pump(self, src: socket.socket, dst: socket.socket) -> None:
        src.settimeout(0.2)
        while not self._stop.is_set():
            try:
                data = src.recv(4096)
            except socket.timeout:
                continue
            except OSError:
                break
            if not data:
                break
            try:
                dst.sendall(self.damage(data))
            except OSError:
                break
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def stop(self) -> None:
        self._stop.set()
        self.server.close()

    def __enter__(self) -> "FaultRelay":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
