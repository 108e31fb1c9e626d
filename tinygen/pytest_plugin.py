"""pytest plugin: firmware tests against a tinygen project, in a simulator or on a board.

    def test_keyword(dut):
        result = dut.infer(np.load("yes.npy"))    # output, instructions or cycles, top1
        assert result.top1 == LABELS.index("yes")
        dut.expect("ready")                       # pytest-embedded's expect on the raw stream

`dut` is a pytest-embedded `Dut` whose byte stream is the firmware's UART, with tinygen's framed
protocol added (`infer`). Options: --tinygen-fw DIR (a built project; required), --tinygen-board,
--tinygen-simulator, --tinygen-port URL (a real board instead of a simulator), --tinygen-timeout,
--tinygen-scope (session, module or function: how long one simulator lives). The simulator is
always stopped at teardown, also when a test fails or times out.

Loaded by the `pytest11` entry point once tinygen is installed (or `-p tinygen.pytest_plugin`).
pytest-embedded is imported only when a `dut` is made, so installing tinygen never breaks pytest.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest

SCOPES = ("session", "module", "function")


def pytest_addoption(parser) -> None:
    g = parser.getgroup("tinygen", "tinygen firmware under test")
    g.addoption("--tinygen-fw", metavar="DIR", help="a built tinygen project (tinygen project + tinygen build)")
    g.addoption("--tinygen-board", metavar="NAME", help="check that the project was made for this board")
    g.addoption("--tinygen-simulator", metavar="NAME", help="qemu, renode, rp2040js or host (default: the board's "
                                                            "first simulator)")
    g.addoption("--tinygen-port", metavar="URL", help="a real board's serial port (pyserial URL or auto) instead of "
                                                      "a simulator")
    g.addoption("--tinygen-baud", type=int, default=115200, help="baud rate of --tinygen-port (default 115200)")
    g.addoption("--tinygen-timeout", type=float, default=60.0, help="seconds one inference or expect may take "
                                                                    "(default 60)")
    g.addoption("--tinygen-scope", choices=SCOPES, default="session",
                help="how long one simulator runs: the whole session (default), a module, or each test")


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "tinygen: a test of tinygen firmware (uses the dut fixture)")
    # Registered here, after every entry-point plugin, so this `dut` is the one tests get even where
    # pytest-embedded's own plugin (which also defines `dut`) is installed.
    if not config.pluginmanager.has_plugin("tinygen-fixtures"):
        from . import pytest_fixtures

        config.pluginmanager.register(pytest_fixtures, "tinygen-fixtures")


@dataclass
class InferResult:
    """One inference: the output tensor(s) as the model declares them, the time the firmware
    measured in its timer's unit, and the top class of the first output."""

    output: np.ndarray
    outputs: list[np.ndarray]
    unit: str
    elapsed: int
    raw: bytes = field(repr=False, default=b"")

    @property
    def top1(self) -> int:
        return int(np.argmax(self.output.reshape(-1)))

    @property
    def instructions(self) -> int | None:
        return self.elapsed if self.unit == "instructions" else None

    @property
    def cycles(self) -> int | None:
        return self.elapsed if self.unit == "cycles" else None


class TappedPort:
    """A serial port read by one thread: every byte goes to the log file (which pexpect reads, as
    pytest-embedded's services do) and to a buffer the framed link reads from, so `expect` and
    `infer` both see the whole stream."""

    def __init__(self, port, log_path: Path):
        self._port = port
        self._buf = bytearray()
        self._cond = threading.Condition()
        self._log = open(log_path, "ab", buffering=0)
        self._stop = threading.Event()
        self.error: Exception | None = None
        self.timeout = 1.0
        self._thread = threading.Thread(target=self._pump, name="tinygen-serial", daemon=True)
        self._thread.start()

    def _pump(self) -> None:
        while not self._stop.is_set():
            try:
                self._port.timeout = 0.05
                data = self._port.read(4096)
            except Exception as exc:  # the port or simulator went away: readers see it at once
                with self._cond:
                    self.error = exc
                    self._cond.notify_all()
                return
            if data:
                self._log.write(data)
                with self._cond:
                    self._buf += data
                    self._cond.notify_all()

    def read(self, n: int = 1) -> bytes:
        deadline = time.monotonic() + (self.timeout or 0)
        with self._cond:
            while not self._buf and self.error is None:
                left = deadline - time.monotonic()
                if left <= 0:
                    return b""
                self._cond.wait(left)
            if not self._buf and self.error is not None:
                raise self.error
            data = bytes(self._buf[:n])
            del self._buf[:n]
            return data

    def write(self, data: bytes) -> int:
        return self._port.write(data)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2.0)
        self._log.close()


def make_dut(port: TappedPort, meta: dict, log_path: Path, test_name: str, timeout: float):
    """A pytest-embedded Dut over the tapped stream, with tinygen's protocol added."""
    from pytest_embedded.app import App
    from pytest_embedded.dut import Dut
    from pytest_embedded.log import PexpectProcess

    from .device.session import DeviceSession

    class TinygenDut(Dut):
        def __init__(self):
            self._reader = open(log_path, "rb")
            super().__init__(pexpect_proc=PexpectProcess(self._reader, timeout=timeout), msg_queue=None,
                             app=App(meta["dir"], "build"), pexpect_logfile=str(log_path), test_case_name=test_name)
            self.meta = meta
            self.session = DeviceSession(port, model_sha256=meta["model_sha256"], model_name=meta["model_source"])
            self.timeout = timeout
            self._tag = 0

        def write(self, s) -> None:
            port.write(s.encode() if isinstance(s, str) else bytes(s))

        @property
        def hello(self):
            if self.session.hello is None:
                self.session.connect(timeout=max(15.0, self.timeout / 4))
            return self.session.hello

        def infer(self, *inputs) -> InferResult:
            """One inference. Each input is an array shaped like the model's input (float arrays are
            quantized with the input's scale and zero point when the model takes integers)."""
            from .model.inputs import check_array, quantize_input

            specs = self.meta["inputs"]
            if len(inputs) != len(specs):
                raise ValueError(f"the model has {len(specs)} input(s); infer got {len(inputs)}")
            arrays = []
            for x, spec in zip(inputs, specs):
                x = np.asarray(x)
                if x.dtype.kind == "f" and spec["dtype"] != "float32":
                    x = quantize_input(x, spec)
                arrays.append(check_array("dut.infer", x[None], spec)[0])
            unit = self.hello.timer_unit
            raw, elapsed = self.session.infer(arrays, self._tag, self.timeout)
            self._tag += 1
            outs, off = [], 0
            for spec in self.meta["outputs"]:
                outs.append(np.frombuffer(raw[off:off + spec["bytes"]], dtype=spec["dtype"]).reshape(spec["shape"]))
                off += spec["bytes"]
            return InferResult(outs[0], outs, unit, int(elapsed), raw)

        def close(self) -> None:
            self._reader.close()
            super().close()

    return TinygenDut()


_LOGS = pytest.StashKey[list]()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed and "dut" in getattr(item, "fixturenames", ()):
        logs = item.config.stash.get(_LOGS, [])
        if logs:
            path = logs[-1]
            tail = Path(path).read_bytes()[-2000:].decode("utf-8", "replace") if Path(path).exists() else ""
            printable = "".join(c if c.isprintable() or c == "\n" else "." for c in tail)
            report.sections.append(("tinygen device output", f"log: {path}\n{printable}"))

