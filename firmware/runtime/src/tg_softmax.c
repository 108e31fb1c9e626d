#include "tg_softmax.h"

/* Fixed-point values carry their integer-bit count in comments: F0 = Q0.31, F2 = Q2.29,
 * F5 = Q5.26 (the scaled input difference), F12 = Q12.19 (the sum of exps). */

#define TG_F0_ONE INT32_MAX

static int32_t fx_mul(int32_t a, int32_t b) { return tg_sat_rounding_doubling_high_mul(a, b); }

/* exp(a) for a in [-1/4, 0), a in F0. */
static int32_t exp_quarter_f0(int32_t a)
{
    const int32_t constant_term = 1895147668;    /* exp(-1/8) */
    const int32_t constant_1_over_3 = 715827883; /* 1/3 */
    const int32_t x = tg_wrap_add(a, 1 << 28);   /* a + 1/8 */
    const int32_t x2 = fx_mul(x, x);
    const int32_t x3 = fx_mul(x2, x);
    const int32_t x4 = fx_mul(x2, x2);
    const int32_t x4_over_4 = tg_rounding_divide_by_pot(x4, 2);
    const int32_t poly = tg_rounding_divide_by_pot(
        tg_wrap_add(fx_mul(tg_wrap_add(x4_over_4, x3), constant_1_over_3), x2), 1);
    return tg_wrap_add(constant_term, fx_mul(constant_term, tg_wrap_add(x, poly)));
}

/* exp(a) for a <= 0, a in F5, result in F0. */
static int32_t exp_negative_f5(int32_t a)
{
    static const int32_t multipliers[7] = {1672461947, 1302514674, 790015084, 290630308, 39332535, 720401, 242};
    const int32_t one_quarter = 1 << 24;
    const int32_t mask = one_quarter - 1;
    const int32_t a_mod_quarter_minus_quarter = tg_wrap_sub(a & mask, one_quarter);
    int32_t result = exp_quarter_f0(tg_sat_shift_left(a_mod_quarter_minus_quarter, 5));
    const int32_t remainder = tg_wrap_sub(a_mod_quarter_minus_quarter, a);
    int i;
    for (i = 0; i < 7; ++i) {
        if (remainder & (1 << (24 + i))) {
            result = fx_mul(result, multipliers[i]);
        }
    }
    return a == 0 ? TG_F0_ONE : result;
}

/* 1 / (1 + x) for x in [0, 1), x and result in F0 (Newton-Raphson, as gemmlowp). */
static int32_t one_over_one_plus_x_f0(int32_t a)
{
    const int64_t sum = (int64_t)a + TG_F0_ONE;
    const int32_t half_denominator = (int32_t)((sum + (sum >= 0 ? 1 : -1)) / 2);
    const int32_t constant_48_over_17 = 1515870810;      /* F2 */
    const int32_t constant_neg_32_over_17 = -1010580540; /* F2 */
    const int32_t f2_one = 1 << 29;
    int32_t x = tg_wrap_add(constant_48_over_17, fx_mul(half_denominator, constant_neg_32_over_17));
    int i;
    for (i = 0; i < 3; ++i) {
        const int32_t hd_x = fx_mul(half_denominator, x);
        const int32_t one_minus = tg_wrap_sub(f2_one, hd_x);
        x = tg_wrap_add(x, tg_sat_shift_left(fx_mul(x, one_minus), 2));
    }
    return tg_sat_shift_left(x, 1);
}

static int count_leading_zeros(uint32_t x)
{
#if defined(__GNUC__)
    return x ? __builtin_clz(x) : 32;
#else
    int n = 0;
    if (!x) return 32;
    while (!(x & 0x80000000u)) { x <<= 1; ++n; }
    return n;
#endif
}

void tg_softmax_s8(const tg_softmax_params *p, const int8_t *input, int8_t *output)
{
    int32_t i, c;
    for (i = 0; i < p->outer_size; ++i) {
        const int8_t *in = input + i * p->depth;
        int8_t *out = output + i * p->depth;
        int32_t max_in_row = -128, sum_of_exps = 0, shifted_scale, exponent;
        int headroom_plus_one, num_bits_over_unit;
        for (c = 0; c < p->depth; ++c) {
            max_in_row = tg_max_i32(max_in_row, in[c]);
        }
        for (c = 0; c < p->depth; ++c) {
            const int32_t diff = (int32_t)in[c] - max_in_row;
            if (diff >= p->diff_min) {
                const int32_t scaled = tg_sat_rounding_doubling_high_mul(
                    (int32_t)((uint32_t)diff << p->input_left_shift), p->input_multiplier);
                sum_of_exps = tg_wrap_add(sum_of_exps, tg_rounding_divide_by_pot(exp_negative_f5(scaled), 12));
            }
        }
        headroom_plus_one = count_leading_zeros((uint32_t)sum_of_exps);
        num_bits_over_unit = 12 - headroom_plus_one;
        shifted_scale = one_over_one_plus_x_f0(
            (int32_t)(((uint32_t)sum_of_exps << headroom_plus_one) - ((uint32_t)1 << 31)));
        /* TFLM aborts when the sum of exps reaches 512 (exponent > 31: only possible with 512 or
         * more classes); we clamp instead of shifting out of range. */
        exponent = tg_min_i32(num_bits_over_unit + 31 - 8, 31);
        for (c = 0; c < p->depth; ++c) {
            const int32_t diff = (int32_t)in[c] - max_in_row;
            if (diff >= p->diff_min) {
                const int32_t scaled = tg_sat_rounding_doubling_high_mul(
                    (int32_t)((uint32_t)diff << p->input_left_shift), p->input_multiplier);
                const int32_t e = exp_negative_f5(scaled);
                const int32_t unsat = tg_rounding_divide_by_pot(fx_mul(shifted_scale, e), exponent);
                out[c] = (int8_t)tg_clamp_i32(unsat - 128, -128, 127);
            } else {
                out[c] = -128;
            }
        }
    }
}
