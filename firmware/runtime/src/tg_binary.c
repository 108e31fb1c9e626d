#include "tg_binary.h"

TG_INLINE int8_t add_one(const tg_binary_params *p, int32_t a, int32_t b)
{
    int32_t x, y, raw, out;
    switch (p->op) {
    case TG_BINARY_MUL:
        out = tg_requantize((a + p->input1_offset) * (b + p->input2_offset), p->output_multiplier,
                            p->output_shift) + p->output_offset;
        return (int8_t)tg_clamp_i32(out, p->act_min, p->act_max);
    case TG_BINARY_MAX:
        return (int8_t)(a > b ? a : b);
    case TG_BINARY_MIN:
        return (int8_t)(a < b ? a : b);
    default:
        break;
    }
    x = tg_requantize((int32_t)((uint32_t)(a + p->input1_offset) << p->left_shift),
                                    p->input1_multiplier, p->input1_shift);
    y = tg_requantize((int32_t)((uint32_t)(b + p->input2_offset) << p->left_shift),
                                    p->input2_multiplier, p->input2_shift);
    raw = p->op == TG_BINARY_SUB ? x - y : x + y;
    out = tg_requantize(raw, p->output_multiplier, p->output_shift) + p->output_offset;
    return (int8_t)tg_clamp_i32(out, p->act_min, p->act_max);
}

void tg_binary_s8(const tg_binary_params *p, const int8_t *input1, const int8_t *input2, int8_t *output)
{
    int32_t i0, i1, i2, i3, i4, i5;
    if (!p->broadcast) {
        for (i0 = 0; i0 < p->size; ++i0) {
            output[i0] = add_one(p, input1[i0], input2[i0]);
        }
        return;
    }
    /* Six nested loops over the output; each input advances by its own strides. */
    for (i0 = 0; i0 < p->dims[0]; ++i0)
        for (i1 = 0; i1 < p->dims[1]; ++i1)
            for (i2 = 0; i2 < p->dims[2]; ++i2)
                for (i3 = 0; i3 < p->dims[3]; ++i3)
                    for (i4 = 0; i4 < p->dims[4]; ++i4) {
                        const int32_t *s1 = p->stride1, *s2 = p->stride2;
                        const int8_t *a = input1 + i0 * s1[0] + i1 * s1[1] + i2 * s1[2] + i3 * s1[3] + i4 * s1[4];
                        const int8_t *b = input2 + i0 * s2[0] + i1 * s2[1] + i2 * s2[2] + i3 * s2[3] + i4 * s2[4];
                        for (i5 = 0; i5 < p->dims[5]; ++i5) {
                            *output++ = add_one(p, a[i5 * s1[5]], b[i5 * s2[5]]);
                        }
                    }
}

/* floor((x * m + 2^31) / 2^32): SMMULR where the core has it. */
TG_INLINE int32_t mul_high_round(int32_t x, int32_t m)
{
#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP
    int32_t r;
    __asm__("smmulr %0, %1, %2" : "=r"(r) : "r"(x), "r"(m));
    return r;
#else
    return (int32_t)(((int64_t)x * m + ((int64_t)1 << 31)) >> 32);
#endif
}

void tg_add_lut_s8(const tg_add_lut_params *p, const int8_t *input1, const int8_t *input2, int8_t *output)
{
    /* Locals, not p->...: int8 stores may alias anything, which would force reloads. */
    const int32_t *l1 = p->lut1 + 128, *l2 = p->lut2 + 128;
    const int32_t m = p->multiplier, rnd = p->round, neg = p->neg, right = p->right;
    const int32_t act_min = p->act_min, act_max = p->act_max;
    const int8_t *end = input1 + p->size;
    if (act_max == 127) { /* the upper clamp is a saturation */
        while (input1 != end) {
            const int32_t hi = mul_high_round(l1[*input1++] + l2[*input2++], m);
            const int32_t v = (hi + rnd + ((hi >> 31) & neg)) >> right;
            *output++ = (int8_t)tg_sat_i8(tg_max_i32(v, act_min));
        }
        return;
    }
    while (input1 != end) {
        const int32_t hi = mul_high_round(l1[*input1++] + l2[*input2++], m);
        const int32_t v = (hi + rnd + ((hi >> 31) & neg)) >> right;
        *output++ = (int8_t)tg_clamp_i32(v, act_min, act_max);
    }
}
