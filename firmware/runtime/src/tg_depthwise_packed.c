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
#endif

/* ---- 3x3, stride 1 or 2: channel by channel over an int16 plane of the input ----
 * Each channel's input (with its padding, as zero points) is widened once into the scratch, two
 * adjacent columns per word; its six weight words stay in registers for the whole plane. Stride
 * 1 computes two outputs per pass: out[x] = SMLAD(c[x],c[x+1] . w0,w1) + c[x+2]*w2 and out[x+1] =
 * SMLAD(c[x+2],c[x+3] . w1,w2) + c[x+1]*w0, one LDRD and four multiplies per filter row (0.83
 * instructions per MAC). The weights carry 2^(left+1), so the requantization is one SMMLAR:
 * rnd + floor((acc * 2^left * m + 2^30) / 2^31), then TFLM's round-half-away-from-zero (the sign
 * of acc stands in for the sign of that product: where they differ it is 0 and the result is the
 * same, proven in tinygen/ops/depthwise_packed.py, which emits these words only where no step can
 * overflow). */
#ifdef TG_DSP
#define DW3_SMLAD(a, b, acc) ((int32_t)__smlad((a), (b), (acc)))
#define DW3_SMLABT(a, b, acc) ((int32_t)__smlabt((int32_t)(a), (int32_t)(b), (acc)))
#define DW3_SMLATB(a, b, acc) ((int32_t)__smlatb((int32_t)(a), (int32_t)(b), (acc)))
TG_INLINE int32_t dw3_smmlar(int32_t a, int32_t b, int32_t acc)
{
    int32_t r;
    __asm__("smmlar %0, %1, %2, %3" : "=r"(r) : "r"(a), "r"(b), "r"(acc));
    return r;
}
#else
TG_INLINE int32_t dw3_lo(uint32_t v) { return (int16_t)(uint16_t)(v & 0xffffu); }
TG_INLINE int32_t dw3_hi(uint32_t v) { return (int16_t)(uint16_t)(v >> 16); }
/* The products are at most 2^15 * 2^15 and the generator bounds the sums: no int32 overflow. */
#define DW3_SMLAD(a, b, acc) ((acc) + dw3_lo(a) * dw3_lo(b) + dw3_hi(a) * dw3_hi(b))
#define DW3_SMLABT(a, b, acc) ((acc) + dw3_lo(a) * dw3_hi(b))
#define DW3_SMLATB(a, b, acc) ((acc) + dw3_hi(a) * dw3_lo(b))
TG_INLINE int32_t dw3_smmlar(int32_t a, int32_t b, int32_t acc)
{
    return (int32_t)(((int64_t)a * b + ((int64_t)1 << 31)) >> 32) + acc;
}
#endif

/* Accumulators of one output row of one channel, stride 1: rows r, r + words, r + 2 * words. */
static void dw3_row_s1(const uint32_t *r0, int32_t words, const uint32_t *w, int32_t ks, int32_t *acc, int32_t n)
{
    const uint32_t *r1 = r0 + words, *r2 = r1 + words;
    const uint32_t a0 = w[0], b0 = w[1], a1 = w[2], b1 = w[3], a2 = w[4], b2 = w[5];
    int32_t *const end = acc + n;
    while (acc < end) {
        uint32_t x0 = r0[0], x1 = r0[1];
        int32_t s0 = DW3_SMLAD(x0, a0, ks), s1 = DW3_SMLAD(x1, b0, ks);
        s0 = DW3_SMLABT(x1, b0, s0);
        s1 = DW3_SMLATB(x0, a0, s1);
        x0 = r1[0];
        x1 = r1[1];
        s0 = DW3_SMLAD(x0, a1, s0);
        s1 = DW3_SMLAD(x1, b1, s1);
        s0 = DW3_SMLABT(x1, b1, s0);
        s1 = DW3_SMLATB(x0, a1, s1);
        x0 = r2[0];
        x1 = r2[1];
        s0 = DW3_SMLAD(x0, a2, s0);
        s1 = DW3_SMLAD(x1, b2, s1);
        s0 = DW3_SMLABT(x1, b2, s0);
        s1 = DW3_SMLATB(x0, a2, s1);
        acc[0] = s0;
        acc[1] = s1;
        acc += 2;
        ++r0;
        ++r1;
        ++r2;
    }
}

/* Stride 2: output x reads words x and x + 1 (columns 2x .. 2x + 2) of three rows. */
static void dw3_row_s2(const uint32_t *r0, int32_t words, const uint32_t *w, int32_t ks, int32_t *acc, int32_t n)
{
    const uint32_t *r1 = r0 + words, *r2 = r1 + words;
    const uint32_t a0 = w[0], b0 = w[1], a1 = w[2], b1 = w[3], a2 = w[4], b2 = w[5];
    int32_t *const end = acc + n;
    while (acc < end) {
        int32_t s = DW3_SMLAD(r0[0], a0, ks);
        s = DW3_SMLABT(r0[1], b0, s);
        s = DW3_SMLAD(r1[0], a1, s);
        s = DW3_SMLABT(r1[1], b1, s);
        s = DW3_SMLAD(r2[0], a2, s);
        s = DW3_SMLABT(r2[1], b2, s);
        *acc++ = s;
        ++r0;
        ++r1;
        ++r2;
    }
}

/* One row of one channel requantized into the HWC output (a byte every out_c). */
TG_INLINE void dw3_requantize_row(const int32_t *acc, int32_t n, const int32_t *q, int8_t *out, int32_t out_c,
                                  int32_t act_min, int32_t act_max, const int full)
{
    const int32_t m = q[1], rnd = q[2], right = q[3];
    int32_t i;
    for (i = 0; i < n; ++i) {
        const int32_t v = acc[i];
        int32_t t = (dw3_smmlar(v, m, rnd) + (v >> 31)) >> right;
        t = full ? tg_sat_i8(t) : tg_clamp_i32(t, act_min, act_max);
        *out = (int8_t)t;
        out += out_c;
    }
}

static void dw3_s8(const tg_depthwise_packed_params *p, const int8_t *input, int8_t *output, int8_t *scratch)
{
    const int32_t c_n = p->in_c, in_h = p->in_h, in_w = p->in_w, out_h = p->out_h, out_w = p->out_w;
    const int32_t stride = p->stride_w;
    const int32_t rows = TG_DW3_ROWS(out_h, stride), words = TG_DW3_WORDS(out_w, stride);
    const int32_t accs = TG_DW3_ACCS(out_w);
    uint32_t *const plane = (uint32_t *)(((uintptr_t)scratch + 3u) & ~(uintptr_t)3u);
    int16_t *const plane16 = (int16_t *)plane;
    int32_t *const acc = (int32_t *)(plane + rows * words);
    const int full = p->act_min == -128 && p->act_max == 127;
    /* the input cells the plane holds: the rest is padding, zero points written once */
    const int32_t ny = tg_min_i32(in_h, rows - p->pad_top), nx = tg_min_i32(in_w, 2 * words - p->pad_left);
    const uint32_t zp = (uint32_t)(uint16_t)(int16_t)p->input_zero_point * 0x10001u;
    int32_t c, i, y, x;
    for (i = 0; i < rows * words; ++i) {
        plane[i] = zp;
    }
    for (c = 0; c < c_n; ++c) {
        const uint32_t *w = p->dw3_weights + 6 * c;
        const int32_t *q = p->dw3_q + 4 * c;
        int32_t oy;
        for (y = 0; y < ny; ++y) {
            const int8_t *s = input + y * in_w * c_n + c;
            int16_t *d = plane16 + (y + p->pad_top) * 2 * words + p->pad_left;
            for (x = 0; x + 2 <= nx; x += 2) {
                d[0] = s[0];
                d[1] = s[c_n];
                d += 2;
                s += 2 * c_n;
            }
            if (x < nx) {
                d[0] = s[0];
            }
        }
        for (oy = 0; oy < out_h; ++oy) {
            int8_t *out = output + oy * out_w * c_n + c;
            if (stride == 1) {
                dw3_row_s1(plane + oy * words, words, w, q[0], acc, accs);
            } else {
                dw3_row_s2(plane + 2 * oy * words, words, w, q[0], acc, out_w);
            }
            if (full) {
                dw3_requantize_row(acc, out_w, q, out, c_n, -128, 127, 1);
            } else {
                dw3_requantize_row(acc, out_w, q, out, c_n, p->act_min, p->act_max, 0);
            }
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
    if (p->dw3_weights) {
        return TG_DW3_SCRATCH_BYTES(p->out_h, p->out_w, p->stride_w);
    }
    return TG_DW_SCRATCH_BYTES(p->in_c, p->k_h * p->k_w);
}
