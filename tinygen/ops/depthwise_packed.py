"""Lowering of DEPTHWISE_CONV_2D to tg_depthwise_packed_s8 (input offset folded into kernel_sum,
padded taps read the input zero point; int16-widened weights for the DSP path)."""

from __future__ import annotations

import numpy as np

from . import ConstArray, Kernel, Lowered, Ref, Scratch, T
from .prepare import rq_words
from .conv_packed import bias_plus_offset, conv_geometry, conv_like_problems
from . import int16 as s16



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
    g = conv_geometry(graph, op)
    mults, shifts = g.pop("mults"), g.pop("shifts")
    in_c, out_c, k_h, k_w = g["in_c"], g["out_c"], g["k_h"], g["k_w"]
    mult = out_c // in_c
    w2d = w.data.reshape(k_h * k_w, out_c)
    kernel_sum = bias_plus_offset(graph, op, w2d.astype(np.int64).sum(axis=0), g["input_zero_point"], out_c)
    consts = [ConstArray("mult", "int32_t", np.array(mults)), ConstArray("shift", "int32_t", np.array(shifts)),
              ConstArray("kernel_sum", "int32_t", kernel_sum), ConstArray("weights", "int8_t", w2d.reshape(-1))]
    wide = rq = 0
    if mult == 1 and out_c % 4 == 0:
        consts.append(ConstArray("wide", "uint32_t", widen_pairs(w2d)))
        wide = Ref("wide")
        # |acc| <= |kernel_sum| + 128 * sum|w|: inputs are int8, the offset is folded into kernel_sum
        bound = np.abs(kernel_sum.astype(np.int64)) + 128 * np.abs(w2d.astype(np.int64)).sum(axis=0)
        words = rq_words(mults, shifts, bound, g["output_offset"])
        if words is not None:
            consts.append(ConstArray("rq", "int32_t", words))
            rq = Ref("rq")
    return Lowered(
        kernel="tg_depthwise_packed_s8",
        header="tg_depthwise_packed.h",
        params_type="tg_depthwise_packed_params",
        params=dict(**g, depth_multiplier=mult, multiplier=Ref("mult"), shift=Ref("shift"), kernel_sum=Ref("kernel_sum"),
                    weights=Ref("weights"), wide_weights=wide, rq=rq),
        args=[T(inp.index), T(out.index), Scratch()],
        consts=consts,
        macs=g["out_h"] * g["out_w"] * out_c * k_h * k_w,
    )


class PackedDepthwiseConv2D(Kernel):
    opcode = "DEPTHWISE_CONV_2D"

    def check(self, graph, op):
        if s16.int16_activations(graph, op):  # 16x8: ops/int16.py
            return s16.depthwise_problems(graph, op)
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
        return p

    def lower(self, graph, op):
        if s16.int16_activations(graph, op):
            return s16.lower_depthwise(graph, op)
        return lower_depthwise_packed(graph, op)
