"""ARG_MAX and ARG_MIN of int8 along one constant axis, int32 indices out (TFLM's ArgMinMax: the
first extreme wins; quantization is monotonic, so the raw bytes are compared)."""

from __future__ import annotations

import numpy as np

from . import Kernel, Lowered, T
from ._common import tensor_type_problems


def _prod(dims) -> int:
    return int(np.prod([int(d) for d in dims], dtype=np.int64)) if len(dims) else 1


class _ArgMinMax(Kernel):
    take_max = True

    def _axis(self, graph, op) -> int | None:
        a = graph.tensor(op.inputs[1]) if len(op.inputs) > 1 else None
        rank = len(graph.tensors[op.inputs[0]].shape)
        if a is None or not a.is_constant or a.size != 1:
            return None
        v = int(np.asarray(a.data).reshape(-1)[0])
        return v % rank if -rank <= v < rank else None

    def check(self, graph, op):
        p = tensor_type_problems(graph, op, op.inputs[0], ("int8",), "input")
        out = graph.tensors[op.outputs[0]]
        if out.dtype != "int32":
            p.append(f"output is {out.dtype}; int32 indices only")
        if self._axis(graph, op) is None:
            p.append("the axis is not a constant within the input's rank")
        return p

    def lower(self, graph, op):
        inp = graph.tensors[op.inputs[0]]
        axis = self._axis(graph, op)
        return Lowered(
            kernel="tg_arg_minmax_s8", header="tg_arg_minmax.h", params_type="tg_arg_minmax_params",
            params=dict(outer=_prod(inp.shape[:axis]), axis_size=int(inp.shape[axis]), inner=_prod(inp.shape[axis + 1:]),
                        take_max=int(self.take_max)),
            args=[T(inp.index), T(op.outputs[0])],
        )


class ArgMax(_ArgMinMax):
    opcode = "ARG_MAX"
    take_max = True


class ArgMin(_ArgMinMax):
    opcode = "ARG_MIN"
    take_max = False
