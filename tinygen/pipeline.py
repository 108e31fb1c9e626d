"""The whole path in one call: model -> project -> build -> run -> check against TFLM."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .build.firmware import build_project
from .errors import MismatchError
from .model.graph import load_graph
from .model.inputs import default_inputs, load_inputs
from .codegen.project import generate_project
from .model.io_spec import io_spec
from .device.session import simulate


def default_out_dir(model: str | Path, board: str) -> Path:
    return Path("tinygen-out") / f"{Path(model).stem}-{board}"


def run_model(model: str | Path, board: str = "mps2-an386", inputs=None, out_dir: str | Path | None = None,
              extra_cflags: str = "", progress=None, check: bool = True, runtime: str = "tinygen",
              tflm_dir: str | None = None, tflm_arena: int | None = None, simulator: str | None = None) -> dict:
    """Returns the results document (also written to out_dir/results.json).

    `inputs`: None (deterministic defaults), a path to .npy/.npz, or a list of inferences, each a
    list of arrays (one per model input). Raises MismatchError if any output differs from TFLM.
    """
    out_dir = Path(out_dir) if out_dir else default_out_dir(model, board)
    graph = load_graph(model)
    specs = io_spec(graph, graph.inputs)
    if inputs is None:
        runs = default_inputs(specs)
    elif isinstance(inputs, (str, Path)):
        runs = load_inputs(inputs, specs)
    else:
        runs = [[np.asarray(a) for a in (r if isinstance(r, (list, tuple)) else [r])] for r in inputs]
    fw = out_dir / "fw"
    gen = generate_project(graph, board, fw, runtime, tflm_dir=tflm_dir, tflm_arena=tflm_arena)
    built = build_project(fw, extra_cflags=extra_cflags, meta=gen.meta)
    doc = simulate(fw, runs, out_dir / "results.json", built.to_dict(), progress=progress, simulator=simulator,
                   meta=gen.meta)
    if check and not doc["all_match"]:
        bad = next(r for r in doc["inferences"] if not r["match"])
        if bad.get("failed"):
            raise MismatchError(f"{model}: inference {bad['index']} failed on the device ({bad['error']}); "
                                f"see {out_dir / 'results.json'}")
        raise MismatchError(f"{model}: inference {bad['index']} differs from the TFLM reference at output index "
                            f"{bad.get('first_mismatch', 0)} (device {bad['output'][bad.get('first_mismatch', 0)]}, "
                            f"reference {bad['reference'][bad.get('first_mismatch', 0)]}); see {out_dir / 'results.json'}")
    return doc
