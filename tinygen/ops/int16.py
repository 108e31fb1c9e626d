"""int16 activations with int8 weights (the converter's 16x8 mode): the checks and lowerings the
operator modules hand over to when an operator's first input is int16.

Kernels: firmware/runtime/include/tg_int16.h (TFLM's reference integer kernels, bit for bit). The
Prepare arithmetic is TFLM's, with int16's activation range and ADD/SUB's 15-bit left shift. What
TFLM's Eval does with the bias type is followed here: an int64 bias means int64 accumulation,
an int32 bias int32 accumulation, no bias int64 accumulation (as the host TFLM does).

This module registers no kernel: the operator modules call it (`int16_activations(graph, op)`).
"""

from __future__ import annotations

import numpy as np

from . import ConstArray, Lowered, Ref, T
from ._common import activation_problems, scale0, tensor_type_problems, zp0
from .broadcast import broadcast_shape, broadcast_strides
from .prepare import (activation_range, checked_log2, conv_multiplier, f32, is_power_of_two_scale,
                      per_channel_multipliers, quantize_multiplier, tflite_round)

INT16_MIN, INT16_MAX = -(1 << 15), (1 << 15) - 1
ADD_SUB_LEFT_SHIFT = 15  # add_common.cc / sub_common.cc for an int16 output (int8: 20)
HEADER = "tg_int16.h"


def int16_activations(graph, op) -> bool:
    """Whether this operator runs on int16 activations (its first input is int16)."""
    t = graph.tensor(op.inputs[0]) if op.inputs else None
    return t is not None and t.dtype == "int16"


def _act_range(op, out) -> tuple[int, int]:
    return activation_range(op.options.get("fusedActivationFunction", 0), scale0(out), zp0(out),
                            INT16_MIN, INT16_MAX)


def _bias(graph, op):
    return graph.tensor(op.inputs[2]) if len(op.inputs) > 2 and op.inputs[2] >= 0 else None


def _weighted_problems(graph, op, bias_types: tuple[str, ...]) -> list[str]:
    """Type checks shared by CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED on int16."""
    p = tensor_type_problems(graph, op, op.inputs[0], ("int16",), "input")
    p += tensor_type_problems(graph, op, op.inputs[1], ("int8",), "weights")
    bias = _bias(graph, op)
    if bias is not None:
        p += tensor_type_problems(graph, op, bias.index, bias_types, "bias")
        if not p and not bias.is_constant:
            p.append("bias is not constant")
    p += tensor_type_problems(graph, op, op.outputs[0], ("int16",), "output")
    p += activation_problems(op)
    if not p and not graph.tensors[op.inputs[1]].is_constant:
        p.append("weights are not constant")
    for i, what in ((op.inputs[0], "input"), (op.outputs[0], "output")):
        if not p and zp0(graph.tensors[i]) != 0:
            p.append(f"the int16 {what} has zero point {zp0(graph.tensors[i])}; int16 kernels need 0 "
                     f"(16x8 quantization is symmetric)")
    return p


def _acc64(graph, op, always: bool = False) -> bool:
    """Whether TFLM accumulates in int64: unless the bias is int32. (Without a bias, the host TFLM
    accumulates CONV_2D and FULLY_CONNECTED in int64: measured, tests/ops/test_int16.py.)"""
    bias = _bias(graph, op)
    return always or bias is None or bias.dtype == "int64"


def _shift_problems(shifts, acc64: bool) -> list[str]:
    # TFLM's int64 MultiplyByQuantizedMultiplier takes shifts in [-31, 7]; the int32 one up to 30.
    top = 7 if acc64 else 30
    bad = [s for s in shifts if s > top]
    return [f"output rescale shift {max(bad)} is out of range (at most {top})"] if bad else []


def _bias_args(graph, op, acc64: bool) -> list:
    bias = _bias(graph, op)
    if bias is None:
        return [None, None]
    return [T(bias.index), None] if acc64 else [None, T(bias.index)]


# -- FULLY_CONNECTED -------------------------------------------------------------------------------

def _fc_multipliers(inp, w, out):
    if w.per_channel:
        return per_channel_multipliers(scale0(inp), w.scale, scale0(out))
    m, s = quantize_multiplier(conv_multiplier(scale0(inp), scale0(w), scale0(out)))
    return [m], [s]


def fully_connected_problems(graph, op) -> list[str]:
    p = _weighted_problems(graph, op, ("int64", "int32"))
    if p:
        return p
    inp, w, out = (graph.tensors[i] for i in (op.inputs[0], op.inputs[1], op.outputs[0]))
    if len(w.shape) != 2:
        return [f"weights have shape {list(w.shape)}; need 2-D"]
    if op.options.get("weightsFormat", 0) != 0:
        p.append("shuffled weights format is not supported")
    if w.per_channel and (w.scale.size != w.shape[0] or not 0 <= w.quantized_dimension < 2
                          or w.shape[w.quantized_dimension] != w.shape[0]):
        p.append(f"{w.scale.size} per-channel weight scales along dimension {w.quantized_dimension} do not match "
                 f"the {w.shape[0]} outputs")
    if inp.size % w.shape[1]:
        p.append(f"input size {inp.size} is not a multiple of the weights' depth {w.shape[1]}")
    if p:
        return p
    return _shift_problems(_fc_multipliers(inp, w, out)[1], _acc64(graph, op))


def lower_fully_connected(graph, op) -> Lowered:
    inp, w, out = (graph.tensors[i] for i in (op.inputs[0], op.inputs[1], op.outputs[0]))
    out_depth, accum = w.shape
    batches = inp.size // accum
    mults, shifts = _fc_multipliers(inp, w, out)
    acc64 = _acc64(graph, op)
    act_min, act_max = _act_range(op, out)
    return Lowered(
        kernel="tg_fully_connected_s16", header=HEADER, params_type="tg_fully_connected_s16_params",
        params=dict(batches=batches, accum_depth=accum, output_depth=out_depth,
                    filter_offset=0 if w.per_channel else -zp0(w), per_channel=int(w.per_channel),
                    act_min=act_min, act_max=act_max, acc64=int(acc64),
                    multiplier=Ref("mult"), shift=Ref("shift")),
        args=[T(inp.index), T(w.index), *_bias_args(graph, op, acc64), T(out.index)],
        consts=[ConstArray("mult", "int32_t", np.array(mults)), ConstArray("shift", "int32_t", np.array(shifts))],
        macs=batches * out_depth * accum,
    )


# -- CONV_2D and DEPTHWISE_CONV_2D -----------------------------------------------------------------

def _conv_multipliers(inp, w, out):
    # PopulateConvolutionQuantizationParams: per-tensor scales take the per-channel (double) path.
    n = out.shape[3]
    scales = w.scale if w.per_channel else np.repeat(w.scale[:1], n)
    return per_channel_multipliers(scale0(inp), scales, scale0(out))


def _conv_shape_problems(graph, op) -> list[str]:
    inp, w, out = (graph.tensors[i] for i in (op.inputs[0], op.inputs[1], op.outputs[0]))
    p = [f"{what} has shape {list(t.shape)}; needs 4-D NHWC"
         for t, what in ((inp, "input"), (w, "weights"), (out, "output")) if len(t.shape) != 4]
    if p:
        return p
    if inp.shape[0] != out.shape[0]:
        p.append(f"input batch {inp.shape[0]} and output batch {out.shape[0]} differ")
    n_out = out.shape[3]
    qdim = w.quantized_dimension
    if w.per_channel and (w.scale.size != n_out or not 0 <= qdim < 4 or w.shape[qdim] != n_out):
        p.append(f"per-channel weight scales ({w.scale.size} along dimension {qdim}) do not match the {n_out} "
                 f"output channels")
    for key in ("strideH", "strideW", "dilationHFactor", "dilationWFactor"):
        if op.options.get(key, 1) < 1:
            p.append(f"{key} {op.options.get(key)} is not positive")
    return p


def conv_problems(graph, op) -> list[str]:
    p = _weighted_problems(graph, op, ("int64", "int32")) or _conv_shape_problems(graph, op)
    if p:
        return p
    inp, w, out = (graph.tensors[i] for i in (op.inputs[0], op.inputs[1], op.outputs[0]))
    in_c, fd, out_c = inp.shape[3], w.shape[3], out.shape[3]
    if fd < 1 or in_c % fd or out_c % (in_c // fd) or w.shape[0] != out_c:
        return [f"weights {list(w.shape)} do not fit {in_c} input and {out_c} output channels"]
    return _shift_problems(_conv_multipliers(inp, w, out)[1], _acc64(graph, op))


def depthwise_problems(graph, op) -> list[str]:
    # TFLM's int16 depthwise reads an int64 bias only.
    p = _weighted_problems(graph, op, ("int64",)) or _conv_shape_problems(graph, op)
    if p:
        return p
    inp, w, out = (graph.tensors[i] for i in (op.inputs[0], op.inputs[1], op.outputs[0]))
    in_c, out_c = inp.shape[3], out.shape[3]
    if w.shape[0] != 1:
        p.append(f"weights have shape {list(w.shape)}; need [1, kh, kw, channels]")
    if w.shape[3] != out_c or out_c % in_c:
        p.append(f"{out_c} output channels are not a multiple of the {in_c} input channels")
    elif op.options.get("depthMultiplier", out_c // in_c) not in (0, out_c // in_c):
        p.append(f"depth multiplier {op.options.get('depthMultiplier')} does not match the shapes")
    return p or _shift_problems(_conv_multipliers(inp, w, out)[1], True)


def _lower_conv_like(graph, op, depthwise: bool) -> Lowered:
    from .conv_packed import tflm_padding

    inp, w, out = (graph.tensors[i] for i in (op.inputs[0], op.inputs[1], op.outputs[0]))
    batches, in_h, in_w, in_c = inp.shape
    _, out_h, out_w, out_c = out.shape
    k_h, k_w = w.shape[1], w.shape[2]
    o = op.options
    sh, sw = o.get("strideH", 1), o.get("strideW", 1)
    dh, dw = o.get("dilationHFactor", 1), o.get("dilationWFactor", 1)
    same = o.get("padding", 0) == 0
    mults, shifts = _conv_multipliers(inp, w, out)
    acc64 = _acc64(graph, op, always=depthwise)
    act_min, act_max = _act_range(op, out)
    params = dict(batches=batches, in_h=in_h, in_w=in_w, in_c=in_c, out_h=out_h, out_w=out_w, out_c=out_c,
                  k_h=k_h, k_w=k_w, filter_in_c=1 if depthwise else w.shape[3],
                  depth_multiplier=out_c // in_c if depthwise else 1,
                  stride_h=sh, stride_w=sw, dil_h=dh, dil_w=dw,
                  pad_top=tflm_padding(in_h, k_h, sh, dh, out_h) if same else 0,
                  pad_left=tflm_padding(in_w, k_w, sw, dw, out_w) if same else 0,
                  act_min=act_min, act_max=act_max, acc64=int(acc64), multiplier=Ref("mult"), shift=Ref("shift"))
    taps = k_h * k_w * (1 if depthwise else w.shape[3])
    return Lowered(
        kernel="tg_depthwise_conv_s16" if depthwise else "tg_conv_s16", header=HEADER,
        params_type="tg_conv_s16_params", params=params,
        args=[T(inp.index), T(w.index), *_bias_args(graph, op, acc64), T(out.index)],
        consts=[ConstArray("mult", "int32_t", np.array(mults)), ConstArray("shift", "int32_t", np.array(shifts))],
        macs=batches * out_h * out_w * out_c * taps,
    )


def lower_conv(graph, op) -> Lowered:
    return _lower_conv_like(graph, op, depthwise=False)


def lower_depthwise(graph, op) -> Lowered:
    return _lower_conv_like(graph, op, depthwise=True)


# -- ADD, SUB, MUL ---------------------------------------------------------------------------------

BINARY_OPS = {"ADD": 0, "SUB": 1, "MUL": 2, "MAXIMUM": 3, "MINIMUM": 4}  # TG_BINARY_* in tg_binary.h


def _add_sub_multipliers(opcode, a, b, out):
    s1, s2, so = f32(a.scale[0]), f32(b.scale[0]), f32(out.scale[0])
    if opcode == "SUB":  # sub_common.cc computes in float32, then widens
        twice = f32(2) * max(s1, s2)
        r1, r2 = float(s1 / twice), float(s2 / twice)
        ro = float(twice / (f32(1 << ADD_SUB_LEFT_SHIFT) * so))
    else:  # add_common.cc: double
        twice = 2 * float(max(s1, s2))
        r1, r2 = float(s1) / twice, float(s2) / twice
        ro = twice / ((1 << ADD_SUB_LEFT_SHIFT) * float(so))
    return quantize_multiplier(r1), quantize_multiplier(r2), quantize_multiplier(ro)


def _mul_multiplier(a, b, out):
    return quantize_multiplier(float(a.scale[0]) * float(b.scale[0]) / float(out.scale[0]))


def binary_problems(opcode, graph, op) -> list[str]:
    if opcode not in BINARY_OPS:
        return [f"int16 {opcode} is not supported yet"]
    p = tensor_type_problems(graph, op, op.inputs[0], ("int16",), "input 1")
    p += tensor_type_problems(graph, op, op.inputs[1], ("int16",), "input 2")
    p += tensor_type_problems(graph, op, op.outputs[0], ("int16",), "output")
    p += activation_problems(op)
    if p:
        return p
    a, b, out = (graph.tensors[i] for i in (op.inputs[0], op.inputs[1], op.outputs[0]))
    try:
        shape = broadcast_shape(a.shape, b.shape)
    except ValueError:
        return [f"shapes {list(a.shape)} and {list(b.shape)} do not broadcast"]
    if len(shape) > 6:
        p.append(f"{len(shape)}-D broadcasting (6-D at most)")
    if tuple(out.shape) != shape:
        p.append(f"output shape {list(out.shape)} is not the broadcast shape {list(shape)}")
    if opcode in ("MAXIMUM", "MINIMUM"):
        if not all(float(t.scale[0]) == float(out.scale[0]) and zp0(t) == zp0(out) for t in (a, b)):
            p.append("inputs and output are quantized differently (TFLM compares raw values)")
    elif opcode == "MUL":
        if any(zp0(t) for t in (a, b, out)):
            p.append("int16 MUL with a zero point, which TFLM refuses")
        if _mul_multiplier(a, b, out)[1] > 30:
            p.append(f"output rescale shift {_mul_multiplier(a, b, out)[1]} is out of range")
    elif not all(m > 0 and s <= 0 for m, s in _add_sub_multipliers(opcode, a, b, out)):
        p.append("the scales give a rescale factor outside (0, 1), which TFLM refuses")
    return p


def lower_binary(opcode, graph, op) -> Lowered:
    a, b, out = (graph.tensors[i] for i in (op.inputs[0], op.inputs[1], op.outputs[0]))
    act_min, act_max = _act_range(op, out)
    broadcast = tuple(a.shape) != tuple(b.shape)
    consts, refs = [], dict(dims=0, stride1=0, stride2=0)
    if broadcast:
        dims, st1, st2 = broadcast_strides(a.shape, b.shape)
        consts = [ConstArray("dims", "int32_t", np.array(dims)), ConstArray("stride1", "int32_t", np.array(st1)),
                  ConstArray("stride2", "int32_t", np.array(st2))]
        refs = dict(dims=Ref("dims"), stride1=Ref("stride1"), stride2=Ref("stride2"))
    q = dict(left_shift=0, input1_multiplier=0, input1_shift=0, input2_multiplier=0, input2_shift=0)
    mo = so = 0
    if opcode == "MUL":
        mo, so = _mul_multiplier(a, b, out)
    elif opcode in ("ADD", "SUB"):
        (m1, s1), (m2, s2), (mo, so) = _add_sub_multipliers(opcode, a, b, out)
        q = dict(left_shift=ADD_SUB_LEFT_SHIFT, input1_multiplier=m1, input1_shift=s1, input2_multiplier=m2,
                 input2_shift=s2)
    params = dict(op=BINARY_OPS[opcode], input1_offset=-zp0(a), input2_offset=-zp0(b), output_offset=zp0(out),
                  **q, output_multiplier=mo, output_shift=so, act_min=act_min, act_max=act_max,
                  broadcast=int(broadcast), size=out.size, **refs)
    return Lowered(kernel="tg_binary_s16", header=HEADER, params_type="tg_binary_params", params=params,
                   args=[T(a.index), T(b.index), T(out.index)], consts=consts)


# -- RELU, LEAKY_RELU, RELU6 ----------------------------------------------------------------------

def lower_relu(graph, op) -> Lowered:
    """activations_common.cc CalculateReluOpData<int16_t>: QuantizeMultiplier of the double ratio of
    the float scales; the minimum is the output zero point plus roundf(0 / scale)."""
    inp, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
    m, s = quantize_multiplier(float(inp.scale[0]) / float(out.scale[0]))
    act_min = max(INT16_MIN, zp0(out) + int(np.round(np.float32(0.0) / np.float32(out.scale[0]))))
    return Lowered(kernel="tg_relu_s16", header=HEADER, params_type="tg_relu_s16_params",
                   params=dict(size=out.size, input_zero_point=zp0(inp), output_zero_point=zp0(out),
                               multiplier=m, shift=s, act_min=act_min, act_max=INT16_MAX),
                   args=[T(inp.index), T(out.index)])


def leaky_relu_problems(graph, op) -> list[str]:
    """Also RELU's and RELU6's."""
    p = tensor_type_problems(graph, op, op.inputs[0], ("int16",), "input")
    p += tensor_type_problems(graph, op, op.outputs[0], ("int16",), "output")
    return p


def lower_leaky_relu(graph, op, params: dict) -> Lowered:
    """`params`: the int8 kernel's multipliers (leaky_relu_common.cc is the same for int16)."""
    inp, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
    return Lowered(kernel="tg_leaky_relu_s16", header=HEADER, params_type="tg_leaky_relu_s16_params",
                   params=dict(size=out.size, input_zero_point=zp0(inp), output_zero_point=zp0(out), **params),
                   args=[T(inp.index), T(out.index)])


def lower_relu6(graph, op) -> Lowered:
    """Relu6Prepare for int16: the input's zero point and FloatToQuantizedType(6), clamped to int16."""
    inp, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
    six = int(tflite_round(float(np.float32(6.0) / np.float32(inp.scale[0])))) + zp0(inp)
    return Lowered(kernel="tg_clamp_s16", header=HEADER, params_type="tg_clamp_s16_params",
                   params=dict(size=out.size, act_min=zp0(inp), act_max=min(INT16_MAX, max(INT16_MIN, six))),
                   args=[T(inp.index), T(out.index)])


# -- LOGISTIC, TANH --------------------------------------------------------------------------------

SIGMOIDAL_KERNELS = {"LOGISTIC": "tg_logistic_s16", "TANH": "tg_tanh_s16"}
SIGMOIDAL_MAX_MULTIPLIER = 32767  # TFLM's Prepare checks it (DCHECK); beyond, x * multiplier may overflow


def sigmoidal_scaling(opcode: str, input_scale: float) -> tuple[int, int]:
    """logistic_common.cc and tanh.cc for int16: the input to the table's 1/(3 * 4096) per unit as
    (x * multiplier + round) >> shift. A Q3.12 input (for TANH also Q2.13) is TFLM's power-of-two
    case, which the kernel turns into 3 << shift, no shift: done here. Otherwise the double
    scale * 3 * 4096, doubled up to above 32767 / 2 (shift at most 31), truncated."""
    left = 12 + checked_log2(input_scale)
    if is_power_of_two_scale(input_scale) and (left == 0 or (opcode == "TANH" and left == 1)):
        return 3 << left, 0
    m = float(np.float32(input_scale)) * 4096.0 * 3.0
    left = 0
    while m <= 32767.0 / 2.0 and left <= 30:
        left += 1
        m *= 2.0
    return int(m), left


def sigmoidal_problems(opcode, graph, op) -> list[str]:
    p = tensor_type_problems(graph, op, op.inputs[0], ("int16",), "input")
    p += tensor_type_problems(graph, op, op.outputs[0], ("int16",), "output")
    if p:
        return p
    inp, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
    if zp0(inp) or zp0(out):
        p.append(f"int16 {opcode} needs zero points of 0 (TFLM checks them)")
    if not (is_power_of_two_scale(scale0(out)) and checked_log2(scale0(out)) == -15):
        p.append(f"output scale {scale0(out)} is not 2^-15, which TFLM's int16 {opcode} needs")
    m, _ = sigmoidal_scaling(opcode, scale0(inp))
    if not 0 < m <= SIGMOIDAL_MAX_MULTIPLIER:
        p.append(f"input scale {scale0(inp)} gives input multiplier {m}, outside TFLM's (0, 32767]")
    return p


def lower_sigmoidal(opcode, graph, op) -> Lowered:
    inp, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
    m, s = sigmoidal_scaling(opcode, scale0(inp))
    return Lowered(kernel=SIGMOIDAL_KERNELS[opcode], header=HEADER, params_type="tg_sigmoidal_s16_params",
                   params=dict(size=out.size, multiplier=m, shift=s), args=[T(inp.index), T(out.index)])


# -- data movement: PAD, CONCATENATION, STRIDED_SLICE, TRANSPOSE ---------------------------------

def data_types(graph, op) -> tuple[str, ...]:
    """The activation types a data-movement operator takes: int16 ones move like int8 ones."""
    return ("int16",) if int16_activations(graph, op) else ("int8",)


def retype(low: Lowered, graph, op) -> Lowered:
    """An int8 data-movement lowering made to run on int16 elements: the *_s16 twin (tg_int16.h)
    takes the same parameters, counted in elements."""
    if int16_activations(graph, op) and low.kernel and low.kernel.endswith("_s8"):
        low.kernel = low.kernel[:-3] + "_s16"
        low.header = HEADER
    return low


# -- TRANSPOSE_CONV --------------------------------------------------------------------------------

def int16_tensor(graph, index: int) -> bool:
    t = graph.tensor(index)
    return t is not None and t.dtype == "int16"


def transpose_conv_problems(graph, op, int8_problems) -> list[str]:
    """TRANSPOSE_CONV's inputs are (output shape, weights, input[, bias]): its type checks here,
    the shape checks the int8 kernel's (`int8_problems`, run on its own type-free part)."""
    p = tensor_type_problems(graph, op, op.inputs[2], ("int16",), "input")
    p += tensor_type_problems(graph, op, op.inputs[1], ("int8",), "weights")
    p += tensor_type_problems(graph, op, op.outputs[0], ("int16",), "output")
    bias = graph.tensor(op.inputs[3]) if len(op.inputs) > 3 else None
    if bias is not None:
        # TFLM widens an int16 bias (older 16x8 models) to int64 before the kernel, as we do here.
        p += tensor_type_problems(graph, op, bias.index, ("int64", "int16"), "bias")
        if not p and not bias.is_constant:
            p.append("bias is not constant")
    p += activation_problems(op)
    if p:
        return p
    for i, what in ((op.inputs[2], "input"), (op.outputs[0], "output")):
        if zp0(graph.tensors[i]) != 0:
            p.append(f"the int16 {what} has zero point {zp0(graph.tensors[i])}; int16 kernels need 0")
    return p + int8_problems(graph, op)


def lower_transpose_conv(graph, op, low8: Lowered) -> Lowered:
    """`low8`: the int8 lowering, whose geometry and multipliers are the same (TFLM's Prepare is)."""
    out = graph.tensors[op.outputs[0]]
    bias = graph.tensor(op.inputs[3]) if len(op.inputs) > 3 else None
    consts = list(low8.consts)
    bias_arg = None
    if bias is not None and bias.dtype == "int16":
        consts.append(ConstArray("bias64", "int64_t", bias.data.astype(np.int64)))
        bias_arg = Ref("bias64")
    elif bias is not None:
        bias_arg = T(bias.index)
    act_min, act_max = _act_range(op, out)
    params = dict(low8.params, input_offset=0, output_offset=0, act_min=act_min, act_max=act_max)
    args = [low8.args[0], low8.args[1], bias_arg, low8.args[3], low8.args[4]]
    return Lowered(kernel="tg_transpose_conv_s16", header=HEADER, params_type=low8.params_type, params=params,
                   args=args, consts=consts, macs=low8.macs)


# -- SOFTMAX int16 -> int16 ------------------------------------------------------------------------

def _round_half_away(x: np.float32) -> np.float32:
    return np.float32(np.sign(x) * np.floor(np.abs(x) + np.float32(0.5)))


def gen_lut_s16(func, input_min: float, input_max: float, output_min: float, output_max: float) -> np.ndarray:
    """TFLM's gen_lut<float, int16_t, int16_t>, step by step in float32: 512 samples, each biased
    by half its midpoint interpolation error, then the end point."""
    f = np.float32
    steps = 512
    step = f((f(input_max) - f(input_min)) / f(steps))
    half = f(step / f(2))
    scale_inv = f(f(65536) / f(f(output_max) - f(output_min)))
    lut = []
    for i in range(steps):
        x = f(f(input_min) + f(f(i) * step))
        val, mid, nxt = func(x), func(f(x + half)), func(f(f(input_min) + f(f(i + 1) * step)))
        sample = _round_half_away(f(val * scale_inv))
        interp = _round_half_away(f(f(f(nxt * scale_inv) + sample) / f(2)))
        err = f(interp - _round_half_away(f(mid * scale_inv)))
        bias = _round_half_away(f(err / f(2)))
        lut.append(min(max(float(f(sample - bias)), -32768.0), 32767.0))
    lut.append(min(max(float(_round_half_away(f(func(f(input_max)) * scale_inv))), -32768.0), 32767.0))
    return np.array(lut, dtype=np.int64)


def _expf(x):
    return np.float32(np.exp(np.float64(x)))  # correctly rounded expf, as glibc's is to < 0.502 ulp


def _one_over_one_plus(x):
    return np.float32(np.float32(1.0) / np.float32(np.float32(1.0) + np.float32(x)))


def softmax_problems(graph, op) -> list[str]:
    p = tensor_type_problems(graph, op, op.inputs[0], ("int16",), "input")
    p += tensor_type_problems(graph, op, op.outputs[0], ("int16",), "output")
    if p:
        return p
    inp, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
    if zp0(inp) or zp0(out):
        p.append("int16 SOFTMAX needs zero points of 0 (TFLM checks them)")
    if not inp.shape:
        p.append("input is a scalar")
    return p


def lower_softmax(graph, op) -> Lowered:
    """softmax_common.cc for int16: QuantizeMultiplier(input scale * beta / (10 / 65535)), the
    tables of exp on [-10, 0] and 1/(1+x) on [0, 1] in Q0.15."""
    inp, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
    beta = float(np.float32(op.options.get("beta", 1.0)))
    m, s = quantize_multiplier(float(inp.scale[0]) * beta / (10.0 / 65535.0))
    depth = inp.shape[-1]
    return Lowered(
        kernel="tg_softmax_s16", header=HEADER, params_type="tg_softmax_s16_params",
        params=dict(outer_size=inp.size // depth, depth=depth, input_multiplier=m, input_left_shift=s,
                    exp_lut=Ref("exp_lut"), one_over_one_plus_x_lut=Ref("recip_lut")),
        args=[T(inp.index), T(out.index)],
        consts=[ConstArray("exp_lut", "int16_t", gen_lut_s16(_expf, -10.0, 0.0, -1.0, 1.0)),
                ConstArray("recip_lut", "int16_t", gen_lut_s16(_one_over_one_plus, 0.0, 1.0, -1.0, 1.0))],
    )


# -- QUANTIZE float32 -> int16, DEQUANTIZE int16 -> float32 -----------------------------------------

FLOAT_KERNELS = {"tg_quantize_f32": "tg_quantize_f32_s16", "tg_dequantize_s8": "tg_dequantize_s16"}


def retype_float(low: Lowered, quantized) -> Lowered:
    """The float boundary's int8 lowering made int16 when its quantized side (`quantized`) is."""
    if quantized.dtype == "int16":
        low.kernel, low.header = FLOAT_KERNELS[low.kernel], HEADER
    return low
