"""What quantization cost: sizes, per-layer quantization parameters, and on held-out data the
agreement and error of the int8 model (run by the host TFLM reference) against the float one."""

from __future__ import annotations

import numpy as np

from .graph import parse_graph
from .inputs import quantize_input
from .project import io_spec
from .reference import reference_outputs


def layer_summary(int8: bytes) -> list[dict]:
    g = parse_graph(int8, "int8 model")
    rows = []
    for op in g.operators:
        out = g.tensors[op.outputs[0]]
        w = g.tensors[op.inputs[1]] if len(op.inputs) > 1 and op.inputs[1] >= 0 else None
        row = {"index": op.index, "opcode": op.opcode, "output": out.name, "output_dtype": out.dtype,
               "output_scale": float(out.scale[0]) if out.scale.size else None,
               "output_zero_point": int(out.zero_point[0]) if out.zero_point.size else None}
        if w is not None and w.is_constant and w.scale.size:
            row["weight_scales"] = int(w.scale.size)
            row["weight_scale_range"] = [float(w.scale.min()), float(w.scale.max())]
        rows.append(row)
    return rows


def evaluate(float_predict, int8: bytes, x: np.ndarray, y: np.ndarray | None, path_hint: str, progress=None) -> dict:
    """float_predict(x) -> float outputs; the int8 model runs in TFLM on the host."""
    import tempfile
    from pathlib import Path

    g = parse_graph(int8, "int8 model")
    spec_in = io_spec(g, g.inputs)[0]
    spec_out = io_spec(g, g.outputs)[0]
    f_out = np.asarray(float_predict(x), dtype=np.float32).reshape(len(x), -1)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "m.tflite"
        path.write_bytes(int8)
        if spec_in["dtype"] == "int8":
            runs = [[quantize_input(xi[None], spec_in)] for xi in x]
        else:
            runs = [[xi[None].astype(np.float32)] for xi in x]
        q_out = reference_outputs(str(path), runs)
    q = np.stack([o[0].reshape(-1) for o in q_out])
    if spec_out["dtype"] == "int8":
        deq = (q.astype(np.float32) - spec_out["zero_point"][0]) * spec_out["scale"][0]
    else:
        deq = q.astype(np.float32)
    report = {
        "samples": int(len(x)),
        "top1_agreement": float(np.mean(np.argmax(f_out, 1) == np.argmax(deq, 1))),
        "mean_abs_error": float(np.mean(np.abs(f_out - deq))),
        "output_sqnr_db": _sqnr(f_out, deq),
    }
    if y is not None:
        y = np.asarray(y).reshape(-1)
        report["float_accuracy"] = float(np.mean(np.argmax(f_out, 1) == y))
        report["int8_accuracy"] = float(np.mean(np.argmax(deq, 1) == y))
    return report


def _sqnr(ref: np.ndarray, test: np.ndarray) -> float | None:
    noise = float(np.sum((ref - test) ** 2))
    signal = float(np.sum(ref ** 2))
    if noise == 0:
        return None
    return round(10 * np.log10(signal / noise), 2) if signal > 0 else None
