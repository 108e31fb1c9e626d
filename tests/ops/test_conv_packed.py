"""CONV_2D on every path of tg_conv_packed_s8: direct 1x1 and im2col, compact and wide (int16)
weights, borders, strides, dilation, the full-int8 saturation and the clamped activation, on the
Cortex-M4 and under sanitizers on the host."""

import numpy as np
import pytest

from tests.ops.opmodels import assert_host_bit_exact, int8_model
from tinygen.boards.registry import load_board
from tinygen.model.graph import parse_graph
from tinygen.ops import lower_graph
from tinygen.codegen.target import target_for

pytestmark = pytest.mark.slow

CASES = {
    # name: (input shape, kernel, out channels, stride, dilation, padding, activation)
    "1x1_direct": ((1, 6, 7, 16), 1, 24, 1, 1, "VALID", None),
    "3x3_same_relu": ((1, 9, 9, 8), 3, 12, 1, 1, "SAME", "relu"),
    "3x3_stride2_odd_channels": ((1, 11, 10, 3), 3, 7, 2, 1, "SAME", "relu6"),
    "5x5_dilated": ((1, 12, 12, 4), 5, 8, 1, 2, "SAME", None),
    "1x1_one_pixel": ((1, 1, 1, 32), 1, 70, 1, 1, "VALID", "relu6"),  # compact layout (one pixel), > 64 outputs
}


def _model(case, seed=0):
    import tensorflow as tf

    shape, k, out_c, stride, dil, pad, act = CASES[case]
    rng = np.random.default_rng(seed)
    w = tf.constant(rng.normal(0, 0.3, (k, k, shape[3], out_c)).astype(np.float32))
    b = tf.constant(rng.normal(0, 0.2, (out_c,)).astype(np.float32))

    def fn(x):
        y = tf.nn.conv2d(x, w, [1, stride, stride, 1], pad, dilations=[dil, dil]) + b
        return {"relu6": tf.nn.relu6, "relu": tf.nn.relu, None: lambda v: v}[act](y)

    return int8_model(fn, [shape], low=-2.0, high=2.0, seed=seed)


def _conv_lowered(model):
    g = parse_graph(model)
    return [low for op, low in zip(g.operators, lower_graph(g, target_for(load_board("mps2-an386"))))
            if op.opcode == "CONV_2D"]


@pytest.mark.parametrize("case", sorted(CASES))
def test_conv_bit_exact_on_cortex_m4(tmp_path, case):
    model = _model(case)
    (low,) = _conv_lowered(model)
    assert low.params["rq"] != 0  # the generation-time requantization is proven safe for these
    assert_host_bit_exact(model, tmp_path, board="mps2-an386", extra_cflags="-Werror", count=3)


@pytest.mark.parametrize("case", ["3x3_stride2_odd_channels", "5x5_dilated"])
def test_conv_bit_exact_on_host_with_sanitizers(tmp_path, case):
    assert_host_bit_exact(_model(case, seed=1), tmp_path, count=3)


def test_clamped_activation_on_cortex_m4(tmp_path):
    """A fused RELU whose output zero point is not -128 clamps inside the int8 range (the clamp, not
    the saturation). The zero point is edited into a converter-made model; TFLM takes it."""
    from tests import modeledit

    m = modeledit.load(_model("3x3_same_relu"))
    sg = m.subgraphs[0]
    conv = next(o for o in sg.operators if max(m.operatorCodes[o.opcodeIndex].builtinCode,
                                                m.operatorCodes[o.opcodeIndex].deprecatedBuiltinCode) == 3)
    sg.tensors[conv.outputs[0]].quantization.zeroPoint = np.array([-100], dtype=np.int64)
    clamped = modeledit.save(m)
    (low,) = _conv_lowered(clamped)
    assert low.params["act_min"] == -100 and low.params["rq"] != 0
    assert_host_bit_exact(clamped, tmp_path, board="mps2-an386", extra_cflags="-Werror", count=3)


def test_generator_names_the_variant_for_each_layer():
    from tinygen.ops.conv_packed import conv_variant

    assert conv_variant(True, False, True, True) == "tg_conv_packed_1x1_rq_sat_s8"
    assert conv_variant(False, True, True, False) == "tg_conv_packed_im2col_wide_rq_s8"
    assert conv_variant(False, False, False, False) == "tg_conv_packed_im2col_s8"
    for case in ("1x1_direct", "3x3_stride2_odd_channels"):
        if case in CASES:
            (low,) = _conv_lowered(_model(case))
            assert low.kernel.startswith("tg_conv_packed_1x1" if case == "1x1_direct" else "tg_conv_packed_im2col")


@pytest.mark.parametrize("case", ["3x3_stride2_odd_channels", "5x5_dilated"])
def test_run_time_wrapper_computes_the_same_bits(tmp_path, case, monkeypatch):
    """tg_conv_packed_s8 picks the variant from its parameters; forced into every call, it must
    give what the named variants give (and TFLM)."""
    import tinygen.ops.conv_packed as conv

    monkeypatch.setattr(conv, "conv_variant", lambda *a: "tg_conv_packed_s8")
    assert_host_bit_exact(_model(case, seed=2), tmp_path, count=2)


@pytest.mark.parametrize("case", sorted(CASES))
def test_conv_bit_exact_on_cortex_m0plus(tmp_path, case):
    """The ARMv6-M dot product (tg_dot.c, hand-scheduled block of four rows) with depth % 4 tails,
    rows % 4 plain rows and more than one 64-output block, on QEMU's Cortex-M0+ build."""
    assert_host_bit_exact(_model(case), tmp_path, board="m0plus-an385", extra_cflags="-Werror", count=3)


def _random_c3_model(seed):
    """A 3x3 convolution over 3 input channels of random shape, stride, padding and output
    channels: the 28-tap gather (wide == 2), borders included."""
    import tensorflow as tf

    rng = np.random.default_rng(200 + seed)
    stride, out_c = int(rng.integers(1, 3)), int(rng.integers(1, 13))
    shape = (1, int(rng.integers(3, 12)), int(rng.integers(3, 12)), 3)
    pad = ["SAME", "VALID"][int(rng.integers(0, 2))]
    w = tf.constant(rng.normal(0, 0.3, (3, 3, 3, out_c)).astype(np.float32))
    b = tf.constant(rng.normal(0, 0.2, (out_c,)).astype(np.float32))

    def fn(x):
        return tf.nn.relu6(tf.nn.conv2d(x, w, [1, stride, stride, 1], pad) + b)

    model = int8_model(fn, [shape], low=-2.0, high=2.0, seed=seed)
    (low,) = _conv_lowered(model)
    assert low.params["wide"] == 2, (shape, stride, pad, out_c)
    return model


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("board", ["host", "mps2-an386"])
def test_c3_gather_random_shapes_bit_exact(tmp_path, seed, board):
    kw = {} if board == "host" else {"board": board, "extra_cflags": "-Werror"}
    assert_host_bit_exact(_random_c3_model(seed), tmp_path, count=2, **kw)
