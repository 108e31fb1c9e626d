#include "tg_conv_packed.h"

#include "tg_dot.h"

#define OUT_BLOCK 64 /* output channels per dot call (a multiple of 4, see tg_dot_rows_s8) */

/* Gathers one output pixel's receptive field, in the filter's (k_h, k_w, in_c) order. */
static const int8_t *im2col(const tg_conv_packed_params *p, const int8_t *input, int32_t oy, int32_t ox,
                            int8_t *col)
{
    const int32_t c = p->in_c;
    const int32_t y0 = oy * p->stride_h - p->pad_top, x0 = ox * p->stride_w - p->pad_left;
    int32_t ky, kx, i;
    int8_t *dst = col;
    for (ky = 0; ky < p->k_h; ++ky) {
        const int32_t y = y0 + ky * p->dil_h;
        for (kx = 0; kx < p->k_w; ++kx) {
            const int32_t x = x0 + kx * p->dil_w;
            if (y < 0 || y >= p->in_h || x < 0 || x >= p->in_w) {
                for (i = 0; i < c; ++i) {
                    dst[i] = (int8_t)p->input_zero_point;
                }
            } else {
                const int8_t *src = input + (y * p->in_w + x) * c;
                for (i = 0; i < c; ++i) {
                    dst[i] = src[i];
                }
            }
            dst += c;
        }
    }
    return col;
}

/* n outputs whose activation range is all of int8: the clamp is a saturation. */
static void requantize_full(const int32_t *acc, const int32_t *q, int32_t n, int8_t *out)
{
    int32_t i;
    for (i = 0; i < n; ++i, q += 4) {
        out[i] = (int8_t)tg_sat_i8(tg_requantize_rq(acc[i], q));
    }
}

/* How the int32 accumulators become int8: TFLM's multiplier and shift (the reference), or the
 * words prepared at generation time (tg_requantize_rq) clamped to the activation range, or
 * saturated when that range is all of int8. */
enum { RQ_MULTIPLIER, RQ_PREPARED, RQ_PREPARED_SAT };

/* The one loop every variant runs; `direct`, `wide` and `rq_mode` are constants in each variant,
 * so the compiler drops the paths it does not take. */
TG_INLINE void conv_packed(const tg_conv_packed_params *p, const int8_t *input, int8_t *output, int8_t *scratch,
                           const int direct, const int wide, const int rq_mode)
{
    const int32_t depth = p->k_h * p->k_w * p->in_c, out_c = p->out_c;
    const int32_t out_offset = p->output_offset, act_min = p->act_min, act_max = p->act_max;
    const int32_t *mult = p->multiplier, *shift = p->shift, *kernel_sum = p->kernel_sum, *rq = p->rq;
    int32_t acc[OUT_BLOCK];
    int32_t oy, ox, o, i;
    for (oy = 0; oy < p->out_h; ++oy) {
        for (ox = 0; ox < p->out_w; ++ox) {
            const int32_t pixel = oy * p->out_w + ox;
            const int8_t *x = direct ? input + pixel * depth : im2col(p, input, oy, ox, scratch);
            int8_t *out = output + pixel * out_c;
            for (o = 0; o < out_c; o += OUT_BLOCK) {
                const int32_t n = out_c - o < OUT_BLOCK ? out_c - o : OUT_BLOCK;
                for (i = 0; i < n; ++i) {
                    acc[i] = kernel_sum[o + i];
                }
                if (wide) {
                    tg_dot_rows_wide_s8(x, p->packed_weights + (o / 4) * tg_dot_wide_block_words(depth), depth, n, acc);
                } else {
                    tg_dot_rows_s8(x, p->packed_weights + o * depth / 4, depth, n, acc);
                }
                if (rq_mode == RQ_PREPARED_SAT) {
                    requantize_full(acc, rq + 4 * o, n, out + o);
                } else if (rq_mode == RQ_PREPARED) {
                    for (i = 0; i < n; ++i) {
                        out[o + i] = (int8_t)tg_clamp_i32(tg_requantize_rq(acc[i], rq + 4 * (o + i)), act_min, act_max);
                    }
                } else {
                    for (i = 0; i < n; ++i) {
                        const int32_t v = tg_requantize(acc[i], mult[o + i], shift[o + i]) + out_offset;
                        out[o + i] = (int8_t)tg_clamp_i32(v, act_min, act_max);
                    }
                }
            }
        }
    }
}

#define TG_CONV_PACKED_VARIANT(name, direct, wide, rq_mode)                                                  \
    void name(const tg_conv_packed_params *p, const int8_t *input, int8_t *output, int8_t *scratch)           \
    {                                                                                                          \
        conv_packed(p, input, output, scratch, direct, wide, rq_mode);                                         \
    }

TG_CONV_PACKED_VARIANT(tg_conv_packed_im2col_s8, 0, 0, RQ_MULTIPLIER)
TG_CONV_PACKED_VARIANT(tg_conv_packed_im2col_rq_s8, 0, 0, RQ_PREPARED)
TG_CONV_PACKED_VARIANT(tg_conv_packed_im2col_rq_sat_s8, 0, 0, RQ_PREPARED_SAT)
TG_CONV_PACKED_VARIANT(tg_conv_packed_im2col_wide_s8, 0, 1, RQ_MULTIPLIER)
TG_CONV_PACKED_VARIANT(tg_conv_packed_im2col_wide_rq_s8, 0, 1, RQ_PREPARED)
TG_CONV_PACKED_VARIANT(tg_conv_packed_im2col_wide_rq_sat_s8, 0, 1, RQ_PREPARED_SAT)
TG_CONV_PACKED_VARIANT(tg_conv_packed_1x1_s8, 1, 0, RQ_MULTIPLIER)
TG_CONV_PACKED_VARIANT(tg_conv_packed_1x1_rq_s8, 1, 0, RQ_PREPARED)
TG_CONV_PACKED_VARIANT(tg_conv_packed_1x1_rq_sat_s8, 1, 0, RQ_PREPARED_SAT)
TG_CONV_PACKED_VARIANT(tg_conv_packed_1x1_wide_s8, 1, 1, RQ_MULTIPLIER)
TG_CONV_PACKED_VARIANT(tg_conv_packed_1x1_wide_rq_s8, 1, 1, RQ_PREPARED)
TG_CONV_PACKED_VARIANT(tg_conv_packed_1x1_wide_rq_sat_s8, 1, 1, RQ_PREPARED_SAT)

int tg_conv_packed_is_1x1(const tg_conv_packed_params *p)
{
    return p->k_h == 1 && p->k_w == 1 && p->stride_h == 1 && p->stride_w == 1 && p->pad_top == 0 &&
           p->pad_left == 0 && p->in_h == p->out_h && p->in_w == p->out_w;
}

int32_t tg_conv_packed_scratch_bytes(const tg_conv_packed_params *p)
{
    return tg_conv_packed_is_1x1(p) ? 0 : p->k_h * p->k_w * p->in_c;
}

/* The wrapper: picks the variant from the parameters at run time, as the generator picks it by name. */
void tg_conv_packed_s8(const tg_conv_packed_params *p, const int8_t *input, int8_t *output, int8_t *scratch)
{
    const int direct = tg_conv_packed_is_1x1(p);
    const int rq_mode = !p->rq ? RQ_MULTIPLIER : p->act_min == -128 && p->act_max == 127 ? RQ_PREPARED_SAT : RQ_PREPARED;
    if (direct) {
        if (p->wide) {
            conv_packed(p, input, output, scratch, 1, 1, rq_mode);
        } else {
            conv_packed(p, input, output, scratch, 1, 0, rq_mode);
        }
    } else if (p->wide) {
        conv_packed(p, input, output, scratch, 0, 1, rq_mode);
    } else {
        conv_packed(p, input, output, scratch, 0, 0, rq_mode);
    }
}
