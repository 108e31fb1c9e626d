"""The host reference: TensorFlow Lite Micro's own interpreter (the tflite-micro pip package).

All inferences of a run go through ONE interpreter, in order, reset once before the first: a model
with state (variable tensors, resource variables) sees a stream, as the firmware does, which keeps
the state between inferences and resets it at boot and when the host starts a run. For a model
without state the order does not matter.

It runs in a child process: TFLM aborts the whole process on some inputs (a failed TFLITE_CHECK),
and that must become a clear error, not the end of the tool.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from ..errors import ModelError


def reference_outputs(model_path: str, inputs: list[list[np.ndarray]], n_outputs: int = 1) -> list[list[np.ndarray]]:
    """For each inference (a list of input arrays, in order: the state a model keeps runs on from one
    to the next), the list of output arrays TFLM computes."""
    with tempfile.TemporaryDirectory(prefix="tinygen-ref-") as tmp:
        src, dst = Path(tmp) / "in.npz", Path(tmp) / "out.npz"
        arrays = {f"r{i}_{j}": np.ascontiguousarray(a) for i, run in enumerate(inputs) for j, a in enumerate(run)}
        np.savez(src, **arrays)
        res = subprocess.run([sys.executable, "-m", "tinygen.model.reference", str(model_path), str(src), str(dst),
                              str(len(inputs)), str(len(inputs[0]) if inputs else 0), str(n_outputs)],
                             capture_output=True, text=True)
        if res.returncode != 0:
            last = next((l for l in reversed(res.stderr.splitlines()) if l.strip()), f"exit status {res.returncode}")
            raise ModelError(f"{model_path}: the TFLM reference interpreter failed ({last.strip()[:200]})")
        with np.load(dst) as out:
            return [[out[f"r{i}_{k}"] for k in range(n_outputs)] for i in range(len(inputs))]


def _worker(model_path: str, src: str, dst: str, runs: int, n_in: int, n_out: int) -> None:
    from tflite_micro.python.tflite_micro import runtime

    # The package's default arena (10x the model size) is too small for small models with large
    # activations; host memory is plentiful.
    arena = max(10 * os.path.getsize(model_path), 32 << 20)
    try:
        interp = runtime.Interpreter.from_file(model_path, arena_size=arena)
    except Exception as exc:
        sys.exit(f"rejected the model: {exc}")
    results = {}
    # Reset() once: variable tensors to their zero point (int8) or zeros, as the firmware at the start of
    # a run; never between inferences, so the state is kept as TFLM keeps it between Invoke calls.
    if interp.reset() != 0:
        sys.exit("TFLM's Reset() failed")
    with np.load(src) as data:
        for i in range(runs):
            for j in range(n_in):
                shape = tuple(interp.get_input_details(j)["shape"])
                interp.set_input(data[f"r{i}_{j}"].reshape(shape), j)
            interp.invoke()
            for k in range(n_out):
                results[f"r{i}_{k}"] = np.array(interp.get_output(k))
    np.savez(dst, **results)


if __name__ == "__main__":
    a = sys.argv[1:]
    _worker(a[0], a[1], a[2], int(a[3]), int(a[4]), int(a[5]))
