"""FULLY_CONNECTED: int8 x int8 -> int8 with int32 bias, per-tensor or per-channel weights."""

from __future__ import annotations

import numpy as np

from .prepare import activation_range, conv_multiplier, per_channel_multipliers, quantize_multiplier
from . import ConstArray, Kernel, Lowered, Ref, T
from .packing import pack_rows_s8
from ._common import activation_problems, scale0, tensor_type_problems, zp0
from . import int16 as s16


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
        kernel_sum = None
        if w.per_channel or zp0(w) == 0:
            # Fold the input offset into the bias: acc = kernel_sum[o] + sum_d w[o][d] * x[d].
            # int32 wrap-around matches the C accumulation.
            b = bias.data.astype(np.int64) if bias is not None else np.zeros(out_depth, np.int64)
            ks = b + (-zp0(inp)) * w.data.astype(np.int64).sum(axis=1)
            ks = ((ks + (1 << 31)) % (1 << 32) - (1 << 31)).astype(np.int64)
            consts.append(ConstArray("kernel_sum", "int32_t", ks))
            kernel_sum = Ref("kernel_sum")
            packed = pack_rows_s8(w.data)
            packed = np.concatenate([packed, np.zeros(-len(packed) % 4, np.int8)])
            consts.append(ConstArray("weights", "uint32_t", packed.view("<u4")))
        act_min, act_max = activation_range(op.options.get("fusedActivationFunction", 0), scale0(out), zp0(out))
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
            ),
            args=[T(inp.index), None if kernel_sum is not None else T(w.index),
                  T(bias.index) if bias is not None else None, T(out.index)],
            consts=consts,
            macs=batches * out_depth * accum,
        )
