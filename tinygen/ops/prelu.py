"""PRELU on int8 (Keras PReLU), as TFLM's reference computes it: non-negative centred inputs are
rescaled by input/output scale, negative ones multiplied by the centred alpha and rescaled by
input*alpha/output scale (prelu_common.cc), with alpha broadcast against the input."""

from __future__ import annotations

import numpy as np

from .prepare import quantize_multiplier
from . import ConstArray, Kernel, Lowered, Ref, T
from ._common import tensor_type_problems
from .broadcast import broadcast_shape, broadcast_strides


class Prelu(Kernel):
    opcode = "PRELU"

    def check(self, graph, op):
        p = tensor_type_problems(graph, op, op.inputs[0], ("int8",), "input")
        p += tensor_type_problems(graph, op, op.inputs[1], ("int8",), "alpha")
        p += tensor_type_problems(graph, op, op.outputs[0], ("int8",), "output")
        if p:
            return p
        x, alpha, out = (graph.tensors[i] for i in (op.inputs[0], op.inputs[1], op.outputs[0]))
        try:
            shape = broadcast_shape(x.shape, alpha.shape)
        except ValueError:
            return [f"shapes {list(x.shape)} and {list(alpha.shape)} do not broadcast"]
        if len(shape) > 6:
            p.append(f"{len(shape)}-D broadcasting (6-D at most)")
        if tuple(shape) != tuple(out.shape):
            p.append(f"output shape {list(out.shape)} is not the broadcast shape {list(shape)}")
        return p

    def lower(self, graph, op):
        x, alpha, out = (graph.tensors[i] for i in (op.inputs[0], op.inputs[1], op.outputs[0]))
        sx, sa, so = float(x.scale[0]), float(alpha.scale[0]), float(out.scale[0])
        m1, s1 = quantize_multiplier(sx / so)  # in double, as CalculatePreluParams
        m2, s2 = quantize_multiplier(sx * sa / so)
        dims, st_x, st_a = broadcast_strides(x.shape, alpha.shape)
        return Lowered(
            kernel="tg_prelu_s8", header="tg_prelu.h", params_type="tg_prelu_params",
            params=dict(input_offset=-int(x.zero_point[0]), alpha_offset=-int(alpha.zero_point[0]),
                        output_offset=int(out.zero_point[0]), multiplier_pos=m1, shift_pos=s1,
                        multiplier_neg=m2, shift_neg=s2, dims=Ref("dims"), stride_x=Ref("sx"),
                        stride_alpha=Ref("sa")),
            args=[T(x.index), T(alpha.index), T(out.index)],
            consts=[ConstArray("dims", "int32_t", np.array(dims)), ConstArray("sx", "int32_t", np.array(st_x)),
                    ConstArray("sa", "int32_t", np.array(st_a))],
        )
