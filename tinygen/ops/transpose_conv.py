"""TRANSPOSE_CONV (Conv2DTranspose) on int8, as TFLM's reference kernel computes it: every input
pixel scatters (input + input_offset) x filter into an int32 buffer the size of the output, then
each output adds its bias and is requantized per channel. Padding follows TFLM's Prepare, which
computes it with the output size in the role of the input size."""

from __future__ import annotations

import numpy as np

from .prepare import activation_range, per_channel_multipliers
from . import ConstArray, Kernel, Lowered, Ref, Scratch, T
from ._common import activation_problems, tensor_type_problems
from .conv_packed import tflm_padding
from . import int16 as s16


def _padding(same: bool, size: int, k: int, stride: int) -> int:
    # ComputePaddingHeightWidth(stride, 1, size, k, padding): ComputeOutSize, then the leading padding
    out = (size + stride - 1) // stride if same else (size - k + stride) // stride
    return tflm_padding(size, k, stride, 1, out)


class TransposeConv(Kernel):
    opcode = "TRANSPOSE_CONV"

    def check(self, graph, op):
        if len(op.inputs) < 3:
            return ["needs output shape, weights and input"]
        if s16.int16_tensor(graph, op.inputs[2]):  # 16x8: ops/int16.py
            return s16.transpose_conv_problems(graph, op, self.shape_problems)
        p = tensor_type_problems(graph, op, op.inputs[2], ("int8",), "input")
        p += tensor_type_problems(graph, op, op.inputs[1], ("int8",), "weights")
        p += tensor_type_problems(graph, op, op.outputs[0], ("int8",), "output")
        bias = graph.tensor(op.inputs[3]) if len(op.inputs) > 3 else None
        if bias is not None:
            p += tensor_type_problems(graph, op, op.inputs[3], ("int32",), "bias")
            if not bias.is_constant:
                p.append("bias is not constant")
        p += activation_problems(op)
        return p or self.shape_problems(graph, op)

    def shape_problems(self, graph, op):
        p = []
        shape, w = graph.tensor(op.inputs[0]), graph.tensors[op.inputs[1]]
        inp, out = graph.tensors[op.inputs[2]], graph.tensors[op.outputs[0]]
        if not w.is_constant:
            p.append("weights are not constant")
        if shape is None or not shape.is_constant:
            p.append("the output shape is not a constant tensor")
        elif [int(v) for v in np.asarray(shape.data).reshape(-1)] != list(out.shape):
            p.append("the output shape input does not match the output tensor")
        if any(len(t.shape) != 4 for t in (inp, w, out)):
            p.append("input, weights and output must be 4-D")
        elif w.shape[0] != out.shape[3] or w.shape[3] != inp.shape[3]:
            p.append(f"weights {list(w.shape)} do not match input {list(inp.shape)} and output {list(out.shape)}")
        elif w.per_channel and (w.scale.size != out.shape[3] or w.quantized_dimension != 0):
            p.append("per-channel weight scales are not along the output channels")
        if any(op.options.get(k, 1) < 1 for k in ("strideH", "strideW")):
            p.append("a stride below 1")
        return p

    def lower(self, graph, op):
        if s16.int16_tensor(graph, op.inputs[2]):
            return s16.lower_transpose_conv(graph, op, self.lower_s8(graph, op))
        return self.lower_s8(graph, op)

    def lower_s8(self, graph, op):
        w, inp, out = (graph.tensors[i] for i in (op.inputs[1], op.inputs[2], op.outputs[0]))
        o = op.options
        sh, sw, same = o.get("strideH", 1), o.get("strideW", 1), o.get("padding", 0) == 0
        out_c = out.shape[3]
        scales = w.scale if w.per_channel else np.repeat(w.scale[:1], out_c)
        mults, shifts = per_channel_multipliers(float(inp.scale[0]), scales, float(out.scale[0]))
        act_min, act_max = activation_range(o.get("fusedActivationFunction", 0), float(out.scale[0]),
                                            int(out.zero_point[0]))
        bias = graph.tensor(op.inputs[3]) if len(op.inputs) > 3 else None
        return Lowered(
            kernel="tg_transpose_conv_s8", header="tg_transpose_conv.h", params_type="tg_transpose_conv_params",
            params=dict(batches=inp.shape[0], in_h=inp.shape[1], in_w=inp.shape[2], in_c=inp.shape[3],
                        out_h=out.shape[1], out_w=out.shape[2], out_c=out_c, k_h=w.shape[1], k_w=w.shape[2],
                        stride_h=sh, stride_w=sw, pad_top=_padding(same, out.shape[1], w.shape[1], sh),
                        pad_left=_padding(same, out.shape[2], w.shape[2], sw),
                        input_offset=-int(inp.zero_point[0]), output_offset=int(out.zero_point[0]),
                        act_min=act_min, act_max=act_max, multiplier=Ref("mult"), shift=Ref("shift")),
            args=[T(inp.index), T(w.index), None if bias is None else T(bias.index), T(out.index), Scratch()],
            consts=[ConstArray("mult", "int32_t", np.array(mults)), ConstArray("shift", "int32_t", np.array(shifts))],
            macs=inp.size * w.shape[0] * w.shape[1] * w.shape[2],
        )
