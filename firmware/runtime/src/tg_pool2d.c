#include "tg_pool2d.h"

#include <string.h>

#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP
#define TG_POOL_DSP 1
/* Window sums of four channels per word pair in int16 lanes: SXTAB16 sign-extends bytes 0 and 2
 * (then, rotated, 1 and 3) and adds them to two lanes at once. Exact while the window holds at
 * most 255 pixels (|sum| <= 255 * 128 < 2^15). `sum` is word aligned scratch, c a multiple of 4;
 * the lanes of words 2k and 2k+1 are channels (4k, 4k+2) and (4k+1, 4k+3). */
static void window_sums_x4(const int8_t *input, int32_t in_w, int32_t c, int32_t y0, int32_t y1, int32_t x0,
                           int32_t x1, uint32_t *sum)
{
    int32_t y, x, i;
    for (i = 0; i < c / 2; ++i) {
        sum[i] = 0;
    }
    for (y = y0; y < y1; ++y) {
        for (x = x0; x < x1; ++x) {
            const int8_t *in = input + (y * in_w + x) * c;
            uint32_t *s = sum;
            for (i = 0; i < c; i += 4, s += 2) {
                uint32_t v, e = s[0], o = s[1];
                memcpy(&v, in + i, 4); /* one LDR */
                __asm__("sxtab16 %0, %0, %2\n\tsxtab16 %1, %1, %2, ror #8" : "+r"(e), "+r"(o) : "r"(v));
                s[0] = e;
                s[1] = o;
            }
        }
    }
}
#endif

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
#ifdef TG_POOL_DSP
            if ((c & 3) == 0 && count > 0 && count <= 255) {
                const uint32_t *s = (const uint32_t *)(void *)sum;
                window_sums_x4(input, p->in_w, c, y0, y1, x0, x1, (uint32_t *)(void *)sum);
                for (i = 0; i < c; ++i) {
                    /* channel i: word 2 * (i / 4) + (i & 1), lane (i >> 1) & 1 */
                    const uint32_t w = s[2 * (i >> 2) + (i & 1)];
                    const int32_t v = (int16_t)((i & 2) ? w >> 16 : w & 0xFFFFu);
                    const int32_t q = v > 0 ? (v + count / 2) / count : (v - count / 2) / count;
                    out[i] = (int8_t)tg_clamp_i32(q, p->act_min, p->act_max);
                }
                continue;
            }
#endif
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
