/* ADD, SUB, MUL, MAXIMUM and MINIMUM on int16 (TFLM's reference_ops Add/Sub with general scales,
 * reference_integer_ops Mul, raw comparisons): the int8 arithmetic with int16 ranges, the inputs shifted left by
 * 15 bits for ADD/SUB (tg_binary_params.left_shift). */
#include "tg_int16.h"

TG_INLINE int16_t one_s16(const tg_binary_params *p, int32_t a, int32_t b)
{
    int32_t x, y, out;
    if (p->op == TG_BINARY_MAX) {
        return (int16_t)(a > b ? a : b);
    }
    if (p->op == TG_BINARY_MIN) {
        return (int16_t)(a < b ? a : b);
    }
    if (p->op == TG_BINARY_MUL) {
        out = tg_requantize((a + p->input1_offset) * (b + p->input2_offset), p->output_multiplier,
                            p->output_shift) + p->output_offset;
        return (int16_t)tg_clamp_i32(out, p->act_min, p->act_max);
    }
    x = tg_requantize((int32_t)((uint32_t)(a + p->input1_offset) << p->left_shift),
                      p->input1_multiplier, p->input1_shift);
    y = tg_requantize((int32_t)((uint32_t)(b + p->input2_offset) << p->left_shift),
                      p->input2_multiplier, p->input2_shift);
    out = tg_requantize(p->op == TG_BINARY_SUB ? tg_wrap_sub(x, y) : tg_wrap_add(x, y), p->output_multiplier,
                        p->output_shift) + p->output_offset;
    return (int16_t)tg_clamp_i32(out, p->act_min, p->act_max);
}

void tg_binary_s16(const tg_binary_params *p, const int16_t *input1, const int16_t *input2, int16_t *output)
{
    int32_t i0, i1, i2, i3, i4, i5;
    if (!p->broadcast) {
        for (i0 = 0; i0 < p->size; ++i0) {
            output[i0] = one_s16(p, input1[i0], input2[i0]);
        }
        return;
    }
    for (i0 = 0; i0 < p->dims[0]; ++i0)
        for (i1 = 0; i1 < p->dims[1]; ++i1)
            for (i2 = 0; i2 < p->dims[2]; ++i2)
                for (i3 = 0; i3 < p->dims[3]; ++i3)
                    for (i4 = 0; i4 < p->dims[4]; ++i4) {
                        const int32_t *s1 = p->stride1, *s2 = p->stride2;
                        const int16_t *a = input1 + i0 * s1[0] + i1 * s1[1] + i2 * s1[2] + i3 * s1[3] + i4 * s1[4];
                        const int16_t *b = input2 + i0 * s2[0] + i1 * s2[1] + i2 * s2[2] + i3 * s2[3] + i4 * s2[4];
                        for (i5 = 0; i5 < p->dims[5]; ++i5) {
                            *output++ = one_s16(p, a[i5 * s1[5]], b[i5 * s2[5]]);
                        }
                    }
}
