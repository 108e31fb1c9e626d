"""ADD and SUB, int8, with broadcasting (TFLM add_common.cc / sub_common.cc Prepare)."""

from __future__ import annotations

import numpy as np

from ..quantmath import activation_range, f32, quantize_multiplier
from . import ConstArray, Kernel, Lowered, Ref, T
from ._common import activation_problems, tensor_type_problems
from .broadcast import broadcast_shape, broadcast_strides

LEFT_SHIFT = 20


def smaller_than_one(real: float) -> tuple[int, int]:
    """QuantizeMultiplierSmallerThanOneExp."""
    m, s = quantize_multiplier(real)
    return m, s


class _AddSub(Kernel):
    subtract = 0

    def check(self, graph, op):
        p = tensor_type_problems(graph, op, op.inputs[0], ("int8",), "input 1")
        p += tensor_type_problems(graph, op, op.inputs[1], ("int8",), "input 2")
        p += tensor_type_problems(graph, op, op.outputs[0], ("int8",), "output")
        p += activation_problems(op)
        if p:
            return p
        a, b, out = (graph.tensors[i] for i in (op.inputs[0], op.inputs[1], op.outputs[0]))
        try:
            shape = broadcast_shape(a.shape, b.shape)
        except ValueError:
            return [f"shapes {list(a.shape)} and {list(b.shape)} do not broadcast"]
        if len(shape) > 6:
            p.append(f"{len(shape)}-D broadcasting (6-D at most)")
        if tuple(out.shape) != shape:
            p.append(f"output shape {list(out.shape)} is not the broadcast shape {list(shape)}")
        m1, m2, mo = self._multipliers(a, b, out)
        if not (0 < m1[0] and 0 < m2[0] and 0 < mo[0] and m1[1] <= 0 and m2[1] <= 0 and mo[1] <= 0):
            p.append("input/output scales give a rescale factor outside (0, 1), which TFLM refuses")
        return p

    def _multipliers(self, a, b, out):
        s1, s2, so = f32(a.scale[0]), f32(b.scale[0]), f32(out.scale[0])
        if self.subtract:
            # sub_common.cc computes in float32, then widens.
            twice = f32(2) * max(s1, s2)
            r1, r2 = float(s1 / twice), float(s2 / twice)
            ro = float(twice / (f32(1 << LEFT_SHIFT) * so))
        else:
            twice = 2 * float(max(s1, s2))
            r1, r2 = float(s1) / twice, float(s2) / twice
            ro = twice / ((1 << LEFT_SHIFT) * float(so))
        return smaller_than_one(r1), smaller_than_one(r2), smaller_than_one(ro)

    def lower(self, graph, op):
        a, b, out = (graph.tensors[i] for i in (op.inputs[0], op.inputs[1], op.outputs[0]))
        (m1, s1), (m2, s2), (mo, so) = self._multipliers(a, b, out)
        act_min, act_max = activation_range(op.options.get("fusedActivationFunction", 0), float(out.scale[0]),
                                            int(out.zero_point[0]))
        broadcast = tuple(a.shape) != tuple(b.shape)
        consts, refs = [], dict(dims=0, stride1=0, stride2=0)
        if broadcast:
            dims, st1, st2 = broadcast_strides(a.shape, b.shape)
            consts = [ConstArray("dims", "int32_t", np.array(dims)), ConstArray("stride1", "int32_t", np.array(st1)),
                      ConstArray("stride2", "int32_t", np.array(st2))]
            refs = dict(dims=Ref("dims"), stride1=Ref("stride1"), stride2=Ref("stride2"))
        return Lowered(
            kernel="tg_addsub_s8", header="tg_addsub.h", params_type="tg_addsub_params",
            params=dict(subtract=self.subtract, input1_offset=-int(a.zero_point[0]), input2_offset=-int(b.zero_point[0]),
                        output_offset=int(out.zero_point[0]), left_shift=LEFT_SHIFT, input1_multiplier=m1,
                        input1_shift=s1, input2_multiplier=m2, input2_shift=s2, output_multiplier=mo, output_shift=so,
                        act_min=act_min, act_max=act_max, broadcast=int(broadcast), size=out.size, **refs),
            args=[T(a.index), T(b.index), T(out.index)],
            consts=consts,
        )


class Add(_AddSub):
    opcode = "ADD"


class Sub(_AddSub):
    opcode = "SUB"
    subtract = 1
