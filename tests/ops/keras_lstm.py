"""A Keras LSTM layer with a fixed batch, converted to int8 by TensorFlow's converter, written to a
file: run as `python -m tests.ops.keras_lstm OUT SEED`, one model per process, so a converter crash
cannot take the test suite with it. Keras 2 (tf-keras) is used because the converter fuses its LSTM
into one UNIDIRECTIONAL_SEQUENCE_LSTM; Keras 3's lowers to a WHILE loop, and TF 2.21 segfaults
quantizing it."""

from __future__ import annotations

import os
import sys


def case(seed: int) -> dict:
    import numpy as np

    rng = np.random.default_rng(seed)
    return dict(batch=int(rng.integers(1, 4)), steps=int(rng.integers(2, 9)), features=int(rng.integers(3, 20)),
                units=int(rng.integers(2, 24)), time_major=bool(seed % 2))


def make(out: str, seed: int) -> None:
    os.environ["TF_USE_LEGACY_KERAS"] = "1"
    import numpy as np
    import tensorflow as tf
    import tf_keras as keras

    c = case(seed)
    rng = np.random.default_rng(seed)
    shape = (c["steps"], c["batch"], c["features"]) if c["time_major"] else (c["batch"], c["steps"], c["features"])
    inp = keras.Input(shape=shape[1:], batch_size=shape[0])
    y = keras.layers.LSTM(c["units"], return_sequences=True, time_major=c["time_major"])(inp)
    model = keras.Model(inp, y)
    model.set_weights([rng.normal(0, 0.6, w.shape).astype(np.float32) for w in model.get_weights()])
    conv = tf.lite.TFLiteConverter.from_keras_model(model)
    conv.optimizations = [tf.lite.Optimize.DEFAULT]

    def representative():
        for _ in range(24):
            yield [rng.uniform(-1, 1, shape).astype(np.float32)]

    conv.representative_dataset = representative
    conv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    conv.inference_input_type = tf.int8
    conv.inference_output_type = tf.int8
    data = conv.convert()
    with open(out, "wb") as f:
        f.write(data)


if __name__ == "__main__":
    make(sys.argv[1], int(sys.argv[2]))
