"""What a model's inputs and outputs are, as the link, the firmware and the reference see them:
index, name, shape, type, quantization, size, and for float I/O the int8 grid it is quantized to."""

from __future__ import annotations

from .graph import Graph


def io_spec(graph: Graph, indices) -> list[dict]:
    out = []
    for i in indices:
        t = graph.tensors[i]
        spec = {"index": i, "name": t.name, "shape": list(t.shape), "dtype": t.dtype,
                "scale": [float(s) for s in t.scale], "zero_point": [int(z) for z in t.zero_point],
                "bytes": t.nbytes}
        grid = _float_boundary_quantization(graph, i) if t.dtype == "float32" else None
        if grid:  # a float input the model quantizes (or output it dequantizes): its int8 grid
            spec["quantized_as"] = grid
        out.append(spec)
    return out


def _float_boundary_quantization(graph: Graph, index: int) -> dict | None:
    for op in graph.operators:
        if op.opcode == "QUANTIZE" and op.inputs[:1] == (index,):
            q = graph.tensors[op.outputs[0]]
        elif op.opcode == "DEQUANTIZE" and op.outputs[:1] == (index,):
            q = graph.tensors[op.inputs[0]]
        else:
            continue
        if q.scale.size:
            return {"dtype": q.dtype, "scale": float(q.scale[0]), "zero_point": int(q.zero_point[0])}
    return None
