"""RESIZE_BILINEAR on int8 NHWC, as TFLM's ResizeBilinearInteger computes it: source positions in
10-bit fixed point, four taps weighted in 20-bit fixed point, rounded half away from zero.

Every source row/column and its weight depends only on the shapes and the two flags, so the
generator computes them here (the same integer steps as the C++) and the C only does the
multiply-adds. The int8 values are interpolated as raw bytes: TFLM does not rescale, so input and
output must share their quantization."""

from __future__ import annotations

import numpy as np

from . import ConstArray, Kernel, Lowered, Ref, T
from ._common import tensor_type_problems

ONE = 1 << 10  # 1.0 in the 10-bit fixed point of source positions


def _cdiv(a: int, b: int) -> int:
    """C integer division: truncates toward zero (b > 0)."""
    return a // b if a >= 0 else -((-a) // b)


def scale_10(in_size: int, out_size: int, align_corners: bool) -> int:
    """in/out (or (in-1)/(out-1) with align_corners) in 10-bit fixed point, rounded."""
    if align_corners and out_size > 1:
        return (ONE * (in_size - 1) + (out_size - 1) // 2) // (out_size - 1)
    return (ONE * in_size + out_size // 2) // out_size


def bilinear_taps(out_size: int, in_size: int, align_corners: bool, half_pixel_centers: bool) -> np.ndarray:
    """For every output index: (lower source index, upper source index, weight of the upper one in
    1/1024), as ComputeInterpolationValuesInteger produces them. Shape (out_size, 3)."""
    s = scale_10(in_size, out_size, align_corners)
    taps = []
    for v in range(out_size):
        scaled = v * s + s // 2 - (1 << 9) if half_pixel_centers else v * s
        lo = max(_cdiv(scaled, ONE), 0)
        hi = min(_cdiv(scaled + ONE - 1, ONE), in_size - 1)
        taps.append((lo, hi, scaled - ONE * lo))
    return np.array(taps, dtype=np.int64).reshape(-1, 3)


def taps_problems(taps: np.ndarray, in_size: int, what: str) -> list[str]:
    """The C kernel relies on every tap being inside the input and on 32-bit accumulation
    being exact; say so where the geometry would break either."""
    if taps.size and (taps[:, :2].min() < 0 or taps[:, :2].max() >= in_size):
        return [f"a {what} source index falls outside the input (TFLM would read out of bounds)"]
    # Weights in [-1/2, 1] keep |1 - w| + |w| <= 2, so the four taps sum to at most 128 * 2^11 * 2^11.
    if taps.size and (taps[:, 2].min() < -ONE // 2 or taps[:, 2].max() > ONE):
        return [f"a {what} interpolation weight is out of range"]
    return []


class ResizeBilinear(Kernel):
    opcode = "RESIZE_BILINEAR"

    def check(self, graph, op):
        p = tensor_type_problems(graph, op, op.inputs[0], ("int8",), "input")
        p += tensor_type_problems(graph, op, op.outputs[0], ("int8",), "output")
        size = graph.tensor(op.inputs[1]) if len(op.inputs) > 1 else None
        if size is None or not size.is_constant or size.dtype != "int32" or size.size != 2:
            p.append("the output size is not a constant int32 tensor of two values (TFLM needs that)")
        if p:
            return p
        inp, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        align, half = self._flags(op)
        if align and half:
            return ["align_corners and half_pixel_centers both set (TFLM refuses this)"]
        if len(inp.shape) != 4 or len(out.shape) != 4:
            return ["input and output must be 4-D NHWC"]
        if inp.shape[0] != out.shape[0] or inp.shape[3] != out.shape[3]:
            return ["batch and channels must match between input and output"]
        if tuple(int(v) for v in np.asarray(size.data).reshape(-1)) != tuple(out.shape[1:3]):
            return ["the output size does not match the output shape"]
        if float(inp.scale[0]) != float(out.scale[0]) or int(inp.zero_point[0]) != int(out.zero_point[0]):
            p.append("input and output quantization differ (TFLM interpolates raw values without rescaling)")
        if min(inp.shape[1:3]) < 1 or min(out.shape[1:3]) < 1:
            return p + ["an empty image"]
        p += taps_problems(bilinear_taps(out.shape[1], inp.shape[1], align, half), inp.shape[1], "row")
        p += taps_problems(bilinear_taps(out.shape[2], inp.shape[2], align, half), inp.shape[2], "column")
        return p

    @staticmethod
    def _flags(op) -> tuple[bool, bool]:
        return bool(op.options.get("alignCorners", False)), bool(op.options.get("halfPixelCenters", False))

    def lower(self, graph, op):
        inp, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        align, half = self._flags(op)
        _, in_h, in_w, depth = (int(d) for d in inp.shape)
        rows = bilinear_taps(out.shape[1], in_h, align, half)
        cols = bilinear_taps(out.shape[2], in_w, align, half)
        # Source indices become element offsets, so the C does no index arithmetic per tap.
        rows[:, :2] *= in_w * depth
        cols[:, :2] *= depth
        return Lowered(
            kernel="tg_resize_bilinear_s8", header="tg_resize.h", params_type="tg_resize_bilinear_params",
            params=dict(batches=int(inp.shape[0]), in_size=in_h * in_w * depth, depth=depth,
                        out_h=int(out.shape[1]), out_w=int(out.shape[2]), rows=Ref("rows"), cols=Ref("cols")),
            args=[T(inp.index), T(out.index)],
            consts=[ConstArray("rows", "int32_t", rows.reshape(-1)), ConstArray("cols", "int32_t", cols.reshape(-1))],
        )
