"""What quantization cost: sizes, per-layer quantization parameters, and on held-out data the
agreement and error of the int8 model (run by the host TFLM reference) against the float one."""

from __future__ import annotations

import sys

import numpy as np

from ..model.graph import parse_graph
from ..model.inputs import quantize_input
from ..model.io_spec import io_spec
from ..model.reference import reference_outputs


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


def layer_sqnr(float_model: bytes, int8_model: bytes, x: np.ndarray, progress: bool = False) -> dict[str, float | None]:
    """SQNR in dB of every int8 activation against the float model's tensor of the same name
    (TensorFlow Lite interpreters keeping all tensors), over the samples in x. Tensors that have
    no float counterpart are left out."""
    import warnings

    from tqdm import tqdm

    from .keras_tf import _tf
    from ..quiet import captured_native_output

    tf = _tf()
    with warnings.catch_warnings(), captured_native_output():
        warnings.simplefilter("ignore")
        fi = tf.lite.Interpreter(model_content=float_model, experimental_preserve_all_tensors=True)
        qi = tf.lite.Interpreter(model_content=int8_model, experimental_preserve_all_tensors=True)
        fi.allocate_tensors()
        qi.allocate_tensors()
    f_by_name = {d["name"]: d for d in fi.get_tensor_details()}
    q_acts = [d for d in qi.get_tensor_details()
              if d["dtype"] == np.int8 and d["name"] in f_by_name and len(d["quantization_parameters"]["scales"]) == 1]
    signal = {d["name"]: 0.0 for d in q_acts}
    noise = dict(signal)
    q_in = qi.get_input_details()[0]
    f_in = fi.get_input_details()[0]
    for sample in tqdm(x, desc="per-layer SQNR", unit="sample", file=sys.stderr, disable=not progress, leave=False):
        sample = sample[None].astype(np.float32)
        fi.set_tensor(f_in["index"], sample)
        fi.invoke()
        if q_in["dtype"] == np.int8:
            scale, zp = q_in["quantization"]
            qi.set_tensor(q_in["index"], np.clip(np.round(sample / scale) + zp, -128, 127).astype(np.int8))
        else:
            qi.set_tensor(q_in["index"], sample)
        qi.invoke()
        for d in q_acts:
            try:
                fv = fi.get_tensor(f_by_name[d["name"]]["index"]).astype(np.float64)
                qv = qi.get_tensor(d["index"]).astype(np.float64)
            except ValueError:
                continue
            if fv.shape != qv.shape:
                continue
            scale = d["quantization_parameters"]["scales"][0]
            zp = d["quantization_parameters"]["zero_points"][0]
            deq = (qv - zp) * scale
            signal[d["name"]] += float(np.sum(fv ** 2))
            noise[d["name"]] += float(np.sum((fv - deq) ** 2))
    return {n: (round(10 * np.log10(signal[n] / noise[n]), 2) if noise[n] > 0 and signal[n] > 0 else None)
            for n in signal}
