import pytest

from tinygen.ops.prepare import (
    activation_range,
    calculate_input_radius,
    quantize_multiplier,
    preprocess_softmax_scaling,
    tflite_round,
)


def test_round_half_away_from_zero():
    assert tflite_round(2.5) == 3 and tflite_round(-2.5) == -3 and tflite_round(0.49) == 0


@pytest.mark.parametrize("real", [0.5, 0.25, 1.0, 0.0036, 1.9999999999, 3e-10, 0.75])
def test_quantize_multiplier_reconstructs(real):
    q, shift = quantize_multiplier(real)
    assert (1 << 30) <= q < (1 << 31)
    assert abs(q * 2.0 ** (shift - 31) - real) <= real * 2 ** -30


def test_quantize_multiplier_edges():
    assert quantize_multiplier(0.0) == (0, 0)
    assert quantize_multiplier(1e-12) == (0, 0)  # flushed, as TFLM does below 2^-31
    assert quantize_multiplier(0.5) == (1 << 30, 0)


def test_activation_ranges():
    assert activation_range(0, 0.1, 3) == (-128, 127)
    assert activation_range(1, 0.1, 3) == (3, 127)
    assert activation_range(3, 0.05, -128) == (-128, -8)  # 6 / 0.05 = 120 -> -128 + 120
    assert activation_range(2, 0.01, 0) == (-100, 100)


def test_softmax_scaling_matches_tflm_shape():
    mult, shift = preprocess_softmax_scaling(1.0, 0.1, 5)
    assert mult > 0 and shift >= 0
    assert calculate_input_radius(5, shift) > 0


def test_rq_words_only_where_the_short_form_cannot_overflow():
    from tinygen.ops.prepare import rq_words

    m, s = 1 << 30, -8
    words = rq_words([m], [s], [1 << 20], output_offset=-128)
    assert list(words) == [m, (1 << 7) + (-128 << 8), -1, 8 << 8]
    assert list(rq_words([m], [3], [1000])) == [m, 0, 0, 3]  # left shift: no rounding term
    assert rq_words([m], [0], [(1 << 31) - 1]) is not None
    assert rq_words([m], [1], [1 << 30]) is None  # acc << left leaves int32
    assert rq_words([(1 << 31) - 1], [-31], [(1 << 31) - 1], output_offset=0) is None  # hi + round overflows
    assert rq_words([m, m], [-2, -2], [10, 1 << 31]) is None  # one channel is enough to refuse


def test_python_multiply_by_quantized_multiplier_equals_the_c_reference(tmp_path):
    import random
    import subprocess

    from tinygen.ops.prepare import multiply_by_quantized_multiplier
    from tinygen.resources import firmware_dir

    rnd = random.Random(7)
    cases = []
    for _ in range(5000):
        x, m, s = rnd.randint(-(1 << 31), (1 << 31) - 1) >> rnd.randint(0, 30), rnd.randint(1 << 30, (1 << 31) - 1), \
            rnd.randint(-31, 8)
        cases.append((x >> s if s > 0 else x, m, s))
    cases += [(-(1 << 31), 1 << 30, 0), ((1 << 31) - 1, (1 << 31) - 1, -1), (0, 1 << 30, -31), (-1, 1 << 30, -1)]
    src = tmp_path / "t.c"
    src.write_text('#include <stdio.h>\n#include "tg_common.h"\nint main(void) { long x, m, s;\n'
                   '  while (scanf("%ld %ld %ld", &x, &m, &s) == 3)\n'
                   '    printf("%ld\\n", (long)tg_requantize_reference((int32_t)x, (int32_t)m, (int32_t)s));\n'
                   '  return 0; }\n')
    subprocess.run(["cc", "-O2", f"-I{firmware_dir() / 'runtime' / 'include'}", str(src), "-o", str(tmp_path / "t")],
                   check=True)
    out = subprocess.run([str(tmp_path / "t")], input="\n".join(f"{x} {m} {s}" for x, m, s in cases),
                         capture_output=True, text=True, check=True).stdout.split()
    assert [int(v) for v in out] == [multiply_by_quantized_multiplier(*c) for c in cases]
