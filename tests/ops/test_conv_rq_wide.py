"""The wide CONV_2D path's requantization words (rq_wide_words): the C formula, emulated here on
Python integers, equals TFLM's MultiplyByQuantizedMultiplier plus the offset on every accumulator
of the proven range, including the edges, dead channels and a zero multiplier."""

import numpy as np

from tinygen.ops.conv_packed import rq_wide_words
from tinygen.ops.prepare import multiply_by_quantized_multiplier, quantize_multiplier


def kernel_formula(acc: int, e: int, q) -> int:
    """(SMMLAR(acc * 2^e, m, round) + (acc >> 31)) >> right, as requantize_wide computes it."""
    m, rnd, right = (int(v) for v in q)
    x = acc << e
    assert -(1 << 31) <= x < 1 << 31
    t = (rnd * (1 << 32) + x * m + (1 << 31)) >> 32
    return (t + (-1 if x < 0 else 0)) >> right


def test_formula_equals_tflm_over_the_range():
    rng = np.random.default_rng(7)
    for scale in (0.0007, 0.003, 0.02, 0.4):
        m, s = quantize_multiplier(scale)
        for lo, hi in ((-40000, 52000), (-3, 3), (-(1 << 29), (1 << 29) - 1)):
            got = rq_wide_words([m], [s], [lo], [hi], output_offset=-128)
            assert got is not None
            words, exps = got
            accs = list(rng.integers(lo, hi + 1, 2000)) + [lo, hi, 0, -1, 1]
            for acc in (int(a) for a in accs if lo <= a <= hi):
                want = multiply_by_quantized_multiplier(acc, m, s) - 128
                assert kernel_formula(acc, int(exps[0]), words[:3]) == want, (scale, acc)


def test_constant_and_refused_channels():
    m, s = quantize_multiplier(2.0 ** -28)  # a dead channel: tiny scale, the bias dominates
    words, exps = rq_wide_words([m, 0], [s, 0], [(1 << 30) - 70000, -5], [(1 << 30) + 70000, 7], output_offset=3)
    assert list(words[:3]) == [0, 2 * (multiply_by_quantized_multiplier(1 << 30, m, s) + 3) + 1, 1]
    assert list(words[3:]) == [0, 7, 1] and list(exps) == [0, 0]
    for acc in ((1 << 30) - 70000, 1 << 30, (1 << 30) + 70000):
        assert kernel_formula(acc, 0, words[:3]) == multiply_by_quantized_multiplier(acc, m, s) + 3
    m1, s1 = quantize_multiplier(0.7)  # shift 0: no rounding shift, the short form does not apply
    assert s1 == 0 and rq_wide_words([m1], [s1], [-1000], [1000]) is None
    m2, s2 = quantize_multiplier(0.01)
    assert rq_wide_words([m2], [s2], [-(1 << 30)], [1 << 30]) is None  # acc * 2 would overflow
