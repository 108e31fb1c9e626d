"""RELU, RELU6, LEAKY_RELU, LOGISTIC, TANH, HARD_SWISH on int8, prepared as TFLM prepares them
(activations_common.cc, leaky_relu_common.cc, logistic_common.cc, tanh.cc, hard_swish_common.cc)."""

from __future__ import annotations

import math


from .prepare import calculate_input_radius, f32, quantize_multiplier, tflite_round
from . import Kernel, Lowered, T
from ._common import tensor_type_problems
from . import int16 as s16

KINDS = {"RELU": 0, "RELU6": 1, "LEAKY_RELU": 2, "LOGISTIC": 3, "TANH": 4, "HARD_SWISH": 5}


def frexp_multiplier(real: float) -> tuple[int, int]:
    """logistic/tanh Prepare: frexp and round, without QuantizeMultiplier's 2^31 fix-up (the
    int32 cast then wraps, as it does in C++ in practice)."""
    q, shift = math.frexp(real)
    m = int(tflite_round(q * (1 << 31)))
    if m >= 1 << 31:
        m -= 1 << 32
    return m, shift


def downscale_to_int16(m32: int) -> int:
    """DownScaleInt32ToInt16Multiplier."""
    if m32 >= (1 << 31) - 1 - (1 << 15):
        return (1 << 15) - 1
    return (m32 + (1 << 15)) >> 16


class _Activation(Kernel):
    def check(self, graph, op):
        p = tensor_type_problems(graph, op, op.inputs[0], ("int8",), "input")
        p += tensor_type_problems(graph, op, op.outputs[0], ("int8",), "output")
        return p + ([] if p else self.extra(graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]], op))

    def extra(self, inp, out, op) -> list[str]:
        return []

    def lower(self, graph, op):
        inp, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        params = dict(kind=KINDS[self.opcode], size=out.size, input_zero_point=int(inp.zero_point[0]),
                      output_zero_point=int(out.zero_point[0]), multiplier=0, shift=0, alpha_multiplier=0,
                      alpha_shift=0, range_radius=0, act_min=-128, act_max=127)
        params.update(self.params(inp, out, op))
        return Lowered(kernel="tg_activation_s8", header="tg_activations.h", params_type="tg_activation_params",
                       params=params, args=[T(inp.index), T(out.index)])


class Relu(_Activation):
    opcode = "RELU"

    def params(self, inp, out, op):
        s_in, s_out = f32(inp.scale[0]), f32(out.scale[0])
        m, s = quantize_multiplier(float(s_in / s_out))
        zp = int(out.zero_point[0])
        act_min = max(-128, zp + int(tflite_round(float(f32(0.0) / s_out))))
        return dict(multiplier=m, shift=s, act_min=act_min, act_max=127)

    def check(self, graph, op):
        if s16.int16_activations(graph, op):  # ops/int16.py
            return s16.leaky_relu_problems(graph, op)
        return super().check(graph, op)

    def lower(self, graph, op):
        if s16.int16_activations(graph, op):
            return s16.lower_relu(graph, op)
        return super().lower(graph, op)


class Relu6(_Activation):
    """TFLM clamps raw input values to [zp, q(6)] in the input's quantization and copies them,
    whatever the output's quantization says; we do exactly the same."""

    opcode = "RELU6"

    def params(self, inp, out, op):
        zp = int(inp.zero_point[0])
        six = int(tflite_round(float(f32(6.0) / f32(inp.scale[0])))) + zp
        return dict(act_min=zp, act_max=min(127, max(-128, six)))

    def check(self, graph, op):
        if s16.int16_activations(graph, op):  # ops/int16.py
            return s16.leaky_relu_problems(graph, op)
        return super().check(graph, op)

    def lower(self, graph, op):
        if s16.int16_activations(graph, op):
            return s16.lower_relu6(graph, op)
        return super().lower(graph, op)


class LeakyRelu(_Activation):
    opcode = "LEAKY_RELU"

    def params(self, inp, out, op):
        s_in, s_out = f32(inp.scale[0]), f32(out.scale[0])
        alpha = f32(op.options.get("alpha", 0.2))
        ma, sa = quantize_multiplier(float(s_in * alpha / s_out))
        mi, si = quantize_multiplier(float(s_in / s_out))
        return dict(multiplier=mi, shift=si, alpha_multiplier=ma, alpha_shift=sa)

    def check(self, graph, op):
        if s16.int16_activations(graph, op):  # ops/int16.py
            return s16.leaky_relu_problems(graph, op)
        return super().check(graph, op)

    def lower(self, graph, op):
        if s16.int16_activations(graph, op):
            inp, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
            return s16.lower_leaky_relu(graph, op, self.params(inp, out, op))
        return super().lower(graph, op)


class _Sigmoidal(_Activation):
    def check(self, graph, op):
        if s16.int16_activations(graph, op):  # ops/int16.py
            return s16.sigmoidal_problems(self.opcode, graph, op)
        return super().check(graph, op)

    def lower(self, graph, op):
        if s16.int16_activations(graph, op):
            return s16.lower_sigmoidal(self.opcode, graph, op)
        return super().lower(graph, op)

    def params(self, inp, out, op):
        real = float(f32(inp.scale[0])) * float(1 << (31 - 4))
        m, s = frexp_multiplier(real)
        return dict(multiplier=m, shift=s, range_radius=calculate_input_radius(4, s, 31))


class Logistic(_Sigmoidal):
    opcode = "LOGISTIC"

    def extra(self, inp, out, op):
        if int(out.zero_point[0]) != -128:
            return [f"output zero point is {int(out.zero_point[0])}; TFLM needs -128"]
        return []


class Tanh(_Sigmoidal):
    opcode = "TANH"


class HardSwish(_Activation):
    opcode = "HARD_SWISH"

    def _mults(self, inp, out):
        hires = f32(1.0 / 128.0) * f32(inp.scale[0])
        reluish_scale = f32(3.0 / 32768.0)
        mo, so = quantize_multiplier(float(hires / f32(out.scale[0])))
        mr, sr = quantize_multiplier(float(hires / reluish_scale))
        return (downscale_to_int16(mo), so), (downscale_to_int16(mr), sr)

    def extra(self, inp, out, op):
        (_, so), _ = self._mults(inp, out)
        return [f"output multiplier exponent {so} > 0 (TFLM refuses it)"] if so > 0 else []

    def params(self, inp, out, op):
        (mo, so), (mr, sr) = self._mults(inp, out)
        return dict(multiplier=mo, shift=so, alpha_multiplier=mr, alpha_shift=sr)
