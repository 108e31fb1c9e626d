#include "tg_pool2d.h"

/* The window of output (oy, ox), clipped to the input. */
static void window(const tg_pool2d_params *p, int32_t oy, int32_t ox, int32_t *y0, int32_t *y1, int32_t *x0,
                   int32_t *x1)
{
    const int32_t iy = oy * p->stride_h - p->pad_top, ix = ox * p->stride_w - p->pad_left;
    *y0 = tg_max_i32(0, iy);
    *y1 = tg_min_i32(p->in_h, iy + p->k_h);
    *x0 = tg_max_i32(0, ix);
    *x1 = tg_min_i32(p->in_w, ix + p->k_w);
}

void tg_average_pool2d_s8(const tg_pool2d_params *p, const int8_t *input, int8_t *output, int32_t *sum)
{
    const int32_t c = p->channels;
    int32_t oy, ox, y, x, y0, y1, x0, x1, i;
    for (oy = 0; oy < p->out_h; ++oy) {
        for (ox = 0; ox < p->out_w; ++ox) {
            int32_t count;
            int8_t *out = output + (oy * p->out_w + ox) * c;
            window(p, oy, ox, &y0, &y1, &x0, &x1);
            count = (y1 - y0) * (x1 - x0);
            for (i = 0; i < c; ++i) {
                sum[i] = 0;
            }
            /* Channels innermost: the input is read in memory order. */
            for (y = y0; y < y1; ++y) {
                for (x = x0; x < x1; ++x) {
                    const int8_t *in = input + (y * p->in_w + x) * c;
                    for (i = 0; i < c; ++i) {
                        sum[i] += in[i];
                    }
                }
            }
            for (i = 0; i < c; ++i) {
                int32_t v = 0;
                if (count > 0) {
                    /* C division truncates toward zero, so this rounds halves away from zero. */
                    v = sum[i] > 0 ? (sum[i] + count / 2) / count : (sum[i] - count / 2) / count;
                }
                out[i] = (int8_t)tg_clamp_i32(v, p->act_min, p->act_max);
            }
        }
    }
}

void tg_max_pool2d_s8(const tg_pool2d_params *p, const int8_t *input, int8_t *output)
{
    const int32_t c = p->channels;
    int32_t oy, ox, y, x, y0, y1, x0, x1, i;
    for (oy = 0; oy < p->out_h; ++oy) {
        for (ox = 0; ox < p->out_w; ++ox) {
            int8_t *out = output + (oy * p->out_w + ox) * c;
            window(p, oy, ox, &y0, &y1, &x0, &x1);
            for (i = 0; i < c; ++i) {
                out[i] = -128;
            }
            for (y = y0; y < y1; ++y) {
                for (x = x0; x < x1; ++x) {
                    const int8_t *in = input + (y * p->in_w + x) * c;
                    for (i = 0; i < c; ++i) {
                        if (in[i] > out[i]) {
                            out[i] = in[i];
                        }
                    }
                }
            }
            for (i = 0; i < c; ++i) {
                out[i] = (int8_t)tg_clamp_i32(out[i], p->act_min, p->act_max);
            }
        }
    }
}

int32_t tg_average_pool2d_scratch_bytes(const tg_pool2d_params *p)
{
    return 4 * p->channels; /* int32 sums */
}
