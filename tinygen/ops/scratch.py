"""Bytes of arena scratch each kernel needs, in one place for the generator. Each function takes the
kernel's parameters (the dict its lowering puts in the C params struct); the C runtime states the
same sizes as `<scratch function>(const params *)` beside each kernel, and tests/ops/test_scratch.py
compiles those on the host and checks that both agree on real models' layers."""

from __future__ import annotations


def conv_packed(p: dict) -> int:
    """The im2col column (none for 1x1 stride-1 unpadded convolutions, read in place); with wide
    weights the column widened to int16 pairs (also for 1x1), plus the bytes a border row of taps
    is gathered into when the taps split groups of four (in_c % 4)."""
    direct = (p["k_h"], p["k_w"], p["stride_h"], p["stride_w"], p["pad_top"], p["pad_left"]) == (1, 1, 1, 1, 0, 0) \
        and (p["in_h"], p["in_w"]) == (p["out_h"], p["out_w"])
    depth = p["k_h"] * p["k_w"] * p["in_c"]
    if p.get("wide"):  # each kernel row zero-padded to whole groups of four
        padded = p["k_h"] * ((p["k_w"] * p["in_c"] + 3) // 4 * 4)
        return 2 * padded + (padded if p["in_c"] % 4 else 0)
    return 0 if direct else depth


def depthwise_packed(p: dict) -> int:
    """3x3 path (dw3_weights): four channels' (one if in_c % 4) padded input planes widened to int16 and the int32
    accumulators of a band of output rows (TG_DW3_SCRATCH_BYTES). Otherwise the zero-point row, then a pointer (sized for 64-bit hosts) and an offset per tap: in the
    arena, so the filter size is not limited by a stack array."""
    if p.get("dwg"):  # the small-plane path: every group's padded plane of a band (TG_DWG_SCRATCH_BYTES)
        from .depthwise_packed import dwg_scratch

        return dwg_scratch(p["in_c"], p["out_h"], p["out_w"], p["stride_w"])
    if p.get("dw3_weights"):
        s = p["stride_w"]
        out_h, out_w = (p["out_w"], p["out_h"]) if p.get("dw3_transpose") else (p["out_h"], p["out_w"])
        rows, words = (out_h - 1) * s + 3, ((out_w + 1) // 2 + 1 if s == 1 else out_w + 1)
        row_accs = (2 if s == 1 else 1) * words
        band = min(max(512 // row_accs, 1), out_h)  # TG_DW3_BAND_ACCS
        planes = 4 if p["in_c"] % 4 == 0 else 1  # TG_DW3_PLANES
        return 4 + 4 * planes * (rows * words + 1) + 4 * band * row_accs
    return (p["in_c"] + 7) // 8 * 8 + 8 + 12 * p["k_h"] * p["k_w"]


def average_pool2d(p: dict) -> int:
    return 4 * p["channels"]  # int32 sums


def mean(p: dict) -> int:  # MEAN and SUM
    return 4 * p["num_outputs"]  # int32 sums


def svdf(p: dict) -> int:
    return 4 * p["n_batch"] * (p["n_filter"] + p["n_unit"])  # int32 activations of both products


def lstm(p: dict) -> int:
    return 4 * p["n_state"] * (2 * 4 + 2)  # int32 accumulators of the four gates' two products, int16 gates


def transpose_conv_s16(p: dict) -> int:
    return 8 * p["out_h"] * p["out_w"] * p["out_c"]  # int64 accumulators of one batch (tg_int16_conv.c)


def transpose_conv(p: dict) -> int:
    return 4 * p["batches"] * p["out_h"] * p["out_w"] * p["out_c"]  # int32 accumulators of the scatter


def fully_connected(p: dict) -> int:
    # the input row widened to int16 pairs, or to int32 for the rows layout (TG_FC_ROWS, 2); none on the
    # reference loop (depth_pad 0)
    return (4 if p["layout"] == 2 else 2) * p["depth_pad"]


# kernel (C function name prefix) -> (size function, the C function stating the same size)
SCRATCH = {
    "tg_transpose_conv_s16": (transpose_conv_s16, "tg_transpose_conv_s16_scratch_bytes"),  # before its prefix
    "tg_conv_packed_": (conv_packed, "tg_conv_packed_scratch_bytes"),
    "tg_depthwise_packed_": (depthwise_packed, "tg_depthwise_packed_scratch_bytes"),
    "tg_average_pool2d_": (average_pool2d, "tg_average_pool2d_scratch_bytes"),
    "tg_mean_": (mean, "tg_mean_scratch_bytes"),
    "tg_svdf_": (svdf, "tg_svdf_scratch_bytes"),
    "tg_lstm_": (lstm, "tg_lstm_scratch_bytes"),
    "tg_transpose_conv_": (transpose_conv, "tg_transpose_conv_scratch_bytes"),
    "tg_fully_connected_": (fully_connected, "tg_fully_connected_scratch_bytes"),
}


def scratch_for(kernel: str) -> tuple:
    return next(v for k, v in SCRATCH.items() if kernel.startswith(k))
