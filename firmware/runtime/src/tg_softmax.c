#include "tg_softmax.h"

#include "tg_fixedpoint.h"

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
                sum_of_exps = tg_wrap_add(sum_of_exps, tg_rounding_divide_by_pot(tg_fx_exp_on_negative_values(scaled, 5), 12));
            }
        }
        headroom_plus_one = count_leading_zeros((uint32_t)sum_of_exps);
        num_bits_over_unit = 12 - headroom_plus_one;
        shifted_scale = tg_fx_one_over_one_plus_x(
            (int32_t)(((uint32_t)sum_of_exps << headroom_plus_one) - ((uint32_t)1 << 31)));
        /* TFLM aborts when the sum of exps reaches 512 (exponent > 31: only possible with 512 or
         * more classes); we clamp instead of shifting out of range. */
        exponent = tg_min_i32(num_bits_over_unit + 31 - 8, 31);
        for (c = 0; c < p->depth; ++c) {
            const int32_t diff = (int32_t)in[c] - max_in_row;
            if (diff >= p->diff_min) {
                const int32_t scaled = tg_sat_rounding_doubling_high_mul(
                    (int32_t)((uint32_t)diff << p->input_left_shift), p->input_multiplier);
                const int32_t e = tg_fx_exp_on_negative_values(scaled, 5);
                const int32_t unsat = tg_rounding_divide_by_pot(tg_fx_mul(shifted_scale, e), exponent);
                out[c] = (int8_t)tg_clamp_i32(unsat - 128, -128, 127);
            } else {
                out[c] = -128;
            }
        }
    }
}
