import pytest

from tests.ops.opmodels import assert_host_bit_exact, int8_model
from tinygen.model.graph import parse_graph

pytestmark = pytest.mark.slow

FNS = {
    "RELU": lambda tf: (lambda x: tf.nn.relu(x)),
    "RELU6": lambda tf: (lambda x: tf.nn.relu6(x)),
    "LEAKY_RELU": lambda tf: (lambda x: tf.nn.leaky_relu(x, alpha=0.15)),
    "LOGISTIC": lambda tf: (lambda x: tf.math.sigmoid(x)),
    "TANH": lambda tf: (lambda x: tf.math.tanh(x)),
    "HARD_SWISH": lambda tf: (lambda x: x * tf.nn.relu6(x + 3.0) / 6.0),
}


@pytest.mark.parametrize("span", [(-1.0, 1.0), (-8.0, 3.0), (-0.1, 12.0)])
@pytest.mark.parametrize("opcode", sorted(FNS))
def test_activation_bit_exact(tmp_path, opcode, span):
    import tensorflow as tf

    model = int8_model(FNS[opcode](tf), [(1, 7, 9, 4)], low=span[0], high=span[1])
    ops = [op.opcode for op in parse_graph(model).operators]
    if opcode not in ops:
        pytest.skip(f"the converter folded {opcode} away here: {ops}")
    assert_host_bit_exact(model, tmp_path, count=3)


def test_activations_on_cortex_m4(tmp_path):
    import tensorflow as tf

    def fn(x):
        return tf.concat([tf.math.sigmoid(x), tf.math.tanh(x), tf.nn.leaky_relu(x, 0.2)], axis=-1)

    model = int8_model(fn, [(1, 6, 6, 3)], low=-4, high=4)
    assert_host_bit_exact(model, tmp_path, board="mps2-an386", extra_cflags="-Werror")
