"""Single-operator models in the converter's 16x8 mode (int16 activations, int8 weights, int64
biases; int16 model input and output), made with TensorFlow like opmodels.int8_model."""

from __future__ import annotations

import numpy as np


def int16x8_model(fn, input_shapes, *, seed: int = 0, calib: int = 32, low: float = -1.0, high: float = 1.0,
                  int32_bias: bool = False) -> bytes:
    import tensorflow as tf

    specs = [tf.TensorSpec(s, tf.float32) for s in input_shapes]
    concrete = tf.function(fn).get_concrete_function(*specs)
    rng = np.random.default_rng(seed)

    def representative():
        for _ in range(calib):
            yield [rng.uniform(low, high, size=s).astype(np.float32) for s in input_shapes]

    conv = tf.lite.TFLiteConverter.from_concrete_functions([concrete], None)
    conv.optimizations = [tf.lite.Optimize.DEFAULT]
    conv.representative_dataset = representative
    conv.target_spec.supported_ops = [tf.lite.OpsSet.EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8]
    conv.inference_input_type = tf.int16
    conv.inference_output_type = tf.int16
    if int32_bias:  # the converter's option for int32 biases in 16x8 mode
        conv._experimental_full_integer_quantization_bias_type = tf.int32
    return conv.convert()
