"""SUM (tf.reduce_sum) on int8 over several shapes, axes, keep_dims and value ranges, bit-exact with
TFLM on the host (sanitizers) and on the Cortex-M4."""

import pytest

from tests.ops.opmodels import assert_host_bit_exact, int8_model
from tinygen.model.graph import parse_graph
from tinygen.ops import check_graph
from tinygen.ops.reduce import sum_multiplier

pytestmark = pytest.mark.slow


def _ops(model):
    return [op.opcode for op in parse_graph(model).operators]


def _sum_model(shape, axes, keep, span=(-1.0, 1.0)):
    import tensorflow as tf

    model = int8_model(lambda x: tf.reduce_sum(x, axis=list(axes), keepdims=keep), [shape],
                       low=span[0], high=span[1])
    if "SUM" not in _ops(model):
        pytest.skip(f"the converter made {_ops(model)}")
    return model


@pytest.mark.parametrize("shape,axes,keep", [
    ((1, 6, 5, 4), (1, 2), False),
    ((1, 6, 5, 4), (1, 2), True),
    ((1, 6, 5, 4), (3,), False),
    ((1, 6, 5, 4), (0, 1, 2, 3), False),
    ((1, 6, 5, 4), (-1, 1), True),
    ((2, 3, 7), (1,), True),
    ((9, 8), (0,), False),
    ((33,), (0,), True),
    ((2, 3, 2, 3, 4), (0, 2, 4), False),
])
def test_sum_bit_exact(tmp_path, shape, axes, keep):
    assert_host_bit_exact(_sum_model(shape, axes, keep), tmp_path, count=3)


@pytest.mark.parametrize("span", [(-8.0, 3.0), (0.0, 5.0), (-0.02, 0.01)])
def test_sum_value_ranges(tmp_path, span):
    """Zero points far from 0 and tiny scales change the multiplier and the zp x count term."""
    assert_host_bit_exact(_sum_model((1, 10, 12, 3), (1, 2), True, span), tmp_path, count=3)


def test_sum_of_many_elements(tmp_path):
    """Large counts: the output scale grows with the count, the multiplier gets a large right shift."""
    assert_host_bit_exact(_sum_model((1, 32, 32, 8), (1, 2), False, (0.0, 1.0)), tmp_path, count=3)


def test_sum_multiplier_is_tflm_division_in_double():
    m, s = sum_multiplier(0.5, 2.0)
    assert (m, s) == (1 << 30, -1)  # 0.25 = 2^30 / 2^31 * 2^-1


def test_sum_refuses_non_constant_axes():
    """TF folds the axes of a static-shape graph, so make them variable in the parsed graph."""
    g = parse_graph(_sum_model((4, 5), (1,), False))
    op = next(op for op in g.operators if op.opcode == "SUM")
    assert check_graph(g) == []
    g.tensors[op.inputs[1]].data = None
    assert any("axes are not a constant" in p for p in check_graph(g))


def test_sum_on_cortex_m4(tmp_path):
    model = _sum_model((1, 6, 5, 4), (1, 2), True, (-2.0, 3.0))
    assert_host_bit_exact(model, tmp_path, board="mps2-an386", extra_cflags="-Werror", count=3)
