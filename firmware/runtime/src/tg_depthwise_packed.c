#include "tg_depthwise_packed.h"

#include <string.h>

#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP
#include <arm_acle.h>
#define TG_DSP 1
#endif

#ifdef TG_DSP
TG_INLINE int32_t sx_odd(uint32_t v)
{
    int32_t r;
    __asm__("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(v));
    return r;
}

/* Channels [c, c+4) of one output pixel; taps[t] points at the pixel row for channel 0. The
 * group's weights are contiguous, two words per tap (see tinygen/ops/depthwise_packed.py). */
#define TAP(a0, a1, a2, a3)                         \
    do {                                            \
        uint32_t xv;                                \
        int32_t xe, xo;                             \
        memcpy(&xv, *taps++ + c, 4);                \
        xe = (int32_t)__sxtb16(xv);                 \
        xo = sx_odd(xv);                            \
        a0 = __smlabb(xe, (int32_t)w[0], a0);       \
        a2 = __smlatt(xe, (int32_t)w[0], a2);       \
        a1 = __smlabb(xo, (int32_t)w[1], a1);       \
        a3 = __smlatt(xo, (int32_t)w[1], a3);       \
        w += 2;                                     \
    } while (0)

static void four_channels(const int8_t *const *taps, int32_t n_taps, int32_t c, const uint32_t *w, int32_t *acc)
{
    int32_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
    const int8_t *const *end = taps + n_taps;
    if (n_taps % 3 == 0) {
        /* 3x3 and friends: three taps per loop iteration */
        while (taps != end) {
            TAP(a0, a1, a2, a3);
            TAP(a0, a1, a2, a3);
            TAP(a0, a1, a2, a3);
        }
    } else {
        while (taps != end) {
            TAP(a0, a1, a2, a3);
        }
    }
    acc[0] = a0;
    acc[1] = a1;
    acc[2] = a2;
    acc[3] = a3;
}
#endif

void tg_depthwise_packed_s8(const tg_depthwise_packed_params *p, const int8_t *input, int8_t *output,
                            int8_t *scratch)
{
    const int8_t *taps[TG_DW_MAX_TAPS];
    const int32_t in_c = p->in_c, out_c = p->out_c, mult = p->depth_multiplier;
    const int32_t n_taps = p->k_h * p->k_w;
    const int32_t out_offset = p->output_offset, act_min = p->act_min, act_max = p->act_max;
    const int32_t *multiplier = p->multiplier, *shift = p->shift, *kernel_sum = p->kernel_sum;
    const int8_t *weights = p->weights;
    int32_t oy, ox, ky, kx, c;
    memset(scratch, (int8_t)p->input_zero_point, (size_t)in_c);
    for (oy = 0; oy < p->out_h; ++oy) {
        for (ox = 0; ox < p->out_w; ++ox) {
            const int32_t y0 = oy * p->stride_h - p->pad_top, x0 = ox * p->stride_w - p->pad_left;
            int8_t *out = output + (oy * p->out_w + ox) * out_c;
            int32_t t = 0;
            for (ky = 0; ky < p->k_h; ++ky) {
                const int32_t y = y0 + ky * p->dil_h;
                for (kx = 0; kx < p->k_w; ++kx) {
                    const int32_t x = x0 + kx * p->dil_w;
                    taps[t++] = (y < 0 || y >= p->in_h || x < 0 || x >= p->in_w) ? scratch
                                                                                 : input + (y * p->in_w + x) * in_c;
                }
            }
            c = 0;
#ifdef TG_DSP
            if (p->wide_weights) {
                for (; c + 4 <= out_c; c += 4) {
                    int32_t acc[4], i;
                    acc[0] = kernel_sum[c];
                    acc[1] = kernel_sum[c + 1];
                    acc[2] = kernel_sum[c + 2];
                    acc[3] = kernel_sum[c + 3];
                    four_channels(taps, n_taps, c, p->wide_weights + (c >> 2) * 2 * n_taps, acc);
                    for (i = 0; i < 4; ++i) {
                        const int32_t v = tg_requantize(acc[i], multiplier[c + i], shift[c + i]) + out_offset;
                        out[c + i] = (int8_t)tg_clamp_i32(v, act_min, act_max);
                    }
                }
            }
#endif
            for (; c < out_c; ++c) {
                const int32_t ic = c / mult;
                int32_t acc = kernel_sum[c];
                for (t = 0; t < n_taps; ++t) {
                    acc += weights[t * out_c + c] * taps[t][ic];
                }
                acc = tg_requantize(acc, multiplier[c], shift[c]) + out_offset;
                out[c] = (int8_t)tg_clamp_i32(acc, act_min, act_max);
            }
        }
    }
}
