import numpy as np
import pytest

from tests.ops.opmodels import assert_host_bit_exact, int8_model

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("units,act,per_channel,bias", [
    (7, None, True, True), (16, "relu", True, False), (5, "relu6", False, True), (33, None, False, False),
])
def test_dense_bit_exact(tmp_path, units, act, per_channel, bias):
    import tensorflow as tf

    rng = np.random.default_rng(units)
    w = tf.constant(rng.normal(size=(24, units)).astype(np.float32))
    b = tf.constant(rng.normal(size=(units,)).astype(np.float32))

    def fn(x):
        y = tf.matmul(x, w)
        if bias:
            y = y + b
        if act == "relu":
            y = tf.nn.relu(y)
        elif act == "relu6":
            y = tf.nn.relu6(y)
        return y

    model = int8_model(fn, [(1, 24)], per_channel=per_channel)
    assert_host_bit_exact(model, tmp_path)
