"""tinygen quantize: real TensorFlow, real models, and the runtime on the result."""

import json
import subprocess
import sys

import numpy as np
import pytest

from tests.ops.opmodels import assert_host_bit_exact
from tinygen.model.graph import parse_graph
from tinygen.ops import check_graph

pytestmark = pytest.mark.slow


def tinygen(*args, timeout=900):
    return subprocess.run([sys.executable, "-m", "tinygen", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout)


def test_digits_cnn_keeps_accuracy_and_runs_bit_exact(tmp_path):
    from tinygen.demo.digits import load_digits_split, train_digits_cnn

    x, y, xt, yt = load_digits_split()
    train_digits_cnn(x, y).save(tmp_path / "cnn.keras")
    np.save(tmp_path / "cal.npy", x[:200])
    np.savez(tmp_path / "eval.npz", x=xt, y=yt)
    res = tinygen("quantize", tmp_path / "cnn.keras", "--calibration", tmp_path / "cal.npy", "--eval",
                  tmp_path / "eval.npz", "-o", tmp_path / "cnn.tflite", "--json")
    assert res.returncode == 0, res.stderr[-2000:]
    rep = json.loads(res.stdout)
    e = rep["eval"]
    assert e["float_accuracy"] > 0.85
    assert e["int8_accuracy"] >= e["float_accuracy"] - 0.02, e
    assert rep["int8_bytes"] < rep["float_bytes"] and not rep["runtime_problems"]
    assert all(row.get("sqnr_db") is None or row["sqnr_db"] > 10 for row in rep["layers"])
    assert_host_bit_exact(tmp_path / "cnn.tflite", tmp_path)
    # deterministic: the same inputs give the same bytes
    again = tinygen("quantize", tmp_path / "cnn.keras", "--calibration", tmp_path / "cal.npy", "-o",
                    tmp_path / "again.tflite")
    assert again.returncode == 0
    assert (tmp_path / "again.tflite").read_bytes() == (tmp_path / "cnn.tflite").read_bytes()


def test_resnet8_h5_structurally(shared_models, tmp_path):
    np.save(tmp_path / "cal.npy", np.random.default_rng(0).uniform(0, 1, (32, 32, 32, 3)).astype(np.float32))
    res = tinygen("quantize", shared_models / "pretrainedResnet.h5", "--calibration", tmp_path / "cal.npy",
                  "-o", tmp_path / "r8.tflite")
    assert res.returncode == 0, res.stderr[-2000:]
    assert "warning" in res.stderr and "32 calibration samples" in res.stderr
    g = parse_graph((tmp_path / "r8.tflite").read_bytes(), "r8.tflite")
    assert not check_graph(g)
    for t in g.tensors:
        assert t.dtype == "int8" or (t.dtype == "int32" and t.is_constant), (t.name, t.dtype)
    assert {"CONV_2D", "ADD", "FULLY_CONNECTED", "SOFTMAX"} <= {op.opcode for op in g.operators}
    assert_host_bit_exact(tmp_path / "r8.tflite", tmp_path, count=2)


def _mfcc_like(n, seed):
    """Stand-ins for KWS MFCC frames (the dataset is not here): lower coefficients vary more."""
    r = np.random.default_rng(seed)
    return (r.normal(0, 1, (n, 49, 10, 1)) * np.linspace(20, 3, 10)[None, None, :, None] - 5).astype(np.float32)


def test_float_kws_tflite_structurally(shared_models, tmp_path):
    src = shared_models / "kws_ref_model_float32.tflite"
    np.save(tmp_path / "cal.npy", _mfcc_like(120, 0))
    np.savez(tmp_path / "eval.npz", x=_mfcc_like(40, 1))
    res = tinygen("quantize", src, "--calibration", tmp_path / "cal.npy", "--eval", tmp_path / "eval.npz",
                  "-o", tmp_path / "kws.tflite", "--json")
    assert res.returncode == 0, res.stderr[-2000:]
    rep = json.loads(res.stdout)
    assert "int8 already" in res.stderr  # this "float" export has dynamic-range int8 conv weights
    assert rep["eval"]["top1_agreement"] >= 0.85, rep["eval"]
    assert all(row["sqnr_db"] is not None and row["sqnr_db"] > 15 for row in rep["layers"]), rep["layers"]
    g = parse_graph((tmp_path / "kws.tflite").read_bytes(), "kws.tflite")
    assert not check_graph(g)
    for t in g.tensors:
        assert t.dtype == "int8" or (t.dtype == "int32" and t.is_constant), (t.name, t.dtype)
    original = parse_graph(src.read_bytes(), "float")
    assert [op.opcode for op in g.operators] == [op.opcode for op in original.operators]
    assert_host_bit_exact(tmp_path / "kws.tflite", tmp_path, count=3)
    again = tinygen("quantize", src, "--calibration", tmp_path / "cal.npy", "-o", tmp_path / "again.tflite")
    assert again.returncode == 0
    assert (tmp_path / "again.tflite").read_bytes() == (tmp_path / "kws.tflite").read_bytes()


def test_float_kws_tflite_per_tensor_with_float_io(shared_models, tmp_path):
    from tinygen.model.inputs import quantize_input
    from tinygen.model.io_spec import io_spec
    from tinygen.model.reference import reference_outputs

    np.save(tmp_path / "cal.npy", _mfcc_like(100, 2))
    for name, extra in (("int8io", []), ("floatio", ["--float-io"])):
        res = tinygen("quantize", shared_models / "kws_ref_model_float32.tflite", "--calibration",
                      tmp_path / "cal.npy", "--per-tensor", *extra, "-o", tmp_path / f"{name}.tflite")
        assert res.returncode == 0, res.stderr[-2000:]
    g8 = parse_graph((tmp_path / "int8io.tflite").read_bytes(), "int8io")
    for op in g8.operators:
        if op.opcode in ("CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED"):
            assert g8.tensors[op.inputs[1]].scale.size == 1, op
    assert not check_graph(g8)
    assert_host_bit_exact(tmp_path / "int8io.tflite", tmp_path, count=2)
    # float I/O is the same int8 graph between a QUANTIZE and a DEQUANTIZE
    gf = parse_graph((tmp_path / "floatio.tflite").read_bytes(), "floatio")
    assert gf.input_tensors[0].dtype == "float32" and gf.output_tensors[0].dtype == "float32"
    assert [o.opcode for o in gf.operators] == ["QUANTIZE"] + [o.opcode for o in g8.operators] + ["DEQUANTIZE"]
    assert not check_graph(gf)  # the runtime takes float I/O through the QUANTIZE/DEQUANTIZE pair
    (tmp_path / "floatio-run").mkdir()
    assert_host_bit_exact(tmp_path / "floatio.tflite", tmp_path / "floatio-run", count=2)
    x = _mfcc_like(3, 3)
    spec_in, spec_out = io_spec(g8, g8.inputs)[0], io_spec(g8, g8.outputs)[0]
    q = reference_outputs(str(tmp_path / "int8io.tflite"), [[quantize_input(xi[None], spec_in)] for xi in x])
    f = reference_outputs(str(tmp_path / "floatio.tflite"), [[xi[None]] for xi in x])
    for qo, fo in zip(q, f):
        assert np.array_equal(fo[0], (qo[0].astype(np.float32) - spec_out["zero_point"][0]) * spec_out["scale"][0])


@pytest.mark.parametrize("case,fragment", [
    ("not_a_model", "not a Keras model"),
    ("wrong_shape", "calibration data has shape"),
    ("nans", "NaN"),
    ("empty", "empty"),
    ("int16", "16x8"),
    ("float_tflite", "calibration data has shape"),
    ("int8_tflite", "already int8"),
    ("not_a_tflite", "bad.tflite"),
])
def test_bad_inputs_are_one_line(tmp_path, shared_models, case, fragment):
    from tinygen.demo.digits import load_digits_split, train_digits_mlp

    model = tmp_path / "m.keras"
    if case != "not_a_model":
        x, y, _, _ = load_digits_split()
        train_digits_mlp(x[:100], y[:100], epochs=1).save(model)
    else:
        model.write_bytes(b"definitely not a model")
    cal = tmp_path / "cal.npy"
    data = {"wrong_shape": np.zeros((10, 5), np.float32), "nans": np.full((10, 8, 8, 1), np.nan, np.float32),
            "empty": np.zeros((0, 8, 8, 1), np.float32)}.get(case, np.zeros((10, 8, 8, 1), np.float32))
    np.save(cal, data)
    args = [model, "--calibration", cal, "-o", tmp_path / "out.tflite"]
    if case == "int16":
        args.append("--int16-activations")
    if case == "float_tflite":
        args[0] = shared_models / "kws_ref_model_float32.tflite"
    if case == "int8_tflite":
        args[0] = shared_models / "kws_ref_model.tflite"
    if case == "not_a_tflite":
        args[0] = tmp_path / "bad.tflite"
        args[0].write_bytes(b"TFL3 but not really a flatbuffer")
    res = tinygen("quantize", *args)
    lines = [l for l in res.stderr.splitlines() if l.startswith("error:")]
    assert res.returncode == 2 and len(lines) == 1 and fragment in lines[0], res.stderr[-1500:]
    assert not (tmp_path / "out.tflite").exists()


def test_savedmodel_and_a_folder_of_calibration_files(tmp_path):
    from tinygen.demo.digits import load_digits_split, train_digits_mlp

    x, y, _, _ = load_digits_split()
    train_digits_mlp(x[:300], y[:300], epochs=3).export(str(tmp_path / "saved"), verbose=False)
    (tmp_path / "cal").mkdir()
    np.save(tmp_path / "cal" / "a.npy", x[:40])
    np.savez(tmp_path / "cal" / "b.npz", x=x[40:80])
    res = tinygen("quantize", tmp_path / "saved", "--calibration", tmp_path / "cal", "-o", tmp_path / "m.tflite")
    assert res.returncode == 0, res.stderr[-2000:]
    g = parse_graph((tmp_path / "m.tflite").read_bytes(), "m.tflite")
    assert not check_graph(g) and g.input_tensors[0].dtype == "int8"
    assert "80 calibration samples" in res.stderr  # the warning counts both files
