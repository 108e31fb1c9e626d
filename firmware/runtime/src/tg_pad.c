#include "tg_pad.h"

#include <string.h>

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
