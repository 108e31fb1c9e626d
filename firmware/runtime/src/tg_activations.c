#include "tg_activations.h"

#include "tg_fixedpoint.h"

/* gemmlowp SaturatingRoundingDoublingHighMul on int16. */
static int16_t srdhm16(int16_t a, int16_t b)
{
    int32_t ab, nudge;
    if (a == b && a == INT16_MIN) {
        return INT16_MAX;
    }
    ab = (int32_t)a * b;
    nudge = ab >= 0 ? (1 << 14) : (1 - (1 << 14));
    return (int16_t)((ab + nudge) / (1 << 15));
}

/* TFLM's non-rounding variant used for the final product in HardSwish. */
static int16_t doubling_high_mul16(int16_t a, int16_t b)
{
    if (a == b && a == INT16_MIN) {
        return INT16_MAX;
    }
    return (int16_t)(((int32_t)a * b) / (1 << 15));
}

static int16_t sat_left_shift16(int16_t v, int amount)
{
    const int32_t r = (int32_t)v * (1 << amount);
    return (int16_t)tg_clamp_i32(r, INT16_MIN, INT16_MAX);
}

/* gemmlowp's RoundingDivideByPOT instantiated for int16, exactly: its mask (1 << e) - 1 is
 * truncated to int16, so for e >= 16 it is -1 and every value rounds away from zero (to 1 or -1).
 * TFLM's HardSwish inherits that, and tiny input scales reach it. */
static int16_t rdbp16(int16_t x, int e)
{
    const int16_t mask = (int16_t)(uint16_t)(((uint64_t)1 << e) - 1u);
    const int16_t remainder = (int16_t)(x & mask);
    const int16_t threshold = (int16_t)((mask >> 1) + (x < 0 ? 1 : 0));
    return (int16_t)((x >> e) + (remainder > threshold ? 1 : 0));
}

static int8_t hard_swish(const tg_activation_params *p, int32_t in)
{
    const int16_t input_value = (int16_t)(in - p->input_zero_point);
    const int16_t hires = (int16_t)(input_value * (1 << 7));
    const int16_t preshift = srdhm16(hires, (int16_t)p->multiplier);
    int16_t reluish = hires;
    int16_t out;
    int32_t v;
    if (p->alpha_shift > 0) {
        reluish = sat_left_shift16(reluish, p->alpha_shift - 1);
    }
    reluish = srdhm16(reluish, (int16_t)p->alpha_multiplier);
    if (p->alpha_shift > 0) {
        reluish = sat_left_shift16(reluish, 1);
    }
    if (p->alpha_shift < 0) {
        reluish = rdbp16(reluish, -p->alpha_shift);
    }
    reluish = (int16_t)((reluish + (1 << 15)) >> 1);
    out = rdbp16(doubling_high_mul16(reluish, preshift), -p->shift);
    v = out + p->output_zero_point;
    return (int8_t)tg_clamp_i32(v, -128, 127);
}

void tg_activation_s8(const tg_activation_params *p, const int8_t *input, int8_t *output)
{
    int32_t i;
    for (i = 0; i < p->size; ++i) {
        const int32_t x = input[i] - p->input_zero_point;
        int32_t v;
        switch (p->kind) {
        case TG_ACT_RELU:
            v = p->output_zero_point + tg_requantize(x, p->multiplier, p->shift);
            output[i] = (int8_t)tg_clamp_i32(v, p->act_min, p->act_max);
            break;
        case TG_ACT_RELU6:
            output[i] = (int8_t)tg_clamp_i32(input[i], p->act_min, p->act_max);
            break;
        case TG_ACT_LEAKY_RELU:
            v = p->output_zero_point + (x >= 0 ? tg_requantize(x, p->multiplier, p->shift)
                                               : tg_requantize(x, p->alpha_multiplier, p->alpha_shift));
            output[i] = (int8_t)tg_clamp_i32(v, -128, 127);
            break;
        case TG_ACT_LOGISTIC:
            if (x <= -p->range_radius) {
                output[i] = -128;
            } else if (x >= p->range_radius) {
                output[i] = 127;
            } else {
                v = tg_rounding_divide_by_pot(tg_fx_logistic_f4(tg_requantize_reference(x, p->multiplier, p->shift)),
                                              31 - 8);
                output[i] = (int8_t)tg_clamp_i32(v - 128, -128, 127);
            }
            break;
        case TG_ACT_TANH:
            if (x <= -p->range_radius) {
                output[i] = -128;
            } else if (x >= p->range_radius) {
                output[i] = 127;
            } else {
                v = tg_rounding_divide_by_pot(tg_fx_tanh_f4(tg_requantize_reference(x, p->multiplier, p->shift)),
                                              31 - 7);
                output[i] = (int8_t)tg_clamp_i32(v, -128, 127);
            }
            break;
        default:
            output[i] = hard_swish(p, input[i]);
            break;
        }
    }
}
