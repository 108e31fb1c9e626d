"""Whole Keras application networks the tests did not design: MobileNetV3-Small (hard-swish,
squeeze-and-excitation, Keras 3 shape arithmetic) and MobileNetV2, quantized here with random
weights, run on the Cortex-M4 bit-exact with TFLM. The classifier stays linear: with random weights
the logits are nearly equal, and TFLM itself refuses a softmax over a scale that small. Random
weights also give some activations scales near 1e-8; seed 5 of MobileNetV3-Small reaches the case
where gemmlowp's int16 RoundingDivideByPOT truncates its mask in HARD_SWISH."""

import numpy as np
import pytest

from tests.ops.opmodels import assert_host_bit_exact

pytestmark = pytest.mark.slow


def _int8(model, shape) -> bytes:
    import tensorflow as tf

    rng = np.random.default_rng(0)
    conv = tf.lite.TFLiteConverter.from_keras_model(model)
    conv.optimizations = [tf.lite.Optimize.DEFAULT]
    conv.representative_dataset = lambda: ([rng.uniform(-1, 1, (1,) + shape).astype(np.float32)] for _ in range(8))
    conv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    conv.inference_input_type = conv.inference_output_type = tf.int8
    return conv.convert()


@pytest.mark.parametrize("name", ["MobileNetV3Small", "MobileNetV2"])
def test_keras_application_on_cortex_m4(tmp_path, name):
    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(5)
    kw = dict(input_shape=(64, 64, 3), weights=None, classes=10, classifier_activation=None)
    if name == "MobileNetV3Small":
        model = tf.keras.applications.MobileNetV3Small(alpha=0.75, include_preprocessing=False, **kw)
    else:
        model = tf.keras.applications.MobileNetV2(alpha=0.35, **kw)
    doc = assert_host_bit_exact(_int8(model, (64, 64, 3)), tmp_path, board="mps2-an386", extra_cflags="-Werror",
                                count=2)
    assert doc["all_match"] and doc["instructions_per_inference"] > 0
