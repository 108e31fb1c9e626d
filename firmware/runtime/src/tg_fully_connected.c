#include "tg_fully_connected.h"

#include <string.h>

#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP
#include <arm_acle.h>
#define TG_DSP 1
#endif

/* Reference loop: the specification (TFLM reference_integer_ops::FullyConnected), used when the
 * weights have a zero point and so cannot be folded into kernel_sum. Plain row-major weights. */
static void fully_connected_reference(const tg_fully_connected_params *p, const int8_t *input, const int8_t *filter,
                                      const int32_t *bias, int8_t *output)
{
    int32_t b, o, d;
    for (b = 0; b < p->batches; ++b) {
        const int8_t *in = input + b * p->accum_depth;
        for (o = 0; o < p->output_depth; ++o) {
            const int8_t *w = filter + o * p->accum_depth;
            const int ch = p->per_channel ? o : 0;
            int32_t acc = 0;
            for (d = 0; d < p->accum_depth; ++d) {
                acc += ((int32_t)w[d] + p->filter_offset) * ((int32_t)in[d] + p->input_offset);
            }
            if (bias) {
                acc += bias[o];
            }
            acc = tg_requantize(acc, p->multiplier[ch], p->shift[ch]) + p->output_offset;
            output[b * p->output_depth + o] = (int8_t)tg_clamp_i32(acc, p->act_min, p->act_max);
        }
    }
}

#ifdef TG_DSP
TG_INLINE uint32_t load_u32(const int8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4); /* one unaligned LDR on ARMv7E-M */
    return v;
}

/* SXTB16 of bytes 0 and 2, and of bytes 1 and 3 (with the rotate folded into the instruction,
 * which GCC does not do by itself). */
TG_INLINE int32_t sx_even(uint32_t v) { return (int32_t)__sxtb16(v); }
TG_INLINE int32_t sx_odd(uint32_t v)
{
    int32_t r;
    __asm__("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(v));
    return r;
}

/* One block of four rows: each group of four input bytes is widened once and used four times;
 * SMLAD pairs bytes (0,2) with (0,2) and (1,3) with (1,3), so no reordering inside a group. */
static const int8_t *dot4(const int8_t *x, const int8_t *wb, int32_t depth, int32_t *acc)
{
    int32_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
    const int8_t *end = x + (depth & ~3);
    const uint32_t *w32 = (const uint32_t *)(const void *)wb; /* word aligned: see the header */
    const int8_t *w;
    while (x != end) {
        const uint32_t xv = load_u32(x);
        const int32_t xe = sx_even(xv), xo = sx_odd(xv);
        const uint32_t w0 = w32[0], w1 = w32[1], w2 = w32[2], w3 = w32[3]; /* two LDRDs */
        x += 4;
        a0 = __smlad(sx_even(w0), xe, a0);
        a0 = __smlad(sx_odd(w0), xo, a0);
        a1 = __smlad(sx_even(w1), xe, a1);
        a1 = __smlad(sx_odd(w1), xo, a1);
        a2 = __smlad(sx_even(w2), xe, a2);
        a2 = __smlad(sx_odd(w2), xo, a2);
        a3 = __smlad(sx_even(w3), xe, a3);
        a3 = __smlad(sx_odd(w3), xo, a3);
        w32 += 4;
    }
    w = (const int8_t *)w32;
    for (end = x + (depth & 3); x != end; ++x) {
        const int32_t xv = *x;
        a0 += w[0] * xv;
        a1 += w[1] * xv;
        a2 += w[2] * xv;
        a3 += w[3] * xv;
        w += 4;
    }
    acc[0] = a0;
    acc[1] = a1;
    acc[2] = a2;
    acc[3] = a3;
    return w;
}

static int32_t dot1(const int8_t *x, const int8_t *w, int32_t depth, int32_t a)
{
    int32_t k;
    for (k = depth >> 2; k > 0; --k) {
        const uint32_t xv = load_u32(x), wv = load_u32(w);
        x += 4;
        w += 4;
        a = __smlad(sx_even(wv), sx_even(xv), a);
        a = __smlad(sx_odd(wv), sx_odd(xv), a);
    }
    for (k = depth & 3; k > 0; --k) {
        a += *w++ * *x++;
    }
    return a;
}
#else
static const int8_t *dot4(const int8_t *x, const int8_t *w, int32_t depth, int32_t *acc)
{
    int32_t d, r;
    for (d = 0; d + 4 <= depth; d += 4) {
        for (r = 0; r < 4; ++r) {
            acc[r] += w[0] * x[d] + w[1] * x[d + 1] + w[2] * x[d + 2] + w[3] * x[d + 3];
            w += 4;
        }
    }
    for (; d < depth; ++d) {
        for (r = 0; r < 4; ++r) {
            acc[r] += *w++ * x[d];
        }
    }
    return w;
}

static int32_t dot1(const int8_t *x, const int8_t *w, int32_t depth, int32_t a)
{
    int32_t d;
    for (d = 0; d < depth; ++d) {
        a += w[d] * x[d];
    }
    return a;
}
#endif

void tg_dot_rows_s8(const int8_t *x, const uint32_t *w32, int32_t depth, int32_t rows, int32_t *acc)
{
    const int8_t *w = (const int8_t *)w32;
    int32_t r = 0;
    for (; r + 4 <= rows; r += 4) {
        w = dot4(x, w, depth, acc + r);
    }
    for (; r < rows; ++r) {
        acc[r] = dot1(x, w, depth, acc[r]);
        w += depth;
    }
}

#define FC_BLOCK 64 /* a multiple of 4: blocks start on packed row-group boundaries */

void tg_fully_connected_s8(const tg_fully_connected_params *p, const int8_t *input, const int8_t *filter,
                           const int32_t *bias, int8_t *output)
{
    /* Locals, not p->...: int8 stores may alias anything, which would force reloads. */
    const int32_t depth = p->accum_depth, out_depth = p->output_depth, out_offset = p->output_offset;
    const int32_t act_min = p->act_min, act_max = p->act_max, per_channel = p->per_channel;
    const int32_t *mult = p->multiplier, *shift = p->shift, *kernel_sum = p->kernel_sum;
    const uint32_t *packed = p->packed_weights;
    int32_t b, o, i;
    int32_t acc[FC_BLOCK];
    if (!packed) {
        fully_connected_reference(p, input, filter, bias, output);
        return;
    }
    for (b = 0; b < p->batches; ++b) {
        const int8_t *in = input + b * depth;
        int8_t *out = output + b * out_depth;
        for (o = 0; o < out_depth; o += FC_BLOCK) {
            const int32_t n = out_depth - o < FC_BLOCK ? out_depth - o : FC_BLOCK;
            for (i = 0; i < n; ++i) {
                acc[i] = kernel_sum[o + i];
            }
            tg_dot_rows_s8(in, packed + o * depth / 4, depth, n, acc);
            for (i = 0; i < n; ++i) {
                const int32_t ch = per_channel ? o + i : 0;
                const int32_t v = tg_requantize(acc[i], mult[ch], shift[ch]) + out_offset;
                out[o + i] = (int8_t)tg_clamp_i32(v, act_min, act_max);
            }
        }
    }
}
