"""ABS through a generator-filled table, bit-exact with TFLM (same and different scales)."""

import numpy as np
import pytest

from tests.ops.opmodels import assert_host_bit_exact, int8_model
from tinygen.model.graph import parse_graph
from tinygen.ops.lut import abs_table

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("span", [(-2.0, 2.0), (-5.0, 1.0), (-0.3, 3.0)])
def test_abs_bit_exact(tmp_path, span):
    import tensorflow as tf

    model = int8_model(lambda x: tf.math.abs(x), [(1, 5, 7, 3)], low=span[0], high=span[1])
    ops = [op.opcode for op in parse_graph(model).operators]
    if "ABS" not in ops:
        pytest.skip(f"the converter made {ops}")
    assert_host_bit_exact(model, tmp_path, count=4)


def test_abs_table_without_rescaling():
    t = abs_table(0.5, -3, 0.5, -128)
    assert t[128 + (-3)] == -128 and t[128 + 0] == -125 and t[0] == min(125 - 128, 127)
    assert t.dtype == np.int8 and len(t) == 256


def test_abs_on_cortex_m4(tmp_path):
    import tensorflow as tf

    model = int8_model(lambda x: tf.math.abs(x) * 0.5 + 0.25, [(1, 16)], low=-4, high=2)
    assert "ABS" in [op.opcode for op in parse_graph(model).operators]
    assert_host_bit_exact(model, tmp_path, board="mps2-an386", extra_cflags="-Werror", count=4)
