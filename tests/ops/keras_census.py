"""Small Keras models of the layer kinds the census of issue 12 covers (GRU, SimpleRNN,
MultiHeadAttention, LayerNormalization, Conv1D), converted to int8 by TensorFlow's converter and
written to a file: `python -m tests.ops.keras_census OUT KIND [int8|16x8]` (16x8: int16
activations, int8 weights), one model per process (the
converter may crash on some, as it does on a small LSTM). Keras 2 (tf-keras) with a fixed batch, as
tests/ops/keras_lstm.py."""

from __future__ import annotations

import os
import sys

KINDS = ("gru", "simple_rnn", "attention", "layer_norm", "conv1d", "gru_loop", "simple_rnn_loop")


def _layers(kind: str, keras, x):
    if kind in ("gru", "gru_loop"):  # unrolled: one set of operators per step; else a WHILE loop
        return keras.layers.GRU(8, return_sequences=True, unroll=kind == "gru")(x)
    if kind in ("simple_rnn", "simple_rnn_loop"):
        return keras.layers.SimpleRNN(8, return_sequences=True, unroll=kind == "simple_rnn")(x)
    if kind == "attention":
        return keras.layers.MultiHeadAttention(num_heads=2, key_dim=4)(x, x)
    if kind == "layer_norm":
        return keras.layers.LayerNormalization()(keras.layers.Dense(12)(x))
    if kind == "conv1d":
        return keras.layers.Conv1D(8, 3, padding="same", activation="relu")(x)
    raise ValueError(f"unknown kind {kind}; choose one of {', '.join(KINDS)}")


def make(out: str, kind: str, mode: str = "int8", seed: int = 0) -> None:
    os.environ["TF_USE_LEGACY_KERAS"] = "1"
    import numpy as np
    import tensorflow as tf
    import tf_keras as keras

    shape = (1, 6, 10)  # batch, steps, features
    rng = np.random.default_rng(seed)
    inp = keras.Input(shape=shape[1:], batch_size=shape[0])
    model = keras.Model(inp, _layers(kind, keras, inp))
    model.set_weights([rng.normal(0, 0.5, w.shape).astype(np.float32) for w in model.get_weights()])
    conv = tf.lite.TFLiteConverter.from_keras_model(model)
    conv.optimizations = [tf.lite.Optimize.DEFAULT]

    def representative():
        for _ in range(24):
            yield [rng.uniform(-1, 1, shape).astype(np.float32)]

    conv.representative_dataset = representative
    if mode == "16x8":
        conv.target_spec.supported_ops = [tf.lite.OpsSet.EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8]
        conv.inference_input_type = conv.inference_output_type = tf.int16
    else:
        conv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        conv.inference_input_type = conv.inference_output_type = tf.int8
    data = conv.convert()
    with open(out, "wb") as f:
        f.write(data)


if __name__ == "__main__":
    make(sys.argv[1], sys.argv[2], *sys.argv[3:4])
