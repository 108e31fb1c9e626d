#include "tg_shape_ops.h"

#include <string.h>

void tg_mean_s8(const tg_mean_params *p, const int8_t *input, int8_t *output, int32_t *sums)
{
    const int32_t *d = p->dims, *s = p->out_strides;
    int32_t i0, i1, i2, i3, i4, i5, i;
    for (i = 0; i < p->num_outputs; ++i) {
        sums[i] = 0;
    }
    /* Walk the input in memory order; each element adds into the output it reduces to. */
    for (i0 = 0; i0 < d[0]; ++i0)
        for (i1 = 0; i1 < d[1]; ++i1)
            for (i2 = 0; i2 < d[2]; ++i2)
                for (i3 = 0; i3 < d[3]; ++i3)
                    for (i4 = 0; i4 < d[4]; ++i4) {
                        int32_t *acc = sums + i0 * s[0] + i1 * s[1] + i2 * s[2] + i3 * s[3] + i4 * s[4];
                        for (i5 = 0; i5 < d[5]; ++i5) {
                            acc[i5 * s[5]] = tg_wrap_add(acc[i5 * s[5]], *input++);
                        }
                    }
    for (i = 0; i < p->num_outputs; ++i) {
        const int32_t centred = tg_wrap_sub(sums[i], p->input_zero_point * p->count);
        const int32_t v = tg_requantize(centred, p->multiplier, p->shift) + p->output_zero_point;
        output[i] = (int8_t)tg_clamp_i32(v, -128, 127);
    }
}

void tg_pad_s8(const tg_pad_params *p, const int8_t *input, int8_t *output)
{
    const int32_t *o = p->out_dims, *b = p->before, *n = p->in_dims;
    const int8_t pad = (int8_t)p->pad_value;
    int32_t i0, i1, i2, i3, i4, i5;
    for (i0 = 0; i0 < o[0]; ++i0)
        for (i1 = 0; i1 < o[1]; ++i1)
            for (i2 = 0; i2 < o[2]; ++i2)
                for (i3 = 0; i3 < o[3]; ++i3)
                    for (i4 = 0; i4 < o[4]; ++i4) {
                        const int inside = i0 >= b[0] && i0 < b[0] + n[0] && i1 >= b[1] && i1 < b[1] + n[1] &&
                                           i2 >= b[2] && i2 < b[2] + n[2] && i3 >= b[3] && i3 < b[3] + n[3] &&
                                           i4 >= b[4] && i4 < b[4] + n[4];
                        if (!inside) {
                            memset(output, pad, (size_t)o[5]);
                            output += o[5];
                            continue;
                        }
                        for (i5 = 0; i5 < b[5]; ++i5) {
                            *output++ = pad;
                        }
                        memcpy(output, input, (size_t)n[5]);
                        output += n[5];
                        input += n[5];
                        for (i5 = b[5] + n[5]; i5 < o[5]; ++i5) {
                            *output++ = pad;
                        }
                    }
}

void tg_concatenation_s8(const tg_concat_params *p, const int8_t *const *inputs, int8_t *output)
{
    int32_t k, i;
    for (k = 0; k < p->outer; ++k) {
        int8_t *out = output + k * p->out_inner_bytes;
        for (i = 0; i < p->num_inputs; ++i) {
            const int32_t n = p->inner_bytes[i];
            memcpy(out, inputs[i] + k * n, (size_t)n);
            out += n;
        }
    }
}

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

void tg_gather_s8(const tg_gather_params *p, const int8_t *input, int8_t *output)
{
    const int32_t *o = p->out_dims, *s = p->in_strides;
    int32_t i0, i1, i2, i3, i4, i5;
    for (i0 = 0; i0 < o[0]; ++i0)
        for (i1 = 0; i1 < o[1]; ++i1)
            for (i2 = 0; i2 < o[2]; ++i2)
                for (i3 = 0; i3 < o[3]; ++i3)
                    for (i4 = 0; i4 < o[4]; ++i4) {
                        const int8_t *in = input + p->base + i0 * s[0] + i1 * s[1] + i2 * s[2] + i3 * s[3] + i4 * s[4];
                        for (i5 = 0; i5 < o[5]; ++i5) {
                            *output++ = in[i5 * s[5]];
                        }
                    }
}

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

int32_t tg_mean_scratch_bytes(const tg_mean_params *p)
{
    return 4 * p->num_outputs; /* int32 sums */
}
