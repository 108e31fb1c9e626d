import numpy as np
import pytest

from tests.ops.opmodels import assert_host_bit_exact, int8_model
from tinygen.model.graph import parse_graph

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("shape,span,beta", [
    ((1, 10), 1.0, 1.0), ((1, 2), 8.0, 1.0), ((3, 100), 30.0, 1.0), ((1, 511), 8.0, 1.0), ((1, 300), 0.05, 1.0),
    ((2, 4, 7), 5.0, 1.0), ((1, 12), 3.0, 0.5),
])
def test_softmax_bit_exact(tmp_path, shape, span, beta):
    import tensorflow as tf

    def fn(x):
        return tf.nn.softmax(x * beta) if beta != 1.0 else tf.nn.softmax(x)

    model = int8_model(fn, [shape], low=-span, high=span)
    assert "SOFTMAX" in [op.opcode for op in parse_graph(model).operators]
    assert_host_bit_exact(model, tmp_path)


def test_softmax_on_cortex_m4(tmp_path):
    import tensorflow as tf

    model = int8_model(lambda x: tf.nn.softmax(x), [(2, 37)], low=-6, high=6)
    assert_host_bit_exact(model, tmp_path, board="mps2-an386", extra_cflags="-Werror")


def test_reference_abort_is_a_clear_error(tmp_path):
    """TFLM aborts on a 1001-way softmax of near-equal logits; tinygen reports it in one line."""
    import tensorflow as tf

    from tinygen.errors import ModelError
    from tinygen.model.reference import reference_outputs

    path = tmp_path / "m.tflite"
    path.write_bytes(int8_model(lambda x: tf.nn.softmax(x), [(1, 1001)], low=-0.2, high=0.2))
    with pytest.raises(ModelError, match="TFLM reference interpreter failed"):
        reference_outputs(str(path), [[np.zeros((1, 1001), np.int8)]])
