"""Built firmware + inputs -> results: run it (QEMU or a host process), collect outputs and
timings over the link, compare each with the host TFLM reference, keep results.json current.

A run is a stream: the model's state (variable tensors) is reset once at its start, on the device by
the reset request and in the reference by one Reset(), and then kept from one inference to the next.
An inference the device reports as failed is recorded as such (no outputs) and the run goes on."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import numpy as np

from ..errors import LinkError, SimulatorError, TinygenError
from ..fsutil import write_json_atomic
from .link import InferenceFailed, Link
from .simulators import open_simulator
from ..codegen.project import load_project
from ..model.graph import load_graph
from ..model.reference import reference_outputs


def open_target(meta: dict, log_path: Path, simulator: str | None = None):
    """The simulator for this project's board, not yet started, and how results.json names it."""
    sim = open_simulator(meta["board_spec"], Path(meta["dir"]) / meta["elf"], log_path, simulator)
    return sim, sim.describe()


def output_dtype(specs: list[dict]) -> np.dtype:
    """How results show outputs: as their values when all outputs share a type, else as int8 bytes."""
    kinds = {s["dtype"] for s in specs}
    return np.dtype(kinds.pop()) if len(kinds) == 1 else np.dtype(np.int8)


def run_timeout(meta: dict) -> float:
    # Generous: QEMU retires ~500M instructions/s; allow 400 instructions per MAC.
    return 30.0 + meta.get("macs", 0) * 400 / 5e8


def simulate(project_dir: str | Path, inputs: list[list[np.ndarray]], results_path: str | Path,
             build_info: dict | None = None, progress=None, timeout: float | None = None,
             simulator: str | None = None) -> dict:
    meta = load_project(project_dir)
    results_path = Path(results_path)
    model_path = Path(meta["dir"]) / meta["model"]
    refs = reference_outputs(str(model_path), inputs, len(meta["outputs"]))
    stateful = load_graph(model_path).keeps_state
    target, simulator = open_target(meta, results_path.with_name("simulator.log"), simulator)
    build_info = build_info or {}
    unit_key = {"instructions": "instructions", "cycles": "cycles", "nanoseconds": "nanoseconds"}
    doc = {
        "model": meta["model_source"],
        "model_sha256": meta["model_sha256"],
        "board": meta["board"],
        "runtime": meta["runtime"],
        "simulator": simulator,
        "timer_unit": meta["board_spec"]["timer"]["unit"],
        "inferences": [],
        "all_match": False,
        "instructions_per_inference": None,
        "flash_bytes": build_info.get("flash_bytes"),
        "ram_bytes": build_info.get("ram_bytes"),
        "arena_bytes": meta["arena_bytes"],
        "macs": meta.get("macs"),
        "link": None,
        "keeps_state": stateful,  # then the inferences are a stream, reset at the start of the run
        "complete": False,
        "error": None,
    }
    key = unit_key[doc["timer_unit"]]
    out_dtype = output_dtype(meta["outputs"])
    started = time.monotonic()
    link = None
    try:
        write_json_atomic(results_path, doc)
        with target as port:
            link = Link(port, timeout=5.0)
            hello = link.hello(timeout=15.0)
            if hello.model_sha256 != meta["model_sha256"]:
                raise LinkError(f"the device runs a different model (sha256 {hello.model_sha256[:12]}…, "
                                f"project {meta['model_sha256'][:12]}…): flash the firmware again")
            doc["firmware"] = hello.firmware_version
            link.reset_state()  # every run starts from the reset state, whatever ran before it
            used = [l.split()[-1] for l in link.log if l.startswith("tflm arena_used_bytes ")]
            if used:  # the TFLM runtime reports what its arena really needed
                doc["arena_used_bytes"] = int(used[-1])
            limit = timeout or run_timeout(meta)
            for i, (arrays, ref) in enumerate(zip(inputs, refs)):
                data = b"".join(np.ascontiguousarray(a).tobytes() for a in arrays)
                ref_bytes = b"".join(np.ascontiguousarray(r).tobytes() for r in ref)
                ref_arr = np.frombuffer(ref_bytes, dtype=out_dtype)
                try:
                    out, elapsed = link.infer(data, i, limit, stateful=stateful)
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
                    profile = [l.split() for l in link.log if l.startswith("profile ")]
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
