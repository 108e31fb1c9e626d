"""Random small Keras networks that nobody tuned for, mixing the operators the runtime supports.

`random_network(seed)` returns (model, input_shape). Each network is a short chain of blocks drawn
from a seeded generator, with occasional residual (ADD/MUL) and concatenation branches, so the
int8 graph that TensorFlow's converter makes mixes CONV_2D, DEPTHWISE_CONV_2D, pooling, PAD, MEAN,
FULLY_CONNECTED, ADD, MUL, CONCATENATION, activations, RESHAPE and SOFTMAX in shapes no test chose.
"""

from __future__ import annotations

import numpy as np


def random_network(seed: int):
    import keras
    from keras import layers

    rng = np.random.default_rng(seed)
    keras.utils.set_random_seed(seed)
    h = int(rng.choice([6, 8, 9, 12]))
    w = int(rng.choice([5, 8, 10]))
    c = int(rng.choice([1, 2, 3, 4]))
    inp = keras.Input((h, w, c), batch_size=1)
    x = inp
    acts = ["relu", "relu6", "sigmoid", "tanh", "hard_swish", "leaky", None]

    def act(t):
        a = acts[rng.integers(len(acts))]
        if a == "leaky":
            return layers.LeakyReLU(negative_slope=float(rng.choice([0.1, 0.3])))(t)
        if a == "hard_swish":
            return layers.Activation("hard_swish")(t)
        if a == "relu6":
            return layers.ReLU(max_value=6.0)(t)
        return layers.Activation(a)(t) if a else t

    for _ in range(int(rng.integers(2, 5))):
        kind = rng.choice(["conv", "dwconv", "pool", "pad", "residual", "concat", "mul"])
        spatial = x.shape[1] >= 3 and x.shape[2] >= 3
        if kind == "conv" or not spatial and kind in ("dwconv", "pool"):
            k = int(rng.choice([1, 3])) if spatial else 1
            x = layers.Conv2D(int(rng.integers(2, 12)), k, strides=int(rng.choice([1, 2])) if spatial else 1,
                              padding=str(rng.choice(["same", "valid"])) if spatial else "same",
                              dilation_rate=1, use_bias=bool(rng.integers(2)))(x)
            x = act(x)
        elif kind == "dwconv":
            x = layers.DepthwiseConv2D(3, depth_multiplier=int(rng.choice([1, 2])), padding=str(rng.choice(["same", "valid"])),
                                       strides=1)(x)
            x = act(x)
        elif kind == "pool":
            pool = layers.MaxPooling2D if rng.integers(2) else layers.AveragePooling2D
            x = pool(2, strides=int(rng.choice([1, 2])), padding=str(rng.choice(["same", "valid"])))(x)
        elif kind == "pad":
            x = layers.ZeroPadding2D(((1, 0), (0, 1)))(x)
        elif kind == "residual":
            y = layers.Conv2D(x.shape[-1], 1, padding="same")(x)
            x = layers.Add()([x, act(y)])
        elif kind == "mul":
            y = layers.Conv2D(x.shape[-1], 1, padding="same", activation="sigmoid")(x)
            x = layers.Multiply()([x, y])
        else:
            y = layers.Conv2D(int(rng.integers(1, 5)), 1, padding="same")(x)
            x = layers.Concatenate()([x, act(y)])
    if rng.integers(2):
        x = layers.GlobalAveragePooling2D()(x)
    else:
        x = layers.Flatten()(x)
    x = layers.Dense(int(rng.integers(3, 12)))(x)
    x = act(x) if rng.integers(2) else layers.Softmax()(x)
    return keras.Model(inp, x), (1, h, w, c)
