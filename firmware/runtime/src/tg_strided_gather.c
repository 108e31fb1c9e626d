#include "tg_strided_gather.h"

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
