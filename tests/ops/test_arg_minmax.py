"""ARG_MAX / ARG_MIN with int32 indices, inside a graph and as the model's output."""

import pytest

from tests.ops.opmodels import assert_host_bit_exact, int8_model
from tinygen.model.graph import parse_graph

pytestmark = pytest.mark.slow


def _need(model, opcode):
    ops = [op.opcode for op in parse_graph(model).operators]
    if opcode not in ops:
        pytest.skip(f"the converter made {ops}")


@pytest.mark.parametrize("fn", ["max", "min"])
@pytest.mark.parametrize("axis", [-1, 1, 0])
def test_arg_minmax_output(tmp_path, fn, axis):
    import tensorflow as tf

    op = tf.math.argmax if fn == "max" else tf.math.argmin
    model = int8_model(lambda x: op(x, axis=axis, output_type=tf.int32), [(2, 6, 5)])
    _need(model, f"ARG_{fn.upper()}")
    g = parse_graph(model)
    assert g.output_tensors[0].dtype == "int32"
    doc = assert_host_bit_exact(model, tmp_path, count=4)
    assert all(isinstance(v, int) and v >= 0 for v in doc["inferences"][1]["output"])


def test_classifier_with_argmax_head_on_cortex_m4(tmp_path):
    import numpy as np
    import tensorflow as tf

    w = tf.constant(np.random.default_rng(0).normal(0, 0.5, (12, 7)).astype(np.float32))
    model = int8_model(lambda x: tf.math.argmax(tf.nn.relu(x @ w), axis=-1, output_type=tf.int32), [(1, 12)])
    _need(model, "ARG_MAX")
    assert_host_bit_exact(model, tmp_path, board="mps2-an386", extra_cflags="-Werror", count=4)
