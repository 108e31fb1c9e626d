/* QUANTIZE float32 -> int16 and DEQUANTIZE int16 -> float32 (TFLM's AffineQuantize and
 * Dequantize): the float steps of tg_quantize_f32 and tg_dequantize_s8, with int16's range. */
#include "tg_int16.h"

/* std::round on a float without libm: halves away from zero (as tg_quantize.c's). */
static int32_t round_half_away_s16(float v)
{
    int32_t i;
    float frac;
    if (v >= 2147483520.0f) {
        return INT32_MAX;
    }
    if (v <= -2147483648.0f) {
        return INT32_MIN;
    }
    i = (int32_t)v;
    frac = v - (float)i;
    if (frac >= 0.5f) {
        ++i;
    } else if (frac <= -0.5f) {
        --i;
    }
    return i;
}

void tg_quantize_f32_s16(const tg_float_quant_params *p, const float *input, int16_t *output)
{
    int32_t i;
    for (i = 0; i < p->size; ++i) {
        const int64_t q = (int64_t)round_half_away_s16(input[i] / p->scale) + p->zero_point;
        output[i] = (int16_t)(q < INT16_MIN ? INT16_MIN : (q > INT16_MAX ? INT16_MAX : q));
    }
}

void tg_dequantize_s16(const tg_float_quant_params *p, const int16_t *input, float *output)
{
    const double scale = (double)p->scale;
    int32_t i;
    for (i = 0; i < p->size; ++i) {
        output[i] = (float)(scale * (double)(input[i] - p->zero_point));
    }
}
