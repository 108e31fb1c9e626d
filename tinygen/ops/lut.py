"""Element-wise int8 -> int8 operators as a 256-entry table the generator fills by evaluating
TFLM's arithmetic for every possible input byte: ABS (elementwise.cc, AbsEvalQuantized)."""

from __future__ import annotations

import numpy as np

from .prepare import multiply_by_quantized_multiplier, quantize_multiplier
from . import ConstArray, Kernel, Lowered, Ref, T
from ._common import tensor_type_problems


def abs_table(in_scale, in_zp: int, out_scale, out_zp: int) -> np.ndarray:
    rescale = np.float32(in_scale) != np.float32(out_scale)
    # SetAbsOutputMultiplier divides in float, then widens to double
    m, s = quantize_multiplier(float(np.float32(in_scale) / np.float32(out_scale))) if rescale else (0, 0)
    table = []
    for q in range(-128, 128):
        v = abs(q - in_zp)
        r = (multiply_by_quantized_multiplier(v, m, s) if rescale else v) + out_zp
        table.append(min(max(r, -128), 127))
    return np.array(table, dtype=np.int8)


class TableKernel(Kernel):
    """An int8 -> int8 element-wise operator run as tg_lut_s8 over the table `table()` fills."""

    def table(self, inp, out) -> np.ndarray:
        raise NotImplementedError

    def check(self, graph, op):
        p = tensor_type_problems(graph, op, op.inputs[0], ("int8",), "input")
        p += tensor_type_problems(graph, op, op.outputs[0], ("int8",), "output")
        return p

    def lower(self, graph, op):
        inp, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        return Lowered(
            kernel="tg_lut_s8", header="tg_lut.h", params_type="tg_lut_params",
            params=dict(table=Ref("table"), size=inp.size),
            args=[T(inp.index), T(out.index)],
            consts=[ConstArray("table", "int8_t", self.table(inp, out))],
        )


class Abs(TableKernel):
    opcode = "ABS"

    def table(self, inp, out):
        return abs_table(inp.scale[0], int(inp.zero_point[0]), out.scale[0], int(out.zero_point[0]))
