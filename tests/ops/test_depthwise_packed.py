"""DEPTHWISE_CONV_2D on every path of tg_depthwise_packed_s8: the 3x3 unrolled and general-tap DSP
paths (full int8 range and clamped activations), borders, strides, dilation, depth multipliers and
channel counts that are not multiples of 4 (the plain C path), on the Cortex-M4 and on the host."""

import numpy as np
import pytest

from tests.ops.opmodels import assert_host_bit_exact, int8_model
from tinygen.model.graph import parse_graph
from tinygen.ops import lower_graph
from tinygen.codegen.target import target_for

pytestmark = pytest.mark.slow

CASES = {
    # name: (input shape, kernel, channel multiplier, stride, dilation, padding, activation)
    "3x3_same_relu6": ((1, 9, 11, 8), 3, 1, 1, 1, "SAME", "relu6"),
    "3x3_stride2_valid": ((1, 10, 9, 12), 3, 1, 2, 1, "VALID", None),
    "5x5_dilated": ((1, 12, 12, 4), 5, 1, 1, 2, "SAME", "relu"),
    "2x4_taps_loop": ((1, 7, 8, 16), (2, 4), 1, 1, 1, "SAME", "relu6"),
    "multiplier_2": ((1, 6, 7, 3), 3, 2, 1, 1, "SAME", None),
    "channels_6": ((1, 5, 5, 6), 3, 1, 1, 1, "SAME", "relu"),
    "9x9_81_taps": ((1, 12, 11, 8), 9, 1, 1, 1, "SAME", "relu"),  # above the old limit of 64 taps
    # the 3x3 plane kernel swept transposed (tall, narrow: KWS's 25x5), stride 1 and 2, odd widths
    "3x3_tall_transposed": ((1, 13, 5, 8), 3, 1, 1, 1, "SAME", None),
    "3x3_tall_stride2": ((1, 15, 6, 4), 3, 1, 2, 1, "VALID", "relu6"),
    "3x3_wide_stride2_same": ((1, 7, 13, 12), 3, 1, 2, 1, "SAME", None),
    # rows of more than 12 outputs at stride 1 keep the plane kernel (narrower ones and stride 2 run
    # four channels per pixel unless swept transposed), one of them swept transposed
    "3x3_plane_wide": ((1, 6, 14, 8), 3, 1, 1, 1, "SAME", None),
    "3x3_plane_tall": ((1, 30, 13, 4), 3, 1, 1, 1, "SAME", "relu6"),
    # four channels per pixel in two bands of output rows (96 channels' planes exceed 32 KB)
    "3x3_banded_stride2": ((1, 12, 18, 96), 3, 1, 2, 1, "SAME", None),
}


def _model(case, seed=0):
    import tensorflow as tf

    shape, k, mult, stride, dil, pad, act = CASES[case]
    kh, kw = (k, k) if isinstance(k, int) else k
    rng = np.random.default_rng(seed)
    w = tf.constant(rng.normal(0, 0.4, (kh, kw, shape[3], mult)).astype(np.float32))
    b = tf.constant(rng.normal(0, 0.2, (shape[3] * mult,)).astype(np.float32))

    def fn(x):
        y = tf.nn.depthwise_conv2d(x, w, [1, stride, stride, 1], pad, dilations=[dil, dil]) + b
        return {"relu6": tf.nn.relu6, "relu": tf.nn.relu, None: lambda v: v}[act](y)

    return int8_model(fn, [shape], low=-2.0, high=2.0, seed=seed)


@pytest.mark.parametrize("case", sorted(CASES))
def test_depthwise_bit_exact_on_cortex_m4(tmp_path, case):
    model = _model(case)
    g = parse_graph(model)
    assert "DEPTHWISE_CONV_2D" in [op.opcode for op in g.operators]
    assert_host_bit_exact(model, tmp_path, board="mps2-an386", extra_cflags="-Werror", count=3)


@pytest.mark.parametrize("case", ["3x3_same_relu6", "2x4_taps_loop", "multiplier_2", "9x9_81_taps",
                                  "3x3_tall_transposed", "3x3_tall_stride2", "channels_6", "3x3_banded_stride2"])
def test_depthwise_bit_exact_on_host_with_sanitizers(tmp_path, case):
    assert_host_bit_exact(_model(case, seed=1), tmp_path, count=3)


def test_clamped_activation_path_on_cortex_m4(tmp_path):
    """A fused RELU whose output zero point is not -128 clamps below the int8 range: the DSP path's
    clamp, not its SSAT. The zero point is edited into a converter-made model (TFLM takes it)."""
    from tests import modeledit

    m = modeledit.load(_model("5x5_dilated"))
    sg = m.subgraphs[0]
    (op,) = [o for o in sg.operators if m.operatorCodes[o.opcodeIndex].builtinCode == 4
             or m.operatorCodes[o.opcodeIndex].deprecatedBuiltinCode == 4]
    out = sg.tensors[op.outputs[0]]
    out.quantization.zeroPoint = np.array([-100], dtype=np.int64)
    model = modeledit.save(m)
    g = parse_graph(model)
    (low,) = [lw for o, lw in zip(g.operators, lower_graph(g, target_for_m4())) if o.opcode == "DEPTHWISE_CONV_2D"]
    assert low.params["act_min"] == -100 and low.params["rq"] != 0
    assert_host_bit_exact(model, tmp_path, board="mps2-an386", extra_cflags="-Werror", count=3)


def test_generation_time_requantization_is_used_where_it_is_exact():
    g = parse_graph(_model("2x4_taps_loop"))  # 3x3 filters take the plane kernel instead
    (dw,) = [low for op, low in zip(g.operators, lower_graph(g, target_for_m4()))
             if op.opcode == "DEPTHWISE_CONV_2D"]
    assert dw.params["rq"] != 0 and any(c.name == "rq" for c in dw.consts)


@pytest.mark.parametrize("case, transpose", [("3x3_plane_wide", 0), ("channels_6", 0), ("3x3_plane_tall", 1),
                                             ("3x3_tall_transposed", 1), ("3x3_tall_stride2", 1)])
def test_3x3_cases_take_the_plane_kernel(case, transpose):
    """The cases above that are meant to run the 3x3 plane kernel do (dw3 constants emitted), and
    the tall ones sweep transposed; its scratch is sized by the C and Python formulas alike
    (tests/ops/test_scratch.py checks those on real models)."""
    g = parse_graph(_model(case))
    (dw,) = [low for op, low in zip(g.operators, lower_graph(g, target_for_m4())) if op.opcode == "DEPTHWISE_CONV_2D"]
    assert dw.params["dw3_weights"] != 0 and dw.params["dw3_transpose"] == transpose and dw.params["dwg"] == 0
    assert dw.params["wide_weights"] == dw.params["rq"] == 0  # no dead constants
    q = next(c.values for c in dw.consts if c.name == "dw3_q").reshape(-1, 4)
    assert (q[:, 3] >= 1).all() and dw.scratch_bytes > 0


@pytest.mark.parametrize("case", ["3x3_same_relu6", "3x3_stride2_valid", "3x3_wide_stride2_same", "3x3_banded_stride2"])
def test_small_planes_take_four_channels_per_pixel(case):
    """Stride 2 and narrow planes in int8's full range run four channels per pixel (dwg) instead
    (unless swept transposed), with only its constants: 34 words per group of four channels."""
    g = parse_graph(_model(case))
    (dw,) = [low for op, low in zip(g.operators, lower_graph(g, target_for_m4())) if op.opcode == "DEPTHWISE_CONV_2D"]
    assert dw.params["dwg"] != 0 and dw.params["dw3_weights"] == dw.params["dw3_transpose"] == 0
    assert {c.name for c in dw.consts} >= {"dwg"} and not {c.name for c in dw.consts} & {"dw3_weights", "wide", "rq"}
    assert next(c.values for c in dw.consts if c.name == "dwg").size == 34 * dw.params["out_c"] // 4
    from tinygen.ops.depthwise_packed import dwg_band

    p = dw.params
    assert (dwg_band(p["in_c"], p["out_h"], p["out_w"], p["stride_w"]) < p["out_h"]) == (case == "3x3_banded_stride2")


def target_for_m4():
    from tinygen.boards.registry import load_board

    return target_for(load_board("mps2-an386"))


def test_micro_speech_10x8_filter_on_host_and_cortex_m4(tmp_path, shared_models):
    """TFLM's own micro_speech model: a depthwise filter of 10x8 = 80 taps, depth multiplier 8 (the
    tap tables live in the arena scratch, so no filter size is refused)."""
    model = shared_models / "tflm" / "micro_speech_quantized.tflite"
    g = parse_graph(model.read_bytes())
    (op,) = [o for o in g.operators if o.opcode == "DEPTHWISE_CONV_2D"]
    assert g.tensors[op.inputs[1]].shape[1:3] == (10, 8)
    host = assert_host_bit_exact(model, tmp_path / "host", count=4)
    m4 = assert_host_bit_exact(model, tmp_path / "m4", board="mps2-an386", extra_cflags="-Werror", count=3)
    assert len(host["inferences"]) == 4 and len(m4["inferences"]) == 3
    assert m4["instructions_per_inference"] > 0



@pytest.mark.parametrize("seed", [0])
def test_plane_kernel_scratch_sizes_agree_in_python_and_c(tmp_path, seed):
    """tests/ops/test_scratch.py draws integer fields only; the 3x3 plane kernel's size (its
    branch keyed by the dw3_weights pointer, both orientations) is checked here on the host."""
    import subprocess

    from tinygen.ops import scratch
    from tinygen.resources import firmware_dir

    rng = np.random.default_rng(seed)
    fw = firmware_dir()
    body, expected = [], []
    for _ in range(60):
        d = dict(in_c=int(rng.integers(1, 70)), out_h=int(rng.integers(1, 60)), out_w=int(rng.integers(1, 60)),
                 stride_w=int(rng.integers(1, 3)), dw3_transpose=int(rng.integers(0, 2)), k_h=3, k_w=3)
        init = ", ".join(f".{k} = {v}" for k, v in d.items())
        body.append(f"    {{ const tg_depthwise_packed_params p = {{ {init}, .dw3_weights = w }}; "
                    f"printf(\"%ld\\n\", (long)tg_depthwise_packed_scratch_bytes(&p)); }}")
        expected.append(scratch.depthwise_packed({**d, "dw3_weights": 1}))
    src = ["#include <stdio.h>", '#include "tg_depthwise_packed.h"', "static const uint32_t w[6];",
           "int main(void)", "{", *body, "    return 0;", "}"]
    (tmp_path / "check.c").write_text("\n".join(src) + "\n")
    out = tmp_path / "check"
    subprocess.run(["cc", "-std=c99", "-O1", "-I", str(fw / "runtime" / "include"), str(tmp_path / "check.c"),
                    str(fw / "runtime" / "src" / "tg_depthwise_packed.c"), "-o", str(out)], check=True)
    got = [int(v) for v in subprocess.run([str(out)], capture_output=True, text=True, check=True).stdout.split()]
    assert got == expected and len(set(expected)) > 10


@pytest.mark.parametrize("case", sorted(CASES))
def test_depthwise_bit_exact_on_cortex_m0plus(tmp_path, case):
    """The ARMv6-M taps of a four-channel group (tg_depthwise_packed.c) and the generic loop it leaves
    to the channel counts and multipliers it does not take, on QEMU's Cortex-M0+ build."""
    assert_host_bit_exact(_model(case), tmp_path, board="m0plus-an385", extra_cflags="-Werror", count=3)


def _random_small_plane_model(seed):
    """A 3x3 depthwise layer of random small shape, stride, padding and channels (a multiple of 4)
    that takes the four-channels-per-pixel path (dwg)."""
    import tensorflow as tf

    rng = np.random.default_rng(100 + seed)
    stride = int(rng.integers(1, 3))
    h = int(rng.integers(3, 11))
    shape = (1, h, int(rng.integers(h, 14)), 4 * int(rng.integers(1, 6)))  # not tall: no transposed sweep
    pad = ["SAME", "VALID"][int(rng.integers(0, 2))]
    w = tf.constant(rng.normal(0, 0.4, (3, 3, shape[3], 1)).astype(np.float32))
    b = tf.constant(rng.normal(0, 0.2, (shape[3],)).astype(np.float32))

    def fn(x):
        return tf.nn.depthwise_conv2d(x, w, [1, stride, stride, 1], pad) + b

    model = int8_model(fn, [shape], low=-2.0, high=2.0, seed=seed)
    g = parse_graph(model)
    (dw,) = [low for op, low in zip(g.operators, lower_graph(g, target_for_m4())) if op.opcode == "DEPTHWISE_CONV_2D"]
    assert dw.params["dwg"] != 0, (shape, stride, pad)
    return model


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("board", ["host", "mps2-an386"])
def test_small_plane_path_random_shapes_bit_exact(tmp_path, seed, board):
    """dwg on random shapes: the C loops under ASan and UBSan on the host, the assembly on the M4."""
    kw = {} if board == "host" else {"board": board, "extra_cflags": "-Werror"}
    assert_host_bit_exact(_random_small_plane_model(seed), tmp_path, count=2, **kw)
