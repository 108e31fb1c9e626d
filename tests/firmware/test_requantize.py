"""tg_requantize (the fast form) and tg_requantize_rq (shifts prepared at generation time) equal the
gemmlowp formulation on edge and random values."""

import subprocess

from tinygen.resources import firmware_dir

PROGRAM = r"""
#include <stdio.h>
#include <stdlib.h>
#include "tg_common.h"

static uint64_t state = 88172645463325252ull;
static uint32_t next(void) { state ^= state << 13; state ^= state >> 7; state ^= state << 17; return (uint32_t)state; }

int main(void)
{
    static const int32_t xs[] = {0, 1, -1, 2, -2, INT32_MAX, INT32_MIN, INT32_MAX - 1, INT32_MIN + 1, 1 << 30, -(1 << 30),
                                 12345678, -12345678, 255, -256};
    static const int32_t ms[] = {0, 1 << 30, (1 << 30) + 1, INT32_MAX, INT32_MAX - 1, 1518500250, 1073741825};
    long n = 0, bad = 0;
    int32_t shift;
    unsigned i, j;
    for (i = 0; i < sizeof xs / sizeof xs[0]; ++i)
        for (j = 0; j < sizeof ms / sizeof ms[0]; ++j)
            for (shift = -31; shift <= 30; ++shift) {
                int32_t a = tg_requantize(xs[i], ms[j], shift), b = tg_requantize_reference(xs[i], ms[j], shift);
                ++n;
                if (a != b) { if (bad++ < 5) printf("x=%ld m=%ld s=%ld: %ld != %ld\n", (long)xs[i], (long)ms[j], (long)shift, (long)a, (long)b); }
            }
    for (i = 0; i < 3000000; ++i) {
        int32_t x = (int32_t)next(), m = (int32_t)(next() >> 1), s = (int32_t)(next() % 62) - 31;
        if (i & 1) x >>= next() % 31;
        if (s > 0) x >>= s;  /* keep x << s meaningful, as real accumulators are */
        ++n;
        if (tg_requantize(x, m, s) != tg_requantize_reference(x, m, s)) {
            if (bad++ < 5) printf("x=%ld m=%ld s=%ld\n", (long)x, (long)m, (long)s);
        }
    }
    for (i = 0; i < 3000000; ++i) {  /* the generation-time form, wherever its no-overflow condition holds */
        int32_t x = (int32_t)next(), m = (int32_t)(next() >> 1) | (1 << 30), s = (int32_t)(next() % 40) - 31;
        int32_t q[4], left = s > 0 ? s : 0, right = s > 0 ? 0 : -s, offset = (int32_t)(next() % 256) - 128;
        int64_t hi;
        x >>= next() % 31;
        if (s > 0) x >>= s;
        int64_t round = ((int64_t)1 << right >> 1) + (int64_t)offset * ((int64_t)1 << right);
        q[0] = m; q[2] = right ? -1 : 0; q[3] = left | (right << 8);
        hi = (((int64_t)(int32_t)((uint32_t)x << left) * m) + ((int64_t)1 << 30)) >> 31;
        if ((hi < 0 ? -hi : hi) + (round < 0 ? -round : round) + 1 >= ((int64_t)1 << 31)) continue;
        q[1] = (int32_t)round;
        ++n;
        if (tg_requantize_rq(x, q) != tg_requantize_reference(x, m, s) + offset) {
            if (bad++ < 5) printf("rq: x=%ld m=%ld s=%ld\n", (long)x, (long)m, (long)s);
        }
    }
    printf("%ld checked, %ld differ\n", n, bad);
    return bad != 0;
}
"""


def test_fast_requantize_matches_gemmlowp(tmp_path):
    src = tmp_path / "t.c"
    src.write_text(PROGRAM)
    inc = firmware_dir() / "runtime" / "include"
    exe = tmp_path / "t"
    subprocess.run(["cc", "-std=c99", "-O2", "-Wall", "-Wextra", "-Werror", "-fsanitize=undefined",
                    "-fno-sanitize-recover=all", f"-I{inc}", str(src), "-o", str(exe)], check=True)
    res = subprocess.run([str(exe)], capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr
    assert " 0 differ" in res.stdout
