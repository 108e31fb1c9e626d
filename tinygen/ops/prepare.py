"""Quantization constants computed exactly as TFLM's Prepare computes them.

Pure functions; float32 vs float64 steps mirror the C++ casts, because a multiplier that differs
in its last bit changes outputs.
"""

from __future__ import annotations

import math

import numpy as np

# TfLiteFusedActivation values in the schema.
ACT_NONE, ACT_RELU, ACT_RELU_N1_TO_1, ACT_RELU6, ACT_TANH, ACT_SIGN_BIT = 0, 1, 2, 3, 4, 5
ACT_NAMES = {0: "NONE", 1: "RELU", 2: "RELU_N1_TO_1", 3: "RELU6", 4: "TANH", 5: "SIGN_BIT"}


def tflite_round(x: float) -> float:
    """std::round: halves away from zero."""
    return math.copysign(math.floor(abs(x) + 0.5), x)


def quantize_multiplier(real: float) -> tuple[int, int]:
    """QuantizeMultiplier: real = q * 2**(shift - 31), q in [2**30, 2**31)."""
    if real == 0.0:
        return 0, 0
    q, shift = math.frexp(real)
    q_fixed = int(tflite_round(q * (1 << 31)))
    assert q_fixed <= (1 << 31)
    if q_fixed == (1 << 31):
        q_fixed //= 2
        shift += 1
    if shift < -31:
        shift, q_fixed = 0, 0
    return q_fixed, shift


def quantize_multiplier_greater_than_one(real: float) -> tuple[int, int]:
    q, shift = quantize_multiplier(real)
    if shift < 0:
        raise ValueError(f"multiplier {real} is below one")
    return q, shift


def f32(x) -> np.float32:
    return np.float32(x)


def conv_multiplier(input_scale, filter_scale, output_scale) -> float:
    """GetQuantizedConvolutionMultipler (per tensor): the float32 product is taken first."""
    product = float(f32(input_scale) * f32(filter_scale))
    return product / float(f32(output_scale))


def per_channel_multipliers(input_scale, filter_scales, output_scale) -> tuple[list[int], list[int]]:
    """PopulateConvolutionQuantizationParams / FC per channel: double products."""
    mults, shifts = [], []
    for s in np.asarray(filter_scales, dtype=np.float32):
        eff = float(f32(input_scale)) * float(s) / float(f32(output_scale))
        m, sh = quantize_multiplier(eff)
        mults.append(m)
        shifts.append(sh)
    return mults, shifts


def quantize_value(scale, zero_point: int, f: float) -> int:
    """kernel_util Quantize(): float division, then round."""
    tmp = tflite_round(float(f32(f) / f32(scale)))
    return int(zero_point) + int(tmp)


def activation_range(activation: int, scale, zero_point: int, qmin: int = -128, qmax: int = 127) -> tuple[int, int]:
    if activation == ACT_RELU:
        return max(qmin, quantize_value(scale, zero_point, 0.0)), qmax
    if activation == ACT_RELU6:
        return (max(qmin, quantize_value(scale, zero_point, 0.0)),
                min(qmax, quantize_value(scale, zero_point, 6.0)))
    if activation == ACT_RELU_N1_TO_1:
        return (max(qmin, quantize_value(scale, zero_point, -1.0)),
                min(qmax, quantize_value(scale, zero_point, 1.0)))
    return qmin, qmax


def preprocess_softmax_scaling(beta: float, input_scale: float, input_integer_bits: int) -> tuple[int, int]:
    max_real = float((1 << 31) - 1)
    real = min(beta * input_scale * (1 << (31 - input_integer_bits)), max_real)
    return quantize_multiplier_greater_than_one(real)


def calculate_input_radius(input_integer_bits: int, input_left_shift: int, total_signed_bits: int = 31) -> int:
    max_input_rescaled = (1.0 * ((1 << input_integer_bits) - 1)
                          * (1 << (total_signed_bits - input_integer_bits)) / (1 << input_left_shift))
    return int(math.floor(max_input_rescaled))


def rq_words(multipliers, shifts, acc_bound, output_offset: int = 0) -> np.ndarray | None:
    """Per channel the four int32 words tg_requantize_rq reads: multiplier, round (with the output
    offset folded in), neg, left | right << 8.

    acc_bound[c] bounds |accumulator| of channel c. The words are used only if, for every channel,
    |hi| + round stays below 2^31, hi = round(acc * 2^left * multiplier / 2^31) (then the short form
    equals gemmlowp's exactly); otherwise None and the kernel keeps the general form."""
    words = []
    for m, s, bound in zip(multipliers, shifts, acc_bound):
        left, right = max(int(s), 0), max(-int(s), 0)
        if right > 31 or (int(bound) << left) >= 1 << 31:
            return None
        rnd = ((1 << right) >> 1) + (int(output_offset) << right)
        hi_max = ((int(bound) << left) * int(m) + (1 << 30)) >> 31
        if hi_max + abs(rnd) + 1 >= 1 << 31:
            return None
        words += [int(m), rnd, -1 if right else 0, left | (right << 8)]
    return np.array(words, dtype=np.int64).astype(np.int32)


def multiply_by_quantized_multiplier(x: int, multiplier: int, shift: int) -> int:
    """TFLM's MultiplyByQuantizedMultiplier (gemmlowp's rounding), on Python integers: for tables
    the generator computes instead of the C."""
    left, right = max(shift, 0), max(-shift, 0)
    a = ((x * (1 << left)) + (1 << 31)) % (1 << 32) - (1 << 31)  # int32 wrap, as the C
    if a == multiplier == -(1 << 31):
        high = (1 << 31) - 1
    else:
        ab = a * multiplier
        n = ab + ((1 << 30) if ab >= 0 else 1 - (1 << 30))
        high = abs(n) >> 31 if n >= 0 else -(abs(n) >> 31)  # C division truncates toward zero
    mask = (1 << right) - 1
    remainder = high & mask
    threshold = (mask >> 1) + (1 if high < 0 else 0)
    return (high >> right) + (1 if remainder > threshold else 0)


def _log2_f32(x: float) -> np.float32:
    f = np.float32
    return f(np.log(f(x))) * (f(1.0) / f(np.log(f(2.0))))


def checked_log2(x: float) -> int:
    """CheckedLog2's result (TFLM uses it whether or not the scale is a power of two): float32
    log(x) * (1 / log(2)), rounded half away from zero."""
    return int(tflite_round(float(_log2_f32(x))))


def is_power_of_two_scale(x: float) -> bool:
    """CheckedLog2's verdict: the float32 log2 within 1e-3 of its rounding."""
    v = _log2_f32(x)
    return bool(abs(np.float32(v - np.float32(tflite_round(float(v))))) < np.float32(1e-3))


def sigmoid_q16_table() -> list[int]:
    """The 256 knots (x = i / 24, Q0.16) the int16 sigmoid and tanh interpolate between: each is the
    sigmoid raised by half the midpoint error of linear interpolation over its interval, so the
    interpolated curve straddles the true one; the last is the Q0.16 maximum."""
    i = np.arange(256, dtype=np.float64)
    s = lambda x: 1.0 / (1.0 + np.exp(-x))  # noqa: E731
    mid_error = s((i + 0.5) / 24) - (s(i / 24) + s((i + 1) / 24)) / 2
    table = np.round(65536 * (s(i / 24) + mid_error / 2)).astype(np.int64)
    table[-1] = 65535
    return [int(v) for v in np.minimum(table, 65535)]
