#include "tg_fully_connected.h"

#include "tg_dot.h"

#include <string.h>

#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP
#include <arm_acle.h>
#define TG_FC_DSP 1
/* SXTB16 of bytes 1 and 3, the rotate folded into the instruction (GCC does not do it by itself). */
TG_INLINE uint32_t sx_odd(uint32_t v)
{
    uint32_t r;
    __asm__("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(v));
    return r;
}
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

/* The input row as int16 pairs (see the header), zero from depth up to depth_pad: once per row,
 * then read by every block of four outputs. */
static void widen_row(const int8_t *in, int32_t depth, int32_t depth_pad, uint32_t *xs)
{
    const int32_t full = depth >> 2;
    int32_t g;
    int8_t last[4] = {0, 0, 0, 0};
    for (g = 0; g < full; ++g) {
        uint32_t v;
        memcpy(&v, in + 4 * g, 4); /* one unaligned LDR on ARMv7E-M */
#ifdef TG_FC_DSP
        xs[2 * g] = __sxtb16(v);
        xs[2 * g + 1] = sx_odd(v);
#else
        xs[2 * g] = (uint16_t)(int16_t)in[4 * g] | (uint32_t)(uint16_t)(int16_t)in[4 * g + 2] << 16;
        xs[2 * g + 1] = (uint16_t)(int16_t)in[4 * g + 1] | (uint32_t)(uint16_t)(int16_t)in[4 * g + 3] << 16;
        (void)v;
#endif
    }
    if (depth & 3) {
        memcpy(last, in + 4 * g, (size_t)(depth & 3));
        xs[2 * g] = (uint16_t)(int16_t)last[0] | (uint32_t)(uint16_t)(int16_t)last[2] << 16;
        xs[2 * g + 1] = (uint16_t)(int16_t)last[1] | (uint32_t)(uint16_t)(int16_t)last[3] << 16;
        ++g;
    }
    for (; g < depth_pad >> 2; ++g) {
        xs[2 * g] = 0;
        xs[2 * g + 1] = 0;
    }
}

#ifdef TG_FC_DSP
/* One block of four rows over the whole depth, two groups of four depths per iteration. Written
 * as assembly because it needs 13 registers at once (four accumulators, the two input words, four
 * weight words, three pointers) and LDM wants its registers named in ascending order; r7 is left
 * to the compiler (the Thumb frame pointer). */
static __attribute__((noinline)) const uint32_t *block_wide(const void *xv, const uint32_t *w, int32_t depth_pad, int32_t *acc)
{
    const uint32_t *x = (const uint32_t *)xv;
    int32_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
    const uint32_t *end = x + depth_pad / 2;
#define TG_FC_WIDE_GROUP                                                                                         \
    "ldmia %[x]!, {r4, r5}\n\t"                                                                                   \
    "ldmia %[w]!, {r6, r8, r9, r10}\n\t"                                                                          \
    "smlad %[a0], r6, r4, %[a0]\n\t"                                                                              \
    "smlad %[a0], r8, r5, %[a0]\n\t"                                                                              \
    "smlad %[a1], r9, r4, %[a1]\n\t"                                                                              \
    "smlad %[a1], r10, r5, %[a1]\n\t"                                                                             \
    "ldmia %[w]!, {r6, r8, r9, r10}\n\t"                                                                          \
    "smlad %[a2], r6, r4, %[a2]\n\t"                                                                              \
    "smlad %[a2], r8, r5, %[a2]\n\t"                                                                              \
    "smlad %[a3], r9, r4, %[a3]\n\t"                                                                              \
    "smlad %[a3], r10, r5, %[a3]\n\t"
    __asm__ volatile("1:\n\t" TG_FC_WIDE_GROUP TG_FC_WIDE_GROUP
                     "cmp %[x], %[end]\n\t"
                     "bne 1b\n\t"
                     : [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2), [a3] "+r"(a3), [x] "+r"(x), [w] "+r"(w)
                     : [end] "r"(end)
                     : "r4", "r5", "r6", "r8", "r9", "r10", "cc", "memory");
#undef TG_FC_WIDE_GROUP
    acc[0] = a0;
    acc[1] = a1;
    acc[2] = a2;
    acc[3] = a3;
    return w;
}

/* The compact layout: each weight word is two rows' int8 pairs, split by SXTB16 (in place for the
 * second row, so one temporary is enough). */
static __attribute__((noinline)) const uint32_t *block_compact(const void *xv, const uint32_t *w, int32_t depth_pad, int32_t *acc)
{
    const uint32_t *x = (const uint32_t *)xv;
    int32_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
    const uint32_t *end = x + depth_pad / 2;
#define TG_FC_COMPACT_PAIR(A, B)                                                                                 \
    "ldmia %[w]!, {r6, r8}\n\t"                                                                                   \
    "sxtb16 r9, r6\n\t"                                                                                           \
    "sxtb16 r6, r6, ror #8\n\t"                                                                                   \
    "smlad %[" A "], r9, r4, %[" A "]\n\t"                                                                        \
    "smlad %[" B "], r6, r4, %[" B "]\n\t"                                                                        \
    "sxtb16 r9, r8\n\t"                                                                                           \
    "sxtb16 r8, r8, ror #8\n\t"                                                                                   \
    "smlad %[" A "], r9, r5, %[" A "]\n\t"                                                                        \
    "smlad %[" B "], r8, r5, %[" B "]\n\t"
#define TG_FC_COMPACT_GROUP "ldmia %[x]!, {r4, r5}\n\t" TG_FC_COMPACT_PAIR("a0", "a1") TG_FC_COMPACT_PAIR("a2", "a3")
    __asm__ volatile("1:\n\t" TG_FC_COMPACT_GROUP TG_FC_COMPACT_GROUP
                     "cmp %[x], %[end]\n\t"
                     "bne 1b\n\t"
                     : [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2), [a3] "+r"(a3), [x] "+r"(x), [w] "+r"(w)
                     : [end] "r"(end)
                     : "r4", "r5", "r6", "r8", "r9", "cc", "memory");
#undef TG_FC_COMPACT_GROUP
#undef TG_FC_COMPACT_PAIR
    acc[0] = a0;
    acc[1] = a1;
    acc[2] = a2;
    acc[3] = a3;
    return w;
}
#else
/* Portable readings of the same layouts (host, cores without SMLAD). */
TG_INLINE int32_t lo16(uint32_t v) { return (int32_t)(int16_t)(v & 0xFFFFu); }
TG_INLINE int32_t hi16(uint32_t v) { return (int32_t)(int16_t)(v >> 16); }
TG_INLINE int32_t dual(uint32_t w, uint32_t x) { return lo16(w) * lo16(x) + hi16(w) * hi16(x); }
/* SXTB16 of bytes 0 and 2, and of bytes 1 and 3, as one word of int16 pairs. */
TG_INLINE uint32_t sx_even(uint32_t v)
{
    return (uint16_t)(int16_t)(int8_t)(v & 0xFFu) | (uint32_t)(uint16_t)(int16_t)(int8_t)((v >> 16) & 0xFFu) << 16;
}
TG_INLINE uint32_t sx_odd(uint32_t v) { return sx_even(v >> 8); }

static const uint32_t *block_wide(const void *xv, const uint32_t *w, int32_t depth_pad, int32_t *acc)
{
    const uint32_t *x = (const uint32_t *)xv;
    int32_t g, r;
    for (g = 0; g < depth_pad >> 2; ++g, x += 2) {
        for (r = 0; r < 4; ++r, w += 2) {
            acc[r] += dual(w[0], x[0]) + dual(w[1], x[1]);
        }
    }
    return w;
}

static const uint32_t *block_compact(const void *xv, const uint32_t *w, int32_t depth_pad, int32_t *acc)
{
    const uint32_t *x = (const uint32_t *)xv;
    int32_t g, r;
    for (g = 0; g < depth_pad >> 2; ++g, x += 2) {
        for (r = 0; r < 4; r += 2, w += 2) {
            acc[r] += dual(sx_even(w[0]), x[0]) + dual(sx_even(w[1]), x[1]);
            acc[r + 1] += dual(sx_odd(w[0]), x[0]) + dual(sx_odd(w[1]), x[1]);
        }
    }
    return w;
}
#endif

/* The input row widened to int32, zero from depth up to depth_pad (a multiple of 4), for the rows
 * layout: the M0+ block then loads a group's four inputs with one LDM. */
static void widen_row32(const int8_t *in, int32_t depth, int32_t depth_pad, int32_t *xs)
{
    int32_t d;
    for (d = 0; d < depth; ++d) {
        xs[d] = in[d];
    }
    for (; d < depth_pad; ++d) {
        xs[d] = 0;
    }
}

/* Out of line: kept apart, the block loop's registers come out as they do without the rows layout. */
static __attribute__((noinline)) void widen_input(int32_t rows, const int8_t *in, int32_t depth, int32_t depth_pad,
                                                  uint32_t *xs)
{
    if (rows) {
        widen_row32(in, depth, depth_pad, (int32_t *)(void *)xs);
    } else {
        widen_row(in, depth, depth_pad, xs);
    }
}

/* The rows layout through tg_dot's block of four rows (hand-scheduled on ARMv6-M): a block is
 * depth_pad / 4 groups, depth_pad words. */
static const uint32_t *block_rows(const void *x, const uint32_t *w, int32_t depth_pad, int32_t *acc)
{
    return tg_dot4_groups_x32((const int32_t *)x, w, depth_pad >> 2, acc);
}

void tg_fully_connected_s8(const tg_fully_connected_params *p, const int8_t *input, const int8_t *filter,
                           const int32_t *bias, int8_t *output, int16_t *scratch)
{
    /* Locals, not p->...: int8 stores may alias anything, which would force reloads. */
    const int32_t depth = p->accum_depth, out_depth = p->output_depth, out_offset = p->output_offset;
    const int32_t layout = p->layout, rows = layout == TG_FC_ROWS, depth_pad = p->depth_pad;
    const uint32_t *(*const block)(const void *, const uint32_t *, int32_t, int32_t *) =
        rows ? block_rows : layout == TG_FC_WIDE ? block_wide : block_compact;
    const int32_t act_min = p->act_min, act_max = p->act_max, per_channel = p->per_channel;
    const int32_t full_range = act_min == -128 && act_max == 127;
    const int32_t *mult = p->multiplier, *shift = p->shift, *kernel_sum = p->kernel_sum, *rq = p->rq;
    uint32_t *xs = (uint32_t *)(void *)scratch;
    int32_t b, o, i;
    if (!p->packed_weights) {
        fully_connected_reference(p, input, filter, bias, output);
        return;
    }
    for (b = 0; b < p->batches; ++b) {
        const uint32_t *w = p->packed_weights;
        const int8_t *in = input + b * depth;
        int8_t *out = output + b * out_depth;
        widen_input(rows, in, depth, depth_pad, xs);
        for (o = 0; o < out_depth; o += 4) {
            const int32_t n = out_depth - o < 4 ? out_depth - o : 4;
            int32_t acc[4];
            acc[0] = kernel_sum[o];
            acc[1] = kernel_sum[o + 1];
            acc[2] = kernel_sum[o + 2];
            acc[3] = kernel_sum[o + 3];
            w = block(xs, w, depth_pad, acc);
            if (rq && full_range) {
                for (i = 0; i < n; ++i) {
                    out[o + i] = (int8_t)tg_sat_i8(tg_requantize_rq(acc[i], rq + 4 * (o + i)));
                }
            } else if (rq) {
                for (i = 0; i < n; ++i) {
                    out[o + i] = (int8_t)tg_clamp_i32(tg_requantize_rq(acc[i], rq + 4 * (o + i)), act_min, act_max);
                }
            } else {
                for (i = 0; i < n; ++i) {
                    const int32_t ch = per_channel ? o + i : 0;
                    const int32_t v = tg_requantize(acc[i], mult[ch], shift[ch]) + out_offset;
                    out[o + i] = (int8_t)tg_clamp_i32(v, act_min, act_max);
                }
            }
        }
    }
}

int32_t tg_fully_connected_scratch_bytes(const tg_fully_connected_params *p)
{
    return (p->layout == TG_FC_ROWS ? 4 : 2) * p->depth_pad; /* the widened input row */
}
