"""ADD/SUB tables (tinygen/ops/binary.py add_lut_params): the short form the C computes, replayed in
Python for every input pair, equals TFLM's formula; parameters it cannot serve exactly are refused."""

from __future__ import annotations

import numpy as np

from tinygen.ops.binary import LEFT_SHIFT, add_lut_params
from tinygen.ops.prepare import multiply_by_quantized_multiplier, quantize_multiplier


def params(s1, s2, so, z1=3, z2=-7, zo=-5, act=(-128, 127)):
    twice = 2 * max(s1, s2)
    (m1, e1), (m2, e2) = quantize_multiplier(s1 / twice), quantize_multiplier(s2 / twice)
    mo, eo = quantize_multiplier(twice / ((1 << LEFT_SHIFT) * so))
    return dict(size=1, input1_offset=-z1, input2_offset=-z2, output_offset=zo, left_shift=LEFT_SHIFT,
                input1_multiplier=m1, input1_shift=e1, input2_multiplier=m2, input2_shift=e2,
                output_multiplier=mo, output_shift=eo, act_min=act[0], act_max=act[1])


def reference(p, a, b, sub):
    x = multiply_by_quantized_multiplier((a + p["input1_offset"]) << LEFT_SHIFT, p["input1_multiplier"],
                                         p["input1_shift"])
    y = multiply_by_quantized_multiplier((b + p["input2_offset"]) << LEFT_SHIFT, p["input2_multiplier"],
                                         p["input2_shift"])
    v = multiply_by_quantized_multiplier(x - y if sub else x + y, p["output_multiplier"], p["output_shift"])
    return min(max(v + p["output_offset"], p["act_min"]), p["act_max"])


def short_form(q, l1, l2, a, b):
    raw = int(l1[a + 128] + l2[b + 128])
    hi = (raw * q["multiplier"] + (1 << 31)) >> 32
    v = (hi + q["round"] + ((hi >> 31) & q["neg"])) >> q["right"]
    return min(max(v, q["act_min"]), q["act_max"])


def test_short_form_equals_the_reference_on_sampled_pairs():
    rng = np.random.default_rng(3)
    for sub in (False, True):
        for s1, s2, so, act in [(0.05, 0.03, 0.07, (-128, 127)), (0.1, 0.1, 0.05, (-5, 127)), (0.02, 0.2, 0.3, (-20, 40))]:
            p = params(s1, s2, so, act=act)
            got = add_lut_params(p, sub)
            assert got is not None
            q, (l1, l2) = got
            assert len(l1) == len(l2) == 256
            for a, b in rng.integers(-128, 128, size=(300, 2)):
                assert short_form(q, l1, l2, int(a), int(b)) == reference(p, int(a), int(b), sub)


def test_a_positive_output_shift_keeps_the_general_kernel():
    p = params(0.5, 0.5, 1e-7)  # output rescale above 1 in TFLM's 20-bit headroom form
    assert p["output_shift"] > 0
    assert add_lut_params(p, False) is None
