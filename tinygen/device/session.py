"""Built firmware + inputs -> results: run it (QEMU or a host process), collect outputs and
timings over the link, compare each with the host TFLM reference, keep results.json current.

A run is a stream: the model's state (variable tensors) is reset once at its start, on the device by
the reset request and in the reference by one Reset(), and then kept from one inference to the next.
An inference the device reports as failed is recorded as such (no outputs) and the run goes on."""

from __future__ import annotations

import contextlib
import statistics
import struct
import time
import zlib
from pathlib import Path

import numpy as np

from ..errors import LinkError, TinygenError
from ..fsutil import write_json_atomic
from .link import FrameReader, Hello, InferenceFailed, Link
from .simulators import open_simulator
from ..codegen.project import load_project
from ..model.reference import reference_outputs


def open_target(meta: dict, log_path: Path, simulator: str | None = None):
    """The simulator for this project's board, not yet started, and how results.json names it."""
    sim = open_simulator(meta["board_spec"], Path(meta["dir"]) / meta["elf"], log_path, simulator)
    return sim, sim.describe()


def open_device(project: str | Path | None = None, port: str | None = None, baud: int = 115200,
                simulator: str | None = None, meta: dict | None = None):
    """Where a firmware runs, as a context manager yielding a serial-port-like object: the simulator
    for a built project (started on enter, always stopped on exit), or a pyserial URL / `auto`."""
    if port is not None:
        from .ports import open_port

        return contextlib.closing(open_port(port, baud))
    meta = meta or load_project(project)
    target, _ = open_target(meta, Path(meta["dir"]) / "simulator.log", simulator)
    return target


class DeviceSession:
    """One conversation with a firmware over the framed link: the boot hello and the identity check
    (it must run the model we think it runs), inputs up and results down with retries, log and error
    frames, free-running results. Used by sim, run, eval and monitor."""

    def __init__(self, port, *, model_sha256: str | None = None, model_name: str = "the project",
                 frame_timeout: float = 5.0, stateful: bool = False):
        self.port = port
        self.stateful = stateful  # the model keeps state: inferences are a stream (docs/protocol.md)
        self.model_sha256 = model_sha256
        self.model_name = model_name
        self.link = Link(port, timeout=frame_timeout)
        self.hello: Hello | None = None

    @property
    def stats(self):
        return self.link.stats

    @property
    def log(self) -> list[str]:
        return self.link.log

    def connect(self, timeout: float = 15.0, reset: bool = True) -> Hello:
        """The hello and the identity check; then the model's state is reset, so that a run starts
        from the state the reference starts from, whatever ran before it."""
        self.hello = self.link.hello(timeout=timeout)
        if self.model_sha256 and self.hello.model_sha256 != self.model_sha256:
            raise LinkError(f"the device runs a different model (sha256 {self.hello.model_sha256[:12]}…, "
                            f"{self.model_name} is {self.model_sha256[:12]}…): flash the firmware again")
        if reset:
            self.link.reset_state()
        return self.hello

    def infer(self, arrays, tag: int, timeout: float) -> tuple[bytes, int]:
        """One inference: the input arrays (or bytes) in, (output bytes, elapsed timer units) out."""
        data = arrays if isinstance(arrays, bytes) else b"".join(np.ascontiguousarray(a).tobytes() for a in arrays)
        return self.link.infer(data, tag, timeout, stateful=self.stateful)

    def evaluate(self, runs, refs, out_dtype, timeout: float, progress=None, give_up_after: int = 3) -> list[dict]:
        """Every input through the device, each result beside its reference. An inference the link
        could not deliver intact is a failed record, never a result; `give_up_after` failures in a
        row end the run with a LinkError."""
        records, in_a_row = [], 0
        unit = self.hello.timer_unit
        for i, (arrays, ref) in enumerate(zip(runs, refs)):
            ref_bytes = b"".join(np.ascontiguousarray(r).tobytes() for r in ref)
            rec = {"index": i, "reference": np.frombuffer(ref_bytes, out_dtype).tolist()}
            try:
                out, elapsed = self.infer(arrays, i, timeout)
                rec.update(output=np.frombuffer(out, out_dtype).tolist(), match=out == ref_bytes, **{unit: int(elapsed)})
                in_a_row = 0
            except LinkError as exc:
                rec.update(failed=True, error=str(exc))
                in_a_row += 1
                if self.stateful and not isinstance(exc, InferenceFailed):
                    records.append(rec)  # the device's state is no longer the reference's: stop here
                    raise LinkError(f"{exc} ({len(records)} collected)") from None
                if in_a_row >= give_up_after:
                    records.append(rec)
                    raise LinkError(f"{exc} ({give_up_after} inferences in a row failed; {len(records)} "
                                    f"collected)") from None
            records.append(rec)
            if progress:
                progress(i, rec)
        return records

    def log_values(self, prefix: str) -> list[list[str]]:
        """Log lines the firmware sent that start with `prefix`, split into words."""
        return [l.split() for l in self.link.log if l.startswith(prefix)]

    def free_running(self, poll: float = 0.05):
        """Results of a free-running firmware as they arrive: yields a dict per result (None when
        nothing arrived within `poll` s, so callers can stop or redraw); a hello after the first
        counts as a device reset."""
        reader = FrameReader(self.link.stats, self.link.log.append)
        while True:
            self.port.timeout = poll
            try:
                data = self.port.read(4096)
            except Exception as exc:
                raise LinkError(f"serial port failed: {exc}") from None
            got = False
            for f in reader.feed(data):
                if f.kind == "H":
                    if self.hello is not None:
                        self.link.stats.resets += 1
                    self.hello = Hello.parse(f.payload)
                elif f.kind == "L":
                    self.link.log.append(f.payload.decode("utf-8", "replace"))
                elif f.kind == "F":
                    got = True
                    yield parse_free_result(f.payload)
            if not got:
                yield None


def parse_free_result(payload: bytes) -> dict:
    """A free-running result frame: counter, input source, elapsed ticks, output and its CRC-32."""
    counter, source, lo, hi, out_crc, out_len = struct.unpack_from("<IHIIII", payload, 0)
    out = payload[22:]
    rec = {"counter": counter, "input": None if source == 0xFFFF else source, "elapsed": (hi << 32) | lo,
           "output": [b - 256 if b > 127 else b for b in out], "output_bytes": out_len}
    rec["verified"] = len(out) == out_len and zlib.crc32(out) == out_crc
    return rec


def output_dtype(specs: list[dict]) -> np.dtype:
    """How results show outputs: as their values when all outputs share a type, else as int8 bytes."""
    kinds = {s["dtype"] for s in specs}
    return np.dtype(kinds.pop()) if len(kinds) == 1 else np.dtype(np.int8)


def run_timeout(meta: dict) -> float:
    # Generous: QEMU retires ~500M instructions/s; allow 400 instructions per MAC.
    return 30.0 + meta.get("macs", 0) * 400 / 5e8


def simulate(project_dir: str | Path, inputs: list[list[np.ndarray]], results_path: str | Path,
             build_info: dict | None = None, progress=None, timeout: float | None = None,
             simulator: str | None = None, meta: dict | None = None) -> dict:
    """`meta`: the project's facts when the caller has them in memory (tinygen run); else tinygen.json."""
    meta = meta or load_project(project_dir)
    results_path = Path(results_path)
    model_path = Path(meta["dir"]) / meta["model"]
    refs = reference_outputs(str(model_path), inputs, len(meta["outputs"]))
    stateful = meta.get("keeps_state", False)
    target, simulator = open_target(meta, results_path.with_name("simulator.log"), simulator)
    build_info = build_info or {}
    unit_key = {"instructions": "instructions", "cycles": "cycles", "nanoseconds": "nanoseconds"}
    doc = {
        "model": meta["model_source"],
        "model_sha256": meta["model_sha256"],
        "board": meta["board"],
        "runtime": meta["runtime"],
        "simulator": simulator,
        # a simulator may fix what the timer counts (Renode: instructions, whatever the board's unit)
        "timer_unit": target.timer_unit or meta["board_spec"]["timer"]["unit"],
        "inferences": [],
        "all_match": False,
        "flash_bytes": build_info.get("flash_bytes"),
        "ram_bytes": build_info.get("ram_bytes"),
        "arena_bytes": meta["arena_bytes"],
        "macs": meta.get("macs"),
        "compact_layers": meta.get("compact_layers", 0),  # layers in the compact weight layout, to fit the flash
        "link": None,
        "keeps_state": stateful,  # then the inferences are a stream, reset at the start of the run
        "complete": False,
        "error": None,
    }
    key = unit_key[doc["timer_unit"]]
    doc[f"{key}_per_inference"] = None  # named for what the timer counts: cycles on pico (rp2040js)
    out_dtype = output_dtype(meta["outputs"])
    started = time.monotonic()
    link = None
    try:
        write_json_atomic(results_path, doc)
        with target as port:
            session = DeviceSession(port, model_sha256=meta["model_sha256"], stateful=stateful)
            link = session.link
            hello = session.connect()
            doc["firmware"] = hello.firmware_version
            used = session.log_values("tflm arena_used_bytes ")
            if used:  # the TFLM runtime reports what its arena really needed
                doc["arena_used_bytes"] = int(used[-1][-1])
            limit = timeout or run_timeout(meta)
            for i, (arrays, ref) in enumerate(zip(inputs, refs)):
                ref_bytes = b"".join(np.ascontiguousarray(r).tobytes() for r in ref)
                ref_arr = np.frombuffer(ref_bytes, dtype=out_dtype)
                try:
                    out, elapsed = session.infer(arrays, i, limit)
                except InferenceFailed as exc:  # that inference alone: no outputs, the device runs on
                    out, elapsed, failed = None, None, str(exc)
                else:
                    failed = None
                if failed is not None:
                    rec = {"index": i, "output": None, "reference": ref_arr.tolist(), "match": False,
                           "failed": True, "error": failed}
                    match = False
                else:
                    out_arr = np.frombuffer(out, dtype=out_dtype)
                    match = out == ref_bytes
                    rec = {"index": i, "output": out_arr.tolist(), "reference": ref_arr.tolist(), "match": match,
                           key: int(elapsed)}
                if not match and failed is None:
                    diff = np.nonzero(out_arr != ref_arr)[0] if len(out_arr) == len(ref_arr) else [0]
                    rec["first_mismatch"] = int(diff[0])
                doc["inferences"].append(rec)
                if i == 0:
                    profile = session.log_values("profile ")
                    if profile:  # a -DTG_PROFILE build: per-operator counts of the first inference
                        doc["profile"] = [{"index": int(a), "opcode": b, key: int(c)} for _, a, b, c in profile]
                link.log.clear()
                doc["link"] = link.stats.to_dict()
                write_json_atomic(results_path, doc)
                if progress:
                    progress(i, rec)
        doc["complete"] = True
    except TinygenError as exc:
        doc["error"] = str(exc)
        kept = len(doc["inferences"])
        stopped = "; it was stopped" if simulator != "host" else ""
        raise type(exc)(f"{simulator}: {exc}{stopped}; {kept} result(s) kept in {results_path} "
                        f"(complete: false)") from None
    except KeyboardInterrupt:
        doc["error"] = "interrupted"
        raise
    finally:
        times = [r[key] for r in doc["inferences"] if key in r]
        doc["all_match"] = bool(doc["inferences"]) and all(r["match"] for r in doc["inferences"]) and doc["complete"]
        if times:
            doc[f"{key}_per_inference"] = int(statistics.median(times))
        if link is not None:
            doc["link"] = link.stats.to_dict()
        doc["wall_seconds"] = round(time.monotonic() - started, 3)
        write_json_atomic(results_path, doc)
    return doc
