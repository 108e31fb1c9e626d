"""Element-wise binary operators with broadcasting: ADD, SUB (add_common.cc / sub_common.cc),
MUL (mul_common.cc), MAXIMUM and MINIMUM (maximum_minimum.cc), as TFLM prepares and runs them."""

from __future__ import annotations

import numpy as np

from .prepare import activation_range, f32, multiply_by_quantized_multiplier, quantize_multiplier
from . import ConstArray, Kernel, Lowered, Ref, T
from ._common import activation_problems, tensor_type_problems
from .broadcast import broadcast_shape, broadcast_strides
from . import int16 as s16

LEFT_SHIFT = 20
OPS = {"ADD": 0, "SUB": 1, "MUL": 2, "MAXIMUM": 3, "MINIMUM": 4}


class _Binary(Kernel):
    def check(self, graph, op):
        if s16.int16_activations(graph, op):  # 16x8: ops/int16.py
            return s16.binary_problems(self.opcode, graph, op)
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
        return p + self.extra_problems(a, b, out)

    def extra_problems(self, a, b, out) -> list[str]:
        return []

    def quant_params(self, a, b, out) -> dict:
        return {}

    def lower(self, graph, op):
        if s16.int16_activations(graph, op):
            return s16.lower_binary(self.opcode, graph, op)
        a, b, out = (graph.tensors[i] for i in (op.inputs[0], op.inputs[1], op.outputs[0]))
        act_min, act_max = activation_range(op.options.get("fusedActivationFunction", 0), float(out.scale[0]),
                                            int(out.zero_point[0]))
        broadcast = tuple(a.shape) != tuple(b.shape)
        consts, refs = [], dict(dims=0, stride1=0, stride2=0)
        if broadcast:
            dims, st1, st2 = broadcast_strides(a.shape, b.shape)
            consts = [ConstArray("dims", "int32_t", np.array(dims)), ConstArray("stride1", "int32_t", np.array(st1)),
                      ConstArray("stride2", "int32_t", np.array(st2))]
            refs = dict(dims=Ref("dims"), stride1=Ref("stride1"), stride2=Ref("stride2"))
        params = dict(op=OPS[self.opcode], input1_offset=-int(a.zero_point[0]), input2_offset=-int(b.zero_point[0]),
                      output_offset=int(out.zero_point[0]), left_shift=0, input1_multiplier=0, input1_shift=0,
                      input2_multiplier=0, input2_shift=0, output_multiplier=0, output_shift=0,
                      act_min=act_min, act_max=act_max, broadcast=int(broadcast), size=out.size, **refs)
        params.update(self.quant_params(a, b, out))
        return Lowered(kernel="tg_binary_s8", header="tg_binary.h", params_type="tg_binary_params", params=params,
                       args=[T(a.index), T(b.index), T(out.index)], consts=consts)


class _AddSub(_Binary):
    def multipliers(self, a, b, out):
        s1, s2, so = f32(a.scale[0]), f32(b.scale[0]), f32(out.scale[0])
        if self.opcode == "SUB":
            # sub_common.cc computes in float32, then widens.
            twice = f32(2) * max(s1, s2)
            r1, r2 = float(s1 / twice), float(s2 / twice)
            ro = float(twice / (f32(1 << LEFT_SHIFT) * so))
        else:
            twice = 2 * float(max(s1, s2))
            r1, r2 = float(s1) / twice, float(s2) / twice
            ro = twice / ((1 << LEFT_SHIFT) * float(so))
        return quantize_multiplier(r1), quantize_multiplier(r2), quantize_multiplier(ro)

    def extra_problems(self, a, b, out):
        ms = self.multipliers(a, b, out)
        if not all(m > 0 and s <= 0 for m, s in ms):
            return ["the scales give a rescale factor outside (0, 1), which TFLM refuses"]
        return []

    def quant_params(self, a, b, out):
        (m1, s1), (m2, s2), (mo, so) = self.multipliers(a, b, out)
        return dict(left_shift=LEFT_SHIFT, input1_multiplier=m1, input1_shift=s1, input2_multiplier=m2,
                    input2_shift=s2, output_multiplier=mo, output_shift=so)


    def lower(self, graph, op):
        low = super().lower(graph, op)
        if low.kernel.endswith("_s8") and not low.params["broadcast"]:  # int16 (16x8) has no table form
            lut = add_lut_params(low.params, self.opcode == "SUB")
            if lut is not None:
                params, luts = lut
                return Lowered(kernel="tg_add_lut_s8", header="tg_binary.h", params_type="tg_add_lut_params",
                               params=dict(params, lut1=Ref("lut1"), lut2=Ref("lut2")), args=low.args,
                               consts=[ConstArray("lut1", "int32_t", luts[0]), ConstArray("lut2", "int32_t", luts[1])])
        return low


def add_lut_params(p: dict, sub: bool):
    """tg_add_lut_s8's tables and words for ADD/SUB parameters `p` (tg_binary_params' fields), or None
    where its short form does not equal the reference formula for every one of the 65536 input
    pairs (a positive output shift, or a sum that would overflow when doubled)."""
    def rescale(v, offset, m, s):
        return [multiply_by_quantized_multiplier((int(x) + offset) << p["left_shift"], m, s) for x in v]

    q = np.arange(-128, 128)
    x = np.array(rescale(q, p["input1_offset"], p["input1_multiplier"], p["input1_shift"]), np.int64)
    y = np.array(rescale(q, p["input2_offset"], p["input2_multiplier"], p["input2_shift"]), np.int64)
    if sub:
        y = -y
    m, shift = p["output_multiplier"], p["output_shift"]
    raw = (x[:, None] + y[None, :]).reshape(-1)
    if shift > 0 or np.abs(2 * raw).max() >= 1 << 31:
        return None
    right = -shift
    # the reference: tg_requantize(raw), plus the offset, clamped (raw is small: no 32-bit wrap)
    ref = np.array([multiply_by_quantized_multiplier(int(r), m, shift) for r in np.unique(raw)], np.int64)
    ref = ref[np.searchsorted(np.unique(raw), raw)] + p["output_offset"]
    rnd = ((1 << right) >> 1) + (p["output_offset"] << right)
    neg = -1 if right else 0
    hi = (2 * raw * m + (1 << 31)) >> 32
    if np.abs(hi).max() + abs(rnd) + 1 >= 1 << 31:
        return None
    short = (hi + rnd + ((hi >> 31) & neg)) >> right
    lo, top = p["act_min"], p["act_max"]
    if not (np.clip(short, lo, top) == np.clip(ref, lo, top)).all():
        return None
    params = dict(size=p["size"], multiplier=m, round=rnd, neg=neg, right=right, act_min=lo, act_max=top)
    return params, (2 * x, 2 * y)


class Add(_AddSub):
    opcode = "ADD"


class Sub(_AddSub):
    opcode = "SUB"


class Mul(_Binary):
    opcode = "MUL"

    def quant_params(self, a, b, out):
        m, s = quantize_multiplier(float(a.scale[0]) * float(b.scale[0]) / float(out.scale[0]))
        return dict(output_multiplier=m, output_shift=s)

    def extra_problems(self, a, b, out):
        _, s = quantize_multiplier(float(a.scale[0]) * float(b.scale[0]) / float(out.scale[0]))
        return [f"output rescale shift {s} is out of range"] if s > 30 else []


class _MinMax(_Binary):
    def extra_problems(self, a, b, out):
        same = all(float(t.scale[0]) == float(out.scale[0]) and int(t.zero_point[0]) == int(out.zero_point[0])
                   for t in (a, b))
        return [] if same else ["inputs and output are quantized differently (TFLM compares raw values)"]


class Maximum(_MinMax):
    opcode = "MAXIMUM"


class Minimum(_MinMax):
    opcode = "MINIMUM"
