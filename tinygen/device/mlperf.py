"""Host side of the MLPerf Tiny / EEMBC th_api text protocol, written from the public
specification (mlcommons/tiny benchmark/api and benchmark/runner): commands end with '%',
every reply ends with 'm-ready'; errors start with 'e-'."""

from __future__ import annotations

import re
import time

from ..errors import LinkError

LAP = re.compile(r"m-lap-us-(\d+)")
RESULTS = re.compile(r"m-results-\[(.*)\]")


class MlperfDut:
    def __init__(self, port, timeout: float = 30.0):
        self.port = port
        self.timeout = timeout
        self.buffer = b""
        self.log: list[str] = []

    def _line(self, deadline: float) -> str:
        while b"\n" not in self.buffer:
            if time.monotonic() > deadline:
                raise LinkError(f"no reply from the device within {self.timeout:.0f} s (th_api)")
            self.port.timeout = 0.05
            self.buffer += self.port.read(4096)
        line, _, self.buffer = self.buffer.partition(b"\n")
        text = line.decode("ascii", "replace").strip()
        self.log.append(text)
        return text

    def wait_ready(self) -> list[str]:
        deadline = time.monotonic() + self.timeout
        lines = []
        while True:
            line = self._line(deadline)
            if line == "m-ready":
                return lines
            if line:
                lines.append(line)

    def command(self, cmd: str) -> list[str]:
        self.port.write((cmd + "%").encode("ascii"))
        lines = self.wait_ready()
        errors = [l for l in lines if l.startswith("e-")]
        if errors:
            raise LinkError(f"device refused '{cmd}': {errors[0]}")
        return lines

    def name(self) -> str:
        return next(l for l in self.command("name") if l.startswith("m-name-"))

    def profile(self) -> dict:
        lines = self.command("profile")
        prof = next(l for l in lines if l.startswith("m-profile-"))
        model = next(l for l in lines if l.startswith("m-model-"))
        return {"profile": prof[len("m-profile-["):-1], "model": model[len("m-model-["):-1]}

    def load(self, data: bytes, per_command: int = 32) -> None:
        lines = self.command(f"db load {len(data)}")
        if not any(l.startswith("m-[Expecting") for l in lines):
            raise LinkError(f"db load was not acknowledged: {lines}")
        done = []
        for off in range(0, len(data), per_command):
            done = self.command("db " + data[off:off + per_command].hex())
        if "m-load-done" not in done:
            raise LinkError("the device did not confirm the end of the input (m-load-done)")

    def infer(self, n: int = 1, warmup: int = 0) -> tuple[float, list[float]]:
        """(microseconds per inference, dequantized outputs)."""
        lines = self.command(f"infer {n} {warmup}")
        laps = [int(m.group(1)) for l in lines if (m := LAP.match(l))]
        res = next((m.group(1) for l in lines if (m := RESULTS.match(l))), None)
        if len(laps) != 2 or res is None:
            raise LinkError(f"unexpected reply to infer: {lines}")
        return (laps[1] - laps[0]) / n, [float(v) for v in res.split(",")]
