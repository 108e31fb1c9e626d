"""RSQRT int8 -> int8 as a 256-entry table the generator fills with TFLM's arithmetic for every
input byte (elementwise.cc RsqrtEvalQuantized, with common.h GetInvSqrtQuantizedMultiplierExp:
gemmlowp's Newton-Raphson in Q3.28, evaluated here on Python integers)."""

from __future__ import annotations

import math

import numpy as np

from .prepare import multiply_by_quantized_multiplier, quantize_multiplier
from .lut import TableKernel

INT32_MIN, INT32_MAX = -(1 << 31), (1 << 31) - 1


def _wrap(x: int) -> int:
    return (x + (1 << 31)) % (1 << 32) - (1 << 31)


def _srdhm(a: int, b: int) -> int:
    """gemmlowp SaturatingRoundingDoublingHighMul (FixedPoint multiplication's raw value)."""
    if a == b == INT32_MIN:
        return INT32_MAX
    ab = a * b
    n = ab + ((1 << 30) if ab >= 0 else 1 - (1 << 30))
    return abs(n) >> 31 if n >= 0 else -(abs(n) >> 31)


def _sat_shift_left(x: int, exponent: int) -> int:
    """SaturatingRoundingMultiplyByPOT<exponent> for exponent > 0 (Rescale to fewer integer bits)."""
    threshold = (1 << (31 - exponent)) - 1
    if x > threshold:
        return INT32_MAX
    if x < -threshold:
        return INT32_MIN
    return _wrap(x << exponent)


def _rounding_divide_by_pot(x: int, exponent: int) -> int:
    mask = (1 << exponent) - 1
    remainder = x & mask
    threshold = (mask >> 1) + (1 if x < 0 else 0)
    return (x >> exponent) + (1 if remainder > threshold else 0)


def inv_sqrt_multiplier_exp(value: int, reverse_shift: int = -1) -> tuple[int, int]:
    """GetInvSqrtQuantizedMultiplierExp(value, kReverseShift)."""
    if value <= 1:
        return INT32_MAX, 0
    shift = 11
    while value >= 1 << 29:
        value //= 4
        shift += 1
    clz = 32 - value.bit_length()
    pairs = (clz - 1) // 2 - 1
    shift -= pairs
    value <<= 2 * pairs
    x_in = value >> 1  # F3
    half_in = _rounding_divide_by_pot(x_in, 1)  # SaturatingRoundingMultiplyByPOT<-1>
    half_three = (1 << 28) + (1 << 27)  # 1.5 in F3
    x = 1 << 28  # F3::One()
    for _ in range(5):
        x3 = _sat_shift_left(_srdhm(_srdhm(x, x), x), 6)  # Rescale<3>(x * x * x): F9 -> F3
        x = _sat_shift_left(_wrap(_srdhm(half_three, x) - _srdhm(half_in, x3)), 3)  # F6 -> F3
    x = _srdhm(x, 1518500250)  # * sqrt(2)/2 in F0
    if shift < 0:
        x = _wrap(x << -shift)
        shift = 0
    return x, shift * reverse_shift


def rsqrt_table(in_scale, in_zp: int, out_scale, out_zp: int) -> np.ndarray:
    # SetRsqrtOutputMultiplier: sqrt and product in float32, then 1 / double
    scale = 1.0 / float(np.float32(math.sqrt(np.float32(in_scale))) * np.float32(out_scale))
    m, s = quantize_multiplier(scale)
    k_shift = 20
    table = []
    for q in range(-128, 128):
        value = q - in_zp
        if value < 0:
            # TFLM fails the inference ("Rsqrt is only defined for positive values"); there is no
            # result to match, so the table holds the largest output.
            table.append(127)
            continue
        if value == 0:
            table.append(127)
            continue
        im, ish = inv_sqrt_multiplier_exp(value)
        data = multiply_by_quantized_multiplier(1, im, ish + k_shift)
        out = multiply_by_quantized_multiplier(data, m, s - k_shift) + out_zp
        table.append(min(max(out, -128), 127))
    return np.array(table, dtype=np.int8)


class Rsqrt(TableKernel):
    opcode = "RSQRT"

    def table(self, inp, out):
        return rsqrt_table(inp.scale[0], int(inp.zero_point[0]), out.scale[0], int(out.zero_point[0]))
