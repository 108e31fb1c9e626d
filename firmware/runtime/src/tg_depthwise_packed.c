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
#define TAP(t)                                          \
    do {                                                \
        uint32_t xv;                                    \
        int32_t xe, xo;                                 \
        memcpy(&xv, taps[t] + c, 4);                    \
        xe = (int32_t)__sxtb16(xv);                     \
        xo = sx_odd(xv);                                \
        a0 = __smlabb(xe, (int32_t)w[2 * (t)], a0);     \
        a2 = __smlatt(xe, (int32_t)w[2 * (t)], a2);     \
        a1 = __smlabb(xo, (int32_t)w[2 * (t) + 1], a1); \
        a3 = __smlatt(xo, (int32_t)w[2 * (t) + 1], a3); \
    } while (0)

/* One output pixel, four channels at a time, requantized with the generation-time words (which
 * carry the output offset). full: the activation range is all of int8, so SSAT is the clamp. */
TG_INLINE void pixel_dsp(const tg_depthwise_packed_params *p, const int8_t *const *taps, int32_t n_taps,
                         int8_t *out, const int full)
{
    const int32_t out_c = p->out_c, act_min = p->act_min, act_max = p->act_max;
    const int32_t *ks = p->kernel_sum, *q = p->rq;
    const uint32_t *w = p->wide_weights;
    int32_t c, t;
    for (c = 0; c < out_c; c += 4, ks += 4, q += 16, w += 2 * n_taps) {
        int32_t a0 = ks[0], a1 = ks[1], a2 = ks[2], a3 = ks[3];
        if (n_taps == 9) { /* 3x3: unrolled, weights and tap pointers at fixed offsets */
            TAP(0); TAP(1); TAP(2); TAP(3); TAP(4); TAP(5); TAP(6); TAP(7); TAP(8);
        } else {
            for (t = 0; t < n_taps; ++t) {
                TAP(t);
            }
        }
        a0 = tg_requantize_rq(a0, q);
        a1 = tg_requantize_rq(a1, q + 4);
        a2 = tg_requantize_rq(a2, q + 8);
        a3 = tg_requantize_rq(a3, q + 12);
        if (full) {
            out[c] = (int8_t)__ssat(a0, 8);
            out[c + 1] = (int8_t)__ssat(a1, 8);
            out[c + 2] = (int8_t)__ssat(a2, 8);
            out[c + 3] = (int8_t)__ssat(a3, 8);
        } else {
            out[c] = (int8_t)tg_clamp_i32(a0, act_min, act_max);
            out[c + 1] = (int8_t)tg_clamp_i32(a1, act_min, act_max);
            out[c + 2] = (int8_t)tg_clamp_i32(a2, act_min, act_max);
            out[c + 3] = (int8_t)tg_clamp_i32(a3, act_min, act_max);
        }
    }
}

__attribute__((noinline)) static void pixel_dsp_full(const tg_depthwise_packed_params *p, const int8_t *const *taps, int32_t n_taps,
                           int8_t *out)
{
    pixel_dsp(p, taps, n_taps, out, 1);
}

__attribute__((noinline)) static void pixel_dsp_clamped(const tg_depthwise_packed_params *p, const int8_t *const *taps, int32_t n_taps,
                              int8_t *out)
{
    pixel_dsp(p, taps, n_taps, out, 0);
}
#else
#if defined(__ARM_ARCH_6M__)
/* ARMv6-M (Cortex-M0+): the taps of one group of four channels, hand-scheduled (GCC spills the four
 * accumulators of the C loop to the stack). Per tap: its row pointer and the group's two weight
 * words by LDM, four input bytes sign-extended, the int16 weights by SXTH / ASR, four MULS into
 * r8-r11. st[0..3]: the accumulators, updated; st[4]: the group's first channel. Returns the
 * weights after the group's taps. */
#define TG_ARG __attribute__((unused)) /* read by the assembly, in r0-r3 */
__attribute__((naked, noinline)) static const uint32_t *taps4(TG_ARG const int8_t *const *taps,
                                                             TG_ARG const uint32_t *w, TG_ARG int32_t n_taps,
                                                             TG_ARG int32_t *st)
{
    __asm__ volatile(
        ".syntax unified\n\t"
        "push {r4, r5, r6, r7, lr}\n\t"
        "mov r4, r8\n\t"
        "mov r5, r9\n\t"
        "mov r6, r10\n\t"
        "mov r7, r11\n\t"
        "push {r3, r4, r5, r6, r7}\n\t" /* st, then the callee-saved r8-r11 */
        "lsls r2, r2, #2\n\t"
        "adds r2, r0, r2\n\t"
        "mov r12, r2\n\t" /* end of the tap pointers */
        "ldr r4, [r3, #0]\n\t"
        "mov r8, r4\n\t"
        "ldr r4, [r3, #4]\n\t"
        "mov r9, r4\n\t"
        "ldr r4, [r3, #8]\n\t"
        "mov r10, r4\n\t"
        "ldr r4, [r3, #12]\n\t"
        "mov r11, r4\n\t"
        "ldr r3, [r3, #16]\n\t" /* c */
        "cmp r0, r12\n\t"
        "beq 2f\n"
        "1:\n\t"
        "ldm r0!, {r4}\n\t"
        "adds r4, r4, r3\n\t"
        "ldm r1!, {r6, r7}\n\t" /* w0 | w2 << 16, w1 | w3 << 16 */
        "ldrb r5, [r4, #0]\n\t"
        "sxtb r5, r5\n\t"
        "sxth r2, r6\n\t"
        "muls r2, r5, r2\n\t"
        "add r8, r8, r2\n\t"
        "ldrb r5, [r4, #2]\n\t"
        "sxtb r5, r5\n\t"
        "asrs r6, r6, #16\n\t"
        "muls r6, r5, r6\n\t"
        "add r10, r10, r6\n\t"
        "ldrb r5, [r4, #1]\n\t"
        "sxtb r5, r5\n\t"
        "sxth r2, r7\n\t"
        "muls r2, r5, r2\n\t"
        "add r9, r9, r2\n\t"
        "ldrb r5, [r4, #3]\n\t"
        "sxtb r5, r5\n\t"
        "asrs r7, r7, #16\n\t"
        "muls r7, r5, r7\n\t"
        "add r11, r11, r7\n\t"
        "cmp r0, r12\n\t"
        "bne 1b\n"
        "2:\n\t"
        "pop {r3}\n\t"
        "mov r4, r8\n\t"
        "str r4, [r3, #0]\n\t"
        "mov r4, r9\n\t"
        "str r4, [r3, #4]\n\t"
        "mov r4, r10\n\t"
        "str r4, [r3, #8]\n\t"
        "mov r4, r11\n\t"
        "str r4, [r3, #12]\n\t"
        "movs r0, r1\n\t"
        "pop {r4, r5, r6, r7}\n\t"
        "mov r8, r4\n\t"
        "mov r9, r5\n\t"
        "mov r10, r6\n\t"
        "mov r11, r7\n\t"
        "pop {r4, r5, r6, r7, pc}\n\t"
        ".syntax divided\n\t");
}
#undef TG_ARG
#else
static const uint32_t *taps4(const int8_t *const *taps, const uint32_t *w, int32_t n_taps, int32_t *st)
{
    int32_t t;
    for (t = 0; t < n_taps; ++t, w += 2) {
        const int8_t *x = taps[t] + st[4];
        const int32_t we = (int32_t)w[0], wo = (int32_t)w[1];
        st[0] += (int32_t)(int16_t)we * x[0];
        st[1] += (int32_t)(int16_t)wo * x[1];
        st[2] += (we >> 16) * x[2];
        st[3] += (wo >> 16) * x[3];
    }
    return w;
}
#endif

/* No DSP (the Cortex-M0+, M3): four channels at a time from the same int16-pair words, without the
 * generic loop's per-channel division and index multiplications; requantized with the
 * generation-time words. */
TG_INLINE void pixel_plain(const tg_depthwise_packed_params *p, const int8_t *const *taps, int32_t n_taps,
                           int8_t *out)
{
    const int32_t out_c = p->out_c, act_min = p->act_min, act_max = p->act_max;
    const int32_t *ks = p->kernel_sum, *q = p->rq;
    const uint32_t *w = p->wide_weights;
    int32_t c;
    for (c = 0; c < out_c; c += 4, ks += 4, q += 16) {
        int32_t st[5];
        int32_t a0, a1, a2, a3;
        st[0] = ks[0];
        st[1] = ks[1];
        st[2] = ks[2];
        st[3] = ks[3];
        st[4] = c;
        w = taps4(taps, w, n_taps, st);
        a0 = st[0];
        a1 = st[1];
        a2 = st[2];
        a3 = st[3];
        out[c] = (int8_t)tg_clamp_i32(tg_requantize_rq(a0, q), act_min, act_max);
        out[c + 1] = (int8_t)tg_clamp_i32(tg_requantize_rq(a1, q + 4), act_min, act_max);
        out[c + 2] = (int8_t)tg_clamp_i32(tg_requantize_rq(a2, q + 8), act_min, act_max);
        out[c + 3] = (int8_t)tg_clamp_i32(tg_requantize_rq(a3, q + 12), act_min, act_max);
    }
}
#endif

void tg_depthwise_packed_s8(const tg_depthwise_packed_params *p, const int8_t *input, int8_t *output,
                            int8_t *scratch)
{
    const int32_t in_c = p->in_c, out_c = p->out_c, mult = p->depth_multiplier;
    const int32_t n_taps = p->k_h * p->k_w;
    /* scratch: the zero-point row, then the tap pointers (aligned for them), then the offsets */
    const uintptr_t table = ((uintptr_t)(scratch + (in_c + 7) / 8 * 8) + 7u) & ~(uintptr_t)7u;
    const int8_t **taps = (const int8_t **)table;
    int32_t *offs = (int32_t *)(table + (uintptr_t)n_taps * sizeof(const int8_t *)); /* tap t of an interior pixel: its row + offs[t] */
    const int32_t span_h = (p->k_h - 1) * p->dil_h, span_w = (p->k_w - 1) * p->dil_w;
    const int32_t out_offset = p->output_offset, act_min = p->act_min, act_max = p->act_max;
    const int32_t *multiplier = p->multiplier, *shift = p->shift, *kernel_sum = p->kernel_sum;
    const int8_t *weights = p->weights;
    int32_t oy, ox, ky, kx, c;
    memset(scratch, (int8_t)p->input_zero_point, (size_t)in_c);
    for (ky = 0, c = 0; ky < p->k_h; ++ky) {
        for (kx = 0; kx < p->k_w; ++kx) {
            offs[c++] = (ky * p->dil_h * p->in_w + kx * p->dil_w) * in_c;
        }
    }
    for (oy = 0; oy < p->out_h; ++oy) {
        for (ox = 0; ox < p->out_w; ++ox) {
            const int32_t y0 = oy * p->stride_h - p->pad_top, x0 = ox * p->stride_w - p->pad_left;
            int8_t *out = output + (oy * p->out_w + ox) * out_c;
            int32_t t = 0;
            if (y0 >= 0 && x0 >= 0 && y0 + span_h < p->in_h && x0 + span_w < p->in_w) {
                const int8_t *row = input + (y0 * p->in_w + x0) * in_c;
                for (t = 0; t < n_taps; ++t) {
                    taps[t] = row + offs[t];
                }
            } else { /* at the border, taps outside the input read the zero-point row */
                for (ky = 0; ky < p->k_h; ++ky) {
                    const int32_t y = y0 + ky * p->dil_h;
                    for (kx = 0; kx < p->k_w; ++kx) {
                        const int32_t x = x0 + kx * p->dil_w;
                        taps[t++] = (y < 0 || y >= p->in_h || x < 0 || x >= p->in_w)
                                        ? scratch : input + (y * p->in_w + x) * in_c;
                    }
                }
            }
            c = 0;
#ifdef TG_DSP
            if (p->wide_weights && p->rq) {
                if (p->act_min == -128 && p->act_max == 127) {
                    pixel_dsp_full(p, taps, n_taps, out);
                } else {
                    pixel_dsp_clamped(p, taps, n_taps, out);
                }
                continue;
            }
#else
            if (p->wide_weights && p->rq) {
                pixel_plain(p, taps, n_taps, out);
                continue;
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

int32_t tg_depthwise_packed_scratch_bytes(const tg_depthwise_packed_params *p)
{
    return TG_DW_SCRATCH_BYTES(p->in_c, p->k_h * p->k_w);
}
