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


def dw3_passes(out_h: int, out_w: int, stride: int) -> int:
    """Passes of the 3x3 kernel's sweep over one channel (TG_DW3_WORDS words per output row)."""
    return out_h * ((out_w + 1) // 2 + 1 if stride == 1 else out_w + 1)


def dw3_words(w2d: np.ndarray, kernel_sum: np.ndarray, mults, shifts, output_offset: int):
    """The 3x3 path's constants, or None where its arithmetic is not provably TFLM's.

    Per channel six weight words, per filter row (w0 | w1 << 16, w1 | w2 << 16), the weights scaled
    by 2^(left + 1), and four words: kernel_sum scaled alike, multiplier, round, right shift.
    The kernel computes t = rnd + SMMLAR(acc', m) = rnd + floor((acc' * m + 2^31) / 2^32) with
    acc' = acc * 2^(left+1), which is rnd + hi, hi = floor((acc * 2^left * m + 2^30) / 2^31) as in
    tg_requantize_rq; then (t + (acc < 0 ? -1 : 0)) >> right. tg_requantize_rq subtracts 1 when
    hi < 0 instead: hi < 0 implies acc < 0 (m >= 0); where acc < 0 but hi = 0, rnd - 1 and rnd
    floor to the same value, as rnd = 2^(right-1) + offset * 2^right and right >= 1. So the words are
    emitted only where right >= 1, the scaled weights fit int16, |acc'| < 2^31 (every partial sum
    is bounded the same way) and |hi| + |rnd| + 1 < 2^31."""
    taps, c = w2d.shape
    w = w2d.astype(np.int64)
    ks = kernel_sum.astype(np.int64)
    weights, q = [], []
    for ch in range(c):
        left, right = max(int(shifts[ch]), 0), max(-int(shifts[ch]), 0)
        if not 1 <= right <= 31:
            return None
        scale = 1 << (left + 1)
        ws = w[:, ch] * scale
        if ws.max() > 32767 or ws.min() < -32768:
            return None
        bound = (abs(int(ks[ch])) + 128 * int(np.abs(w[:, ch]).sum())) * scale
        rnd = ((1 << right) >> 1) + (int(output_offset) << right)
        hi_max = (bound * int(mults[ch]) + (1 << 31)) >> 32
        if bound >= 1 << 31 or hi_max + abs(rnd) + 1 >= 1 << 31:
            return None
        u = ws.astype(np.int16).view(np.uint16).astype(np.uint32)
        for r in range(3):
            weights += [u[3 * r] | (u[3 * r + 1] << 16), u[3 * r + 1] | (u[3 * r + 2] << 16)]
        q += [int(ks[ch]) * scale, int(mults[ch]), rnd, right]
    return np.array(weights, dtype=np.uint32), np.array(q, dtype=np.int64).astype(np.int32)


DWG_WORDS = 34  # TG_DWG_WORDS
DWG_MAX_BYTES = 32768  # TG_DWG_MAX_BYTES: the planes of a band of output rows, all channels


def dwg_side(out: int, stride: int) -> int:
    return (out - 1) * stride + 3  # TG_DWG_SIDE


def dwg_fit(in_c: int, out_w: int, stride: int) -> int:
    """Output rows whose padded planes fit DWG_MAX_BYTES (TG_DWG_FIT; C's division truncates)."""
    q = DWG_MAX_BYTES // (8 * (in_c // 4) * dwg_side(out_w, stride)) - 3
    return int(q / stride) + 1


def dwg_band(in_c: int, out_h: int, out_w: int, stride: int) -> int:
    return min(max(dwg_fit(in_c, out_w, stride), 1), out_h)  # TG_DWG_BAND


def dwg_scratch(in_c: int, out_h: int, out_w: int, stride: int) -> int:  # TG_DWG_SCRATCH_BYTES
    return 4 + 8 * (in_c // 4) * dwg_side(out_w, stride) * dwg_side(dwg_band(in_c, out_h, out_w, stride), stride)


def dwg_wanted(out_w: int, stride: int, in_c: int, out_h: int) -> bool:
    """Where four channels per pixel beat the plane kernel (measured on VWW's layers, mps2-an386):
    stride 2, or rows of at most 12 outputs; and a band of one output row fits DWG_MAX_BYTES."""
    return (stride == 2 or out_w <= 12) and 8 * (in_c // 4) * dwg_side(out_w, stride) * 3 <= DWG_MAX_BYTES


def dwg_words(w2d: np.ndarray, kernel_sum: np.ndarray, mults, shifts, output_offset: int):
    """The small-plane path's constants (C % 4 == 0), or None where dw3_words refuses (the same
    scaled weights and one-SMMLAR requantization, so the same proof holds). Per group of four
    channels: their scaled kernel sums; per tap (row-major) the words (w0 | w2 << 16),
    (w1 | w3 << 16); per channel multiplier, round, right shift."""
    words = dw3_words(w2d, kernel_sum, mults, shifts, output_offset)
    if words is None:
        return None
    q = words[1].reshape(-1, 4).astype(np.int64)
    scale = np.array([1 << (max(int(s), 0) + 1) for s in shifts], dtype=np.int64)
    ws = (w2d.astype(np.int64) * scale).astype(np.int16).view(np.uint16).astype(np.int64)  # [9, C]
    out = []
    for c in range(0, w2d.shape[1], 4):
        out += list(q[c:c + 4, 0])
        for t in range(9):
            out += [ws[t, c] | ws[t, c + 2] << 16, ws[t, c + 1] | ws[t, c + 3] << 16]
        for k in range(4):
            out += list(q[c + k, 1:4])
    return (np.array(out, dtype=np.int64) & 0xFFFFFFFF).astype(np.uint32)


def lower_depthwise_packed(graph, op, small_planes: bool = False) -> Lowered:
    """small_planes: the dwg path may be taken (DSP cores, and the host that tests its C loops; on
    the Cortex-M0+ the plane kernel's ARMv6-M loops are faster)."""
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
    dw3 = dw3_q = transpose = 0
    if (mult == 1 and (k_h, k_w) == (3, 3) and g["stride_h"] == g["stride_w"] in (1, 2)
            and (g["dil_h"], g["dil_w"]) == (1, 1)):
        # tall, narrow inputs are swept transposed: fewer passes straddle two rows (KWS: 25x5)
        transpose = int(dw3_passes(g["out_w"], g["out_h"], g["stride_w"]) < dw3_passes(g["out_h"], g["out_w"], g["stride_w"]))
        w3 = w2d.reshape(3, 3, out_c).transpose(1, 0, 2).reshape(9, out_c) if transpose else w2d
        words = dw3_words(w3, kernel_sum, mults, shifts, g["output_offset"])
        if words is not None:
            # the plane kernel runs instead of the per-pixel DSP path: its constants would be dead flash
            consts = [c for c in consts if c.name not in ("wide", "rq")]
            wide = rq = 0
            consts += [ConstArray("dw3_weights", "uint32_t", words[0]), ConstArray("dw3_q", "int32_t", words[1])]
            dw3, dw3_q = Ref("dw3_weights"), Ref("dw3_q")
        else:
            transpose = 0
    dwg = 0
    # not where the plane kernel sweeps transposed (tall, narrow: KWS's 25x5): as fast there, and its
    # scratch is a fraction of all channels' planes
    if (small_planes and dw3 and not transpose and out_c % 4 == 0 and (g["act_min"], g["act_max"]) == (-128, 127)
            and dwg_wanted(g["out_w"], g["stride_w"], in_c, g["out_h"])):
        words = dwg_words(w2d, kernel_sum, mults, shifts, g["output_offset"])
        if words is not None:  # it replaces the plane kernel and its constants
            consts = [c for c in consts if c.name not in ("dw3_weights", "dw3_q")]
            consts.append(ConstArray("dwg", "uint32_t", words))
            dw3 = dw3_q = transpose = 0
            dwg = Ref("dwg")
    return Lowered(
        kernel="tg_depthwise_packed_s8",
        header="tg_depthwise_packed.h",
        params_type="tg_depthwise_packed_params",
        params=dict(**g, depth_multiplier=mult, multiplier=Ref("mult"), shift=Ref("shift"), kernel_sum=Ref("kernel_sum"),
                    weights=Ref("weights"), wide_weights=wide, rq=rq, dw3_weights=dw3, dw3_q=dw3_q, dw3_transpose=transpose,
                    dwg=dwg),
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

    def lower_for(self, graph, op, target):
        if s16.int16_activations(graph, op):
            return s16.lower_depthwise(graph, op)
        return lower_depthwise_packed(graph, op, small_planes=target.dsp or target.wide_weights)
