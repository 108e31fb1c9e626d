#include "tg_reduce_minmax.h"

void tg_reduce_minmax_s8(const tg_reduce_minmax_params *p, const int8_t *input, int8_t *output)
{
    const int32_t *d = p->dims, *s = p->out_strides;
    const int take_max = p->take_max;
    int32_t i0, i1, i2, i3, i4, i5, i;
    for (i = 0; i < p->num_outputs; ++i) {
        output[i] = (int8_t)(take_max ? -128 : 127); /* TFLM starts from the type's extreme */
    }
    /* Walk the input in memory order; each element competes for the output it reduces to. */
    for (i0 = 0; i0 < d[0]; ++i0)
        for (i1 = 0; i1 < d[1]; ++i1)
            for (i2 = 0; i2 < d[2]; ++i2)
                for (i3 = 0; i3 < d[3]; ++i3)
                    for (i4 = 0; i4 < d[4]; ++i4) {
                        int8_t *out = output + i0 * s[0] + i1 * s[1] + i2 * s[2] + i3 * s[3] + i4 * s[4];
                        for (i5 = 0; i5 < d[5]; ++i5) {
                            const int8_t v = *input++;
                            int8_t *o = out + i5 * s[5];
                            if (take_max ? v > *o : v < *o) {
                                *o = v;
                            }
                        }
                    }
}
