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

/* TFLM's Softmax<int8_t, OutputT>: one of out8 / out16 is set; the output type decides the final
 * shift (31 - its bits) and the offset (its minimum). */
static void softmax_rows(const tg_softmax_params *p, const int8_t *input, int8_t *out8, int16_t *out16)
{
    const int32_t out_bits = out16 ? 16 : 8, out_min = out16 ? -32768 : -128, out_max = out16 ? 32767 : 127;
    int32_t i, c;
    for (i = 0; i < p->outer_size; ++i) {
        const int8_t *in = input + i * p->depth;
        const int32_t row = i * p->depth;
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
        exponent = tg_min_i32(num_bits_over_unit + 31 - out_bits, 31);
        for (c = 0; c < p->depth; ++c) {
            const int32_t diff = (int32_t)in[c] - max_in_row;
            if (diff >= p->diff_min) {
                const int32_t scaled = tg_sat_rounding_doubling_high_mul(
                    (int32_t)((uint32_t)diff << p->input_left_shift), p->input_multiplier);
                const int32_t e = tg_fx_exp_on_negative_values(scaled, 5);
                const int32_t unsat = tg_rounding_divide_by_pot(tg_fx_mul(shifted_scale, e), exponent);
                const int32_t v = tg_clamp_i32(unsat + out_min, out_min, out_max);
                if (out16) {
                    out16[row + c] = (int16_t)v;
                } else {
                    out8[row + c] = (int8_t)v;
                }
            } else if (out16) {
                out16[row + c] = -32768;
            } else {
                out8[row + c] = -128;
            }
        }
    }
}

void tg_softmax_s8(const tg_softmax_params *p, const int8_t *input, int8_t *output)
{
    softmax_rows(p, input, output, NULL);
}

void tg_softmax_s8_s16(const tg_softmax_params *p, const int8_t *input, int16_t *output)
{
    softmax_rows(p, input, NULL, output);
}
