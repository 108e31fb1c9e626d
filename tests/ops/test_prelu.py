"""PRELU (Keras PReLU, alpha per channel or shared), bit-exact with TFLM on the host and the M4."""

import numpy as np
import pytest

from tests.ops.opmodels import assert_host_bit_exact, int8_model
from tinygen.model.graph import parse_graph

pytestmark = pytest.mark.slow


def _model(shape, shared_axes, seed=0, span=(-3.0, 2.0)):
    import tensorflow as tf

    layer = tf.keras.layers.PReLU(shared_axes=shared_axes)
    layer.build(shape)
    rng = np.random.default_rng(seed)
    layer.set_weights([rng.uniform(-0.5, 1.5, w.shape).astype(np.float32) for w in layer.get_weights()])
    return int8_model(lambda x: layer(x), [shape], low=span[0], high=span[1], seed=seed)


@pytest.mark.parametrize("shape,shared", [((1, 5, 6, 4), [1, 2]), ((1, 5, 6, 4), None), ((1, 7, 3), [1]),
                                          ((1, 9), None)])
def test_prelu_bit_exact_on_host(tmp_path, shape, shared):
    model = _model(shape, shared)
    ops = [op.opcode for op in parse_graph(model).operators]
    if "PRELU" not in ops:
        pytest.skip(f"the converter made {ops}")
    assert_host_bit_exact(model, tmp_path, count=3)


def test_prelu_on_cortex_m4(tmp_path):
    model = _model((1, 6, 6, 8), [1, 2], seed=2, span=(-1.0, 4.0))
    assert "PRELU" in [op.opcode for op in parse_graph(model).operators]
    assert_host_bit_exact(model, tmp_path, board="mps2-an386", extra_cflags="-Werror", count=3)
