"""Host side of the MLPerf Tiny / EEMBC th_api text protocol, written from the public
specification (mlcommons/tiny benchmark/api and benchmark/runner): commands end with '%',
every reply ends with 'm-ready'; errors start with 'e-'."""

from __future__ import annotations

import re
import time

import numpy as np

from ..errors import LinkError

LAP = re.compile(r"m-lap-us-(\d+)")
RESULTS = re.compile(r"m-results-\[(.*)\]")


def device_input(task: str, wire: bytes, scale: float, zero_point: int) -> np.ndarray:
    """The int8 tensor the device makes of a benchmark's input as it is on the wire, as the reference
    submission's th_load_tensor does: ad01 FP32LE quantized (round(x / scale) + zero point, halves
    away from zero, clamped), vww01/ic01 uint8 minus 128, kws01 int8 as is."""
    if task == "ad01":
        x = np.frombuffer(wire, dtype="<f4").astype(np.float32) / np.float32(scale)
        q = np.sign(x.astype(np.float64)) * np.floor(np.abs(x.astype(np.float64)) + 0.5) + zero_point
        return np.clip(q, -128, 127).astype(np.int8)
    if task in ("vww01", "ic01"):
        return (np.frombuffer(wire, dtype=np.uint8).astype(np.int16) - 128).astype(np.int8)
    return np.frombuffer(wire, dtype=np.int8).copy()


def expected_results(task: str, wire: bytes, q_out: np.ndarray, scale: float, zero_point: int) -> list[float]:
    """What the reference firmware prints for the int8 output q_out, read back as floats: each
    dequantized score ((q - zp) * scale in float32) to %0.3f, or for ad01 one anomaly score: the
    mean over the window of (dequantized output - input)^2, summed in order in float32."""
    deq = (q_out.reshape(-1).astype(np.float32) - np.float32(zero_point)) * np.float32(scale)
    if task == "ad01":
        x = np.frombuffer(wire, dtype="<f4")
        total = np.float32(0)
        for d in (deq - x).astype(np.float32):
            total = np.float32(total + np.float32(d * d))
        return [float(f"{float(np.float32(total / np.float32(deq.size))):.3f}")]
    return [float(f"{float(v):.3f}") for v in deq]


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
        """Sends one input as the benchmark puts it on the wire (see device_input)."""
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

    def run(self, wire: bytes, n: int = 1, warmup: int = 0, per_command: int = 32) -> tuple[float, list[float]]:
        """One input in the benchmark's wire format: loaded, inferred; (us per inference, results)."""
        self.load(wire, per_command)
        return self.infer(n, warmup)
