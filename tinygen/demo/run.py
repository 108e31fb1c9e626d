"""`tinygen demo`: the whole product on data that ships with scikit-learn (no downloads).

Train a small float Keras model on the 8x8 handwritten digits, quantize it to int8, run it on a
simulated Cortex-M4 on held-out samples, and check every output against the host TFLM reference.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from ..errors import MismatchError
from ..fsutil import write_bytes_atomic
from ..model.graph import load_graph
from ..model.inputs import quantize_input
from ..model.io_spec import io_spec
from ..model.reference import reference_outputs
from ..pipeline import run_model


def run_demo(board: str = "mps2-an386", samples: int = 10, out_dir: str | Path = "tinygen-out/demo",
             log=print, progress=None) -> dict:
    from .digits import load_digits_split, train_digits_mlp
    from ..quantize.keras_tf import _tf, quantize
    from ..quiet import captured_native_output

    started = time.monotonic()
    out_dir = Path(out_dir)
    log("1/3 training a small float Keras model on scikit-learn's 8x8 digits ...")
    _tf()
    x_train, y_train, x_test, y_test = load_digits_split(seed=0)
    with captured_native_output():
        model = train_digits_mlp(x_train, y_train, seed=0)
        float_pred = np.argmax(model.predict(x_test, verbose=0), axis=-1)
    float_acc = float(np.mean(float_pred == y_test))

    log("2/3 quantizing to full-integer int8 (TensorFlow converter, 200 calibration samples) ...")
    tflite = quantize(model, x_train[:200])
    model_path = out_dir / "digits_int8.tflite"
    write_bytes_atomic(model_path, tflite)
    graph = load_graph(model_path)
    spec = io_spec(graph, graph.inputs)[0]
    xq = quantize_input(x_test, spec)
    host_out = reference_outputs(str(model_path), [[x] for x in xq])
    host_pred = np.array([int(np.argmax(o[0])) for o in host_out])
    int8_acc = float(np.mean(host_pred == y_test))

    log(f"3/3 running {samples} held-out samples on {board} (firmware built with arm-none-eabi-gcc, QEMU) ...")
    picks = list(range(min(samples, len(xq))))
    doc = run_model(model_path, board, inputs=[[xq[i]] for i in picks], out_dir=out_dir / "run",
                    progress=progress, check=False)
    unit = doc["timer_unit"]
    rows = []
    for r, i in zip(doc["inferences"], picks):
        rows.append({"sample": i, "label": int(y_test[i]), "device": int(np.argmax(r["output"])),
                     "reference": int(np.argmax(r["reference"])), "match": r["match"], unit: r.get(unit)})
    device_acc = float(np.mean([row["device"] == row["label"] for row in rows])) if rows else 0.0
    summary = {
        "model": str(model_path),
        "board": board,
        "samples": len(rows),
        "rows": rows,
        "all_match": doc["all_match"],
        "float_accuracy_host": float_acc,
        "int8_accuracy_host": int8_acc,
        "test_samples_host": int(len(y_test)),
        "device_accuracy": device_acc,
        "timer_unit": unit,
        f"{unit}_per_inference": doc.get(f"{unit}_per_inference"),
        "flash_bytes": doc["flash_bytes"],
        "ram_bytes": doc["ram_bytes"],
        "arena_bytes": doc["arena_bytes"],
        "results": str(out_dir / "run" / "results.json"),
        "wall_seconds": round(time.monotonic() - started, 1),
    }
    return summary


def format_demo(s: dict) -> str:
    unit = s["timer_unit"]
    lines = [f"{'sample':>6}  {'label':>5}  {'device':>6}  {'reference':>9}  {'match':5}  {unit:>13}"]
    for r in s["rows"]:
        lines.append(f"{r['sample']:>6}  {r['label']:>5}  {r['device']:>6}  {r['reference']:>9}  "
                     f"{'yes' if r['match'] else 'NO':5}  {r[unit]:>13,}")
    per = s.get(f"{unit}_per_inference")
    lines += [
        "",
        f"all device outputs equal the TFLM reference byte for byte: {'yes' if s['all_match'] else 'NO'}",
        f"accuracy on {s['test_samples_host']} held-out digits: float {s['float_accuracy_host']:.1%}, "
        f"int8 {s['int8_accuracy_host']:.1%} (host TFLM)",
        f"accuracy on the device ({s['samples']} samples): {s['device_accuracy']:.1%}",
        f"{unit} per inference: {per:,}" if per is not None else f"{unit} per inference: n/a",
        f"flash {s['flash_bytes']:,} B, RAM {s['ram_bytes']:,} B (arena {s['arena_bytes']:,} B)",
        f"wall time {s['wall_seconds']} s; model {s['model']}; results {s['results']}",
    ]
    return "\n".join(lines)


def check_demo(s: dict) -> None:
    if not s["all_match"]:
        bad = next(r for r in s["rows"] if not r["match"])
        raise MismatchError(f"demo: sample {bad['sample']} differs from the TFLM reference; see {s['results']}")
