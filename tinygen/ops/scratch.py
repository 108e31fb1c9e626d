"""Bytes of arena scratch each kernel needs, in one place for the generator. Each function takes the
kernel's parameters (the dict its lowering puts in the C params struct); the C runtime states the
same sizes as `<scratch function>(const params *)` beside each kernel, and tests/ops/test_scratch.py
compiles those on the host and checks that both agree on real models' layers."""

from __future__ import annotations


def conv_packed(p: dict) -> int:
    """The im2col column (none for 1x1 stride-1 unpadded convolutions, read in place)."""
    direct = (p["k_h"], p["k_w"], p["stride_h"], p["stride_w"], p["pad_top"], p["pad_left"]) == (1, 1, 1, 1, 0, 0) \
        and (p["in_h"], p["in_w"]) == (p["out_h"], p["out_w"])
    return 0 if direct else p["k_h"] * p["k_w"] * p["in_c"]


def depthwise_packed(p: dict) -> int:
    """The zero-point row, then a pointer (sized for 64-bit hosts) and an offset per tap: in the
    arena, so the filter size is not limited by a stack array."""
    return (p["in_c"] + 7) // 8 * 8 + 8 + 12 * p["k_h"] * p["k_w"]


def average_pool2d(p: dict) -> int:
    return 4 * p["channels"]  # int32 sums


def mean(p: dict) -> int:  # MEAN and SUM
    return 4 * p["num_outputs"]  # int32 sums


def svdf(p: dict) -> int:
    return 4 * p["n_batch"] * (p["n_filter"] + p["n_unit"])  # int32 activations of both products


def transpose_conv_s16(p: dict) -> int:
    return 8 * p["out_h"] * p["out_w"] * p["out_c"]  # int64 accumulators of one batch (tg_int16_conv.c)


def transpose_conv(p: dict) -> int:
    return 4 * p["batches"] * p["out_h"] * p["out_w"] * p["out_c"]  # int32 accumulators of the scatter


# kernel (C function name prefix) -> (size function, the C function stating the same size)
SCRATCH = {
    "tg_transpose_conv_s16": (transpose_conv_s16, "tg_transpose_conv_s16_scratch_bytes"),  # before its prefix
    "tg_conv_packed_": (conv_packed, "tg_conv_packed_scratch_bytes"),
    "tg_depthwise_packed_": (depthwise_packed, "tg_depthwise_packed_scratch_bytes"),
    "tg_average_pool2d_": (average_pool2d, "tg_average_pool2d_scratch_bytes"),
    "tg_mean_": (mean, "tg_mean_scratch_bytes"),
    "tg_svdf_": (svdf, "tg_svdf_scratch_bytes"),
    "tg_transpose_conv_": (transpose_conv, "tg_transpose_conv_scratch_bytes"),
}


def scratch_for(kernel: str) -> tuple:
    return next(v for k, v in SCRATCH.items() if kernel.startswith(k))
