"""SQUARED_DIFFERENCE on int8 with broadcasting, as TFLM's squared_difference.cc prepares and runs
it: like ADD, both centred inputs get 7 bits of headroom and are rescaled to half the larger input
scale; the difference is squared in int32 and requantized by (2 * max scale)^2 / (2^14 * output scale)."""

from __future__ import annotations

import numpy as np

from .prepare import f32, quantize_multiplier
from . import ConstArray, Kernel, Lowered, Ref, T
from ._common import tensor_type_problems
from .broadcast import broadcast_shape, broadcast_strides

LEFT_SHIFT = 7  # int8: 255^2 * 2^14 still fits in int32


def squared_difference_multipliers(s1, s2, so) -> tuple[tuple[int, int], tuple[int, int], tuple[int, int]]:
    """PrepareQuantized: the larger float32 input scale doubled in double; the output denominator
    (1 << 14) * output scale is a float32 product (an int times a float), then widened."""
    twice = 2.0 * float(max(f32(s1), f32(s2)))
    r1 = float(f32(s1)) / twice
    r2 = float(f32(s2)) / twice
    ro = (twice * twice) / float(f32(1 << (2 * LEFT_SHIFT)) * f32(so))
    return quantize_multiplier(r1), quantize_multiplier(r2), quantize_multiplier(ro)


class SquaredDifference(Kernel):
    opcode = "SQUARED_DIFFERENCE"

    def check(self, graph, op):
        p = tensor_type_problems(graph, op, op.inputs[0], ("int8",), "input 1")
        p += tensor_type_problems(graph, op, op.inputs[1], ("int8",), "input 2")
        p += tensor_type_problems(graph, op, op.outputs[0], ("int8",), "output")
        if p:
            return p
        a, b, out = (graph.tensors[i] for i in (op.inputs[0], op.inputs[1], op.outputs[0]))
        try:
            shape = broadcast_shape(a.shape, b.shape)
        except ValueError:
            return [f"shapes {list(a.shape)} and {list(b.shape)} do not broadcast"]
        if len(shape) > 6:
            p.append(f"{len(shape)}-D broadcasting (TFLM goes to 6-D at most)")
        if tuple(out.shape) != shape:
            p.append(f"output shape {list(out.shape)} is not the broadcast shape {list(shape)}")
        if any(not -128 <= int(t.zero_point[0]) <= 127 for t in (a, b, out)):
            p.append("a zero point outside [-128, 127] (TFLM refuses it)")
        if min(float(a.scale[0]), float(b.scale[0]), float(out.scale[0])) <= 0:
            return p + ["a scale is not positive (TFLM refuses the rescale factors)"]
        (m1, s1), (m2, s2), (_, so) = squared_difference_multipliers(a.scale[0], b.scale[0], out.scale[0])
        if m1 == 0 or m2 == 0:
            p.append("the input scales differ by more than 2^31")
        if so > 0:
            # The squared difference reaches 2^30; shifting it left would overflow int32 in TFLM too.
            p.append(f"the output scale is so small that the output rescale shifts left by {so}")
        return p

    def lower(self, graph, op):
        a, b, out = (graph.tensors[i] for i in (op.inputs[0], op.inputs[1], op.outputs[0]))
        (m1, s1), (m2, s2), (mo, so) = squared_difference_multipliers(a.scale[0], b.scale[0], out.scale[0])
        broadcast = tuple(a.shape) != tuple(b.shape)
        consts, refs = [], dict(dims=0, stride1=0, stride2=0)
        if broadcast:
            dims, st1, st2 = broadcast_strides(a.shape, b.shape)
            consts = [ConstArray("dims", "int32_t", np.array(dims)), ConstArray("stride1", "int32_t", np.array(st1)),
                      ConstArray("stride2", "int32_t", np.array(st2))]
            refs = dict(dims=Ref("dims"), stride1=Ref("stride1"), stride2=Ref("stride2"))
        return Lowered(
            kernel="tg_squared_difference_s8", header="tg_squared_difference.h",
            params_type="tg_squared_difference_params",
            params=dict(input1_offset=-int(a.zero_point[0]), input2_offset=-int(b.zero_point[0]),
                        output_offset=int(out.zero_point[0]), left_shift=LEFT_SHIFT,
                        input1_multiplier=m1, input1_shift=s1, input2_multiplier=m2, input2_shift=s2,
                        output_multiplier=mo, output_shift=so, broadcast=int(broadcast), size=out.size, **refs),
            args=[T(a.index), T(b.index), T(out.index)],
            consts=consts,
        )
