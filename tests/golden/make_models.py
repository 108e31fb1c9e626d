"""Makes the two small models the golden projects are generated from (run once; the .tflite files
are committed so the golden test needs no TensorFlow). Our own models, fixed seeds:

    python tests/golden/make_models.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from tests.ops.opmodels import int8_model  # noqa: E402


def tiny_cnn():
    import tensorflow as tf

    rng = np.random.default_rng(1)
    w1 = tf.constant(rng.normal(0, 0.5, (3, 3, 1, 4)).astype(np.float32))
    dw = tf.constant(rng.normal(0, 0.5, (3, 3, 4, 1)).astype(np.float32))
    fc = tf.constant(rng.normal(0, 0.3, (4 * 4 * 4, 3)).astype(np.float32))

    def fn(x):
        y = tf.nn.relu(tf.nn.conv2d(x, w1, 1, "SAME"))
        y = tf.nn.relu6(tf.nn.depthwise_conv2d(y, dw, [1, 1, 1, 1], "SAME"))
        y = tf.nn.max_pool2d(y, 2, 2, "VALID")
        return tf.nn.softmax(tf.reshape(y, (1, -1)) @ fc)

    return int8_model(fn, [(1, 8, 8, 1)], seed=2)


def tiny_mlp():
    import tensorflow as tf

    rng = np.random.default_rng(3)
    w1 = tf.constant(rng.normal(0, 0.4, (16, 12)).astype(np.float32))
    w2 = tf.constant(rng.normal(0, 0.4, (12, 4)).astype(np.float32))

    def fn(x):
        return tf.nn.tanh(tf.nn.relu(x @ w1) @ w2)

    return int8_model(fn, [(1, 16)], seed=4)


if __name__ == "__main__":
    (HERE / "tiny_cnn.tflite").write_bytes(tiny_cnn())
    (HERE / "tiny_mlp.tflite").write_bytes(tiny_mlp())
    print("wrote tiny_cnn.tflite and tiny_mlp.tflite; now run: python tests/golden/regenerate.py")
