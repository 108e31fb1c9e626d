#include "tg_transpose_conv.h"

#include <string.h>

void tg_transpose_conv_s8(const tg_transpose_conv_params *p, const int8_t *input, const int8_t *weights,
                          const int32_t *bias, int8_t *output, int32_t *scratch)
{
    const int32_t in_c = p->in_c, out_c = p->out_c, off = p->input_offset;
    const int32_t tap_stride = p->k_h * p->k_w * in_c; /* from one output channel's filter to the next */
    const int32_t out_pixels = p->out_h * p->out_w;
    int32_t b, iy, ix, fy, fx, oc, ic, i;
    for (b = 0; b < p->batches; ++b) {
        int32_t *acc = scratch;
        memset(acc, 0, (size_t)out_pixels * (size_t)out_c * sizeof(int32_t));
        for (iy = 0; iy < p->in_h; ++iy) {
            for (ix = 0; ix < p->in_w; ++ix) {
                const int8_t *x = input + ((b * p->in_h + iy) * p->in_w + ix) * in_c;
                for (fy = 0; fy < p->k_h; ++fy) {
                    const int32_t oy = iy * p->stride_h - p->pad_top + fy;
                    if (oy < 0 || oy >= p->out_h) {
                        continue;
                    }
                    for (fx = 0; fx < p->k_w; ++fx) {
                        const int32_t ox = ix * p->stride_w - p->pad_left + fx;
                        int32_t *a;
                        const int8_t *w;
                        if (ox < 0 || ox >= p->out_w) {
                            continue;
                        }
                        a = acc + (oy * p->out_w + ox) * out_c;
                        w = weights + (fy * p->k_w + fx) * in_c;
                        for (oc = 0; oc < out_c; ++oc, w += tap_stride) {
                            int32_t sum = 0;
                            for (ic = 0; ic < in_c; ++ic) {
                                sum += ((int32_t)x[ic] + off) * w[ic];
                            }
                            a[oc] = tg_wrap_add(a[oc], sum);
                        }
                    }
                }
            }
        }
        for (i = 0; i < out_pixels * out_c; ++i) {
            const int32_t c = i % out_c;
            const int32_t v = bias ? tg_wrap_add(acc[i], bias[c]) : acc[i];
            const int32_t r = tg_requantize(v, p->multiplier[c], p->shift[c]) + p->output_offset;
            output[b * out_pixels * out_c + i] = (int8_t)tg_clamp_i32(r, p->act_min, p->act_max);
        }
    }
}

int32_t tg_transpose_conv_scratch_bytes(const tg_transpose_conv_params *p)
{
    return 4 * p->batches * p->out_h * p->out_w * p->out_c; /* int32 accumulators */
}
