"""TRANSPOSE_CONV (Conv2DTranspose): strides, SAME/VALID padding, bias and fused activations,
bit-exact with TFLM on the host and the Cortex-M4."""

import numpy as np
import pytest

from tests.ops.opmodels import assert_host_bit_exact, int8_model
from tinygen.model.graph import parse_graph

pytestmark = pytest.mark.slow

CASES = {
    # name: (input shape, kernel, out channels, stride, padding, activation)
    "s2_same_relu": ((1, 4, 5, 3), 3, 4, 2, "same", "relu"),
    "s2_valid": ((1, 3, 3, 2), 3, 5, 2, "valid", None),
    "s1_same_k2": ((1, 5, 4, 6), 2, 3, 1, "same", None),
    "s3_valid_k4": ((1, 2, 3, 4), 4, 2, 3, "valid", "relu6"),
}


def _model(case, seed=0):
    import tensorflow as tf

    shape, k, out_c, stride, pad, act = CASES[case]
    layer = tf.keras.layers.Conv2DTranspose(out_c, k, strides=stride, padding=pad, activation=act)
    layer.build(shape)
    rng = np.random.default_rng(seed)
    layer.set_weights([rng.normal(0, 0.4, w.shape).astype(np.float32) for w in layer.get_weights()])
    return int8_model(lambda x: layer(x), [shape], low=-2.0, high=2.0, seed=seed)


@pytest.mark.parametrize("case", sorted(CASES))
def test_transpose_conv_bit_exact_on_host(tmp_path, case):
    model = _model(case)
    ops = [op.opcode for op in parse_graph(model).operators]
    if "TRANSPOSE_CONV" not in ops:
        pytest.skip(f"the converter made {ops}")
    assert_host_bit_exact(model, tmp_path, count=3)


def test_transpose_conv_on_cortex_m4(tmp_path):
    model = _model("s2_same_relu", seed=1)
    assert "TRANSPOSE_CONV" in [op.opcode for op in parse_graph(model).operators]
    assert_host_bit_exact(model, tmp_path, board="mps2-an386", extra_cflags="-Werror", count=3)
