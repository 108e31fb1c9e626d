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


@pytest.mark.parametrize("act", ["relu", "relu6", None])
def test_add_tables_on_cortex_m4(tmp_path, act):
    """ADD of same-shaped tensors takes the table kernel (SMMULR on the DSP path), each clamp form."""
    import tensorflow as tf

    from tinygen.ops import lower_graph

    fn = {"relu": lambda a, b: tf.nn.relu(a + b), "relu6": lambda a, b: tf.nn.relu6(a + b), None: lambda a, b: a + b}
    model = int8_model(fn[act], [(1, 6, 5, 8), (1, 6, 5, 8)], low=-3.0, high=4.0)
    assert "tg_add_lut_s8" in [low.kernel for low in lower_graph(parse_graph(model))]
    doc = assert_host_bit_exact(model, tmp_path, board="mps2-an386", extra_cflags="-Werror")
    assert doc["instructions_per_inference"] < 40 * 240  # 240 elements, ~17 instructions each
