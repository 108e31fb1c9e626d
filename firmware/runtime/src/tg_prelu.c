#include "tg_prelu.h"

static int8_t prelu_one(const tg_prelu_params *p, int8_t x, int8_t a)
{
    const int32_t v = p->input_offset + x;
    const int32_t r = v >= 0 ? tg_requantize(v, p->multiplier_pos, p->shift_pos)
                             : tg_requantize(v * (p->alpha_offset + a), p->multiplier_neg, p->shift_neg);
    return (int8_t)tg_clamp_i32(r + p->output_offset, -128, 127);
}

void tg_prelu_s8(const tg_prelu_params *p, const int8_t *input, const int8_t *alpha, int8_t *output)
{
    const int32_t *d = p->dims, *sx = p->stride_x, *sa = p->stride_alpha;
    int32_t i0, i1, i2, i3, i4, i5;
    for (i0 = 0; i0 < d[0]; ++i0)
        for (i1 = 0; i1 < d[1]; ++i1)
            for (i2 = 0; i2 < d[2]; ++i2)
                for (i3 = 0; i3 < d[3]; ++i3)
                    for (i4 = 0; i4 < d[4]; ++i4) {
                        const int8_t *x = input + i0 * sx[0] + i1 * sx[1] + i2 * sx[2] + i3 * sx[3] + i4 * sx[4];
                        const int8_t *a = alpha + i0 * sa[0] + i1 * sa[1] + i2 * sa[2] + i3 * sa[3] + i4 * sa[4];
                        for (i5 = 0; i5 < d[5]; ++i5) {
                            *output++ = prelu_one(p, x[i5 * sx[5]], a[i5 * sa[5]]);
                        }
                    }
}
