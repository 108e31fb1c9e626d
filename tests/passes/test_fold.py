"""Shape arithmetic folded at generation time: Keras 3 writes Reshape and Flatten as SHAPE ->
STRIDED_SLICE -> PACK -> RESHAPE on int32 tensors; tinygen turns them into constants and the
model (a squeeze-and-excitation block, as in MobileNetV3 and EfficientNet) runs bit-exact."""

import numpy as np
import pytest

from tests.ops.opmodels import assert_host_bit_exact
from tinygen.passes.fold import fold_constants
from tinygen.model.graph import parse_graph
from tinygen.ops import check_graph

pytestmark = pytest.mark.slow


def se_model() -> bytes:
    import tensorflow as tf

    K = tf.keras
    i = K.Input((8, 8, 3))
    x = K.layers.Conv2D(8, 3, padding="same", activation="relu")(i)
    s = K.layers.GlobalAveragePooling2D()(x)
    s = K.layers.Dense(8, activation="sigmoid")(s)
    x = K.layers.Multiply()([x, K.layers.Reshape((1, 1, 8))(s)])
    o = K.layers.Dense(4, activation="softmax")(K.layers.Flatten()(x))
    model = K.Model(i, o)
    rng = np.random.default_rng(0)
    conv = tf.lite.TFLiteConverter.from_keras_model(model)
    conv.optimizations = [tf.lite.Optimize.DEFAULT]
    conv.representative_dataset = lambda: ([rng.uniform(-1, 1, (1, 8, 8, 3)).astype(np.float32)] for _ in range(16))
    conv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    conv.inference_input_type = conv.inference_output_type = tf.int8
    return conv.convert()


def test_shape_arithmetic_is_folded_and_the_model_runs(tmp_path):
    model = se_model()
    g = parse_graph(model)
    ops = [op.opcode for op in g.operators]
    if "SHAPE" not in ops:
        pytest.skip(f"this Keras/TensorFlow writes no shape arithmetic here: {ops}")
    assert check_graph(g)  # unfolded, the int32 operators are refused
    folded = fold_constants(g)
    assert "SHAPE" not in [op.opcode for op in folded.operators] and not check_graph(folded)
    reshape = next(op for op in folded.operators if op.opcode == "RESHAPE" and len(op.inputs) > 1)
    assert folded.tensors[reshape.inputs[1]].is_constant
    assert_host_bit_exact(model, tmp_path, count=3)
    (tmp_path / "m4").mkdir()
    assert_host_bit_exact(model, tmp_path / "m4", board="mps2-an386", extra_cflags="-Werror", count=2)


def test_quantized_arithmetic_is_never_folded():
    from tests.ops.opmodels import int8_model

    model = int8_model(lambda x: x * 2.0 + 1.0, [(1, 4)])
    g = parse_graph(model)
    assert [op.opcode for op in fold_constants(g).operators] == [op.opcode for op in g.operators]
