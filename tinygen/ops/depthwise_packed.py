"""Lowering of DEPTHWISE_CONV_2D to tg_depthwise_packed_s8 (input offset folded into kernel_sum,
padded taps read the input zero point; int16-widened weights for the DSP path)."""

from __future__ import annotations

import numpy as np

from ..quantmath import activation_range, per_channel_multipliers
from . import ConstArray, Kernel, Lowered, Ref, Scratch, T
from .conv_packed import conv_like_problems, tflm_padding, wrap_int32

MAX_TAPS = 64


def widen_pairs(w: np.ndarray) -> np.ndarray:
    """[taps, C] int8 with C % 4 == 0 -> per group of 4 channels, per tap, the words
    (w0 | w2 << 16) and (w1 | w3 << 16): the lanes SXTB16 gives for input bytes 0,2 and 1,3.
    A group's taps are contiguous so the kernel walks them with one pointer."""
    taps, c = w.shape
    g = w.astype(np.int16).reshape(taps, c // 4, 4)
    lo = np.stack([g[..., 0], g[..., 1]], axis=-1)
    hi = np.stack([g[..., 2], g[..., 3]], axis=-1)
    words = (lo.astype(np.uint16).astype(np.uint32) | (hi.astype(np.uint16).astype(np.uint32) << 16))
    return words.transpose(1, 0, 2).reshape(-1)  # [taps, groups, 2] -> [groups, taps, 2]


def lower_depthwise_packed(graph, op) -> Lowered:
    inp, w, out = (graph.tensors[i] for i in (op.inputs[0], op.inputs[1], op.outputs[0]))
    bias = graph.tensor(op.inputs[2]) if len(op.inputs) > 2 else None
    _, in_h, in_w, in_c = inp.shape
    _, out_h, out_w, out_c = out.shape
    _, k_h, k_w, _ = w.shape
    o = op.options
    mult = out_c // in_c
    sh, sw = o.get("strideH", 1), o.get("strideW", 1)
    dh, dw = o.get("dilationHFactor", 1), o.get("dilationWFactor", 1)
    same = o.get("padding", 0) == 0
    pad_top = tflm_padding(in_h, k_h, sh, dh, out_h) if same else 0
    pad_left = tflm_padding(in_w, k_w, sw, dw, out_w) if same else 0
    in_scale, out_scale = float(inp.scale[0]), float(out.scale[0])
    scales = w.scale if w.per_channel else np.repeat(w.scale[:1], out_c)
    mults, shifts = per_channel_multipliers(in_scale, scales, out_scale)
    in_zp, out_zp = int(inp.zero_point[0]), int(out.zero_point[0])
    act_min, act_max = activation_range(o.get("fusedActivationFunction", 0), out_scale, out_zp)
    w2d = w.data.reshape(k_h * k_w, out_c)
    b = bias.data.astype(np.int64) if bias is not None else np.zeros(out_c, np.int64)
    kernel_sum = wrap_int32(b + (-in_zp) * w2d.astype(np.int64).sum(axis=0))
    consts = [ConstArray("mult", "int32_t", np.array(mults)), ConstArray("shift", "int32_t", np.array(shifts)),
              ConstArray("kernel_sum", "int32_t", kernel_sum), ConstArray("weights", "int8_t", w2d.reshape(-1))]
    wide = 0
    if mult == 1 and out_c % 4 == 0:
        consts.append(ConstArray("wide", "uint32_t", widen_pairs(w2d)))
        wide = Ref("wide")
    return Lowered(
        kernel="tg_depthwise_packed_s8",
        header="tg_depthwise_packed.h",
        params_type="tg_depthwise_packed_params",
        params=dict(in_h=in_h, in_w=in_w, in_c=in_c, out_h=out_h, out_w=out_w, out_c=out_c, depth_multiplier=mult,
                    k_h=k_h, k_w=k_w, stride_h=sh, stride_w=sw, dil_h=dh, dil_w=dw, pad_top=pad_top,
                    pad_left=pad_left, input_zero_point=in_zp, output_offset=out_zp, act_min=act_min,
                    act_max=act_max, multiplier=Ref("mult"), shift=Ref("shift"), kernel_sum=Ref("kernel_sum"),
                    weights=Ref("weights"), wide_weights=wide),
        args=[T(inp.index), T(out.index), Scratch()],
        consts=consts,
        scratch_bytes=in_c,
        macs=out_h * out_w * out_c * k_h * k_w,
    )


class PackedDepthwiseConv2D(Kernel):
    opcode = "DEPTHWISE_CONV_2D"

    def check(self, graph, op):
        p = conv_like_problems(graph, op, 3)
        if p:
            return p
        inp, w, out = (graph.tensors[i] for i in (op.inputs[0], op.inputs[1], op.outputs[0]))
        if w.shape[0] != 1:
            p.append(f"weights have shape {list(w.shape)}; need [1, kh, kw, channels]")
        in_c, out_c = inp.shape[3], out.shape[3]
        if w.shape[3] != out_c or out_c % in_c:
            p.append(f"{out_c} output channels are not a multiple of the {in_c} input channels")
        elif op.options.get("depthMultiplier", out_c // in_c) not in (0, out_c // in_c):
            p.append(f"depth multiplier {op.options.get('depthMultiplier')} does not match the shapes")
        if w.shape[1] * w.shape[2] > MAX_TAPS:
            p.append(f"filter {w.shape[1]}x{w.shape[2]} has more than {MAX_TAPS} taps")
        return p

    def lower(self, graph, op):
        return lower_depthwise_packed(graph, op)
