#include "tg_squared_difference.h"

/* |scaled input| <= 255 * 2^7 / 2, so the difference is below 2^15 and its square below 2^30:
 * the int32 arithmetic TFLM does cannot overflow. */
TG_INLINE int8_t squared_difference_one(const tg_squared_difference_params *p, int32_t a, int32_t b)
{
    const int32_t x = tg_requantize((a + p->input1_offset) * (1 << p->left_shift), p->input1_multiplier,
                                    p->input1_shift);
    const int32_t y = tg_requantize((b + p->input2_offset) * (1 << p->left_shift), p->input2_multiplier,
                                    p->input2_shift);
    const int32_t d = x - y;
    const int32_t out = tg_requantize(d * d, p->output_multiplier, p->output_shift) + p->output_offset;
    return (int8_t)tg_clamp_i32(out, -128, 127);
}

void tg_squared_difference_s8(const tg_squared_difference_params *p, const int8_t *input1, const int8_t *input2,
                              int8_t *output)
{
    const int32_t *d = p->dims, *s1 = p->stride1, *s2 = p->stride2;
    int32_t i0, i1, i2, i3, i4, i5;
    if (!p->broadcast) {
        for (i0 = 0; i0 < p->size; ++i0) {
            output[i0] = squared_difference_one(p, input1[i0], input2[i0]);
        }
        return;
    }
    /* Six nested loops over the output; each input advances by its own strides. */
    for (i0 = 0; i0 < d[0]; ++i0)
        for (i1 = 0; i1 < d[1]; ++i1)
            for (i2 = 0; i2 < d[2]; ++i2)
                for (i3 = 0; i3 < d[3]; ++i3)
                    for (i4 = 0; i4 < d[4]; ++i4) {
                        const int8_t *a = input1 + i0 * s1[0] + i1 * s1[1] + i2 * s1[2] + i3 * s1[3] + i4 * s1[4];
                        const int8_t *b = input2 + i0 * s2[0] + i1 * s2[1] + i2 * s2[2] + i3 * s2[3] + i4 * s2[4];
                        for (i5 = 0; i5 < d[5]; ++i5) {
                            *output++ = squared_difference_one(p, a[i5 * s1[5]], b[i5 * s2[5]]);
                        }
                    }
}
