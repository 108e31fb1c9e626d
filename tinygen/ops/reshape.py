"""RESHAPE, SQUEEZE, EXPAND_DIMS: no code; the output shares the input's buffer."""

from __future__ import annotations

from . import Kernel, Lowered


class Reshape(Kernel):
    opcode = "RESHAPE"

    def check(self, graph, op):
        inp, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        p = []
        if inp.dtype != out.dtype:
            p.append(f"input is {inp.dtype} but output is {out.dtype}")
        if inp.size != out.size:
            p.append(f"input has {inp.size} elements but output has {out.size}")
        if inp.is_constant:
            p.append("constant input (fold it when converting)")
        return p

    def lower(self, graph, op):
        return Lowered(alias_of=op.inputs[0])


class Squeeze(Reshape):
    opcode = "SQUEEZE"


class ExpandDims(Reshape):
    opcode = "EXPAND_DIMS"
