"""SUM on int8, as TFLM's reduce (QuantizedMeanOrSum with compute_sum) computes it: the int32 sum of
the raw inputs, minus input zero point x count, requantized by input/output scale.

It is MEAN without the 1/count folded into the multiplier, so it runs on MEAN's C kernel
(tg_mean_s8). REDUCE_MAX/REDUCE_MIN live in reduce_minmax.py."""

from __future__ import annotations

import numpy as np

from .prepare import quantize_multiplier
from . import ConstArray, Kernel, Lowered, Ref, Scratch, T
from .shape_ops import _int8_io, reduction_geometry


def sum_multiplier(input_scale, output_scale) -> tuple[int, int]:
    """PrepareMeanOrSumHelper: the float32 scales widened to double, then divided."""
    return quantize_multiplier(float(input_scale) / float(output_scale))


class Sum(Kernel):
    opcode = "SUM"

    def check(self, graph, op):
        p = _int8_io(graph, op)
        axis = graph.tensor(op.inputs[1]) if len(op.inputs) > 1 else None
        if axis is None or not axis.is_constant:
            p.append("the axes are not a constant tensor")
        elif axis.dtype != "int32":
            p.append(f"the axes are {axis.dtype}; TFLM needs int32")
        if p:
            return p
        _, _, num_out, count = reduction_geometry(graph, op)
        out = graph.tensors[op.outputs[0]]
        if num_out != out.size:
            p.append(f"the reduction gives {num_out} elements but the output {list(out.shape)} has {out.size}")
        # The C kernel accumulates in int32 as TFLM does; past 2^24 elements that could wrap.
        if count >= 1 << 24:
            p.append(f"{count} elements summed into one output (2^24 at most)")
        return p

    def lower(self, graph, op):
        inp, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        dims, strides, num_out, count = reduction_geometry(graph, op)
        m, s = sum_multiplier(inp.scale[0], out.scale[0])
        return Lowered(
            kernel="tg_mean_s8", header="tg_mean.h", params_type="tg_mean_params",
            params=dict(dims=Ref("dims"), out_strides=Ref("strides"), num_outputs=num_out, count=count,
                        input_zero_point=int(inp.zero_point[0]), multiplier=m, shift=s,
                        output_zero_point=int(out.zero_point[0])),
            args=[T(inp.index), T(out.index), Scratch()],
            consts=[ConstArray("dims", "int32_t", np.array(dims)), ConstArray("strides", "int32_t", np.array(strides))],
        )
