#include "tg_conv_packed.h"

#include <string.h>

#include "tg_dot.h"

#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP
#include <arm_acle.h>
#define TG_DSP 1
#endif

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
 * words prepared at generation time (tg_requantize_rq; on the wide path requantize_wide) clamped to the activation range, or
 * saturated when that range is all of int8. */
enum { RQ_MULTIPLIER, RQ_PREPARED, RQ_PREPARED_SAT };

/* ---- The wide path: int16 weight pairs (tg_dot.h) against a column widened to int16 pairs once
 * per output pixel, so the inner loop is loads and SMLADs only (no SXTB16 per group and row). ---- */

TG_INLINE uint32_t load_u32(const int8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4); /* one unaligned LDR on ARMv7E-M */
    return v;
}

#ifdef TG_DSP
TG_INLINE uint32_t sx_even(uint32_t v) { return (uint32_t)__sxtb16(v); }
TG_INLINE uint32_t sx_odd(uint32_t v)
{
    uint32_t r;
    __asm__("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(v));
    return r;
}
TG_INLINE int32_t smlad(uint32_t a, uint32_t b, int32_t acc) { return __smlad(a, b, acc); }
/* (acc * 2^32 + a * b + 2^31) >> 32 in one instruction. */
TG_INLINE int32_t smmlar(int32_t a, int32_t b, int32_t acc)
{
    int32_t r;
    __asm__("smmlar %0, %1, %2, %3" : "=r"(r) : "r"(a), "r"(b), "r"(acc));
    return r;
}
#else
TG_INLINE uint32_t sx_even(uint32_t v)
{
    return (uint32_t)(uint16_t)(int8_t)(v & 0xffu) | (uint32_t)(uint16_t)(int8_t)((v >> 16) & 0xffu) << 16;
}
TG_INLINE uint32_t sx_odd(uint32_t v) { return sx_even(v >> 8); }
TG_INLINE int32_t smlad(uint32_t a, uint32_t b, int32_t acc)
{
    const int32_t lo = (int32_t)(int16_t)(a & 0xffffu) * (int16_t)(b & 0xffffu);
    const int32_t hi = (int32_t)(int16_t)(a >> 16) * (int16_t)(b >> 16);
    return (int32_t)((uint32_t)acc + (uint32_t)lo + (uint32_t)hi);
}
TG_INLINE int32_t smmlar(int32_t a, int32_t b, int32_t acc)
{
    return (int32_t)(((int64_t)acc * 4294967296LL + (int64_t)a * b + 2147483648LL) >> 32);
}
#endif

/* The wide path's depth: each kernel row of k_w * in_c values is zero-padded to whole groups of
 * four at generation time (tinygen/ops/conv_packed.py: wide_padded), so no loop has a tail. */
TG_INLINE int32_t wide_run(const tg_conv_packed_params *p) { return (p->k_w * p->in_c + 3) & ~3; }
TG_INLINE int32_t wide_depth(const tg_conv_packed_params *p) { return p->k_h * wide_run(p); }

/* The widened column: per group of four depth bytes (x0 | x2 << 16, x1 | x3 << 16), the lanes the
 * wide weight words hold. depth is a multiple of four. */
TG_INLINE void widen(const int8_t *src, int32_t depth, uint32_t *dst)
{
    int32_t g = depth >> 2;
    if (g & 1) {
        const uint32_t v = load_u32(src);
        dst[0] = sx_even(v);
        dst[1] = sx_odd(v);
        src += 4;
        dst += 2;
    }
    for (g >>= 1; g > 0; --g) { /* two groups a turn */
        const uint32_t v = load_u32(src), u = load_u32(src + 4);
        dst[0] = sx_even(v);
        dst[1] = sx_odd(v);
        dst[2] = sx_even(u);
        dst[3] = sx_odd(u);
        src += 8;
        dst += 4;
    }
}

static void copy_bytes(const int8_t *src, int8_t *dst, int32_t n)
{
    for (; n >= 4; n -= 4) {
        const uint32_t v = load_u32(src);
        memcpy(dst, &v, 4); /* one unaligned STR */
        src += 4;
        dst += 4;
    }
    for (; n > 0; --n) {
        *dst++ = *src++;
    }
}

/* The receptive field widened, for taps that split groups of four (in_c % 4 != 0): a row of taps
 * wholly inside the input whose padded run (wide_run) stays inside the input row is widened
 * straight from the input (the bytes past its k_w * in_c meet zero weights); other rows are
 * gathered into `bytes` first, padded taps reading the input zero point. */
static void im2col_wide_bytes(const tg_conv_packed_params *p, const int8_t *input, int32_t oy, int32_t ox,
                              uint32_t *col, int8_t *bytes)
{
    const int32_t c = p->in_c, run = p->k_w * c, run4 = wide_run(p);
    const int32_t y0 = oy * p->stride_h - p->pad_top, x0 = ox * p->stride_w - p->pad_left;
    const int in_row = p->dil_w == 1 && x0 >= 0 && x0 * c + run4 <= p->in_w * c;
    int32_t ky, kx, i;
    for (ky = 0; ky < p->k_h; ++ky, col += run4 >> 1) {
        const int32_t y = y0 + ky * p->dil_h;
        int8_t *dst = bytes;
        if (in_row && y >= 0 && y < p->in_h) {
            widen(input + (y * p->in_w + x0) * c, run4, col);
            continue;
        }
        for (kx = 0; kx < p->k_w; ++kx, dst += c) {
            const int32_t x = x0 + kx * p->dil_w;
            if (y < 0 || y >= p->in_h || x < 0 || x >= p->in_w) {
                for (i = 0; i < c; ++i) {
                    dst[i] = (int8_t)p->input_zero_point;
                }
            } else {
                copy_bytes(input + (y * p->in_w + x) * c, dst, c);
            }
        }
        for (i = run; i < run4; ++i) {
            bytes[i] = 0; /* against zero weights */
        }
        widen(bytes, run4, col);
    }
}

/* The receptive field widened, for in_c % 4 == 0 (every tap is whole groups): padded taps are
 * pairs of the input zero point; a row of taps wholly inside the input is widened in one run. */
static void im2col_wide(const tg_conv_packed_params *p, const int8_t *input, int32_t oy, int32_t ox, uint32_t *col)
{
    const int32_t c = p->in_c, words = c >> 1;
    const int32_t y0 = oy * p->stride_h - p->pad_top, x0 = ox * p->stride_w - p->pad_left;
    const uint32_t zp = (uint32_t)(uint16_t)(int16_t)p->input_zero_point * 0x10001u;
    const int whole_rows = p->dil_w == 1 && x0 >= 0 && x0 + p->k_w <= p->in_w;
    int32_t ky, kx, i;
    for (ky = 0; ky < p->k_h; ++ky) {
        const int32_t y = y0 + ky * p->dil_h;
        if (whole_rows && y >= 0 && y < p->in_h) { /* the row's taps are one contiguous run */
            widen(input + (y * p->in_w + x0) * c, p->k_w * c, col);
            col += p->k_w * words;
            continue;
        }
        for (kx = 0; kx < p->k_w; ++kx) {
            const int32_t x = x0 + kx * p->dil_w;
            if (y < 0 || y >= p->in_h || x < 0 || x >= p->in_w) {
                for (i = 0; i < words; ++i) {
                    col[i] = zp;
                }
            } else {
                widen(input + (y * p->in_w + x) * c, c, col);
            }
            col += words;
        }
    }
}

#ifdef TG_DSP
/* One group of four depth values against four rows: an LDRD of the column, two LDMs of the eight
 * weight words (ascending registers, hence the explicit register variables) and eight SMLADs. */
#define TG_WIDE_STEP()                                                                                        \
    do {                                                                                                       \
        register uint32_t w0 __asm__("r4");                                                                    \
        register uint32_t w1 __asm__("r5");                                                                    \
        register uint32_t w2 __asm__("r6");                                                                    \
        register uint32_t w3 __asm__("r7");                                                                    \
        const uint32_t xe = x[0], xo = x[1];                                                                   \
        x += 2;                                                                                                \
        __asm__ volatile("ldmia %4!, {%0, %1, %2, %3}" : "=r"(w0), "=r"(w1), "=r"(w2), "=r"(w3), "+r"(w) : : "memory"); \
        a0 = smlad(w0, xe, a0);                                                                                \
        a0 = smlad(w1, xo, a0);                                                                                \
        a1 = smlad(w2, xe, a1);                                                                                \
        a1 = smlad(w3, xo, a1);                                                                                \
        __asm__ volatile("ldmia %4!, {%0, %1, %2, %3}" : "=r"(w0), "=r"(w1), "=r"(w2), "=r"(w3), "+r"(w) : : "memory"); \
        a2 = smlad(w0, xe, a2);                                                                                \
        a2 = smlad(w1, xo, a2);                                                                                \
        a3 = smlad(w2, xe, a3);                                                                                \
        a3 = smlad(w3, xo, a3);                                                                                \
    } while (0)
#else
#define TG_WIDE_STEP()                                                                                        \
    do {                                                                                                       \
        const uint32_t xe = x[0], xo = x[1];                                                                   \
        x += 2;                                                                                                \
        a0 = smlad(w[1], xo, smlad(w[0], xe, a0));                                                             \
        a1 = smlad(w[3], xo, smlad(w[2], xe, a1));                                                             \
        a2 = smlad(w[5], xo, smlad(w[4], xe, a2));                                                             \
        a3 = smlad(w[7], xo, smlad(w[6], xe, a3));                                                             \
        w += 8;                                                                                                \
    } while (0)
#endif

/* Four rows of the wide layout against the widened column (depth a multiple of four); returns the
 * next block. The loop runs two groups a turn (one odd group first): 22 instructions for 32 MACs
 * plus two. */
TG_INLINE const uint32_t *dot4_wide_col(const uint32_t *x, const uint32_t *w, int32_t depth, int32_t *acc)
{
    int32_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
    const int32_t groups = depth >> 2;
    const uint32_t *end = x + 2 * groups;
    if (groups & 1) {
        TG_WIDE_STEP();
    }
    while (x != end) {
        TG_WIDE_STEP();
        TG_WIDE_STEP();
    }
    acc[0] = a0;
    acc[1] = a1;
    acc[2] = a2;
    acc[3] = a3;
    return w;
}

/* The same for a depth known when the variant is compiled (kdepth): written out whole, without
 * loop control, for the shallow layers where that control was a third of the work. */
TG_INLINE const uint32_t *dot4_wide_fixed(const uint32_t *x, const uint32_t *w, const int32_t kdepth, int32_t *acc)
{
    int32_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
    int32_t g;
#pragma GCC unroll 64
    for (g = 0; g < (kdepth >> 2); ++g) {
        TG_WIDE_STEP();
    }
    acc[0] = a0;
    acc[1] = a1;
    acc[2] = a2;
    acc[3] = a3;
    return w;
}

/* One row (the last out_c % 4) of the wide layout: its groups' words. */
static const uint32_t *dot1_wide_col(const uint32_t *x, const uint32_t *w, int32_t depth, int32_t *acc)
{
    int32_t a = *acc, g;
    for (g = depth >> 2; g > 0; --g) {
        a = smlad(w[1], x[1], smlad(w[0], x[0], a));
        x += 2;
        w += 2;
    }
    *acc = a;
    return w;
}

/* The wide path's requantization (tg_conv_packed.h: the rq words when wide is set):
 * q = {multiplier, round, right}, x the accumulator already scaled by 2^(left + 1) (the
 * generator scales the channel's weights and kernel_sum); SMMLAR gives hi + round in one
 * instruction, hi = floor((x * multiplier + 2^31) / 2^32) = TFLM's doubling high multiply of the
 * unscaled accumulator shifted left, and the sign of x stands for the sign of hi (they differ
 * only where hi = 0, and there the floor by 2^right, right >= 1, does not see it). */
TG_INLINE int32_t requantize_wide(int32_t x, const int32_t *q)
{
    return (smmlar(x, q[0], q[1]) + (x >> 31)) >> q[2];
}


/* Output channel o of a pixel from its accumulator, as rq_mode says; *q = rq + 3 * o, stepped to
 * the next channel's words. */
TG_INLINE void store_wide(int8_t *out, const tg_conv_packed_params *p, int32_t o, const int32_t **q, int32_t acc,
                          const int rq_mode)
{
    if (rq_mode == RQ_MULTIPLIER) {
        const int32_t v = tg_requantize(acc, p->multiplier[o], p->shift[o]) + p->output_offset;
        out[o] = (int8_t)tg_clamp_i32(v, p->act_min, p->act_max);
    } else {
#ifdef TG_DSP
        /* the three words in one LDM that steps the pointer (GCC loads them one by one, the byte
         * stores alias them) */
        register int32_t q0 __asm__("r8");
        register int32_t q1 __asm__("r9");
        register int32_t q2 __asm__("r10");
        __asm__ volatile("ldmia %3!, {%0, %1, %2}" : "=r"(q0), "=r"(q1), "=r"(q2), "+r"(*q) : : "memory");
        const int32_t v = (smmlar(acc, q0, q1) + (acc >> 31)) >> q2;
#else
        const int32_t v = requantize_wide(acc, *q);
        *q += 3;
#endif
        out[o] = (int8_t)(rq_mode == RQ_PREPARED_SAT ? tg_sat_i8(v) : tg_clamp_i32(v, p->act_min, p->act_max));
    }
}

/* The wide variants: per output pixel the column is widened once (in place for 1x1, gathered
 * otherwise), then every block of four output channels runs on it and requantizes in registers. */
/* Whether every row of this pixel's taps is inside the input and its padded run (wide_run) inside
 * its input row, so that im2col_wide_bytes would widen each row straight from the input. */
TG_INLINE int interior_rows(const tg_conv_packed_params *p, int32_t oy, int32_t ox)
{
    const int32_t y0 = oy * p->stride_h - p->pad_top, x0 = ox * p->stride_w - p->pad_left;
    return p->dil_w == 1 && x0 >= 0 && (x0 * p->in_c + wide_run(p) <= p->in_w * p->in_c) && y0 >= 0 &&
           y0 + (p->k_h - 1) * p->dil_h < p->in_h;
}

/* kdepth: the depth when known at compile time (else 0); krun: then also the padded run of a
 * row of taps for in_c % 4 != 0 (else 0). */
TG_INLINE void conv_wide(const tg_conv_packed_params *p, const int8_t *input, int8_t *output, int8_t *scratch,
                         const int direct, const int rq_mode, const int32_t kdepth, const int32_t krun)
{
    const int32_t depth = kdepth ? kdepth : wide_depth(p), out_c = p->out_c;
    const int32_t *kernel_sum = p->kernel_sum, *rq = p->rq;
    uint32_t *col = (uint32_t *)(void *)scratch; /* word aligned: arena scratch */
    int8_t *bytes = scratch + 2 * depth;
    int32_t oy, ox, o;
    for (oy = 0; oy < p->out_h; ++oy) {
        for (ox = 0; ox < p->out_w; ++ox) {
            const int32_t pixel = oy * p->out_w + ox;
            const uint32_t *w = p->packed_weights;
            const int32_t *q = rq;
            int8_t *out = output + pixel * out_c;
            if (krun && interior_rows(p, oy, ox)) { /* krun: the padded run of a row of taps, known */
                const int8_t *src = input + ((oy * p->stride_h - p->pad_top) * p->in_w + ox * p->stride_w - p->pad_left) * p->in_c;
                int32_t ky;
                for (ky = 0; ky < p->k_h; ++ky) {
                    widen(src + ky * p->dil_h * p->in_w * p->in_c, krun, col + ky * (krun >> 1));
                }
            } else if (p->in_c & 3) {
                im2col_wide_bytes(p, input, oy, ox, col, bytes);
            } else if (direct) {
                widen(input + pixel * depth, depth, col);
            } else {
                im2col_wide(p, input, oy, ox, col);
            }
            for (o = 0; o + 4 <= out_c; o += 4) {
                int32_t acc[4];
                acc[0] = kernel_sum[o];
                acc[1] = kernel_sum[o + 1];
                acc[2] = kernel_sum[o + 2];
                acc[3] = kernel_sum[o + 3];
                w = kdepth ? dot4_wide_fixed(col, w, kdepth, acc) : dot4_wide_col(col, w, depth, acc);
                store_wide(out, p, o, &q, acc[0], rq_mode);
                store_wide(out, p, o + 1, &q, acc[1], rq_mode);
                store_wide(out, p, o + 2, &q, acc[2], rq_mode);
                store_wide(out, p, o + 3, &q, acc[3], rq_mode);
            }
            for (; o < out_c; ++o) {
                int32_t acc = kernel_sum[o];
                w = dot1_wide_col(col, w, depth, &acc);
                store_wide(out, p, o, &q, acc, rq_mode);
            }
        }
    }
}

/* Three input channels, 3x3, no dilation (wide == 2, tinygen/ops/conv_packed.py: c3_order): the
 * 27 taps of a pixel as 7 groups of four instead of three rows padded to 12: bytes 0-3 and 4-7 of
 * each row of 9, then the rows' last bytes (row 0, row 2, row 1) against a zero weight. */
TG_INLINE void c3_column(const int8_t *r0, const int8_t *r1, const int8_t *r2, uint32_t *col)
{
    uint32_t v;
    v = load_u32(r0);
    col[0] = sx_even(v);
    col[1] = sx_odd(v);
    v = load_u32(r0 + 4);
    col[2] = sx_even(v);
    col[3] = sx_odd(v);
    v = load_u32(r1);
    col[4] = sx_even(v);
    col[5] = sx_odd(v);
    v = load_u32(r1 + 4);
    col[6] = sx_even(v);
    col[7] = sx_odd(v);
    v = load_u32(r2);
    col[8] = sx_even(v);
    col[9] = sx_odd(v);
    v = load_u32(r2 + 4);
    col[10] = sx_even(v);
    col[11] = sx_odd(v);
    col[12] = (uint32_t)(uint16_t)(int16_t)r0[8] | (uint32_t)(uint16_t)(int16_t)r1[8] << 16;
    col[13] = (uint32_t)(int32_t)r2[8]; /* its high half meets the zero weight */
}

TG_INLINE void conv_c3(const tg_conv_packed_params *p, const int8_t *input, int8_t *output, int8_t *scratch,
                       const int rq_mode)
{
    const int32_t out_c = p->out_c, row = 3 * p->in_w;
    const int32_t *kernel_sum = p->kernel_sum, *rq = p->rq;
    uint32_t *col = (uint32_t *)(void *)scratch; /* 14 words, then a border pixel's 27 bytes */
    int8_t *bytes = scratch + 56;
    int32_t oy, ox, o, ky, kx, i;
    for (oy = 0; oy < p->out_h; ++oy) {
        const int32_t y0 = oy * p->stride_h - p->pad_top;
        const int rows_in = y0 >= 0 && y0 + 2 < p->in_h;
        for (ox = 0; ox < p->out_w; ++ox) {
            const int32_t x0 = ox * p->stride_w - p->pad_left;
            const uint32_t *w = p->packed_weights;
            const int32_t *q = rq;
            int8_t *out = output + (oy * p->out_w + ox) * out_c;
            if (rows_in && x0 >= 0 && x0 + 2 < p->in_w) {
                const int8_t *r0 = input + y0 * row + 3 * x0;
                c3_column(r0, r0 + row, r0 + 2 * row, col);
            } else { /* at the border, taps outside the input are the input zero point */
                for (ky = 0; ky < 3; ++ky) {
                    for (kx = 0; kx < 3; ++kx) {
                        const int32_t y = y0 + ky, x = x0 + kx;
                        const int in = y >= 0 && y < p->in_h && x >= 0 && x < p->in_w;
                        for (i = 0; i < 3; ++i) {
                            bytes[9 * ky + 3 * kx + i] = in ? input[y * row + 3 * x + i] : (int8_t)p->input_zero_point;
                        }
                    }
                }
                c3_column(bytes, bytes + 9, bytes + 18, col);
            }
            for (o = 0; o + 4 <= out_c; o += 4) {
                int32_t acc[4];
                acc[0] = kernel_sum[o];
                acc[1] = kernel_sum[o + 1];
                acc[2] = kernel_sum[o + 2];
                acc[3] = kernel_sum[o + 3];
                w = dot4_wide_fixed(col, w, 28, acc);
                store_wide(out, p, o, &q, acc[0], rq_mode);
                store_wide(out, p, o + 1, &q, acc[1], rq_mode);
                store_wide(out, p, o + 2, &q, acc[2], rq_mode);
                store_wide(out, p, o + 3, &q, acc[3], rq_mode);
            }
            for (; o < out_c; ++o) {
                int32_t acc = kernel_sum[o];
                w = dot1_wide_col(col, w, 28, &acc);
                store_wide(out, p, o, &q, acc, rq_mode);
            }
        }
    }
}

/* One copy per requantization mode, however many variants reach it (build time). */
__attribute__((noinline)) static void conv_c3_sat(const tg_conv_packed_params *p, const int8_t *input, int8_t *output,
                                                  int8_t *scratch)
{
    conv_c3(p, input, output, scratch, RQ_PREPARED_SAT);
}

__attribute__((noinline)) static void conv_c3_clamped(const tg_conv_packed_params *p, const int8_t *input,
                                                      int8_t *output, int8_t *scratch)
{
    conv_c3(p, input, output, scratch, RQ_PREPARED);
}

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
    if (wide) {
        if (!direct && rq_mode != RQ_MULTIPLIER && p->wide == 2) {
            if (rq_mode == RQ_PREPARED_SAT) {
                conv_c3_sat(p, input, output, scratch);
            } else {
                conv_c3_clamped(p, input, output, scratch);
            }
            return;
        }
#ifdef TG_DSP
        /* Depths known at compile time for the prepared requantization (VWW's 1x1 layers, 8 to 256
         * channels in; a 3x3 layer over 3 channels, its rows of 9 bytes padded to 12); only on DSP
         * cores, where these loops run, to bound the code and the build time. */
        if (rq_mode != RQ_MULTIPLIER && direct) {
            switch (wide_depth(p)) {
            case 8:
                conv_wide(p, input, output, scratch, 1, rq_mode, 8, 0);
                return;
            case 16:
                conv_wide(p, input, output, scratch, 1, rq_mode, 16, 0);
                return;
            case 32:
                conv_wide(p, input, output, scratch, 1, rq_mode, 32, 0);
                return;
            case 64:
                conv_wide(p, input, output, scratch, 1, rq_mode, 64, 0);
                return;
            case 128:
                conv_wide(p, input, output, scratch, 1, rq_mode, 128, 0);
                return;
            case 256:
                conv_wide(p, input, output, scratch, 1, rq_mode, 256, 0);
                return;
            default:
                break;
            }
        } else if (rq_mode != RQ_MULTIPLIER && p->in_c == 3 && p->k_h == 3 && p->k_w == 3) {
            conv_wide(p, input, output, scratch, 0, rq_mode, 36, 12);
            return;
        }
#endif
        conv_wide(p, input, output, scratch, direct, rq_mode, 0, 0);
        return;
    }
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
    const int32_t depth = p->k_h * p->k_w * p->in_c, direct = tg_conv_packed_is_1x1(p);
    if (p->wide) { /* the widened column, and the bytes it is widened from when taps split groups */
        return 2 * wide_depth(p) + ((p->in_c & 3) ? wide_depth(p) : 0);
    }
    return direct ? 0 : depth;
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
