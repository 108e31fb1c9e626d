/* PAD, strided gathers (STRIDED_SLICE, TRANSPOSE), CONCATENATION, SPLIT/SPLIT_V/UNPACK and PACK on
 * int16 elements: the int8 kernels' loops, element for element (see tg_int16.h). */
#include "tg_int16.h"
#include <string.h>

void tg_pad_s16(const tg_pad_params *p, const int16_t *input, int16_t *output)
{
    const int32_t *o = p->out_dims, *b = p->before, *n = p->in_dims;
    const int16_t pad = (int16_t)p->pad_value;
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
                            for (i5 = 0; i5 < o[5]; ++i5) {
                                *output++ = pad;
                            }
                            continue;
                        }
                        for (i5 = 0; i5 < b[5]; ++i5) {
                            *output++ = pad;
                        }
                        memcpy(output, input, (size_t)n[5] * sizeof *input);
                        output += n[5];
                        input += n[5];
                        for (i5 = b[5] + n[5]; i5 < o[5]; ++i5) {
                            *output++ = pad;
                        }
                    }
}

void tg_gather_s16(const tg_gather_params *p, const int16_t *input, int16_t *output)
{
    const int32_t *o = p->out_dims, *s = p->in_strides;
    int32_t i0, i1, i2, i3, i4, i5;
    for (i0 = 0; i0 < o[0]; ++i0)
        for (i1 = 0; i1 < o[1]; ++i1)
            for (i2 = 0; i2 < o[2]; ++i2)
                for (i3 = 0; i3 < o[3]; ++i3)
                    for (i4 = 0; i4 < o[4]; ++i4) {
                        const int16_t *in = input + p->base + i0 * s[0] + i1 * s[1] + i2 * s[2] + i3 * s[3] + i4 * s[4];
                        for (i5 = 0; i5 < o[5]; ++i5) {
                            *output++ = in[i5 * s[5]];
                        }
                    }
}

void tg_concatenation_s16(const tg_concat_params *p, const int16_t *const *inputs, int16_t *output)
{
    int32_t k, i;
    for (k = 0; k < p->outer; ++k) {
        int16_t *out = output + k * p->out_inner_bytes;
        for (i = 0; i < p->num_inputs; ++i) {
            const int32_t n = p->inner_bytes[i];
            memcpy(out, inputs[i] + k * n, (size_t)n * sizeof *out);
            out += n;
        }
    }
}

void tg_split_s16(const tg_split_params *p, const int16_t *input, int16_t *const *outputs)
{
    int32_t o, k;
    for (o = 0; o < p->outer; ++o) {
        for (k = 0; k < p->num_outputs; ++k) {
            const int32_t run = p->sizes[k] * p->inner;
            memcpy(outputs[k] + o * run, input, (size_t)run * sizeof *input);
            input += run;
        }
    }
}

void tg_pack_s16(const tg_pack_params *p, const int16_t *const *inputs, int16_t *output)
{
    int32_t o, k;
    for (o = 0; o < p->outer; ++o) {
        for (k = 0; k < p->num_inputs; ++k) {
            memcpy(output, inputs[k] + o * p->inner, (size_t)p->inner * sizeof *output);
            output += p->inner;
        }
    }
}
