"""Static memory plan: every activation tensor and kernel scratch gets an offset in one arena.

Lifetimes come from the operator order: a tensor lives from the operator that writes it (graph
inputs: before the first) to the last operator that reads it (graph outputs: to the end).
Reshape-like operators alias their output to their input, extending one buffer's life.
Variable (persistent) tensors, the state stateful operators keep across inferences, live for the
whole program: from before the first operator to after the last, so they overlap nothing, and no
inference's buffers ever reuse their bytes.
Placement is greedy: largest buffer first, each at the lowest offset that does not overlap any
already-placed buffer alive at the same time (first fit over the gaps).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import UnsupportedError
from ..model.graph import Graph
from ..ops import Lowered

ALIGN = 4  # int32 scratch and word loads in kernels


@dataclass
class Buffer:
    name: str
    size: int
    first: int  # first operator index that needs it (-1: before any)
    last: int  # last operator index that needs it (len(ops): after all)
    tensors: list[int] = field(default_factory=list)
    scratch_of: int | None = None
    offset: int = -1
    persistent: bool = False  # a variable tensor: alive for the whole program

    def overlaps_in_time(self, other: "Buffer") -> bool:
        return self.first <= other.last and other.first <= self.last


@dataclass
class Plan:
    arena_bytes: int
    buffers: list[Buffer]
    tensor_offset: dict[int, int]
    scratch_offset: dict[int, int]
    num_ops: int
    variables: list[int] = field(default_factory=list)  # variable tensor indices, in tensor order

    def verify(self) -> None:
        """No two buffers alive at the same time may share a byte."""
        for i, a in enumerate(self.buffers):
            if a.offset < 0 or a.offset + a.size > self.arena_bytes:
                raise AssertionError(f"buffer {a.name} lies outside the arena")
            for b in self.buffers[i + 1:]:
                if a.overlaps_in_time(b) and a.offset < b.offset + b.size and b.offset < a.offset + a.size:
                    raise AssertionError(f"buffers {a.name} and {b.name} overlap while both alive")


def _align(n: int) -> int:
    return (n + ALIGN - 1) // ALIGN * ALIGN


def plan_memory(graph: Graph, lowered: list[Lowered]) -> Plan:
    n = len(graph.operators)
    owner: dict[int, Buffer] = {}  # tensor index -> buffer
    buffers: list[Buffer] = []

    def buffer_for(t: int, at: int) -> Buffer:
        if t not in owner:
            tensor = graph.tensors[t]
            b = Buffer(f"t{t}", max(tensor.nbytes, 1), at, at, [t])
            owner[t] = b
            buffers.append(b)
        return owner[t]

    variables = [t.index for t in graph.tensors if t.is_variable]
    for t in variables:
        b = buffer_for(t, -1)
        b.last, b.persistent = n, True
    for t in graph.inputs:
        buffer_for(t, -1)
    for op, low in zip(graph.operators, lowered):
        for t in op.inputs:
            if t >= 0 and not graph.tensors[t].is_constant:
                b = buffer_for(t, op.index)
                b.last = max(b.last, op.index)
        if low.alias_of is not None:
            if graph.tensors[low.alias_of].is_variable or graph.tensors[op.outputs[0]].is_variable:
                # a view of state would change under its reader when the state is next written
                raise UnsupportedError(f"{graph.path}: operator {op.index} {op.opcode}: its output would share "
                                       f"the buffer of a variable tensor")
            src = buffer_for(low.alias_of, op.index)
            owner[op.outputs[0]] = src
            src.tensors.append(op.outputs[0])
            src.last = max(src.last, op.index)
            for t in op.outputs[1:]:
                buffer_for(t, op.index)
        else:
            for t in op.outputs:
                buffer_for(t, op.index)
        if low.scratch_bytes:
            b = Buffer(f"scratch{op.index}", low.scratch_bytes, op.index, op.index, scratch_of=op.index)
            buffers.append(b)
    for t in graph.outputs:
        buffer_for(t, n).last = n

    placed: list[Buffer] = []
    # State first: it holds its bytes for the whole program whatever the order, and at the bottom
    # of the arena it leaves the rest one contiguous region for the per-inference buffers.
    for b in sorted(buffers, key=lambda b: (not b.persistent, -b.size, b.first, b.name)):
        offset = 0
        for other in sorted((p for p in placed if p.overlaps_in_time(b)), key=lambda p: p.offset):
            if offset + b.size <= other.offset:
                break
            offset = max(offset, _align(other.offset + other.size))
        b.offset = offset
        placed.append(b)
    arena = _align(max((b.offset + b.size for b in buffers), default=0))
    plan = Plan(
        arena_bytes=arena,
        buffers=buffers,
        tensor_offset={t: b.offset for t, b in owner.items()},
        scratch_offset={b.scratch_of: b.offset for b in buffers if b.scratch_of is not None},
        num_ops=n,
        variables=variables,
    )
    plan.verify()
    return plan


def render_plan(graph: Graph, plan: Plan, width: int = 64) -> str:
    """An ASCII picture: one row per operator, columns are arena bytes; letters mark buffers."""
    if plan.arena_bytes == 0:
        return "(empty arena)"
    scale = plan.arena_bytes / width
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    lines = [f"arena {plan.arena_bytes} bytes, one column = {scale:.0f} bytes"]
    key = {b.name: letters[i % len(letters)] for i, b in enumerate(sorted(plan.buffers, key=lambda b: b.offset))}
    for i, op in enumerate(graph.operators):
        row = ["."] * width
        for b in plan.buffers:
            if b.first <= i <= b.last:
                lo = int(b.offset / scale)
                hi = max(lo + 1, int((b.offset + b.size) / scale))
                for c in range(lo, min(hi, width)):
                    row[c] = key[b.name]
        lines.append(f"{i:4d} {op.opcode[:18]:18s} {''.join(row)}")
    lines.append("buffers: " + ", ".join(f"{key[b.name]}={b.name}({b.size}B@{b.offset}{', state' if b.persistent else ''})"
                                           for b in sorted(plan.buffers, key=lambda b: b.offset)))
    return "\n".join(lines)
