"""Graph -> graph: evaluate, at generation time, the small integer subgraphs that only compute
shapes. Keras 3 writes Reshape and Flatten as SHAPE -> STRIDED_SLICE -> PACK -> RESHAPE on int32
tensors; with every shape static (batch 1) their values are known, so they become constants and
the operators disappear. Only non-quantized int32/int64 results are folded: nothing that touches
int8 arithmetic changes. TFLM still runs the original flatbuffer, so the outputs are checked
against it as before."""

from __future__ import annotations

import dataclasses

import numpy as np

from ..model.graph import Graph, Operator, Tensor

_INTEGER = ("int32", "int64")


def fold_constants(graph: Graph) -> Graph:
    tensors = list(graph.tensors)
    kept: list[Operator] = []
    for op in graph.operators:
        value = _fold(op, tensors) if len(op.outputs) == 1 else None
        if value is None:
            kept.append(op)
            continue
        out = tensors[op.outputs[0]]
        tensors[out.index] = dataclasses.replace(out, data=value.astype(out.dtype).reshape(out.shape))
    if len(kept) == len(graph.operators):
        return graph
    return dataclasses.replace(graph, tensors=tensors, operators=kept)


def _fold(op: Operator, tensors: list[Tensor]) -> np.ndarray | None:
    out = tensors[op.outputs[0]]
    if out.dtype not in _INTEGER or out.is_quantized or out.index < 0:
        return None
    ins = [tensors[i] if i >= 0 else None for i in op.inputs]
    if op.opcode == "SHAPE":  # only the input's (static) shape is needed, not its values
        return np.array(ins[0].shape, dtype=np.int64)
    if any(t is None or not t.is_constant for t in ins):
        return None
    try:
        v = _evaluate(op, [np.asarray(t.data) for t in ins])
    except (ValueError, IndexError, TypeError):
        return None
    return v if v is not None and v.size == out.size else None


def _evaluate(op: Operator, v: list[np.ndarray]) -> np.ndarray | None:
    from ..ops.shape_ops import strided_slice_plan

    o, code = op.options, op.opcode
    if code in ("RESHAPE", "SQUEEZE", "EXPAND_DIMS", "CAST"):
        return v[0].reshape(-1)
    if code == "PACK":
        return np.stack(v, axis=o.get("axis", 0))
    if code == "CONCATENATION":
        return np.concatenate([a.reshape(-1) if a.ndim == 0 else a for a in v], axis=o.get("axis", 0))
    if code == "GATHER":
        return np.take(v[0], v[1], axis=o.get("axis", 0))
    if code == "SLICE":
        begin, size = v[1].reshape(-1), v[2].reshape(-1)
        return v[0][tuple(slice(int(b), None if int(s) == -1 else int(b) + int(s)) for b, s in zip(begin, size))]
    if code == "STRIDED_SLICE":
        if o.get("ellipsisMask", 0) or o.get("newAxisMask", 0):
            return None
        plan = strided_slice_plan(v[0].shape, v[1].reshape(-1), v[2].reshape(-1), v[3].reshape(-1),
                                  o.get("beginMask", 0), o.get("endMask", 0), o.get("shrinkAxisMask", 0))
        a = v[0]
        for axis, (start, step, count, _) in enumerate(plan):
            a = np.take(a, [start + step * k for k in range(count)], axis=axis)
        return a
    if code in ("ADD", "SUB", "MUL") and not o.get("fusedActivationFunction", 0):
        f = {"ADD": np.add, "SUB": np.subtract, "MUL": np.multiply}[code]
        return f(v[0].astype(np.int64), v[1].astype(np.int64))
    return None
