/* MEAN on int16: tg_mean_s8's sums and requantization (TFLM's QuantizedMeanOrSum), int16 range. */
#include "tg_int16.h"

void tg_mean_s16(const tg_mean_params *p, const int16_t *input, int16_t *output, int32_t *sums)
{
    const int32_t *d = p->dims, *s = p->out_strides;
    int32_t i0, i1, i2, i3, i4, i5, i;
    for (i = 0; i < p->num_outputs; ++i) {
        sums[i] = 0;
    }
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
        const int32_t centred = tg_wrap_sub(sums[i], (int32_t)((uint32_t)p->input_zero_point * (uint32_t)p->count));
        const int32_t v = tg_requantize(centred, p->multiplier, p->shift) + p->output_zero_point;
        output[i] = (int16_t)tg_clamp_i32(v, INT16_MIN, INT16_MAX);
    }
}
