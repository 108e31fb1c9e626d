import numpy as np
import pytest

from tests.ops.opmodels import assert_host_bit_exact, int8_model
from tinygen.model.graph import parse_graph

pytestmark = pytest.mark.slow

SHAPES = [((1, 4, 5, 3), (1, 4, 5, 3)), ((1, 4, 5, 3), (1, 1, 1, 3)), ((2, 3, 4), (3, 1)), ((1, 6), (1, 6)),
          ((1, 2, 1, 4), (1, 1, 3, 1))]


@pytest.mark.parametrize("op", ["add", "sub", "mul", "maximum", "minimum"])
@pytest.mark.parametrize("shapes", SHAPES)
def test_binary_bit_exact(tmp_path, op, shapes):
    import tensorflow as tf

    fn = {"add": lambda a, b: tf.nn.relu(a + b), "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
          "maximum": tf.maximum, "minimum": tf.minimum}[op]
    model = int8_model(fn, list(shapes), low=-1.5, high=2.5)
    expected = {"add": "ADD", "sub": "SUB", "mul": "MUL", "maximum": "MAXIMUM", "minimum": "MINIMUM"}[op]
    assert expected in [o.opcode for o in parse_graph(model).operators]
    assert_host_bit_exact(model, tmp_path, count=2)


def test_constant_operand_and_cortex_m4(tmp_path):
    import tensorflow as tf

    c = tf.constant(np.linspace(-1, 1, 12, dtype=np.float32).reshape(1, 1, 12))
    model = int8_model(lambda a: a * c + c, [(1, 5, 12)])
    assert_host_bit_exact(model, tmp_path, board="mps2-an386", extra_cflags="-Werror")
