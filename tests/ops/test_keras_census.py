"""The census of issue 12: small Keras models of the layer kinds users bring for sequences and
attention, converted by TensorFlow's converter (tests/ops/keras_census.py, one model per process),
lower to operators tinygen runs, bit-exact with the host TFLM under ASan/UBSan. Keras' GRU and
SimpleRNN as WHILE loops (unroll=False) crash the converter here (exit 139), as a small LSTM does;
unrolled, they are the operators below."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from tests.ops.opmodels import assert_host_bit_exact
from tinygen.model.graph import load_graph
from tinygen.ops import check_graph, lower_graph

pytestmark = pytest.mark.slow

# (kind, mode): the operators the converter lowers it to (each at least once)
CENSUS = {
    ("gru", "int8"): {"UNPACK", "FULLY_CONNECTED", "SPLIT", "SPLIT_V", "ADD", "SUB", "MUL", "LOGISTIC", "TANH", "PACK"},
    ("simple_rnn", "int8"): {"UNPACK", "FULLY_CONNECTED", "ADD", "TANH", "QUANTIZE", "PACK"},
    ("attention", "int8"): {"FULLY_CONNECTED", "TRANSPOSE", "BATCH_MATMUL", "SOFTMAX"},
    ("layer_norm", "int8"): {"MEAN", "SQUARED_DIFFERENCE", "RSQRT", "MUL", "SUB", "ADD"},
    ("conv1d", "int8"): {"RESHAPE", "CONV_2D"},
    # 16x8: int16 SPLIT, SPLIT_V, UNPACK, PACK, LOGISTIC and TANH
    ("gru", "16x8"): {"UNPACK", "FULLY_CONNECTED", "SPLIT", "SPLIT_V", "LOGISTIC", "TANH", "PACK"},
}


def _convert(tmp_path, kind: str, mode: str):
    if importlib.util.find_spec("tf_keras") is None:
        pytest.skip("tf-keras is not installed (scripts/setup.sh installs tinygen[quantize], which has it)")
    path = tmp_path / f"{kind}_{mode}.tflite"
    res = subprocess.run([sys.executable, "-m", "tests.ops.keras_census", str(path), kind, mode],
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, f"the converter failed (exit {res.returncode}): {res.stderr[-1500:]}"
    return path


@pytest.mark.parametrize("kind, mode", sorted(CENSUS))
def test_keras_layer_runs_bit_exact_on_host(tmp_path, kind, mode):
    path = _convert(tmp_path, kind, mode)
    g = load_graph(path)
    assert CENSUS[kind, mode] <= {op.opcode for op in g.operators}, [op.opcode for op in g.operators]
    assert not check_graph(g)
    if mode == "16x8":
        kernels = {low.kernel for low in lower_graph(g)}
        assert {"tg_split_s16", "tg_pack_s16", "tg_logistic_s16", "tg_tanh_s16"} <= kernels
    assert_host_bit_exact(path, tmp_path, count=3)
