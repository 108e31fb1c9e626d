"""Lowering of CONV_2D to the packed matrix-product path (tg_conv_packed_s8).

Used by the CONV_2D kernel for int8 (TFLM's int8 convolution ignores any weight zero point, so
this applies to every int8 CONV_2D): the input offset folds into a per-channel kernel_sum, padded taps read the input zero
point, and the weights are packed for tg_dot_rows_s8. Bit-exact with the reference loop.
"""

from __future__ import annotations

import numpy as np

from .prepare import activation_range, multiply_by_quantized_multiplier, per_channel_multipliers, rq_words
from . import ConstArray, Kernel, Lowered, Ref, Scratch, T
from .packing import pack_rows_s8, pack_rows_wide
from . import int16 as s16


WIDE_MIN_PIXELS = 2  # a one-pixel layer (a fully connected layer in disguise) keeps compact weights


def tflm_padding(in_size: int, filter_size: int, stride: int, dilation: int, out_size: int) -> int:
    """ComputePaddingWithOffset: the leading padding (the odd extra goes after)."""
    effective = (filter_size - 1) * dilation + 1
    total = max((out_size - 1) * stride + effective - in_size, 0)
    return total // 2


def wrap_int32(a: np.ndarray) -> np.ndarray:
    return ((a.astype(np.int64) + (1 << 31)) % (1 << 32) - (1 << 31)).astype(np.int64)


def packed_words(w2d: np.ndarray) -> np.ndarray:
    packed = pack_rows_s8(w2d.astype(np.int8))
    return np.concatenate([packed, np.zeros(-len(packed) % 4, np.int8)]).view("<u4")


def wide_padded(w2d: np.ndarray, k_h: int = 1) -> np.ndarray:
    """The wide path's weights: each of the k_h kernel rows (k_w * in_c values) zero-padded to
    whole groups of four, so the kernel's loops have no depth % 4 tail and, where in_c % 4 != 0
    (a 3-channel first layer), it widens a row of taps straight from the input, the bytes after
    the row meeting zero weights."""
    rows = w2d.reshape(w2d.shape[0], k_h, -1)
    return np.pad(rows, ((0, 0), (0, 0), (0, -rows.shape[2] % 4))).reshape(w2d.shape[0], -1)


def c3_order() -> np.ndarray:
    """The 27 taps of a 3-channel 3x3 filter (rows of 9 bytes) in the order tg_conv_packed.c's
    c3_column gathers them, 7 groups of four with one zero weight last (-1): bytes 0-7 of each
    row, then byte 8 of rows 0, 2, 1 (the widened lanes pair rows 0 and 1)."""
    return np.array([r * 9 + i for r in range(3) for i in range(8)] + [8, 26, 17, -1])


def conv_geometry(graph, op) -> dict:
    """What CONV_2D and DEPTHWISE_CONV_2D share: shapes, strides, dilation, TFLM's padding, the
    per-output-channel multipliers (PopulateConvolutionQuantizationParams: per-tensor scales are
    broadcast and take the same double-precision path, unlike FULLY_CONNECTED), zero points and
    the activation range."""
    inp, w, out = (graph.tensors[i] for i in (op.inputs[0], op.inputs[1], op.outputs[0]))
    _, in_h, in_w, in_c = inp.shape
    _, out_h, out_w, out_c = out.shape
    k_h, k_w = w.shape[1], w.shape[2]
    o = op.options
    sh, sw = o.get("strideH", 1), o.get("strideW", 1)
    dh, dw = o.get("dilationHFactor", 1), o.get("dilationWFactor", 1)
    same = o.get("padding", 0) == 0
    in_scale, out_scale = float(inp.scale[0]), float(out.scale[0])
    scales = w.scale if w.per_channel else np.repeat(w.scale[:1], out_c)
    mults, shifts = per_channel_multipliers(in_scale, scales, out_scale)
    in_zp, out_zp = int(inp.zero_point[0]), int(out.zero_point[0])
    act_min, act_max = activation_range(o.get("fusedActivationFunction", 0), out_scale, out_zp)
    return dict(in_h=in_h, in_w=in_w, in_c=in_c, out_h=out_h, out_w=out_w, out_c=out_c, k_h=k_h, k_w=k_w,
                stride_h=sh, stride_w=sw, dil_h=dh, dil_w=dw,
                pad_top=tflm_padding(in_h, k_h, sh, dh, out_h) if same else 0,
                pad_left=tflm_padding(in_w, k_w, sw, dw, out_w) if same else 0,
                input_zero_point=in_zp, output_offset=out_zp, act_min=act_min, act_max=act_max,
                mults=mults, shifts=shifts)


def bias_plus_offset(graph, op, weight_sums: np.ndarray, input_zero_point: int, out_c: int) -> np.ndarray:
    """kernel_sum = bias + input_offset * sum of each output channel's weights, wrapped to int32."""
    bias = graph.tensor(op.inputs[2]) if len(op.inputs) > 2 else None
    b = bias.data.astype(np.int64) if bias is not None else np.zeros(out_c, np.int64)
    return wrap_int32(b + (-input_zero_point) * weight_sums)


def rq_wide_words(multipliers, shifts, acc_lo, acc_hi, output_offset: int = 0):
    """Per channel the three int32 words the wide path's requantize_wide reads (tg_conv_packed.c):
    multiplier, round (with the output offset folded in), right; and per channel the exponent e
    by which the channel's weights and kernel_sum are scaled (left + 1), so that the kernel's
    (SMMLAR(acc * 2^e, multiplier, round) + (acc >> 31)) >> right equals TFLM's
    MultiplyByQuantizedMultiplier plus the offset. That holds where, for every channel: the
    scaled accumulator fits int32, |hi| + round stays below 2^31, right >= 1 and the multiplier is
    not negative (the sign of acc then stands for the sign of hi). [acc_lo, acc_hi] bounds the
    channel's accumulator; requantization is monotonic, so a channel whose result is the same at
    both ends (a dead channel with a huge bias, a zero multiplier) is that constant: multiplier 0,
    right 1, round 2 * constant + 1, e = 0. Otherwise None: the kernel keeps TFLM's multiplier and
    shift."""
    words, exps = [], []
    for m, s, lo, hi in zip(multipliers, shifts, acc_lo, acc_hi):
        m, left, right, lo, hi = int(m), max(int(s), 0), max(-int(s), 0), int(lo), int(hi)
        bound = max(abs(lo), abs(hi))
        if m < 0 or right > 31 or lo < -(1 << 31) or hi >= 1 << 31 or (bound << left) >= 1 << 31:
            return None
        c = multiply_by_quantized_multiplier(lo, m, int(s)) + int(output_offset)
        if c == multiply_by_quantized_multiplier(hi, m, int(s)) + int(output_offset) and abs(c) < 1 << 29:
            words += [0, 2 * c + 1, 1]  # (0 + 2c + 1 + (acc >> 31)) >> 1 = c
            exps.append(0)
            continue
        if right < 1 or (bound << (left + 1)) >= 1 << 31:
            return None
        hi_max = ((bound << left) * m + (1 << 30)) >> 31
        rnd = (1 << (right - 1)) + (int(output_offset) << right)
        if hi_max + abs(rnd) + 1 >= 1 << 31:
            return None
        words += [m, rnd, right]
        exps.append(left + 1)
    return np.array(words, dtype=np.int64).astype(np.int32), np.array(exps, dtype=np.int64)


def conv_variant(direct: bool, wide: bool, prepared: bool, full_range: bool) -> str:
    """The tg_conv_packed variant for what the generator knows of this layer (tg_conv_packed.h)."""
    rq = ("_rq_sat" if full_range else "_rq") if prepared else ""
    return f"tg_conv_packed_{'1x1' if direct else 'im2col'}{'_wide' if wide else ''}{rq}_s8"


def lower_conv_packed(graph, op, wide: bool = False) -> Lowered:
    inp, w, out = (graph.tensors[i] for i in (op.inputs[0], op.inputs[1], op.outputs[0]))
    g = conv_geometry(graph, op)
    mults, shifts = g.pop("mults"), g.pop("shifts")
    in_h, in_w, in_c, out_h, out_w, out_c = (g[k] for k in ("in_h", "in_w", "in_c", "out_h", "out_w", "out_c"))
    k_h, k_w, sh, sw, pad_top, pad_left = (g[k] for k in ("k_h", "k_w", "stride_h", "stride_w", "pad_top", "pad_left"))
    out_c_w = w.shape[0]
    w2d = w.data.reshape(out_c_w, -1)
    kernel_sum = bias_plus_offset(graph, op, w2d.astype(np.int64).sum(axis=1), g["input_zero_point"], out_c)
    direct = (k_h, k_w, sh, sw, pad_top, pad_left, in_h, in_w) == (1, 1, 1, 1, 0, 0, out_h, out_w)
    depth = k_h * k_w * in_c
    c3 = False
    # |acc| <= |kernel_sum| + 128 * sum|w|: inputs are int8, the offset is folded into kernel_sum
    bound = np.abs(kernel_sum.astype(np.int64)) + 128 * np.abs(w2d.astype(np.int64)).sum(axis=1)
    weights = w2d.astype(np.int64)
    if wide:  # the accumulator's range: kernel_sum plus the extremes of sum w * x over int8 x
        ks = kernel_sum.astype(np.int64)
        prepared = rq_wide_words(mults, shifts, ks + np.minimum(-128 * weights, 127 * weights).sum(axis=1),
                                 ks + np.maximum(-128 * weights, 127 * weights).sum(axis=1), g["output_offset"])
        words = None
        if prepared is not None:
            scaled = weights << prepared[1][:, None]
            if scaled.size == 0 or (scaled.min() >= -(1 << 15) and scaled.max() < 1 << 15):  # int16 lanes
                words, weights = prepared[0], scaled
                kernel_sum = kernel_sum.astype(np.int64) << prepared[1]  # fits: |acc| << e < 2^31
        c3 = words is not None and (in_c, k_h, k_w, g["dil_h"], g["dil_w"]) == (3, 3, 3, 1, 1)
        if c3:  # 28 taps rather than three rows padded to 12
            order = c3_order()
            packed = pack_rows_wide(np.where(order >= 0, weights[:, order], 0))
        else:
            packed = pack_rows_wide(wide_padded(weights, k_h))
    else:
        words = rq_words(mults, shifts, bound, g["output_offset"])
        packed = packed_words(w2d)
    consts = [ConstArray("mult", "int32_t", np.array(mults)), ConstArray("shift", "int32_t", np.array(shifts)),
              ConstArray("kernel_sum", "int32_t", kernel_sum), ConstArray("weights", "uint32_t", packed)]
    if words is not None:
        consts.append(ConstArray("rq", "int32_t", words))
    return Lowered(
        kernel=conv_variant(direct, wide, words is not None, (g["act_min"], g["act_max"]) == (-128, 127)),
        header="tg_conv_packed.h",
        params_type="tg_conv_packed_params",
        params=dict(**g, multiplier=Ref("mult"), shift=Ref("shift"), kernel_sum=Ref("kernel_sum"),
                    packed_weights=Ref("weights"), wide=2 if wide and c3 else int(wide), rq=Ref("rq") if words is not None else 0),
        args=[T(inp.index), T(out.index), None if direct and not wide else Scratch()],  # wide: the widened column
        consts=consts,
        macs=out_h * out_w * out_c * depth,
    )


def conv_like_problems(graph, op, weights_qdim: int) -> list[str]:
    """Checks shared by CONV_2D and DEPTHWISE_CONV_2D."""
    from ._common import activation_problems, tensor_type_problems

    p = tensor_type_problems(graph, op, op.inputs[0], ("int8",), "input")
    p += tensor_type_problems(graph, op, op.inputs[1], ("int8",), "weights")
    if len(op.inputs) > 2 and op.inputs[2] >= 0:
        p += tensor_type_problems(graph, op, op.inputs[2], ("int32",), "bias")
        if not p and not graph.tensors[op.inputs[2]].is_constant:
            p.append("bias is not constant")
    p += tensor_type_problems(graph, op, op.outputs[0], ("int8",), "output")
    p += activation_problems(op)
    if p:
        return p
    inp, w, out = (graph.tensors[i] for i in (op.inputs[0], op.inputs[1], op.outputs[0]))
    if not w.is_constant:
        p.append("weights are not constant")
    for t, what in ((inp, "input"), (w, "weights"), (out, "output")):
        if len(t.shape) != 4:
            p.append(f"{what} has shape {list(t.shape)}; needs 4-D NHWC")
    if p:
        return p
    if inp.shape[0] != 1 or out.shape[0] != 1:
        p.append(f"batch {inp.shape[0]} is not supported (batch 1 only)")
    n_out = out.shape[3]
    # TFLM only checks that the scale count equals the output channels and the size of the
    # quantized dimension (TFLite also insists on the dimension itself); follow TFLM.
    qdim = w.quantized_dimension
    if w.per_channel and (w.scale.size != n_out or not 0 <= qdim < 4 or w.shape[qdim] != n_out):
        p.append(f"per-channel weight scales ({w.scale.size} along dimension {w.quantized_dimension}) do not "
                 f"match the {n_out} output channels")
    o = op.options
    for key in ("strideH", "strideW", "dilationHFactor", "dilationWFactor"):
        if o.get(key, 1) < 1:
            p.append(f"{key} {o.get(key)} is not positive")
    return p


class PackedConv2D(Kernel):
    opcode = "CONV_2D"

    def check(self, graph, op):
        if s16.int16_activations(graph, op):  # 16x8: ops/int16.py
            return s16.conv_problems(graph, op)
        p = conv_like_problems(graph, op, 0)
        if p:
            return p
        inp, w = graph.tensors[op.inputs[0]], graph.tensors[op.inputs[1]]
        if w.shape[3] != inp.shape[3]:
            p.append(f"grouped convolution (input has {inp.shape[3]} channels, weights {w.shape[3]}) is not supported")
        return p

    def lower(self, graph, op):
        if s16.int16_activations(graph, op):
            return s16.lower_conv(graph, op)
        return lower_conv_packed(graph, op)

    def lower_for(self, graph, op, target):
        if s16.int16_activations(graph, op):
            return s16.lower_conv(graph, op)
        # Widening doubles this layer's weight flash and saves about 40% of its instructions (VWW's
        # 3x3-pixel layers: 1.76 -> ~0.8 instructions/MAC); where the board's flash is short,
        # tinygen.boards.fit puts the layers with the most weights back on the compact layout.
        out = graph.tensors[op.outputs[0]]
        pixels = out.shape[1] * out.shape[2]
        return lower_conv_packed(graph, op, wide=target.wide_weights and pixels >= WIDE_MIN_PIXELS)
