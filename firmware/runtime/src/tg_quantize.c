#include "tg_quantize.h"

void tg_requantize_s8(const tg_requantize_params *p, const int8_t *input, int8_t *output)
{
    int32_t i;
    for (i = 0; i < p->size; ++i) {
        const int32_t v = tg_requantize(input[i] - p->input_zero_point, p->multiplier, p->shift) + p->output_zero_point;
        output[i] = (int8_t)tg_clamp_i32(v, -128, 127);
    }
}

/* int32 arithmetic wraps here (TFLM's would overflow, undefined, only for int32 extremes). */
#define TG_REQUANTIZE(name, in_t, out_t, lo, hi)                                                      \
    void name(const tg_requantize_params *p, const in_t *input, out_t *output)                        \
    {                                                                                                 \
        int32_t i;                                                                                    \
        for (i = 0; i < p->size; ++i) {                                                               \
            const int32_t x = tg_wrap_sub((int32_t)input[i], p->input_zero_point);                   \
            const int32_t v = tg_wrap_add(tg_requantize(x, p->multiplier, p->shift), p->output_zero_point); \
            output[i] = (out_t)tg_clamp_i32(v, lo, hi);                                               \
        }                                                                                             \
    }

TG_REQUANTIZE(tg_requantize_s16_s8, int16_t, int8_t, -128, 127)
TG_REQUANTIZE(tg_requantize_s16_s16, int16_t, int16_t, -32768, 32767)
TG_REQUANTIZE(tg_requantize_s16_s32, int16_t, int32_t, INT32_MIN, INT32_MAX)
TG_REQUANTIZE(tg_requantize_s8_s16, int8_t, int16_t, -32768, 32767)
TG_REQUANTIZE(tg_requantize_s8_s32, int8_t, int32_t, INT32_MIN, INT32_MAX)
TG_REQUANTIZE(tg_requantize_s32_s8, int32_t, int8_t, -128, 127)
TG_REQUANTIZE(tg_requantize_s32_s16, int32_t, int16_t, -32768, 32767)

void tg_dequantize_s8(const tg_float_quant_params *p, const int8_t *input, float *output)
{
    const double scale = (double)p->scale;
    int32_t i;
    for (i = 0; i < p->size; ++i) {
        output[i] = (float)(scale * (double)(input[i] - p->zero_point));
    }
}

/* std::round on a float without libm: halves away from zero. */
static int32_t round_half_away(float v)
{
    int32_t i;
    float frac;
    if (v >= 2147483520.0f) {
        return INT32_MAX;
    }
    if (v <= -2147483648.0f) {
        return INT32_MIN;
    }
    i = (int32_t)v; /* truncates toward zero */
    frac = v - (float)i; /* exact for |v| < 2^24; 0 above, where floats are integers */
    if (frac >= 0.5f) {
        ++i;
    } else if (frac <= -0.5f) {
        --i;
    }
    return i;
}

void tg_quantize_f32(const tg_float_quant_params *p, const float *input, int8_t *output)
{
    int32_t i;
    for (i = 0; i < p->size; ++i) {
        const int32_t v = round_half_away(input[i] / p->scale);
        /* saturating add: v may be INT32_MIN/MAX */
        const int64_t q = (int64_t)v + p->zero_point;
        output[i] = (int8_t)(q < -128 ? -128 : (q > 127 ? 127 : q));
    }
}
