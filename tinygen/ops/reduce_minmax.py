"""REDUCE_MAX and REDUCE_MIN on int8 (GlobalMaxPooling and friends): TFLM requires the output to
keep the input's scale and zero point, so the result is the extreme input byte itself."""

from __future__ import annotations

import numpy as np

from . import ConstArray, Kernel, Lowered, Ref, T
from .shape_ops import _int8_io, _same_quant, reduction_geometry


class _ReduceMinMax(Kernel):
    take_max = True

    def check(self, graph, op):
        p = _int8_io(graph, op)
        axis = graph.tensor(op.inputs[1]) if len(op.inputs) > 1 else None
        if axis is None or not axis.is_constant:
            p.append("the axes are not a constant tensor")
        if not p and not _same_quant(graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]):
            p.append("input and output quantization differ (TFLM refuses this too)")
        return p

    def lower(self, graph, op):
        dims, strides, num_out, _ = reduction_geometry(graph, op)
        return Lowered(
            kernel="tg_reduce_minmax_s8", header="tg_reduce_minmax.h", params_type="tg_reduce_minmax_params",
            params=dict(dims=Ref("dims"), out_strides=Ref("strides"), num_outputs=num_out,
                        take_max=int(self.take_max)),
            args=[T(op.inputs[0]), T(op.outputs[0])],
            consts=[ConstArray("dims", "int32_t", np.array(dims)), ConstArray("strides", "int32_t", np.array(strides))],
        )


class ReduceMax(_ReduceMinMax):
    opcode = "REDUCE_MAX"
    take_max = True


class ReduceMin(_ReduceMinMax):
    opcode = "REDUCE_MIN"
    take_max = False
