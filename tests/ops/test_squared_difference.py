"""SQUARED_DIFFERENCE (tf.math.squared_difference) on int8, same shapes and broadcast both ways,
with inputs of different scales and zero points, bit-exact with TFLM on the host (sanitizers) and
on the Cortex-M4."""

import numpy as np
import pytest

from tests.ops.opmodels import assert_host_bit_exact, int8_model
from tinygen.model.graph import parse_graph
from tinygen.ops import check_graph
from tinygen.ops.squared_difference import squared_difference_multipliers

pytestmark = pytest.mark.slow


def _ops(model):
    return [op.opcode for op in parse_graph(model).operators]


def _model(shape1, shape2, span=(-1.0, 1.0), gain=1.0, shift=0.0):
    """gain and shift give the second input another scale and zero point than the first."""
    import tensorflow as tf

    model = int8_model(lambda x, y: tf.math.squared_difference(x, y * gain + shift), [shape1, shape2],
                       low=span[0], high=span[1])
    if "SQUARED_DIFFERENCE" not in _ops(model):
        pytest.skip(f"the converter made {_ops(model)}")
    return model


@pytest.mark.parametrize("shape1,shape2", [
    ((1, 4, 5, 3), (1, 4, 5, 3)),
    ((1, 4, 5, 3), (1, 1, 1, 3)),
    ((1, 1, 1, 3), (1, 4, 5, 3)),
    ((2, 3, 1), (1, 1, 4)),
    ((7,), (1,)),
    ((2, 1, 3, 1), (1, 4, 1, 5)),
])
def test_squared_difference_bit_exact(tmp_path, shape1, shape2):
    assert_host_bit_exact(_model(shape1, shape2), tmp_path, count=3)


@pytest.mark.parametrize("span,gain,shift", [((-8.0, 3.0), 1.0, 0.0), ((0.0, 5.0), 3.0, -2.0),
                                             ((-0.05, 0.02), 0.1, 0.3), ((-1.0, 1.0), 20.0, 0.0)])
def test_squared_difference_scales_and_zero_points(tmp_path, span, gain, shift):
    assert_host_bit_exact(_model((1, 6, 5, 4), (1, 6, 5, 4), span, gain, shift), tmp_path, count=3)


def test_multipliers_follow_tflm_prepare():
    (m1, s1), (m2, s2), (mo, so) = squared_difference_multipliers(0.5, 0.25, 1.0)
    assert (m1, s1) == (1 << 30, 0)  # 0.5 / (2 * 0.5) = 2^30 / 2^31
    assert (m2, s2) == (1 << 30, -1)  # 0.25 / (2 * 0.5)
    assert (mo, so) == (1 << 30, -13)  # 1 / (2^14 * 1)


def test_squared_difference_refuses_a_tiny_output_scale():
    g = parse_graph(_model((1, 3, 3, 2), (1, 3, 3, 2)))
    op = next(op for op in g.operators if op.opcode == "SQUARED_DIFFERENCE")
    assert check_graph(g) == []
    g.tensors[op.outputs[0]].scale = np.array([1e-12], dtype=np.float32)
    assert any("shifts left" in p for p in check_graph(g))


def test_squared_difference_on_cortex_m4(tmp_path):
    model = _model((1, 4, 5, 3), (1, 1, 5, 1), (-2.0, 3.0), 2.0, 0.5)
    assert_host_bit_exact(model, tmp_path, board="mps2-an386", extra_cflags="-Werror", count=3)
