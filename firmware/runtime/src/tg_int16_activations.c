/* RELU, RELU6, LEAKY_RELU, LOGISTIC, TANH and SOFTMAX on int16 (TFLM's ReluQuantized<int16_t>,
 * Relu6Quantized<int16_t>, QuantizeLeakyRelu<int16_t>, the int16 Logistic and Tanh, SoftmaxInt16). */
#include "tg_int16.h"
#include "tg_sigmoid_s16.h"

void tg_relu_s16(const tg_relu_s16_params *p, const int16_t *input, int16_t *output)
{
    int32_t i;
    for (i = 0; i < p->size; ++i) {
        const int32_t x = (int32_t)input[i] - p->input_zero_point;
        const int32_t v = p->output_zero_point + tg_requantize(x, p->multiplier, p->shift);
        output[i] = (int16_t)tg_clamp_i32(v, p->act_min, p->act_max);
    }
}

void tg_leaky_relu_s16(const tg_leaky_relu_s16_params *p, const int16_t *input, int16_t *output)
{
    int32_t i;
    for (i = 0; i < p->size; ++i) {
        const int32_t x = (int32_t)input[i] - p->input_zero_point;
        const int32_t v = p->output_zero_point + (x >= 0 ? tg_requantize(x, p->multiplier, p->shift)
                                                         : tg_requantize(x, p->alpha_multiplier, p->alpha_shift));
        output[i] = (int16_t)tg_clamp_i32(v, INT16_MIN, INT16_MAX);
    }
}

void tg_clamp_s16(const tg_clamp_s16_params *p, const int16_t *input, int16_t *output)
{
    int32_t i;
    for (i = 0; i < p->size; ++i) {
        output[i] = (int16_t)tg_clamp_i32(input[i], p->act_min, p->act_max);
    }
}

void tg_logistic_s16(const tg_sigmoidal_s16_params *p, const int16_t *input, int16_t *output)
{
    int32_t i;
    for (i = 0; i < p->size; ++i) {
        output[i] = tg_sigmoid_s16_scaled(tg_sigmoidal_input_s16(input[i], p->multiplier, p->shift));
    }
}

void tg_tanh_s16(const tg_sigmoidal_s16_params *p, const int16_t *input, int16_t *output)
{
    int32_t i;
    for (i = 0; i < p->size; ++i) {
        output[i] = tg_tanh_s16_scaled(tg_sigmoidal_input_s16(input[i], p->multiplier, p->shift));
    }
}

/* TFLM's generic_int16_table_lookup: 512 intervals over the int16 range, linear in each. */
TG_INLINE int16_t lut_s16(int16_t value, const int16_t *lut)
{
    const int32_t index = 256 + (value >> 7);
    const int32_t offset = value & 0x7f;
    const int16_t slope = (int16_t)(lut[index + 1] - lut[index]);
    return (int16_t)(lut[index] + ((slope * offset + 64) >> 7));
}

TG_INLINE int32_t clz_u32(uint32_t x)
{
    int32_t n = 0;
    if (x == 0) {
        return 32;
    }
    while (!(x & 0x80000000u)) {
        x <<= 1;
        ++n;
    }
    return n;
}

void tg_softmax_s16(const tg_softmax_s16_params *p, const int16_t *input, int16_t *output)
{
    int32_t i, c;
    for (i = 0; i < p->outer_size; ++i) {
        const int16_t *x = input + i * p->depth;
        int16_t *exps = output + i * p->depth; /* the exps wait in the output row, as in TFLM */
        int16_t max_in_row = INT16_MIN, reciprocal;
        int32_t sum = 0, headroom_plus_one, shifted, right;
        int64_t round;
        for (c = 0; c < p->depth; ++c) {
            max_in_row = x[c] > max_in_row ? x[c] : max_in_row;
        }
        for (c = 0; c < p->depth; ++c) {
            const int32_t scaled = tg_requantize((int32_t)x[c] - max_in_row, p->input_multiplier, p->input_left_shift);
            exps[c] = lut_s16((int16_t)tg_clamp_i32(scaled + 32767, INT16_MIN, INT16_MAX), p->exp_lut);
            sum += exps[c];
        }
        headroom_plus_one = clz_u32((uint32_t)sum);
        shifted = (int32_t)((((int64_t)sum << (headroom_plus_one - 1)) + (1 << 13)) >> 14);
        reciprocal = lut_s16((int16_t)tg_clamp_i32(shifted - ((1 << 15) + (1 << 16)), INT16_MIN, INT16_MAX),
                             p->one_over_one_plus_x_lut);
        right = 31 - headroom_plus_one;
        round = (int64_t)1 << (right - 1);
        for (c = 0; c < p->depth; ++c) {
            const int32_t r = (int32_t)(((int64_t)exps[c] * reciprocal + round) >> right);
            output[i * p->depth + c] = (int16_t)tg_clamp_i32(r, 0, 32767);
        }
    }
}
