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

/* ---- 3x3, stride 1 or 2: channel by channel over an int16 plane of the input ----
 * Each channel's input (with its padding, as zero points) is widened once into the scratch, two
 * adjacent columns per word; its six weight words stay in registers while the whole plane is
 * swept. Stride 1 computes two outputs per pass: out[x] = SMLAD(c[x],c[x+1] . w0,w1) + c[x+2]*w2
 * and out[x+1] = SMLAD(c[x+2],c[x+3] . w1,w2) + c[x+1]*w0: one LDRD and four multiplies per
 * filter row. Stride 2 keeps the even and the odd rows apart, so that both strides sweep the plane
 * as one long row with three pointers (a pass that straddles two rows makes accumulators nobody
 * reads). The weights carry 2^(left+1), so the requantization is one SMMLAR:
 * rnd + floor((acc * 2^left * m + 2^30) / 2^31), then TFLM's round-half-away-from-zero with the
 * sign of acc standing in for the sign of that product (where they differ it is 0 and the result
 * is the same: tinygen/ops/depthwise_packed.py proves it and emits these words only where no step
 * can overflow). */
#ifdef TG_DSP
TG_INLINE int32_t dw3_smmlar(int32_t a, int32_t b, int32_t acc)
{
    int32_t r;
    __asm__("smmlar %0, %1, %2, %3" : "=r"(r) : "r"(a), "r"(b), "r"(acc));
    return r;
}

/* (a & 0xffff) | b << 16 and (a & 0xffff0000) | b >> 16 (the compiler makes three instructions of each) */
TG_INLINE uint32_t dw3_pkhbt(uint32_t a, uint32_t b)
{
    uint32_t r;
    __asm__("pkhbt %0, %1, %2, lsl #16" : "=r"(r) : "r"(a), "r"(b));
    return r;
}

TG_INLINE uint32_t dw3_pkhtb(uint32_t a, uint32_t b)
{
    uint32_t r;
    __asm__("pkhtb %0, %1, %2, asr #16" : "=r"(r) : "r"(a), "r"(b));
    return r;
}

/* n passes (n >= 1) of stride 1, two accumulators each. Written out because the six weights,
 * three row pointers, the accumulator pointer and four temporaries take all fourteen registers:
 * the compiler spilled inside the loop. ks and the end are read from the stack. */
static void dw3_sweep_s1(const uint32_t *r0, int32_t words, const uint32_t *w, int32_t ks, int32_t *acc, int32_t n)
{
    const uint32_t *r1 = r0 + words, *r2 = r1 + words;
    const uint32_t a0 = w[0], b0 = w[1], a1 = w[2], b1 = w[3], a2 = w[4], b2 = w[5];
    int32_t *end = acc + 2 * n;
    int32_t ksv = ks;
    uint32_t x0, x1;
    int32_t s0, s1;
    __asm__ volatile(
        "1:\n\t"
        "ldrd   %[x0], %[x1], [%[r0]], #4\n\t"
        "ldr    %[s1], %[ks]\n\t"
        "smlad  %[s0], %[x0], %[a0], %[s1]\n\t"
        "smlad  %[s1], %[x1], %[b0], %[s1]\n\t"
        "smlabt %[s0], %[x1], %[b0], %[s0]\n\t"
        "smlatb %[s1], %[x0], %[a0], %[s1]\n\t"
        "ldrd   %[x0], %[x1], [%[r1]], #4\n\t"
        "smlad  %[s0], %[x0], %[a1], %[s0]\n\t"
        "smlad  %[s1], %[x1], %[b1], %[s1]\n\t"
        "smlabt %[s0], %[x1], %[b1], %[s0]\n\t"
        "smlatb %[s1], %[x0], %[a1], %[s1]\n\t"
        "ldrd   %[x0], %[x1], [%[r2]], #4\n\t"
        "smlad  %[s0], %[x0], %[a2], %[s0]\n\t"
        "smlad  %[s1], %[x1], %[b2], %[s1]\n\t"
        "smlabt %[s0], %[x1], %[b2], %[s0]\n\t"
        "smlatb %[s1], %[x0], %[a2], %[s1]\n\t"
        "strd   %[s0], %[s1], [%[acc]], #8\n\t"
        "ldr    %[x0], %[end]\n\t"
        "cmp    %[acc], %[x0]\n\t"
        "bne    1b\n\t"
        : [x0] "=&r"(x0), [x1] "=&r"(x1), [s0] "=&r"(s0), [s1] "=&r"(s1), [r0] "+r"(r0), [r1] "+r"(r1),
          [r2] "+r"(r2), [acc] "+r"(acc)
        : [a0] "r"(a0), [b0] "r"(b0), [a1] "r"(a1), [b1] "r"(b1), [a2] "r"(a2), [b2] "r"(b2), [ks] "m"(ksv),
          [end] "m"(end)
        : "cc", "memory");
}

/* n passes of stride 2, one accumulator each: rows r0 (even), r1 (odd), r2 (the next even). */
static void dw3_sweep_s2(const uint32_t *r0, const uint32_t *r1, const uint32_t *r2, const uint32_t *w, int32_t ks,
                         int32_t *acc, int32_t n)
{
    const uint32_t a0 = w[0], b0 = w[1], a1 = w[2], b1 = w[3], a2 = w[4], b2 = w[5];
    int32_t *end = acc + n;
    uint32_t x0, x1;
    int32_t s;
    __asm__ volatile(
        "1:\n\t"
        "ldrd   %[x0], %[x1], [%[r0]], #4\n\t"
        "smlad  %[s], %[x0], %[a0], %[ks]\n\t"
        "smlabt %[s], %[x1], %[b0], %[s]\n\t"
        "ldrd   %[x0], %[x1], [%[r1]], #4\n\t"
        "smlad  %[s], %[x0], %[a1], %[s]\n\t"
        "smlabt %[s], %[x1], %[b1], %[s]\n\t"
        "ldrd   %[x0], %[x1], [%[r2]], #4\n\t"
        "smlad  %[s], %[x0], %[a2], %[s]\n\t"
        "smlabt %[s], %[x1], %[b2], %[s]\n\t"
        "str    %[s], [%[acc]], #4\n\t"
        "ldr    %[x0], %[end]\n\t"
        "cmp    %[acc], %[x0]\n\t"
        "bne    1b\n\t"
        : [x0] "=&r"(x0), [x1] "=&r"(x1), [s] "=&r"(s), [r0] "+r"(r0), [r1] "+r"(r1), [r2] "+r"(r2),
          [acc] "+r"(acc)
        : [a0] "r"(a0), [b0] "r"(b0), [a1] "r"(a1), [b1] "r"(b1), [a2] "r"(a2), [b2] "r"(b2), [ks] "r"(ks),
          [end] "m"(end)
        : "cc", "memory");
}
#else
TG_INLINE int32_t dw3_lo(uint32_t v) { return (int16_t)(uint16_t)(v & 0xffffu); }
TG_INLINE int32_t dw3_hi(uint32_t v) { return (int16_t)(uint16_t)(v >> 16); }
TG_INLINE int32_t dw3_smmlar(int32_t a, int32_t b, int32_t acc)
{
    return (int32_t)(((int64_t)a * b + ((int64_t)1 << 31)) >> 32) + acc;
}

/* The same sweeps in C (the generator bounds every partial sum below 2^31). */
TG_INLINE int32_t dw3_row_pair(uint32_t x0, uint32_t x1, uint32_t a, uint32_t b, int32_t *s1)
{
    *s1 += dw3_lo(x1) * dw3_lo(b) + dw3_hi(x1) * dw3_hi(b) + dw3_hi(x0) * dw3_lo(a);
    return dw3_lo(x0) * dw3_lo(a) + dw3_hi(x0) * dw3_hi(a) + dw3_lo(x1) * dw3_hi(b);
}

static void dw3_sweep_s1(const uint32_t *r0, int32_t words, const uint32_t *w, int32_t ks, int32_t *acc, int32_t n)
{
    const uint32_t *r1 = r0 + words, *r2 = r1 + words;
    int32_t j;
    for (j = 0; j < n; ++j) {
        int32_t s1 = ks, s0 = ks;
        s0 += dw3_row_pair(r0[j], r0[j + 1], w[0], w[1], &s1);
        s0 += dw3_row_pair(r1[j], r1[j + 1], w[2], w[3], &s1);
        s0 += dw3_row_pair(r2[j], r2[j + 1], w[4], w[5], &s1);
        acc[2 * j] = s0;
        acc[2 * j + 1] = s1;
    }
}

static void dw3_sweep_s2(const uint32_t *r0, const uint32_t *r1, const uint32_t *r2, const uint32_t *w, int32_t ks,
                         int32_t *acc, int32_t n)
{
    int32_t j, unused = 0;
    for (j = 0; j < n; ++j) {
        acc[j] = ks + dw3_row_pair(r0[j], r0[j + 1], w[0], w[1], &unused) +
                 dw3_row_pair(r1[j], r1[j + 1], w[2], w[3], &unused) +
                 dw3_row_pair(r2[j], r2[j + 1], w[4], w[5], &unused);
    }
}
#endif

/* One row of one channel requantized into the HWC output (a byte every out_c). */
TG_INLINE void dw3_requantize_row(const int32_t *acc, int32_t n, const int32_t *q, int8_t *out, int32_t out_c,
                                  int32_t act_min, int32_t act_max, const int full)
{
    const int32_t m = q[1], rnd = q[2], right = q[3];
    const int32_t *const end = acc + n;
    for (; acc + 2 <= end; acc += 2, out += 2 * out_c) {
        const int32_t v0 = acc[0], v1 = acc[1];
        int32_t t0 = (dw3_smmlar(v0, m, rnd) + (v0 >> 31)) >> right;
        int32_t t1 = (dw3_smmlar(v1, m, rnd) + (v1 >> 31)) >> right;
        out[0] = (int8_t)(full ? tg_sat_i8(t0) : tg_clamp_i32(t0, act_min, act_max));
        out[out_c] = (int8_t)(full ? tg_sat_i8(t1) : tg_clamp_i32(t1, act_min, act_max));
    }
    if (acc < end) {
        const int32_t v = acc[0];
        const int32_t t = (dw3_smmlar(v, m, rnd) + (v >> 31)) >> right;
        out[0] = (int8_t)(full ? tg_sat_i8(t) : tg_clamp_i32(t, act_min, act_max));
    }
}

/* nx input pixels `step` bytes apart, channels [c, c + n) (n = 1 or 4), into their planes (`pitch`
 * words apart) from column `col`: four channels at a time take two loads, four SXTB16 and four
 * PKH per two columns. */
static void dw3_widen_row(const int8_t *s, int32_t step, int32_t nx, int32_t col, int16_t *d, int32_t pitch, int32_t n)
{
    int32_t x = 0, k;
    if (col & 1) { /* the first column is the high half of a word */
        for (k = 0; k < n; ++k) {
            d[2 * k * pitch] = s[k];
        }
        ++x;
        ++d;
        s += step;
    }
#ifdef TG_DSP
    if (n == 4) {
        uint32_t *dw = (uint32_t *)d;
        const int32_t p1 = pitch, p2 = 2 * pitch, p3 = 3 * pitch;
        for (; x + 2 <= nx; x += 2) {
            uint32_t va, vb;
            memcpy(&va, s, 4);
            memcpy(&vb, s + step, 4);
            {
                const uint32_t ae = __sxtb16(va), ao = (uint32_t)sx_odd(va);
                const uint32_t be = __sxtb16(vb), bo = (uint32_t)sx_odd(vb);
                dw[0] = dw3_pkhbt(ae, be);
                dw[p2] = dw3_pkhtb(be, ae);
                dw[p1] = dw3_pkhbt(ao, bo);
                dw[p3] = dw3_pkhtb(bo, ao);
            }
            ++dw;
            s += 2 * step;
        }
        d = (int16_t *)dw;
    }
#endif
    for (; x < nx; ++x) {
        for (k = 0; k < n; ++k) {
            d[2 * k * pitch] = s[k];
        }
        ++d;
        s += step;
    }
}

/* A band's accumulators (rows `row_accs` apart) requantized into the HWC output: outputs `step`
 * bytes apart, rows `row_step` apart (out_w * step unless the plane is transposed). */
static void dw3_requantize_band(const int32_t *acc, int32_t row_accs, int32_t nb, int32_t out_w, const int32_t *q,
                                int8_t *out, int32_t step, int32_t row_step, int32_t act_min, int32_t act_max)
{
    int32_t oy;
#ifdef TG_DSP
    if (act_min == -128 && act_max == 127) {
        /* Written out: the compiler's row loop cost about 30 instructions a row (rows of 3 to 48
         * outputs). Output rows follow each other in the HWC output, only the accumulator
         * pointer skips the rows' unused accumulators. */
        const int32_t m = q[1], rnd = q[2], right = q[3];
        int32_t wb = 4 * out_w - 8, skip = 4 * (row_accs - out_w), oskip = row_step - out_w * step, rows = nb;
        int32_t e8, v0, v1, t0, t1;
        __asm__ volatile(
            "1:\n\t"
            "ldr    %[t0], %[wb]\n\t"
            "add    %[e8], %[a], %[t0]\n\t"
            "cmp    %[a], %[e8]\n\t"
            "bhi    3f\n\t"
            "2:\n\t"
            "ldrd   %[v0], %[v1], [%[a]], #8\n\t"
            "smmlar %[t0], %[v0], %[m], %[rnd]\n\t"
            "smmlar %[t1], %[v1], %[m], %[rnd]\n\t"
            "add    %[t0], %[t0], %[v0], asr #31\n\t"
            "add    %[t1], %[t1], %[v1], asr #31\n\t"
            "asr    %[t0], %[t0], %[right]\n\t"
            "asr    %[t1], %[t1], %[right]\n\t"
            "ssat   %[t0], #8, %[t0]\n\t"
            "ssat   %[t1], #8, %[t1]\n\t"
            "strb   %[t0], [%[o]]\n\t"
            "strb   %[t1], [%[o], %[c]]\n\t"
            "add    %[o], %[o], %[c], lsl #1\n\t"
            "cmp    %[a], %[e8]\n\t"
            "bls    2b\n\t"
            "3:\n\t"
            "sub    %[t0], %[a], %[e8]\n\t"
            "cmp    %[t0], #4\n\t"
            "bne    4f\n\t"
            "ldr    %[v0], [%[a]], #4\n\t"
            "smmlar %[t0], %[v0], %[m], %[rnd]\n\t"
            "add    %[t0], %[t0], %[v0], asr #31\n\t"
            "asr    %[t0], %[t0], %[right]\n\t"
            "ssat   %[t0], #8, %[t0]\n\t"
            "strb   %[t0], [%[o]]\n\t"
            "add    %[o], %[o], %[c]\n\t"
            "4:\n\t"
            "ldr    %[t0], %[skip]\n\t"
            "add    %[a], %[a], %[t0]\n\t"
            "ldr    %[t0], %[oskip]\n\t"
            "add    %[o], %[o], %[t0]\n\t"
            "ldr    %[t0], %[rows]\n\t"
            "subs   %[t0], %[t0], #1\n\t"
            "str    %[t0], %[rows]\n\t"
            "bne    1b\n\t"
            : [a] "+r"(acc), [o] "+r"(out), [e8] "=&r"(e8), [v0] "=&r"(v0), [v1] "=&r"(v1), [t0] "=&r"(t0),
              [t1] "=&r"(t1), [rows] "+m"(rows)
            : [m] "r"(m), [rnd] "r"(rnd), [right] "r"(right), [c] "r"(step), [wb] "m"(wb), [skip] "m"(skip),
              [oskip] "m"(oskip)
            : "cc", "memory");
        return;
    }
#endif
    if (act_min == -128 && act_max == 127) {
        for (oy = 0; oy < nb; ++oy, acc += row_accs, out += row_step) {
            dw3_requantize_row(acc, out_w, q, out, step, -128, 127, 1);
        }
    } else {
        for (oy = 0; oy < nb; ++oy, acc += row_accs, out += row_step) {
            dw3_requantize_row(acc, out_w, q, out, step, act_min, act_max, 0);
        }
    }
}

/* ---- 3x3, stride 1 or 2, small planes: four channels of one output pixel at a time ----
 * Where a channel's plane is small (a 6x6 output: MobileNet's deep layers), the plane kernel's
 * fixed cost per channel outweighs its work. Here the padded input is widened once into one plane
 * per group of four channels, two words per pixel (channels 0,2 and 1,3 as SXTB16 gives them), and
 * each output pixel takes its nine taps from three row pointers at fixed offsets. A group's 34
 * constant words (tinygen/ops/depthwise_packed.py, dwg_words): the four scaled kernel sums, per
 * tap two weight words, per channel multiplier, round and right shift; the requantization is the
 * plane kernel's (one SMMLAR), outputs in int8's full range only. */
#define TG_DWG_WORDS 34
#ifdef TG_DSP
#define DWG_TAP(p, off, woff)                                 \
    "ldrd   %[e], %[o], [%[" #p "], #" #off "]\n\t"            \
    "ldrd   %[wa], %[wb], [%[w], #" #woff "]\n\t"             \
    "smlabb %[a0], %[e], %[wa], %[a0]\n\t"                    \
    "smlatt %[a2], %[e], %[wa], %[a2]\n\t"                    \
    "smlabb %[a1], %[o], %[wb], %[a1]\n\t"                    \
    "smlatt %[a3], %[o], %[wb], %[a3]\n\t"
/* a row's first tap last, its load stepping the row pointer to the next pixel */
#define DWG_TAP_NEXT(p, step, woff)                           \
    "ldrd   %[e], %[o], [%[" #p "]], #" #step "\n\t"          \
    "ldrd   %[wa], %[wb], [%[w], #" #woff "]\n\t"             \
    "smlabb %[a0], %[e], %[wa], %[a0]\n\t"                    \
    "smlatt %[a2], %[e], %[wa], %[a2]\n\t"                    \
    "smlabb %[a1], %[o], %[wb], %[a1]\n\t"                    \
    "smlatt %[a3], %[o], %[wb], %[a3]\n\t"
/* channel k's multiplier, round and right shift by one LDM (wb steps through them) */
#define DWG_RQ(a, k)                                          \
    "ldmia  %[wb]!, {%[e], %[o], %[wa]}\n\t"                  \
    "smmlar %[e], %[" #a "], %[e], %[o]\n\t"                  \
    "add    %[e], %[e], %[" #a "], asr #31\n\t"               \
    "asr    %[e], %[e], %[wa]\n\t"                            \
    "ssat   %[e], #8, %[e]\n\t"                               \
    "strb   %[e], [%[out], #" #k "]\n\t"
/* One group's plane: rows >= 1 output rows of n >= 1 pixels; the padded rows are wp pixels (two
 * words each), the row pointers step `step` bytes (8 per stride) per pixel and step * wp per output
 * row. Written out: four accumulators, four temporaries, the row, weight and output pointers and
 * the output step take fourteen registers; the row's end, its skip and the row count live on the
 * stack. */
#define DWG_PLANE(name, step)                                                                                 \
    static void name(const uint32_t *p0, int32_t wp, const uint32_t *w, int8_t *out, int32_t n, int32_t rows,  \
                     int32_t oc)                                                                              \
    {                                                                                                         \
        const uint32_t *p1 = p0 + 2 * wp, *p2 = p1 + 2 * wp, *end = p0 + (step) / 4 * n;                      \
        const int32_t skip = (step) * (wp - n), row_bytes = (step) * wp;                                      \
        int32_t a0, a1, a2, a3;                                                                               \
        /* ascending, for the LDM */                                                                          \
        register uint32_t e __asm__("r8");                                                                    \
        register uint32_t o __asm__("r9");                                                                    \
        register uint32_t wa __asm__("r10");                                                                   \
        uint32_t wb;                                                                                          \
        __asm__ volatile("1:\n\t"                                                                             \
                         "ldrd   %[a0], %[a1], [%[w]]\n\t"                                                    \
                         "ldrd   %[a2], %[a3], [%[w], #8]\n\t"                                                \
                         DWG_TAP(p0, 8, 24) DWG_TAP(p0, 16, 32) DWG_TAP_NEXT(p0, step, 16)                   \
                         DWG_TAP(p1, 8, 48) DWG_TAP(p1, 16, 56) DWG_TAP_NEXT(p1, step, 40)                   \
                         DWG_TAP(p2, 8, 72) DWG_TAP(p2, 16, 80) DWG_TAP_NEXT(p2, step, 64)                   \
                         "add    %[wb], %[w], #88\n\t"                                                 \
                         DWG_RQ(a0, 0) DWG_RQ(a1, 1) DWG_RQ(a2, 2) DWG_RQ(a3, 3)                               \
                         "add    %[out], %[out], %[oc]\n\t"                                                   \
                         "ldr    %[wa], %[end]\n\t"                                                           \
                         "cmp    %[p0], %[wa]\n\t"                                                            \
                         "bne    1b\n\t"                                                                      \
                         /* the row's end: the next output row (the output rows are contiguous) */            \
                         "ldr    %[wb], %[rb]\n\t"                                                            \
                         "add    %[wa], %[wa], %[wb]\n\t"                                                     \
                         "str    %[wa], %[end]\n\t"                                                           \
                         "ldr    %[wa], %[skip]\n\t"                                                          \
                         "add    %[p0], %[p0], %[wa]\n\t"                                                     \
                         "add    %[p1], %[p1], %[wa]\n\t"                                                     \
                         "add    %[p2], %[p2], %[wa]\n\t"                                                     \
                         "ldr    %[wa], %[rows]\n\t"                                                          \
                         "subs   %[wa], %[wa], #1\n\t"                                                        \
                         "str    %[wa], %[rows]\n\t"                                                          \
                         "bne    1b\n\t"                                                                      \
                         : [a0] "=&r"(a0), [a1] "=&r"(a1), [a2] "=&r"(a2), [a3] "=&r"(a3), [e] "=&r"(e),       \
                           [o] "=&r"(o), [wa] "=&r"(wa), [wb] "=&r"(wb), [p0] "+r"(p0), [p1] "+r"(p1),         \
                           [p2] "+r"(p2), [out] "+r"(out), [end] "+m"(end), [rows] "+m"(rows)                 \
                         : [w] "r"(w), [oc] "r"(oc), [skip] "m"(skip), [rb] "m"(row_bytes)                     \
                         : "cc", "memory");                                                                   \
    }
DWG_PLANE(dwg_plane_s1, 8)
DWG_PLANE(dwg_plane_s2, 16)
#undef DWG_PLANE
#undef DWG_TAP
#undef DWG_TAP_NEXT
#undef DWG_RQ
TG_INLINE uint32_t dwg_even(uint32_t v) { return __sxtb16(v); }
TG_INLINE uint32_t dwg_odd(uint32_t v) { return (uint32_t)sx_odd(v); }
#else
TG_INLINE int32_t dwg_lo(uint32_t v) { return (int16_t)(uint16_t)(v & 0xffffu); }
TG_INLINE int32_t dwg_hi(uint32_t v) { return (int16_t)(uint16_t)(v >> 16); }

static void dwg_row(const uint32_t *p0, const uint32_t *p1, const uint32_t *p2, const uint32_t *w, int8_t *out,
                    int32_t n, int32_t oc, int32_t step)
{
    int32_t i, t, k;
    for (i = 0; i < n; ++i, p0 += step, p1 += step, p2 += step, out += oc) {
        const uint32_t *const rows[3] = {p0, p1, p2};
        int32_t a[4];
        for (k = 0; k < 4; ++k) {
            a[k] = (int32_t)w[k];
        }
        for (t = 0; t < 9; ++t) {
            const uint32_t e = rows[t / 3][2 * (t % 3)], o = rows[t / 3][2 * (t % 3) + 1];
            const uint32_t wa = w[4 + 2 * t], wb = w[5 + 2 * t];
            a[0] += dwg_lo(e) * dwg_lo(wa);
            a[2] += dwg_hi(e) * dwg_hi(wa);
            a[1] += dwg_lo(o) * dwg_lo(wb);
            a[3] += dwg_hi(o) * dwg_hi(wb);
        }
        for (k = 0; k < 4; ++k) {
            const uint32_t *q = w + 22 + 3 * k;
            const int32_t v = (dw3_smmlar(a[k], (int32_t)q[0], (int32_t)q[1]) + (a[k] >> 31)) >> (int32_t)q[2];
            out[k] = (int8_t)tg_sat_i8(v);
        }
    }
}
TG_INLINE uint32_t dwg_pair(int32_t lo, int32_t hi) { return (uint32_t)(uint16_t)(int16_t)lo | (uint32_t)(uint16_t)(int16_t)hi << 16; }
TG_INLINE uint32_t dwg_even(uint32_t v) { return dwg_pair((int8_t)(v & 0xffu), (int8_t)((v >> 16) & 0xffu)); }
TG_INLINE uint32_t dwg_odd(uint32_t v) { return dwg_pair((int8_t)((v >> 8) & 0xffu), (int8_t)(v >> 24)); }
#endif

/* One input pixel's groups of four channels into their planes (`plane_bytes` apart). */
#ifdef TG_DSP
static void dwg_widen_pixel(const int8_t *src, uint32_t *d, int32_t plane_bytes, int32_t groups)
{
    const int8_t *const end = src + 4 * groups;
    uint32_t v0, v1, e, o;
    if (groups & 1) {
        memcpy(&v0, src, 4);
        d[0] = __sxtb16(v0);
        d[1] = (uint32_t)sx_odd(v0);
        d = (uint32_t *)((uintptr_t)d + (uint32_t)plane_bytes);
        src += 4;
    }
    if (src == end) {
        return;
    }
    /* two groups per pass: LDRD of eight channels, SXTB16 of each word, STRD of each pair */
    __asm__ volatile("1:\n\t"
                     "ldrd    %[v0], %[v1], [%[s]], #8\n\t"
                     "sxtb16  %[e], %[v0]\n\t"
                     "sxtb16  %[o], %[v0], ror #8\n\t"
                     "strd    %[e], %[o], [%[d]]\n\t"
                     "add     %[d], %[d], %[pb]\n\t"
                     "sxtb16  %[e], %[v1]\n\t"
                     "sxtb16  %[o], %[v1], ror #8\n\t"
                     "strd    %[e], %[o], [%[d]]\n\t"
                     "add     %[d], %[d], %[pb]\n\t"
                     "cmp     %[s], %[end]\n\t"
                     "bne     1b\n\t"
                     : [v0] "=&r"(v0), [v1] "=&r"(v1), [e] "=&r"(e), [o] "=&r"(o), [s] "+r"(src), [d] "+r"(d)
                     : [pb] "r"(plane_bytes), [end] "r"(end)
                     : "cc", "memory");
}
#else
static void dwg_widen_pixel(const int8_t *src, uint32_t *d, int32_t plane_bytes, int32_t groups)
{
    int32_t g;
    for (g = 0; g < groups; ++g, src += 4, d += plane_bytes / 4) {
        uint32_t v;
        memcpy(&v, src, 4);
        d[0] = dwg_even(v);
        d[1] = dwg_odd(v);
    }
}
#endif

/* n (even) words of zero points from d; returns the end */
TG_INLINE uint32_t *dwg_fill(uint32_t *d, uint32_t zp, int32_t n)
{
#ifdef TG_DSP
    /* four words per STM */
    register uint32_t z0 __asm__("r8") = zp;
    register uint32_t z1 __asm__("r9") = zp;
    register uint32_t z2 __asm__("r10") = zp;
    register uint32_t z3 __asm__("r11") = zp;
    for (; n >= 4; n -= 4) {
        __asm__ volatile("stmia %0!, {%1, %2, %3, %4}" : "+r"(d) : "r"(z0), "r"(z1), "r"(z2), "r"(z3) : "memory");
    }
#endif
    for (; n > 0; n -= 2, d += 2) {
        d[0] = zp;
        d[1] = zp;
    }
    return d;
}

/* n >= 1 input pixels of a row, all their groups, into the planes from d (the first pixel's
 * position in the first plane) */
static void dwg_widen_row(const int8_t *src, uint32_t *d, int32_t plane_bytes, int32_t groups, int32_t n)
{
#ifdef TG_DSP
    if ((groups & 1) == 0) {
        /* pixel by pixel, two groups per pass (as dwg_widen_pixel), then back to the first plane */
        const int8_t *const end = src + 4 * groups * n;
        const int32_t c_n = 4 * groups, back = groups * plane_bytes - 8;
        const int8_t *pend;
        uint32_t v0, v1, e, o;
        __asm__ volatile("2:\n\t"
                         "add     %[pend], %[s], %[c]\n\t"
                         "1:\n\t"
                         "ldrd    %[v0], %[v1], [%[s]], #8\n\t"
                         "sxtb16  %[e], %[v0]\n\t"
                         "sxtb16  %[o], %[v0], ror #8\n\t"
                         "strd    %[e], %[o], [%[d]]\n\t"
                         "add     %[d], %[d], %[pb]\n\t"
                         "sxtb16  %[e], %[v1]\n\t"
                         "sxtb16  %[o], %[v1], ror #8\n\t"
                         "strd    %[e], %[o], [%[d]]\n\t"
                         "add     %[d], %[d], %[pb]\n\t"
                         "cmp     %[s], %[pend]\n\t"
                         "bne     1b\n\t"
                         "sub     %[d], %[d], %[back]\n\t"
                         "cmp     %[s], %[end]\n\t"
                         "bne     2b\n\t"
                         : [v0] "=&r"(v0), [v1] "=&r"(v1), [e] "=&r"(e), [o] "=&r"(o), [s] "+r"(src), [d] "+r"(d),
                           [pend] "=&r"(pend)
                         : [pb] "r"(plane_bytes), [end] "r"(end), [c] "r"(c_n), [back] "r"(back)
                         : "cc", "memory");
        return;
    }
#endif
    for (; n > 0; --n, src += 4 * groups, d += 2) {
        dwg_widen_pixel(src, d, plane_bytes, groups);
    }
}

static void dwg_s8(const tg_depthwise_packed_params *p, const int8_t *input, int8_t *output, int8_t *scratch)
{
    const int32_t c_n = p->in_c, groups = c_n / 4, s = p->stride_w, in_w = p->in_w;
    const int32_t out_h = p->out_h, out_w = p->out_w, wp = TG_DWG_SIDE(out_w, s);
    /* output rows in bands of nb (the planes of all groups then fit TG_DWG_MAX_BYTES) */
    const int32_t nb = TG_DWG_BAND(c_n, out_h, out_w, s), plane = 2 * wp * TG_DWG_SIDE(nb, s); /* words */
    /* the padded rows [y0, y1) and columns [x0, x1) that hold input pixels */
    const int32_t hp = TG_DWG_SIDE(out_h, s);
    const int32_t y0 = tg_min_i32(p->pad_top, hp), y1 = tg_max_i32(y0, tg_min_i32(hp, p->pad_top + p->in_h));
    const int32_t x0 = tg_min_i32(p->pad_left, wp), x1 = tg_max_i32(x0, tg_min_i32(wp, p->pad_left + in_w));
    uint32_t *const planes = (uint32_t *)(((uintptr_t)scratch + 3u) & ~(uintptr_t)3u);
    const uint32_t zp = (uint32_t)(uint16_t)(int16_t)p->input_zero_point * 0x10001u;
    int32_t g, y, oy0;
    for (oy0 = 0; oy0 < out_h; oy0 += nb) {
        const int32_t n = tg_min_i32(nb, out_h - oy0), top = oy0 * s, bottom = top + TG_DWG_SIDE(n, s);
        /* the band's rows [iy0, iy1) that hold input pixels */
        const int32_t iy0 = tg_max_i32(y0, top), iy1 = tg_max_i32(iy0, tg_min_i32(y1, bottom));
        /* the zero points, group by group: up to the first input pixel, then from each row's last
         * input pixel to the next row's first, then to the end of the band */
        for (g = 0; g < groups; ++g) {
            uint32_t *d = planes + g * plane;
            if (iy1 > iy0) {
                d = dwg_fill(d, zp, 2 * ((iy0 - top) * wp + x0));
                for (y = iy0; y + 1 < iy1; ++y) {
                    d = dwg_fill(d + 2 * (x1 - x0), zp, 2 * (wp - x1 + x0));
                }
                d = dwg_fill(d + 2 * (x1 - x0), zp, 2 * ((bottom - iy1) * wp + wp - x1));
            } else {
                dwg_fill(d, zp, 2 * (bottom - top) * wp);
            }
        }
        /* the input pixels, row by row: their channels are contiguous */
        if (x1 > x0) {
            for (y = iy0; y < iy1; ++y) {
                dwg_widen_row(input + ((y - p->pad_top) * in_w + x0 - p->pad_left) * c_n,
                              planes + 2 * ((y - top) * wp + x0), 4 * plane, groups, x1 - x0);
            }
        }
        for (g = 0; g < groups; ++g) {
            const uint32_t *const w = p->dwg + TG_DWG_WORDS * g, *const base = planes + g * plane;
            int8_t *const out = output + oy0 * out_w * c_n + 4 * g;
#ifdef TG_DSP
            if (s == 2) {
                dwg_plane_s2(base, wp, w, out, out_w, n, c_n);
            } else {
                dwg_plane_s1(base, wp, w, out, out_w, n, c_n);
            }
#else
            int32_t oy;
            for (oy = 0; oy < n; ++oy) {
                const uint32_t *r0 = base + 2 * oy * s * wp;
                dwg_row(r0, r0 + 2 * wp, r0 + 4 * wp, w, out + oy * out_w * c_n, out_w, c_n, 2 * s);
            }
#endif
        }
    }
}

static void dw3_s8(const tg_depthwise_packed_params *p, const int8_t *input, int8_t *output, int8_t *scratch)
{
    /* a transposed plane (dw3_transpose: rows are the input's columns) for tall, narrow inputs:
     * fewer passes straddle two rows; its weights are transposed by the generator */
    const int32_t tr = p->dw3_transpose, c_n = p->in_c;
    const int32_t in_h = tr ? p->in_w : p->in_h, in_w = tr ? p->in_h : p->in_w;
    const int32_t out_h = tr ? p->out_w : p->out_h, out_w = tr ? p->out_h : p->out_w;
    const int32_t pad_top = tr ? p->pad_left : p->pad_top, pad_left = tr ? p->pad_top : p->pad_left;
    const int32_t in_row = (tr ? 1 : p->in_w) * c_n, in_step = (tr ? p->in_w : 1) * c_n;
    const int32_t out_row = (tr ? 1 : p->out_w) * c_n, out_step = (tr ? p->out_w : 1) * c_n;
    const int32_t s2 = p->stride_w == 2, group = TG_DW3_PLANES(c_n);
    const int32_t rows = TG_DW3_ROWS(out_h, p->stride_w), words = TG_DW3_WORDS(out_w, p->stride_w);
    const int32_t pitch = rows * words + 1; /* words per plane */
    const int32_t band = TG_DW3_BAND(out_h, out_w, p->stride_w), row_accs = s2 ? words : 2 * words;
    uint32_t *const planes = (uint32_t *)(((uintptr_t)scratch + 3u) & ~(uintptr_t)3u);
    int32_t *const acc = (int32_t *)(planes + group * pitch);
    /* the input cells the plane holds: the rest is padding, zero points written once */
    const int32_t ny = tg_min_i32(in_h, rows - pad_top), nx = tg_min_i32(in_w, 2 * words - pad_left);
    const uint32_t zp = (uint32_t)(uint16_t)(int16_t)p->input_zero_point * 0x10001u;
    int32_t c, i, y;
    for (i = 0; i < group * pitch; ++i) {
        planes[i] = zp;
    }
    for (c = 0; c < c_n; ++c) {
        const uint32_t *w = p->dw3_weights + 6 * c;
        const int32_t *q = p->dw3_q + 4 * c;
        uint32_t *const plane = planes + (c % group) * pitch;
        uint32_t *const odd = plane + (out_h + 1) * words; /* stride 2: the odd padded rows */
        int32_t oy0;
        if (c % group == 0) {
            for (y = 0; y < ny; ++y) {
                const int32_t yp = y + pad_top;
                uint32_t *row = s2 ? ((yp & 1) ? odd : plane) + (yp >> 1) * words : plane + yp * words;
                dw3_widen_row(input + y * in_row + c, in_step, nx, pad_left, (int16_t *)row + pad_left, pitch, group);
            }
        }
        for (oy0 = 0; oy0 < out_h; oy0 += band) {
            const int32_t nb = tg_min_i32(band, out_h - oy0);
            if (s2) {
                dw3_sweep_s2(plane + oy0 * words, odd + oy0 * words, plane + (oy0 + 1) * words, w, q[0], acc, nb * words);
            } else {
                dw3_sweep_s1(plane + oy0 * words, words, w, q[0], acc, nb * words);
            }
            dw3_requantize_band(acc, row_accs, nb, out_w, q, output + oy0 * out_row + c, out_step, out_row, p->act_min,
                                p->act_max);
        }
    }
}

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
    if (p->dwg) {
        dwg_s8(p, input, output, scratch);
        return;
    }
    if (p->dw3_weights) {
        dw3_s8(p, input, output, scratch);
        return;
    }
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
    if (p->dwg) {
        return TG_DWG_SCRATCH_BYTES(p->in_c, p->out_h, p->out_w, p->stride_w);
    }
    if (p->dw3_weights) {
        return p->dw3_transpose ? TG_DW3_SCRATCH_BYTES(p->in_c, p->out_w, p->out_h, p->stride_w)
                                : TG_DW3_SCRATCH_BYTES(p->in_c, p->out_h, p->out_w, p->stride_w);
    }
    return TG_DW_SCRATCH_BYTES(p->in_c, p->k_h * p->k_w);
}
