"""The bundled example: scikit-learn's 8x8 handwritten digits (shipped inside scikit-learn; no
downloads) and a small Keras model trained on them deterministically."""

from __future__ import annotations

import numpy as np

TRAIN = 1400


def load_digits_split(seed: int = 0):
    """(x_train, y_train, x_test, y_test): x float32 (N, 8, 8, 1) in [0, 1], y int64."""
    from sklearn.datasets import load_digits

    d = load_digits()
    x = (d.images.astype(np.float32) / 16.0)[..., None]
    y = d.target.astype(np.int64)
    order = np.random.default_rng(seed).permutation(len(y))
    x, y = x[order], y[order]
    return x[:TRAIN], y[:TRAIN], x[TRAIN:], y[TRAIN:]


def _deterministic(seed: int) -> None:
    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(seed)
    try:
        tf.config.experimental.enable_op_determinism()
    except Exception:  # already enabled, or not available in this TensorFlow
        pass


def train_digits_mlp(x_train, y_train, seed: int = 0, epochs: int = 30):
    """Flatten -> Dense(32, relu) -> Dense(10) -> Softmax: RESHAPE, FULLY_CONNECTED, SOFTMAX in int8."""
    import keras
    from keras import layers

    _deterministic(seed)
    model = keras.Sequential([
        keras.Input((8, 8, 1)),
        layers.Flatten(),
        layers.Dense(32, activation="relu"),
        layers.Dense(10),
        layers.Softmax(),
    ])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=epochs, batch_size=64, verbose=0, shuffle=False)
    return model


def train_digits_cnn(x_train, y_train, seed: int = 0, epochs: int = 20):
    """A tiny CNN: Conv2D -> DepthwiseConv2D -> MaxPool -> 1x1 Conv2D -> Dense -> Softmax."""
    import keras
    from keras import layers

    _deterministic(seed)
    model = keras.Sequential([
        keras.Input((8, 8, 1)),
        layers.Conv2D(8, 3, padding="same", activation="relu"),
        layers.DepthwiseConv2D(3, padding="same", activation="relu"),
        layers.MaxPooling2D(2),
        layers.Conv2D(16, 1, activation="relu"),
        layers.Flatten(),
        layers.Dense(10),
        layers.Softmax(),
    ])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=epochs, batch_size=64, verbose=0, shuffle=False)
    return model
