"""SPLIT, SPLIT_V, UNPACK, PACK and SLICE on int8 (SPLIT, SPLIT_V, UNPACK and PACK also on int16,
counted in elements: ops/int16.py). TFLM copies these bytes as they are (no requantization,
whatever the tensors' parameters say), so the C copies contiguous runs: a split is, for each index
before the axis, one run per output."""

from __future__ import annotations

import numpy as np

from . import ConstArray, Kernel, Lowered, Ref, T, TArray
from ._common import tensor_type_problems
from . import int16 as s16
from .shape_ops import RANK, _gather, _strides


def _prod(dims) -> int:
    return int(np.prod([int(d) for d in dims], dtype=np.int64)) if len(dims) else 1


def _int8(graph, op, inputs, outputs, types=("int8",)) -> list[str]:
    p = []
    for i in inputs:
        p += tensor_type_problems(graph, op, i, types, "input")
    for i in outputs:
        p += tensor_type_problems(graph, op, i, types, "output")
    return p


def _const_axis(graph, index) -> int | None:
    t = graph.tensor(index)
    if t is None or not t.is_constant or t.size != 1:
        return None
    return int(np.asarray(t.data).reshape(-1)[0])


def _split_lowered(graph, op, data_index: int, axis: int, sizes: list[int]) -> Lowered:
    inp = graph.tensors[data_index]
    return Lowered(
        kernel="tg_split_s8", header="tg_split_pack.h", params_type="tg_split_params",
        params=dict(outer=_prod(inp.shape[:axis]), axis_size=int(inp.shape[axis]), inner=_prod(inp.shape[axis + 1:]),
                    num_outputs=len(sizes), sizes=Ref("sizes")),
        args=[T(data_index), TArray(tuple(op.outputs), writable=True)],
        consts=[ConstArray("sizes", "int32_t", np.array(sizes))],
    )


def _retype(low: Lowered, graph, op) -> Lowered:
    """The int16 twin (tg_split_s16, tg_pack_s16) when the data are int16."""
    data = op.inputs[1] if op.opcode == "SPLIT" else op.inputs[0]
    if s16.int16_tensor(graph, data):
        low.kernel, low.header = low.kernel[:-3] + "_s16", s16.HEADER
    return low


class _Split(Kernel):
    data_input = 1
    axis_input = 0

    def _axis(self, graph, op) -> int | None:
        a = _const_axis(graph, op.inputs[self.axis_input])
        rank = len(graph.tensors[op.inputs[self.data_input]].shape)
        return None if a is None or not -rank <= a < rank else a % rank

    def check(self, graph, op):
        data = op.inputs[self.data_input]
        p = _int8(graph, op, [data], op.outputs, types=("int16",) if s16.int16_tensor(graph, data) else ("int8",))
        axis = self._axis(graph, op)
        if axis is None:
            p.append("the axis is not a constant within the input's rank")
        if not p:
            inp = graph.tensors[op.inputs[self.data_input]]
            if sum(graph.tensors[o].shape[axis] for o in op.outputs) != inp.shape[axis]:
                p.append("the outputs do not add up to the input along the axis")
        return p

    def lower(self, graph, op):
        axis = self._axis(graph, op)
        return _retype(_split_lowered(graph, op, op.inputs[self.data_input], axis,
                                      [int(graph.tensors[o].shape[axis]) for o in op.outputs]), graph, op)


class Split(_Split):
    opcode = "SPLIT"  # inputs: axis, data


class SplitV(_Split):
    opcode = "SPLIT_V"  # inputs: data, size_splits, axis
    data_input = 0
    axis_input = 2


class Unpack(Kernel):
    opcode = "UNPACK"

    def check(self, graph, op):
        p = _int8(graph, op, [op.inputs[0]], op.outputs, types=s16.data_types(graph, op))
        rank = len(graph.tensors[op.inputs[0]].shape)
        a = op.options.get("axis", 0)
        if not -rank <= a < rank:
            p.append(f"axis {a} is outside the input's rank {rank}")
        elif not p and len(op.outputs) != graph.tensors[op.inputs[0]].shape[a % rank]:
            p.append("the number of outputs differs from the size of the axis")
        return p

    def lower(self, graph, op):
        rank = len(graph.tensors[op.inputs[0]].shape)
        return _retype(_split_lowered(graph, op, op.inputs[0], op.options.get("axis", 0) % rank,
                                      [1] * len(op.outputs)), graph, op)


class Pack(Kernel):
    opcode = "PACK"

    def check(self, graph, op):
        p = _int8(graph, op, op.inputs, op.outputs, types=s16.data_types(graph, op))
        out = graph.tensors[op.outputs[0]]
        a = op.options.get("axis", 0)
        if not -len(out.shape) <= a < len(out.shape):
            p.append(f"axis {a} is outside the output's rank {len(out.shape)}")
        elif not p and any(graph.tensors[i].shape != graph.tensors[op.inputs[0]].shape for i in op.inputs):
            p.append("the inputs differ in shape")
        return p

    def lower(self, graph, op):
        out = graph.tensors[op.outputs[0]]
        axis = op.options.get("axis", 0) % len(out.shape)
        return _retype(Lowered(
            kernel="tg_pack_s8", header="tg_split_pack.h", params_type="tg_pack_params",
            params=dict(outer=_prod(out.shape[:axis]), inner=_prod(out.shape[axis + 1:]), num_inputs=len(op.inputs)),
            args=[TArray(tuple(op.inputs)), T(out.index)],
        ), graph, op)


class Slice(Kernel):
    opcode = "SLICE"

    def check(self, graph, op):
        p = _int8(graph, op, [op.inputs[0]], op.outputs)
        for k, what in ((1, "begin"), (2, "size")):
            t = graph.tensor(op.inputs[k]) if len(op.inputs) > k else None
            if t is None or not t.is_constant:
                p.append(f"{what} is not a constant tensor")
        inp = graph.tensors[op.inputs[0]]
        if len(inp.shape) > RANK:
            p.append(f"the input has {len(inp.shape)} dimensions ({RANK} at most)")
        if not p:
            begin, size = self._begin_size(graph, op)
            if any(b < 0 or s < 0 or b + s > d for b, s, d in zip(begin, size, inp.shape)):
                p.append(f"begin {begin} and size {size} leave the input {list(inp.shape)}")
        return p

    def _begin_size(self, graph, op):
        inp = graph.tensors[op.inputs[0]]
        begin = [int(v) for v in np.asarray(graph.tensors[op.inputs[1]].data).reshape(-1)]
        size = [int(v) for v in np.asarray(graph.tensors[op.inputs[2]].data).reshape(-1)]
        size = [d - b if s == -1 else s for b, s, d in zip(begin, size, inp.shape)]  # -1: to the end
        return begin, size

    def lower(self, graph, op):
        inp, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        begin, size = self._begin_size(graph, op)
        st = _strides(inp.shape)
        return _gather(inp, out, size, st, sum(b * s for b, s in zip(begin, st)))
