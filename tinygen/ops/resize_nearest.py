"""RESIZE_NEAREST_NEIGHBOR (UpSampling2D and friends) on int8: a gather. TFLM computes each source
row and column with float32 arithmetic; the same float32 steps run here, at generation time, and
the C only copies pixels."""

from __future__ import annotations

import math

import numpy as np

from . import ConstArray, Kernel, Lowered, Ref, T
from ._common import tensor_type_problems


def nearest_sources(out_size: int, in_size: int, align_corners: bool, half_pixel_centers: bool) -> np.ndarray:
    """GetNearestNeighbor of tensorflow/lite/kernels/internal/reference/resize_nearest_neighbor.h for
    every output index, in float32 as TFLM evaluates it."""
    f32 = np.float32
    if align_corners and out_size > 1:
        scale = f32(in_size - 1) / f32(out_size - 1)
    else:
        scale = f32(in_size) / f32(out_size)
    offset = f32(0.5) if half_pixel_centers else f32(0.0)
    src = []
    for i in range(out_size):
        v = (f32(i) + offset) * scale  # float32 throughout, like the C++
        # std::round (half away from zero) and std::floor of that float32 value, taken exactly in double
        r = int(math.copysign(math.floor(abs(float(v)) + 0.5), float(v))) if align_corners else math.floor(float(v))
        r = min(r, in_size - 1)
        if half_pixel_centers:
            r = max(0, r)
        src.append(r)
    return np.array(src, dtype=np.int32)


class ResizeNearestNeighbor(Kernel):
    opcode = "RESIZE_NEAREST_NEIGHBOR"

    def check(self, graph, op):
        p = tensor_type_problems(graph, op, op.inputs[0], ("int8",), "input")
        p += tensor_type_problems(graph, op, op.outputs[0], ("int8",), "output")
        size = graph.tensor(op.inputs[1]) if len(op.inputs) > 1 else None
        if size is None or not size.is_constant or size.size != 2:
            p.append("the output size is not a constant of two values")
        if not p:
            inp, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
            if len(inp.shape) != 4 or len(out.shape) != 4:
                p.append("input and output must be 4-D NHWC")
            elif inp.shape[0] != out.shape[0] or inp.shape[3] != out.shape[3]:
                p.append("batch and channels must match between input and output")
            elif tuple(int(v) for v in np.asarray(size.data).reshape(-1)) != tuple(out.shape[1:3]):
                p.append("the output size does not match the output shape")
        return p

    def lower(self, graph, op):
        inp, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        align = bool(op.options.get("alignCorners", False))
        half = bool(op.options.get("halfPixelCenters", False))
        rows = nearest_sources(out.shape[1], inp.shape[1], align, half)
        cols = nearest_sources(out.shape[2], inp.shape[2], align, half)
        return Lowered(
            kernel="tg_resize_nearest_s8", header="tg_resize_nearest.h", params_type="tg_resize_nearest_params",
            params=dict(batches=inp.shape[0], in_h=inp.shape[1], in_w=inp.shape[2], depth=inp.shape[3],
                        out_h=out.shape[1], out_w=out.shape[2], src_rows=Ref("rows"), src_cols=Ref("cols")),
            args=[T(inp.index), T(out.index)],
            consts=[ConstArray("rows", "int32_t", rows), ConstArray("cols", "int32_t", cols)],
        )
