/* CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED and TRANSPOSE_CONV on int16 activations and int8 weights: TFLM's
 * reference_integer_ops loops (see tg_int16.h). Zero padding: taps outside the image are skipped,
 * int16 activations having a zero point of 0. */
#include "tg_int16.h"

/* One output value from its accumulator: requantize, clamp. */
TG_INLINE int16_t finish64(int64_t acc, int32_t m, int32_t s, int32_t lo, int32_t hi)
{
    return (int16_t)tg_clamp_i32(tg_requantize_s64(acc, m, s), lo, hi);
}

TG_INLINE int16_t finish32(int32_t acc, int32_t m, int32_t s, int32_t lo, int32_t hi)
{
    return (int16_t)tg_clamp_i32(tg_requantize(acc, m, s), lo, hi);
}

void tg_conv_s16(const tg_conv_s16_params *p, const int16_t *input, const int8_t *filter,
                 const int64_t *bias64, const int32_t *bias32, int16_t *output)
{
    const int32_t fd = p->filter_in_c;
    const int32_t per_group = p->out_c / (p->in_c / fd);
    int32_t b, oy, ox, oc, ky, kx, ic;
    for (b = 0; b < p->batches; ++b) {
        const int16_t *in_b = input + b * p->in_h * p->in_w * p->in_c;
        for (oy = 0; oy < p->out_h; ++oy) {
            const int32_t y0 = oy * p->stride_h - p->pad_top;
            for (ox = 0; ox < p->out_w; ++ox) {
                const int32_t x0 = ox * p->stride_w - p->pad_left;
                for (oc = 0; oc < p->out_c; ++oc) {
                    const int32_t group_base = (oc / per_group) * fd;
                    int64_t acc64 = 0;
                    int32_t acc32 = 0;
                    for (ky = 0; ky < p->k_h; ++ky) {
                        const int32_t y = y0 + p->dil_h * ky;
                        if (y < 0 || y >= p->in_h) {
                            continue;
                        }
                        for (kx = 0; kx < p->k_w; ++kx) {
                            const int32_t x = x0 + p->dil_w * kx;
                            const int16_t *in_px;
                            const int8_t *w;
                            if (x < 0 || x >= p->in_w) {
                                continue;
                            }
                            in_px = in_b + (y * p->in_w + x) * p->in_c + group_base;
                            w = filter + ((oc * p->k_h + ky) * p->k_w + kx) * fd;
                            if (p->acc64) {
                                for (ic = 0; ic < fd; ++ic) {
                                    acc64 += (int32_t)w[ic] * (int32_t)in_px[ic];
                                }
                            } else {
                                for (ic = 0; ic < fd; ++ic) {
                                    acc32 = tg_wrap_add(acc32, (int32_t)w[ic] * (int32_t)in_px[ic]);
                                }
                            }
                        }
                    }
                    if (p->acc64) {
                        if (bias64) {
                            acc64 = tg_wrap_add_s64(acc64, bias64[oc]);
                        }
                        *output++ = finish64(acc64, p->multiplier[oc], p->shift[oc], p->act_min, p->act_max);
                    } else {
                        if (bias32) {
                            acc32 = tg_wrap_add(acc32, bias32[oc]);
                        }
                        *output++ = finish32(acc32, p->multiplier[oc], p->shift[oc], p->act_min, p->act_max);
                    }
                }
            }
        }
    }
}

void tg_depthwise_conv_s16(const tg_conv_s16_params *p, const int16_t *input, const int8_t *filter,
                           const int64_t *bias64, const int32_t *bias32, int16_t *output)
{
    int32_t b, oy, ox, ic, m, ky, kx;
    (void)bias32; /* TFLM's int16 depthwise takes an int64 bias only */
    for (b = 0; b < p->batches; ++b) {
        const int16_t *in_b = input + b * p->in_h * p->in_w * p->in_c;
        for (oy = 0; oy < p->out_h; ++oy) {
            const int32_t y0 = oy * p->stride_h - p->pad_top;
            for (ox = 0; ox < p->out_w; ++ox) {
                const int32_t x0 = ox * p->stride_w - p->pad_left;
                for (ic = 0; ic < p->in_c; ++ic) {
                    for (m = 0; m < p->depth_multiplier; ++m) {
                        const int32_t oc = ic * p->depth_multiplier + m;
                        int64_t acc = 0;
                        for (ky = 0; ky < p->k_h; ++ky) {
                            const int32_t y = y0 + p->dil_h * ky;
                            if (y < 0 || y >= p->in_h) {
                                continue;
                            }
                            for (kx = 0; kx < p->k_w; ++kx) {
                                const int32_t x = x0 + p->dil_w * kx;
                                if (x < 0 || x >= p->in_w) {
                                    continue;
                                }
                                acc += (int32_t)filter[(ky * p->k_w + kx) * p->out_c + oc]
                                       * (int32_t)in_b[(y * p->in_w + x) * p->in_c + ic];
                            }
                        }
                        if (bias64) {
                            acc = tg_wrap_add_s64(acc, bias64[oc]);
                        }
                        output[(oy * p->out_w + ox) * p->out_c + oc] =
                            finish64(acc, p->multiplier[oc], p->shift[oc], p->act_min, p->act_max);
                    }
                }
            }
        }
        output += p->out_h * p->out_w * p->out_c;
    }
}

void tg_fully_connected_s16(const tg_fully_connected_s16_params *p, const int16_t *input, const int8_t *filter,
                            const int64_t *bias64, const int32_t *bias32, int16_t *output)
{
    int32_t b, o, d;
    for (b = 0; b < p->batches; ++b) {
        const int16_t *x = input + b * p->accum_depth;
        for (o = 0; o < p->output_depth; ++o) {
            const int8_t *w = filter + o * p->accum_depth;
            const int32_t c = p->per_channel ? o : 0;
            if (p->acc64) {
                int64_t acc = 0;
                for (d = 0; d < p->accum_depth; ++d) {
                    acc += ((int32_t)w[d] + p->filter_offset) * (int32_t)x[d];
                }
                if (bias64) {
                    acc = tg_wrap_add_s64(acc, bias64[o]);
                }
                *output++ = finish64(acc, p->multiplier[c], p->shift[c], p->act_min, p->act_max);
            } else {
                int32_t acc = 0;
                for (d = 0; d < p->accum_depth; ++d) {
                    acc = tg_wrap_add(acc, ((int32_t)w[d] + p->filter_offset) * (int32_t)x[d]);
                }
                if (bias32) {
                    acc = tg_wrap_add(acc, bias32[o]);
                }
                *output++ = finish32(acc, p->multiplier[c], p->shift[c], p->act_min, p->act_max);
            }
        }
    }
}

void tg_transpose_conv_s16(const tg_transpose_conv_params *p, const int16_t *input, const int8_t *weights,
                           const int64_t *bias, int16_t *output, int64_t *scratch)
{
    const int32_t in_c = p->in_c, out_c = p->out_c;
    const int32_t tap_stride = p->k_h * p->k_w * in_c; /* from one output channel's filter to the next */
    const int32_t out_pixels = p->out_h * p->out_w;
    int32_t b, iy, ix, fy, fx, oc, ic, i;
    for (b = 0; b < p->batches; ++b) {
        for (i = 0; i < out_pixels * out_c; ++i) {
            scratch[i] = 0;
        }
        for (iy = 0; iy < p->in_h; ++iy) {
            for (ix = 0; ix < p->in_w; ++ix) {
                const int16_t *x = input + ((b * p->in_h + iy) * p->in_w + ix) * in_c;
                for (fy = 0; fy < p->k_h; ++fy) {
                    const int32_t oy = iy * p->stride_h - p->pad_top + fy;
                    if (oy < 0 || oy >= p->out_h) {
                        continue;
                    }
                    for (fx = 0; fx < p->k_w; ++fx) {
                        const int32_t ox = ix * p->stride_w - p->pad_left + fx;
                        int64_t *a;
                        const int8_t *w;
                        if (ox < 0 || ox >= p->out_w) {
                            continue;
                        }
                        a = scratch + (oy * p->out_w + ox) * out_c;
                        w = weights + (fy * p->k_w + fx) * in_c;
                        for (oc = 0; oc < out_c; ++oc, w += tap_stride) {
                            int64_t sum = 0; /* exact: the order of the additions does not matter */
                            for (ic = 0; ic < in_c; ++ic) {
                                sum += (int32_t)x[ic] * (int32_t)w[ic];
                            }
                            a[oc] += sum;
                        }
                    }
                }
            }
        }
        for (i = 0; i < out_pixels * out_c; ++i) {
            const int32_t c = i % out_c;
            const int64_t v = bias ? tg_wrap_add_s64(scratch[i], bias[c]) : scratch[i];
            output[b * out_pixels * out_c + i] = finish64(v, p->multiplier[c], p->shift[c], p->act_min, p->act_max);
        }
    }
}

int32_t tg_transpose_conv_s16_scratch_bytes(const tg_transpose_conv_params *p)
{
    return 8 * p->out_h * p->out_w * p->out_c; /* int64 accumulators, one batch at a time */
}
