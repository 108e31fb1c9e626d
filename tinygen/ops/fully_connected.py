"""FULLY_CONNECTED: int8 x int8 -> int8 with int32 bias, per-tensor or per-channel weights."""

from __future__ import annotations

import numpy as np

from .prepare import activation_range, conv_multiplier, per_channel_multipliers, quantize_multiplier, rq_words
from .packing import pack_rows_s8
from . import ConstArray, Kernel, Lowered, Ref, Scratch, T
from ._common import activation_problems, scale0, tensor_type_problems, zp0
from . import int16 as s16

# The wide (int16) layout doubles the weights' flash for about a quarter fewer instructions per MAC
# on DSP cores (tests/ops/test_fully_connected.py measures both). Every layer takes it where the
# core has SMLAD; the fit check (tinygen/boards/fit.py) moves the layers with most weights back to
# the compact int8 layout when the board's flash is short. ARMv6-M cores take the rows layout instead
# (tg_dot_rows_s8's, read by its Cortex-M0+ block without widening the input).

# tg_fully_connected_params.layout
COMPACT, WIDE, ROWS = 0, 1, 2


def padded(w: np.ndarray) -> np.ndarray:
    """[rows, depth] -> zero-padded to rows a multiple of 4 and depth a multiple of 8."""
    rows, depth = w.shape
    out = np.zeros((-(-rows // 4) * 4, -(-depth // 8) * 8), np.int64)
    out[:rows, :depth] = w
    return out


def pack_fc_wide(w: np.ndarray) -> np.ndarray:
    """The wide layout of firmware/runtime/include/tg_fully_connected.h, as uint32 words.

    >>> w = np.arange(1, 1 + 4 * 8).reshape(4, 8)
    >>> [hex(v) for v in pack_fc_wide(w)[:4]]
    ['0x30001', '0x40002', '0xb0009', '0xc000a']
    """
    p = padded(w).astype(np.int16).astype(np.uint16).astype(np.uint32)
    g = p.reshape(p.shape[0] // 4, 4, p.shape[1] // 4, 4)  # block, row, group, depth in group
    words = np.stack([g[..., 0] | g[..., 2] << 16, g[..., 1] | g[..., 3] << 16], axis=-1)
    return words.transpose(0, 2, 1, 3).reshape(-1).astype(np.uint32)


def pack_fc_compact(w: np.ndarray) -> np.ndarray:
    """The compact layout of firmware/runtime/include/tg_fully_connected.h, as uint32 words.

    >>> w = np.arange(1, 1 + 4 * 8).reshape(4, 8)
    >>> [hex(v) for v in pack_fc_compact(w)[:2]]
    ['0xb030901', '0xc040a02']
    """
    p = padded(w).astype(np.int8)
    g = p.reshape(p.shape[0] // 4, 2, 2, p.shape[1] // 4, 4)  # block, row pair, row in pair, group, depth
    # per block, group, pair, parity: bytes (a[d], b[d], a[d+2], b[d+2]) for d = parity
    b = np.stack([np.stack([g[:, :, 0, :, d], g[:, :, 1, :, d], g[:, :, 0, :, d + 2], g[:, :, 1, :, d + 2]], axis=-1)
                  for d in (0, 1)], axis=-2)  # block, pair, group, parity, byte
    return np.ascontiguousarray(b.transpose(0, 2, 1, 3, 4)).reshape(-1).view("<u4").astype(np.uint32)


def pack_fc_rows(w: np.ndarray) -> np.ndarray:
    """The rows layout: pack_rows_s8 of the weights zero-padded to rows and depth multiples of four
    (so whole groups only), as uint32 words.

    >>> w = np.arange(1, 1 + 4 * 5).reshape(4, 5)
    >>> [hex(v) for v in pack_fc_rows(w)[:3]]
    ['0x4030201', '0x9080706', '0xe0d0c0b']
    >>> len(pack_fc_rows(w))
    8
    """
    rows, depth = w.shape
    p = np.zeros((-(-rows // 4) * 4, -(-depth // 4) * 4), np.int8)
    p[:rows, :depth] = w
    return pack_rows_s8(p).view("<u4").astype(np.uint32)


def layout_for(graph, target) -> int:
    if target.armv6m and not target.dsp:
        return ROWS
    return WIDE if target.wide_weights else COMPACT


class FullyConnected(Kernel):
    opcode = "FULLY_CONNECTED"

    def check(self, graph, op):
        if s16.int16_activations(graph, op):  # 16x8: ops/int16.py
            return s16.fully_connected_problems(graph, op)
        p = []
        p += tensor_type_problems(graph, op, op.inputs[0], ("int8",), "input")
        p += tensor_type_problems(graph, op, op.inputs[1], ("int8",), "weights")
        if len(op.inputs) > 2 and op.inputs[2] >= 0:
            p += tensor_type_problems(graph, op, op.inputs[2], ("int32",), "bias")
        p += tensor_type_problems(graph, op, op.outputs[0], ("int8",), "output")
        p += activation_problems(op)
        if p:
            return p
        w = graph.tensors[op.inputs[1]]
        if not w.is_constant:
            p.append("weights are not constant")
        if len(w.shape) != 2:
            p.append(f"weights have shape {list(w.shape)}; need 2-D")
        if op.options.get("weightsFormat", 0) != 0:
            p.append("shuffled weights format is not supported")
        qdim = w.quantized_dimension
        if w.per_channel and (w.scale.size != w.shape[0] or not 0 <= qdim < 2 or w.shape[qdim] != w.shape[0]):
            # TFLM's check; TFLite additionally requires dimension 0
            p.append(f"{w.scale.size} per-channel weight scales along dimension {qdim} do not match the "
                     f"{w.shape[0]} outputs")
        if len(op.inputs) > 2 and op.inputs[2] >= 0 and not graph.tensors[op.inputs[2]].is_constant:
            p.append("bias is not constant")
        inp = graph.tensors[op.inputs[0]]
        if not p and inp.size % w.shape[1]:
            p.append(f"input size {inp.size} is not a multiple of the weights' depth {w.shape[1]}")
        return p

    def lower(self, graph, op):
        return self.lower_layout(graph, op, COMPACT)

    def lower_for(self, graph, op, target):
        return self.lower_layout(graph, op, layout_for(graph, target))

    def lower_layout(self, graph, op, layout: int):
        if s16.int16_activations(graph, op):
            return s16.lower_fully_connected(graph, op)
        inp, w, out = (graph.tensors[i] for i in (op.inputs[0], op.inputs[1], op.outputs[0]))
        bias = graph.tensor(op.inputs[2]) if len(op.inputs) > 2 else None
        out_depth, accum = w.shape
        batches = inp.size // accum
        if w.per_channel:
            mults, shifts = per_channel_multipliers(scale0(inp), w.scale, scale0(out))
        else:
            m, s = quantize_multiplier(conv_multiplier(scale0(inp), scale0(w), scale0(out)))
            mults, shifts = [m], [s]
        consts = [ConstArray("mult", "int32_t", np.array(mults)), ConstArray("shift", "int32_t", np.array(shifts))]
        kernel_sum, depth_pad, rq = None, 0, None
        act_min, act_max = activation_range(op.options.get("fusedActivationFunction", 0), scale0(out), zp0(out))
        if w.per_channel or zp0(w) == 0:
            # Fold the input offset into the bias: acc = kernel_sum[o] + sum_d w[o][d] * x[d].
            # int32 wrap-around matches the C accumulation.
            b = bias.data.astype(np.int64) if bias is not None else np.zeros(out_depth, np.int64)
            ks = b + (-zp0(inp)) * w.data.astype(np.int64).sum(axis=1)
            ks = ((ks + (1 << 31)) % (1 << 32) - (1 << 31)).astype(np.int64)
            consts.append(ConstArray("kernel_sum", "int32_t", np.concatenate([ks, np.zeros(-out_depth % 4, np.int64)])))
            kernel_sum = Ref("kernel_sum")
            pack = {COMPACT: pack_fc_compact, WIDE: pack_fc_wide, ROWS: pack_fc_rows}[layout]
            step = 4 if layout == ROWS else 8  # whole groups of four; two per iteration on the DSP paths
            depth_pad = -(-accum // step) * step  # the widened row's length
            consts.append(ConstArray("weights", "uint32_t", pack(w.data)))
            # |acc| <= |kernel_sum| + 128 * sum|w|: inputs are int8, the offset is folded into kernel_sum
            bound = np.abs(ks) + 128 * np.abs(w.data.astype(np.int64)).sum(axis=1)
            # one set of words per row, per-tensor multipliers repeated
            words = rq_words(np.resize(mults, out_depth), np.resize(shifts, out_depth), bound, zp0(out))
            if words is not None:
                consts.append(ConstArray("rq", "int32_t", words))
                rq = Ref("rq")
        return Lowered(
            kernel="tg_fully_connected_s8",
            header="tg_fully_connected.h",
            params_type="tg_fully_connected_params",
            params=dict(
                batches=batches, accum_depth=accum, output_depth=out_depth,
                input_offset=-zp0(inp), filter_offset=0 if w.per_channel else -zp0(w),
                output_offset=zp0(out), act_min=act_min, act_max=act_max,
                per_channel=int(w.per_channel), multiplier=Ref("mult"), shift=Ref("shift"),
                kernel_sum=kernel_sum if kernel_sum is not None else 0,
                packed_weights=Ref("weights") if kernel_sum is not None else 0,
                layout=layout if kernel_sum is not None else COMPACT, depth_pad=depth_pad, rq=rq if rq is not None else 0,
            ),
            args=[T(inp.index), None if kernel_sum is not None else T(w.index),
                  T(bias.index) if bias is not None else None, T(out.index), Scratch()],
            consts=consts,
            macs=batches * out_depth * accum,
        )
