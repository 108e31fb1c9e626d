"""Models that keep float32 input and output around an int8 body (TensorFlow's converter does this
unless told otherwise): QUANTIZE in, DEQUANTIZE out, every output float bit-exact with TFLM."""

import json
import subprocess
import sys

import numpy as np
import pytest

from tests.ops.opmodels import assert_host_bit_exact
from tinygen.model.graph import parse_graph
from tinygen.ops import check_graph
from tinygen.model.io_spec import io_spec

pytestmark = pytest.mark.slow


def float_io_model() -> bytes:
    import tensorflow as tf

    rng = np.random.default_rng(0)
    w = tf.constant(rng.normal(0, 0.3, (3, 3, 2, 6)).astype(np.float32))
    d = tf.constant(rng.normal(0, 0.3, (6 * 4 * 4, 5)).astype(np.float32))

    def fn(x):
        y = tf.nn.relu(tf.nn.conv2d(x, w, [1, 2, 2, 1], "SAME"))
        return tf.nn.softmax(tf.reshape(y, (1, -1)) @ d)

    concrete = tf.function(fn).get_concrete_function(tf.TensorSpec((1, 8, 8, 2), tf.float32))
    conv = tf.lite.TFLiteConverter.from_concrete_functions([concrete], None)
    conv.optimizations = [tf.lite.Optimize.DEFAULT]
    conv.representative_dataset = lambda: ([rng.uniform(-3, 3, (1, 8, 8, 2)).astype(np.float32)] for _ in range(32))
    conv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    return conv.convert()  # no inference_input_type: float32 in and out


def test_float_io_model_runs_bit_exact(tmp_path):
    model = float_io_model()
    g = parse_graph(model)
    assert g.input_tensors[0].dtype == "float32" and g.output_tensors[0].dtype == "float32"
    assert g.operators[0].opcode == "QUANTIZE" and g.operators[-1].opcode == "DEQUANTIZE"
    assert not check_graph(g)
    spec = io_spec(g, g.inputs)[0]
    assert spec["quantized_as"]["dtype"] == "int8" and spec["bytes"] == 8 * 8 * 2 * 4
    (tmp_path / "host").mkdir()
    doc = assert_host_bit_exact(model, tmp_path / "host", count=4)
    assert all(isinstance(v, float) for v in doc["inferences"][0]["output"])
    assert abs(sum(doc["inferences"][1]["output"]) - 1.0) < 0.05  # a softmax, dequantized
    (tmp_path / "m4").mkdir()
    assert_host_bit_exact(model, tmp_path / "m4", board="mps2-an386", extra_cflags="-Werror", count=3)


def test_eval_takes_float_data_for_a_float_model(tmp_path):
    (tmp_path / "m.tflite").write_bytes(float_io_model())
    x = np.random.default_rng(3).uniform(-3, 3, (6, 8, 8, 2))  # float64, as numpy makes them
    np.savez(tmp_path / "d.npz", x=x, y=np.arange(6) % 5)
    tg = [sys.executable, "-m", "tinygen"]
    for cmd in (["project", tmp_path / "m.tflite", "-o", tmp_path / "fw"], ["build", tmp_path / "fw"]):
        assert subprocess.run(tg + list(map(str, cmd)), capture_output=True).returncode == 0
    res = subprocess.run(tg + ["eval", "--sim", str(tmp_path / "fw"), "--inputs", str(tmp_path / "d.npz"), "--json"],
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr[-1500:]
    doc = json.loads(res.stdout)
    assert doc["agreement"] == 1.0 and len(doc["inferences"]) == 6, {k: doc[k] for k in doc if k != "inferences"}


def test_mlperf_protocol_refuses_float_io(tmp_path):
    (tmp_path / "m.tflite").write_bytes(float_io_model())
    res = subprocess.run([sys.executable, "-m", "tinygen", "project", str(tmp_path / "m.tflite"), "--protocol",
                          "mlperf", "-o", str(tmp_path / "fw")], capture_output=True, text=True)
    assert res.returncode == 2 and "needs int8 model input and output" in res.stderr
