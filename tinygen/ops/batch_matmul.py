"""BATCH_MATMUL int8 x int8 -> int8 with broadcast batch dimensions and adj_x / adj_y, as TFLM's
reference computes it (batch_matmul.cc; its multiplier is GetQuantizedConvolutionMultipler's)."""

from __future__ import annotations

import numpy as np

from . import Kernel, Lowered, T
from .prepare import conv_multiplier, quantize_multiplier
from ._common import scale0, tensor_type_problems, zp0


def _five(shape) -> list[int]:
    return [1] * (5 - len(shape)) + [int(d) for d in shape]


def _batch_strides(dims5: list[int]) -> list[int]:
    """Element strides of the first three (batch) dimensions, 0 where the operand broadcasts."""
    strides, acc = [0] * 5, 1
    for i in range(4, -1, -1):
        strides[i] = acc
        acc *= dims5[i]
    return [0 if dims5[i] == 1 else strides[i] for i in range(3)]


class BatchMatMul(Kernel):
    opcode = "BATCH_MATMUL"

    def check(self, graph, op):
        p = tensor_type_problems(graph, op, op.inputs[0], ("int8",), "lhs")
        p += tensor_type_problems(graph, op, op.inputs[1], ("int8",), "rhs")
        p += tensor_type_problems(graph, op, op.outputs[0], ("int8",), "output")
        if p:
            return p
        lhs, rhs, out = (graph.tensors[i] for i in (op.inputs[0], op.inputs[1], op.outputs[0]))
        if not (2 <= len(lhs.shape) <= 5 and 2 <= len(rhs.shape) <= 5):
            return ["operands must have 2 to 5 dimensions (TFLM's limits)"]
        if any(t.per_channel for t in (lhs, rhs, out)):
            p.append("per-channel quantization (TFLM's BATCH_MATMUL uses one scale per tensor)")
        g = self._geometry(graph, op)
        if g is None:
            p.append(f"shapes {list(lhs.shape)} and {list(rhs.shape)} do not multiply or broadcast")
        elif int(np.prod(g["batch"])) * g["rows"] * g["cols"] != out.size:
            p.append(f"output {list(out.shape)} does not hold the product's "
                     f"{int(np.prod(g['batch'])) * g['rows'] * g['cols']} values")
        return p

    def _geometry(self, graph, op) -> dict | None:
        lhs, rhs = graph.tensors[op.inputs[0]], graph.tensors[op.inputs[1]]
        adj_x, adj_y = bool(op.options.get("adjX", False)), bool(op.options.get("adjY", False))
        l5, r5 = _five(lhs.shape), _five(rhs.shape)
        batch = []
        for a, b in zip(l5[:3], r5[:3]):
            if a != b and a != 1 and b != 1:
                return None
            batch.append(max(a, b) if 1 in (a, b) else a)
        rows, depth = (l5[4], l5[3]) if adj_x else (l5[3], l5[4])
        depth_r, cols = (r5[4], r5[3]) if adj_y else (r5[3], r5[4])
        if depth != depth_r:
            return None
        return dict(batch=batch, lhs_batch=_batch_strides(l5), rhs_batch=_batch_strides(r5),
                    rows=rows, cols=cols, depth=depth,
                    lhs_row=1 if adj_x else l5[4], lhs_k=l5[4] if adj_x else 1,
                    rhs_k=1 if adj_y else r5[4], rhs_col=r5[4] if adj_y else 1)

    def lower(self, graph, op):
        lhs, rhs, out = (graph.tensors[i] for i in (op.inputs[0], op.inputs[1], op.outputs[0]))
        g = self._geometry(graph, op)
        m, s = quantize_multiplier(conv_multiplier(scale0(lhs), scale0(rhs), scale0(out)))
        return Lowered(
            kernel="tg_batch_matmul_s8", header="tg_batch_matmul.h", params_type="tg_batch_matmul_params",
            params=dict(g, lhs_offset=-zp0(lhs), rhs_offset=-zp0(rhs), output_offset=zp0(out), multiplier=m, shift=s),
            args=[T(lhs.index), T(rhs.index), T(out.index)],
            macs=int(np.prod(g["batch"])) * g["rows"] * g["cols"] * g["depth"],
        )
