"""SOFTMAX int8 -> int8 (output scale 1/256, zero point -128) or int8 -> int16 (scale 1/65536, zero
point -32768), gemmlowp fixed point as TFLM."""

from __future__ import annotations

import numpy as np

from .prepare import calculate_input_radius, preprocess_softmax_scaling
from . import Kernel, Lowered, T
from ._common import scale0, tensor_type_problems, zp0
from . import int16 as s16

SCALED_DIFF_INTEGER_BITS = 5


class Softmax(Kernel):
    opcode = "SOFTMAX"

    def check(self, graph, op):
        if s16.int16_activations(graph, op):  # int16 -> int16: ops/int16.py
            return s16.softmax_problems(graph, op)
        p = tensor_type_problems(graph, op, op.inputs[0], ("int8",), "input")
        p += tensor_type_problems(graph, op, op.outputs[0], ("int8", "int16"), "output")
        if p:
            return p
        out = graph.tensors[op.outputs[0]]
        if out.dtype == "int16":  # TFLM: zero point -32768, scale within 0.1% of 1/65536
            if zp0(out) != -32768 or abs(float(out.scale[0]) - 1 / 65536) > np.float32(0.001 / 65536):
                p.append(f"int16 output must have scale 1/65536 and zero point -32768 (has {out.scale[0]}, {zp0(out)})")
        elif zp0(out) != -128 or out.scale[0] != np.float32(1.0 / 256):
            p.append(f"output must have scale 1/256 and zero point -128 (has {out.scale[0]}, {zp0(out)})")
        inp = graph.tensors[op.inputs[0]]
        if not inp.shape:
            p.append("input is a scalar")
        beta = float(op.options.get("beta", 1.0))
        if not beta * scale0(inp) * (1 << (31 - SCALED_DIFF_INTEGER_BITS)) >= 1.0:
            # PreprocessSoftmaxScaling needs a multiplier of at least one (TFLM fails its check too)
            p.append(f"beta {beta:g} x input scale {scale0(inp):g} is too small (below 2^-26)")
        return p

    def lower(self, graph, op):
        if s16.int16_activations(graph, op):
            return s16.lower_softmax(graph, op)
        inp = graph.tensors[op.inputs[0]]
        beta = float(op.options.get("beta", 1.0))
        mult, left_shift = preprocess_softmax_scaling(beta, scale0(inp), SCALED_DIFF_INTEGER_BITS)
        diff_min = -calculate_input_radius(SCALED_DIFF_INTEGER_BITS, left_shift)
        depth = inp.shape[-1]
        return Lowered(
            kernel="tg_softmax_s8_s16" if graph.tensors[op.outputs[0]].dtype == "int16" else "tg_softmax_s8",
            header="tg_softmax.h",
            params_type="tg_softmax_params",
            params=dict(outer_size=inp.size // depth, depth=depth, input_multiplier=mult,
                        input_left_shift=left_shift, diff_min=diff_min),
            args=[T(inp.index), T(op.outputs[0])],
        )
