"""int16 activations with int8 weights (the converter's 16x8 mode): TFLM's seanet integration models
and randomized TF-made 16x8 models, bit-exact with the host TFLM on the host board under
ASan/UBSan and on the Cortex-M4 (mps2-an386); int64 and int32 biases; refusals in one line."""

from __future__ import annotations

import subprocess

import numpy as np
import pytest

from tests.ops.int16models import int16x8_model
from tests.ops.opmodels import SANITIZE, assert_host_bit_exact
from tinygen.model.graph import load_graph, parse_graph
from tinygen.ops import lower_graph
from tinygen.resources import firmware_dir

SEANET = ("seanet_add0", "seanet_conv0")


# -- fast: lowering and arithmetic ------------------------------------------------------------------

def test_seanet_lowering_picks_the_int16_kernels(shared_models):
    conv = load_graph(shared_models / "tflm" / "seanet_conv0.tflite")
    (low,) = lower_graph(conv)
    assert low.kernel == "tg_conv_s16" and low.header == "tg_int16.h"
    assert low.params["acc64"] == 1  # its bias is int64
    assert (low.params["act_min"], low.params["act_max"]) == (-32768, 32767)
    add = load_graph(shared_models / "tflm" / "seanet_add0.tflite")
    (low,) = lower_graph(add)
    assert low.kernel == "tg_binary_s16" and low.params["left_shift"] == 15


def test_inspect_shows_int16_tensors(shared_models):
    from tinygen.passes.describe import describe

    doc = describe(load_graph(shared_models / "tflm" / "seanet_conv0.tflite"))
    assert doc["supported"], doc["problems"]
    assert doc["tensor_types"].get("int16") == 2
    assert {t["dtype"] for t in doc["tensors"]} >= {"int16", "int8", "int64"}


def _tflm_mbqm64(x: int, m: int, s: int) -> int:
    """TFLM's MultiplyByQuantizedMultiplier(int64_t, int32_t, int), on Python integers."""
    reduced = (m + (1 << 15)) >> 16 if m < 0x7FFF0000 else 0x7FFF
    total = 15 - s
    r = (x * reduced + (1 << (total - 1))) >> total
    return (r + (1 << 31)) % (1 << 32) - (1 << 31)


def test_sigmoidal_scaling_follows_tflm_prepare():
    """logistic_common.cc / tanh.cc for int16: Q3.12 is the power-of-two case for both (3, no
    shift), Q2.13 for TANH only; other scales take the doubled-multiplier path, its shift capped."""
    from tinygen.ops.int16 import sigmoidal_scaling

    assert sigmoidal_scaling("LOGISTIC", 2.0 ** -12) == (3, 0)
    assert sigmoidal_scaling("TANH", 2.0 ** -12) == (3, 0)
    assert sigmoidal_scaling("TANH", 2.0 ** -11) == (6, 0)
    assert sigmoidal_scaling("LOGISTIC", 2.0 ** -11) == (24576, 12)  # TFLM's logistic: shift 0 only
    assert sigmoidal_scaling("TANH", 2.0 ** -10) == (24576, 11)
    assert sigmoidal_scaling("LOGISTIC", 8 / 32767) == (3, 0)  # within CheckedLog2's 1e-3 of 2^-12
    assert sigmoidal_scaling("LOGISTIC", 0.00031727) == (31937, 13)  # a converter-made scale
    assert sigmoidal_scaling("LOGISTIC", 3e-10)[1] == 31


def test_int64_requantize_matches_tflm(tmp_path):
    rng = np.random.default_rng(0)
    cases = [(0, 1 << 30, 0), (-1, 1 << 30, -1), (1 << 40, 0x7FFF0000, -31), (-(1 << 46), 0x7FFFFFFF, -20),
             (123456789, 0x7FFEFFFF, 7), (-8322945, 1518500250, -3), ((1 << 47) - 1, 1 << 30, -17)]
    for _ in range(2000):
        cases.append((int(rng.integers(-(1 << 40), 1 << 40)) >> int(rng.integers(0, 40)),
                      int(rng.integers(1 << 30, 1 << 31)), int(rng.integers(-31, 8))))
    cases = [c for c in cases if -(1 << 31) <= _tflm_mbqm64(*c) < (1 << 31)]
    rows = ",\n".join(f"    {{{x}LL, {m}, {s}}}" for x, m, s in cases)
    src = tmp_path / "t.c"
    src.write_text("#include <stdio.h>\n#include \"tg_int16.h\"\n"
                   f"static const struct {{ long long x; int32_t m, s; }} cases[] = {{\n{rows}\n}};\n"
                   "int main(void)\n{\n    unsigned i;\n    for (i = 0; i < sizeof cases / sizeof cases[0]; ++i)\n"
                   "        printf(\"%ld\\n\", (long)tg_requantize_s64(cases[i].x, cases[i].m, cases[i].s));\n"
                   "    return 0;\n}\n")
    exe = tmp_path / "t"
    subprocess.run(["cc", "-std=c99", "-Wall", "-Wextra", "-Werror", "-fsanitize=undefined", "-fno-sanitize-recover=all",
                    f"-I{firmware_dir() / 'runtime' / 'include'}", str(src), "-o", str(exe)], check=True)
    got = [int(v) for v in subprocess.run([str(exe)], capture_output=True, text=True, check=True).stdout.split()]
    assert got == [_tflm_mbqm64(*c) for c in cases]


# -- slow: TFLM's seanet models ---------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("name", SEANET)
def test_seanet_bit_exact_on_host_with_sanitizers(shared_models, tmp_path, name):
    assert_host_bit_exact(shared_models / "tflm" / f"{name}.tflite", tmp_path, count=3)


@pytest.mark.slow
@pytest.mark.parametrize("name", SEANET)
def test_seanet_bit_exact_on_cortex_m4(shared_models, tmp_path, name):
    assert_host_bit_exact(shared_models / "tflm" / f"{name}.tflite", tmp_path, board="mps2-an386",
                          extra_cflags="-Werror", count=3)


# -- slow: randomized 16x8 models made with TensorFlow ----------------------------------------------

def _chain(seed: int, stride: int = 2, dilation: int = 1, act: str = "relu", mult: int = 2,
           broadcast: bool = True, dense_bias: bool = True):
    """CONV_2D -> DEPTHWISE_CONV_2D -> MUL, SUB, ADD (with broadcasting) -> FULLY_CONNECTED."""
    import tensorflow as tf

    rng = np.random.default_rng(seed)
    cin, cmid = int(rng.integers(2, 6)), int(rng.integers(3, 9))
    h = w = int(rng.integers(6, 11))
    k = int(rng.integers(1, 4)) * 2 + 1 if seed % 2 else int(rng.integers(2, 5))
    wc = tf.constant(rng.normal(0, 0.5, (k, k, cin, cmid)).astype(np.float32))
    bc = tf.constant(rng.normal(0, 0.3, (cmid,)).astype(np.float32))
    wd = tf.constant(rng.normal(0, 0.5, (3, 3, cmid, mult)).astype(np.float32))
    bd = tf.constant(rng.normal(0, 0.3, (cmid * mult,)).astype(np.float32))
    oh = -(-h // stride)
    yshape = (1, 1, 1, cmid * mult) if broadcast else (1, oh, oh, cmid * mult)
    wf = tf.constant(rng.normal(0, 0.2, (oh * oh * cmid * mult, 7)).astype(np.float32))
    bf = tf.constant(rng.normal(0, 0.3, (7,)).astype(np.float32))
    activation = {"relu": tf.nn.relu, "relu6": tf.nn.relu6, None: lambda v: v}[act]

    def fn(x, y):
        t = activation(tf.nn.conv2d(x, wc, 1, "SAME") + bc)
        t = tf.nn.depthwise_conv2d(t, wd, [1, stride, stride, 1], "SAME", dilations=[dilation, dilation]
                                   if stride == 1 else None) + bd
        t = t * y + (t - y)
        out = tf.matmul(tf.reshape(t, (1, -1)), wf)
        return out + bf if dense_bias else out

    return fn, [(1, h, w, cin), yshape]


CHAINS = {
    "stride2_relu_broadcast": dict(seed=1),
    "stride1_dilated_relu6": dict(seed=2, stride=1, dilation=2, act="relu6", mult=1, broadcast=False),
    "no_activation_dense_no_bias": dict(seed=3, act=None, dense_bias=False),
    "even_kernel_mult3": dict(seed=4, mult=3, broadcast=False),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(CHAINS))
def test_random_16x8_chain_on_host_with_sanitizers(tmp_path, case):
    fn, shapes = _chain(**CHAINS[case])
    model = int16x8_model(fn, shapes, seed=CHAINS[case]["seed"], low=-2.0, high=2.0)
    g = parse_graph(model)
    ops = [op.opcode for op in g.operators]
    for opcode in ("CONV_2D", "DEPTHWISE_CONV_2D", "MUL", "SUB", "ADD", "FULLY_CONNECTED"):
        assert opcode in ops, ops
    assert {g.tensors[i].dtype for i in g.inputs + g.outputs} == {"int16"}
    assert assert_host_bit_exact(model, tmp_path, count=3)["complete"]


@pytest.mark.slow
def test_random_16x8_chain_on_cortex_m4(tmp_path):
    fn, shapes = _chain(seed=5)
    model = int16x8_model(fn, shapes, seed=5, low=-2.0, high=2.0)
    assert_host_bit_exact(model, tmp_path, board="mps2-an386", extra_cflags="-Werror", count=3)


@pytest.mark.slow
def test_int32_bias_accumulates_in_int32(tmp_path):
    """The converter's int32-bias option: CONV_2D and FULLY_CONNECTED then accumulate in int32 with
    the 32-bit requantization, as TFLM's Eval picks by the bias type."""
    import tensorflow as tf

    rng = np.random.default_rng(7)
    wc = tf.constant(rng.normal(0, 0.5, (3, 3, 3, 5)).astype(np.float32))
    bc = tf.constant(rng.normal(0, 0.3, (5,)).astype(np.float32))
    wf = tf.constant(rng.normal(0, 0.2, (6 * 6 * 5, 4)).astype(np.float32))
    bf = tf.constant(rng.normal(0, 0.3, (4,)).astype(np.float32))

    def fn(x):
        t = tf.nn.relu(tf.nn.conv2d(x, wc, 1, "SAME") + bc)
        return tf.matmul(tf.reshape(t, (1, -1)), wf) + bf

    model = int16x8_model(fn, [(1, 6, 6, 3)], seed=7, int32_bias=True)
    g = parse_graph(model)
    lowered = lower_graph(g)
    biases = {op.opcode: g.tensors[op.inputs[2]].dtype for op in g.operators if len(op.inputs) > 2 and op.inputs[2] >= 0}
    assert biases == {"CONV_2D": "int32", "FULLY_CONNECTED": "int32"}
    assert all(low.params["acc64"] == 0 for low in lowered if low.kernel and low.kernel.endswith("_s16")
               and low.kernel != "tg_binary_s16")
    assert_host_bit_exact(model, tmp_path, count=3)


@pytest.mark.slow
def test_unsupported_int16_model_is_refused_with_every_reason(tmp_path):
    """A depthwise with an int32 bias (TFLM's int16 depthwise reads int64) and an int16 op the
    runtime lacks: one line names both."""
    import tensorflow as tf

    from tinygen.errors import UnsupportedError
    from tinygen.ops import require_supported

    rng = np.random.default_rng(8)
    wd = tf.constant(rng.normal(0, 0.5, (3, 3, 4, 1)).astype(np.float32))

    def fn(x):
        return tf.math.exp(tf.nn.depthwise_conv2d(x, wd, [1, 1, 1, 1], "SAME") + 0.1)

    g = parse_graph(int16x8_model(fn, [(1, 5, 5, 4)], seed=8, int32_bias=True))
    with pytest.raises(UnsupportedError) as err:
        require_supported(g)
    text = str(err.value)
    assert "\n" not in text
    assert "DEPTHWISE_CONV_2D (int16)" in text and "is int32; needs int64" in text
    assert "EXP (int16)" in text


@pytest.mark.slow
def test_without_bias_accumulates_in_int64(tmp_path):
    """CONV_2D with its bias removed (the converter always writes one) and FULLY_CONNECTED without
    one: the host TFLM accumulates both in int64, and so do we (the int32 path differs)."""
    import tensorflow as tf

    from tests import modeledit

    rng = np.random.default_rng(3)
    wc = tf.constant(rng.normal(0, 0.5, (3, 3, 3, 5)).astype(np.float32))
    wf = tf.constant(rng.normal(0, 0.2, (6 * 6 * 5, 7)).astype(np.float32))

    def fn(x):
        return tf.matmul(tf.reshape(tf.nn.conv2d(x, wc, 1, "SAME"), (1, -1)), wf)

    m = modeledit.load(int16x8_model(fn, [(1, 6, 6, 3)], seed=3, low=-2.0, high=2.0))
    conv = m.subgraphs[0].operators[0]
    conv.inputs = list(conv.inputs[:2]) + [-1]
    model = modeledit.save(m)
    g = parse_graph(model)
    assert [op.opcode for op in g.operators] == ["CONV_2D", "RESHAPE", "FULLY_CONNECTED"]
    assert all(len(op.inputs) < 3 or op.inputs[2] < 0 for op in g.operators if op.opcode != "RESHAPE")
    assert [low.params["acc64"] for low in lower_graph(g) if low.kernel] == [1, 1]
    assert_host_bit_exact(model, tmp_path, count=3)


def _movement(x, y):
    import tensorflow as tf

    t = tf.nn.leaky_relu(x, alpha=0.3)
    t = tf.pad(t, [[0, 0], [1, 2], [0, 1], [0, 0]])
    t = t[:, 1:7:2, ::-1, :]
    u = tf.concat([t, y], axis=3)
    u = tf.transpose(u, [0, 2, 1, 3])
    return tf.reshape(u, (1, -1))


@pytest.mark.slow
@pytest.mark.parametrize("board", ["host", "mps2-an386"])
def test_leaky_relu_and_data_movement(tmp_path, board):
    """LEAKY_RELU, PAD, STRIDED_SLICE (negative stride), QUANTIZE int16 -> int16 (the converter's
    rescale before CONCATENATION), CONCATENATION, TRANSPOSE and RESHAPE on int16."""
    model = int16x8_model(_movement, [(1, 6, 5, 3), (1, 3, 6, 2)], low=-2.0, high=2.0)
    g = parse_graph(model)
    ops = [op.opcode for op in g.operators]
    for opcode in ("LEAKY_RELU", "PAD", "STRIDED_SLICE", "CONCATENATION", "TRANSPOSE", "RESHAPE"):
        assert opcode in ops, ops
    kernels = {low.kernel for low in lower_graph(g)}
    assert {"tg_leaky_relu_s16", "tg_pad_s16", "tg_gather_s16", "tg_concatenation_s16"} <= kernels
    if board == "host":
        assert_host_bit_exact(model, tmp_path, count=3)
    else:
        assert_host_bit_exact(model, tmp_path, board=board, extra_cflags="-Werror", count=3)


@pytest.mark.slow
def test_relu_mean_and_constant_operands(tmp_path):
    """RELU, MUL and ADD with constant int16 operands, MEAN over H, W (kept) and over channels."""
    import tensorflow as tf

    def fn(x):
        return tf.reduce_mean(tf.nn.relu(x) * 0.7 + 0.1, axis=[1, 2], keepdims=True), tf.reduce_mean(x, axis=3)

    model = int16x8_model(fn, [(1, 5, 6, 4)], low=-2.0, high=2.0)
    g = parse_graph(model)
    assert [op.opcode for op in g.operators].count("MEAN") == 2
    assert {"tg_relu_s16", "tg_mean_s16"} <= {low.kernel for low in lower_graph(g)}
    assert_host_bit_exact(model, tmp_path, count=3)


@pytest.mark.slow
def test_transpose_conv(tmp_path):
    """TRANSPOSE_CONV with an int64 bias and a fused RELU: int64 scatter, int64 requantization."""
    import tensorflow as tf

    rng = np.random.default_rng(9)
    w = tf.constant(rng.normal(0, 0.5, (3, 3, 4, 3)).astype(np.float32))
    b = tf.constant(rng.normal(0, 0.3, (4,)).astype(np.float32))

    def fn(x):
        return tf.nn.relu(tf.nn.conv2d_transpose(x, w, (1, 10, 12, 4), 2, "SAME") + b)

    model = int16x8_model(fn, [(1, 5, 6, 3)], low=-2.0, high=2.0)
    g = parse_graph(model)
    (op,) = g.operators
    assert op.opcode == "TRANSPOSE_CONV" and g.tensors[op.inputs[3]].dtype == "int64"
    (low,) = lower_graph(g)
    assert low.kernel == "tg_transpose_conv_s16" and low.scratch_bytes == 8 * 10 * 12 * 4
    assert_host_bit_exact(model, tmp_path, count=3)


@pytest.mark.slow
def test_maximum_minimum_with_broadcasting(tmp_path):
    import tensorflow as tf

    def fn(x, y):
        return tf.maximum(x, y), tf.minimum(x, y[:, :1, :, :])

    model = int16x8_model(fn, [(1, 4, 5, 3), (1, 4, 5, 3)], low=-2.0, high=2.0)
    g = parse_graph(model)
    assert {"MAXIMUM", "MINIMUM"} <= {op.opcode for op in g.operators}
    assert_host_bit_exact(model, tmp_path, count=3)


@pytest.mark.slow
@pytest.mark.parametrize("board", ["host", "mps2-an386"])
def test_softmax_int16(tmp_path, board):
    """SOFTMAX int16 -> int16: TFLM's exp and 1/(1+x) tables (gen_lut in float32) filled by the
    generator; 24 rows of 40 over a wide input range."""
    import tensorflow as tf

    model = int16x8_model(lambda x: tf.nn.softmax(x * 3.0), [(1, 24, 40)], low=-4.0, high=4.0)
    g = parse_graph(model)
    assert [op.opcode for op in g.operators][-1] == "SOFTMAX"
    low = lower_graph(g)[-1]
    assert low.kernel == "tg_softmax_s16" and [c.values.size for c in low.consts] == [513, 513]
    flags = {} if board == "host" else {"board": board, "extra_cflags": "-Werror"}
    assert_host_bit_exact(model, tmp_path, count=3, **flags)


def test_gen_lut_end_points():
    """exp on [-10, 0] ends at exp(0) = 1 -> 32767 (clamped); 1/(1+x) on [0, 1] starts at 32767 and
    ends at 0.5 -> 16384 in Q0.15 around the symmetric range."""
    from tinygen.ops.int16 import _expf, _one_over_one_plus, gen_lut_s16

    exp_lut = gen_lut_s16(_expf, -10.0, 0.0, -1.0, 1.0)
    recip = gen_lut_s16(_one_over_one_plus, 0.0, 1.0, -1.0, 1.0)
    assert len(exp_lut) == len(recip) == 513
    assert exp_lut[-1] == 32767 and 1 <= exp_lut[0] <= 2  # exp(-10) = 1.5 / 32768, plus the midpoint bias
    assert recip[0] == 32767 and recip[-1] == 16384
    assert (np.diff(exp_lut) >= 0).all() and (np.diff(recip) <= 0).all()


@pytest.mark.slow
def test_float_boundary_quantize_and_dequantize(tmp_path):
    """A 16x8 model left with float32 input and output: QUANTIZE float32 -> int16 and DEQUANTIZE
    int16 -> float32 around a FULLY_CONNECTED without bias."""
    import tensorflow as tf

    rng = np.random.default_rng(4)
    wf = tf.constant(rng.normal(0, 0.3, (12, 5)).astype(np.float32))
    concrete = tf.function(lambda x: tf.matmul(x, wf)).get_concrete_function(tf.TensorSpec((1, 12), tf.float32))

    def representative():
        for _ in range(32):
            yield [rng.uniform(-2, 2, size=(1, 12)).astype(np.float32)]

    conv = tf.lite.TFLiteConverter.from_concrete_functions([concrete], None)
    conv.optimizations = [tf.lite.Optimize.DEFAULT]
    conv.representative_dataset = representative
    conv.target_spec.supported_ops = [tf.lite.OpsSet.EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8]
    model = conv.convert()
    g = parse_graph(model)
    assert [op.opcode for op in g.operators] == ["QUANTIZE", "FULLY_CONNECTED", "DEQUANTIZE"]
    assert [low.kernel for low in lower_graph(g)] == ["tg_quantize_f32_s16", "tg_fully_connected_s16",
                                                       "tg_dequantize_s16"]
    assert_host_bit_exact(model, tmp_path, count=3)


# -- LOGISTIC, TANH, RELU6 -------------------------------------------------------------------------

# (operator, input scale): the power-of-two cases, both sides of them, a converter-made scale, and
# one so fine that TFLM's doubling loop stops at its shift cap of 31.
SIGMOIDAL_CASES = (("LOGISTIC", 2.0 ** -12), ("LOGISTIC", 2.0 ** -11), ("LOGISTIC", 0.00031727),
                   ("LOGISTIC", 3e-10), ("TANH", 2.0 ** -12), ("TANH", 2.0 ** -11), ("TANH", 2.0 ** -10),
                   ("TANH", 1.7e-4), ("RELU6", 2.0 ** -12), ("RELU6", 1.4e-4))


def _every_input_model() -> bytes:
    """Each case's operator alone on its own [65536] int16 input (zero point 0), output Q0.15 (RELU6:
    another scale, which TFLM's RELU6 ignores)."""
    from tests.ops.flatmodels import ModelBuilder

    m = ModelBuilder()
    ins, outs = [], []
    for k, (op, scale) in enumerate(SIGMOIDAL_CASES):
        ins.append(m.tensor(f"x{k}", (65536,), "int16", scale, 0))
        outs.append(m.tensor(f"y{k}", (65536,), "int16", 2.0 ** -15 if op != "RELU6" else 2e-4, 0))
        m.op(getattr(m.s.BuiltinOperator, op), [ins[-1]], [outs[-1]])
    return m.finish(ins, outs)


@pytest.mark.slow
def test_logistic_tanh_relu6_every_input_on_host_with_sanitizers(tmp_path):
    from tinygen.pipeline import run_model

    model = tmp_path / "act.tflite"
    model.write_bytes(_every_input_model())
    lowered = lower_graph(load_graph(model))
    assert [low.kernel for low in lowered] == [{"LOGISTIC": "tg_logistic_s16", "TANH": "tg_tanh_s16",
                                                "RELU6": "tg_clamp_s16"}[op] for op, _ in SIGMOIDAL_CASES]
    everything = np.arange(-32768, 32768, dtype=np.int64).astype(np.int16)
    doc = run_model(model, "host", inputs=[[everything] * len(SIGMOIDAL_CASES)], out_dir=tmp_path / "run",
                    extra_cflags=SANITIZE)
    assert doc["all_match"] and len(set(doc["inferences"][0]["output"])) > 10000


def _sigmoidal_chain(x):
    """The converter's standalone int16 LOGISTIC, TANH and RELU6 (it fuses RELU6 into a MUL or a
    convolution before it, not into a model input)."""
    import tensorflow as tf

    w = tf.constant(np.random.default_rng(11).normal(0, 0.6, (24, 16)).astype(np.float32))
    t = tf.matmul(x, w)
    return tf.math.sigmoid(t), tf.math.tanh(t * 0.7), tf.nn.relu6(x), tf.math.sigmoid(tf.math.tanh(x))


@pytest.mark.slow
@pytest.mark.parametrize("board", ["host", "mps2-an386"])
def test_random_16x8_logistic_tanh_relu6(tmp_path, board):
    model = int16x8_model(_sigmoidal_chain, [(1, 24)], seed=11, low=-6.0, high=6.0)
    g = parse_graph(model)
    ops = [op.opcode for op in g.operators]
    assert ops.count("LOGISTIC") == 2 and ops.count("TANH") == 2 and "RELU6" in ops, ops
    flags = {} if board == "host" else {"board": board, "extra_cflags": "-Werror"}
    assert_host_bit_exact(model, tmp_path, count=3, **flags)
