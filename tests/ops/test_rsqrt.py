"""RSQRT (int8) through a generator-filled table: every input byte equal to TFLM's, and TF-made
models bit-exact on the host (ASan/UBSan) and the Cortex-M4."""

import numpy as np
import pytest

from tests import modeledit
from tests.ops.opmodels import assert_host_bit_exact, int8_model
from tinygen.model.graph import parse_graph
from tinygen.ops.rsqrt import inv_sqrt_multiplier_exp, rsqrt_table

pytestmark = pytest.mark.slow


def _rsqrt_model(low, high, shape=(1, 256), input_zero_point=None):
    import tensorflow as tf

    m = int8_model(lambda x: tf.math.rsqrt(x), [shape], low=low, high=high)
    if input_zero_point is not None:  # TFLM takes any zero point; the converter picks -128 here
        model = modeledit.load(m)
        sg = model.subgraphs[0]
        sg.tensors[sg.inputs[0]].quantization.zeroPoint = [input_zero_point]
        m = modeledit.save(model)
    return m


@pytest.mark.parametrize("low,high,zp", [(0.05, 4.0, None), (0.5, 9.0, None), (0.01, 100.0, -90), (0.001, 0.1, 17)])
def test_table_equals_tflm_for_every_valid_byte(tmp_path, low, high, zp):
    from tinygen.model.reference import reference_outputs

    m = _rsqrt_model(low, high, input_zero_point=zp)
    path = tmp_path / "rsqrt.tflite"
    path.write_bytes(m)
    g = parse_graph(m)
    assert [op.opcode for op in g.operators] == ["RSQRT"]
    i, o = g.tensors[g.inputs[0]], g.tensors[g.outputs[0]]
    z = int(i.zero_point[0])
    x = np.arange(-128, 128)
    x = np.where(x < z, z, x).astype(np.int8)  # below the zero point TFLM fails the inference
    ref = reference_outputs(str(path), [[x.reshape(1, 256)]])[0][0].reshape(-1)
    table = rsqrt_table(i.scale[0], z, o.scale[0], int(o.zero_point[0]))
    assert (table[x.astype(int) + 128] == ref).all()
    assert len(set(ref.tolist())) > 20


def test_inv_sqrt_small_values():
    assert inv_sqrt_multiplier_exp(0) == ((1 << 31) - 1, 0) and inv_sqrt_multiplier_exp(1) == ((1 << 31) - 1, 0)
    m, s = inv_sqrt_multiplier_exp(4)  # 1/sqrt(4) = 0.5 = m * 2^(s - 31)
    assert abs(m * 2.0 ** (s - 31) - 0.5) < 1e-6


def test_rsqrt_bit_exact_on_host(tmp_path):
    assert_host_bit_exact(_rsqrt_model(0.05, 4.0, shape=(1, 6, 10)), tmp_path, count=4)


def test_rsqrt_on_cortex_m4(tmp_path):
    import tensorflow as tf

    model = int8_model(lambda x: tf.math.rsqrt(x * x + 0.1) * 0.5, [(1, 32)], low=-3, high=3)
    assert "RSQRT" in [op.opcode for op in parse_graph(model).operators]
    assert_host_bit_exact(model, tmp_path, board="mps2-an386", extra_cflags="-Werror", count=4)
