/* tinygen runtime: fixed-point helpers shared by the int8 kernels.
 *
 * These follow TensorFlow Lite Micro's reference arithmetic bit for bit (gemmlowp's
 * SaturatingRoundingDoublingHighMul and RoundingDivideByPOT, double rounding as TFLM builds
 * by default).  Signed overflow is avoided by doing wrapping arithmetic in uint32_t. */
#ifndef TG_COMMON_H
#define TG_COMMON_H

#include <stdint.h>
#include <stddef.h>

#define TG_RUNTIME_VERSION 1

#if defined(__GNUC__)
#define TG_INLINE static inline __attribute__((always_inline))
#define TG_ALIGNED(n) __attribute__((aligned(n)))
#else
#define TG_INLINE static inline
#define TG_ALIGNED(n)
#endif

TG_INLINE int32_t tg_max_i32(int32_t a, int32_t b) { return a > b ? a : b; }
TG_INLINE int32_t tg_min_i32(int32_t a, int32_t b) { return a < b ? a : b; }
TG_INLINE int32_t tg_clamp_i32(int32_t x, int32_t lo, int32_t hi) { return x < lo ? lo : (x > hi ? hi : x); }
#if defined(__ARM_FEATURE_SAT) && __ARM_FEATURE_SAT
TG_INLINE int32_t tg_sat_i8(int32_t x) { return __builtin_arm_ssat(x, 8); }
#else
TG_INLINE int32_t tg_sat_i8(int32_t x) { return tg_clamp_i32(x, -128, 127); }
#endif

/* Wrapping add/sub: gemmlowp's FixedPoint +/- on int32 wrap. */
TG_INLINE int32_t tg_wrap_add(int32_t a, int32_t b) { return (int32_t)((uint32_t)a + (uint32_t)b); }
TG_INLINE int32_t tg_wrap_sub(int32_t a, int32_t b) { return (int32_t)((uint32_t)a - (uint32_t)b); }

TG_INLINE int32_t tg_sat_rounding_doubling_high_mul(int32_t a, int32_t b)
{
    int64_t ab;
    int32_t nudge, hi;
    if (a == b && a == INT32_MIN) {
        return INT32_MAX;
    }
    ab = (int64_t)a * (int64_t)b;
    nudge = ab >= 0 ? (1 << 30) : (1 - (1 << 30));
    /* Division (not shift) truncates toward zero, as gemmlowp does. */
    hi = (int32_t)((ab + nudge) / ((int64_t)1 << 31));
    return hi;
}

TG_INLINE int32_t tg_rounding_divide_by_pot(int32_t x, int exponent)
{
    const int32_t mask = (int32_t)(((int64_t)1 << exponent) - 1);
    const int32_t remainder = x & mask;
    const int32_t threshold = (mask >> 1) + ((x < 0) ? 1 : 0);
    return (x >> exponent) + ((remainder > threshold) ? 1 : 0);
}

/* TFLM MultiplyByQuantizedMultiplier (double rounding), for the multipliers QuantizeMultiplier
 * makes (0 <= multiplier < 2^31), written to compile to few instructions:
 * SaturatingRoundingDoublingHighMul(a, m) = trunc((a*m + nudge) / 2^31) with a sign-dependent
 * nudge equals floor((a*m + 2^30) / 2^31) for every a*m (one SMLAL and a shift), and cannot
 * saturate when m > INT32_MIN; RoundingDivideByPOT stays in 32 bits (a 64-bit variable shift
 * costs far more on Cortex-M). tests/firmware/test_requantize.py checks it against the gemmlowp
 * formulation. */
#if defined(__ARM_ARCH_6M__)
/* (a * b + 2^30) >> 31 of the exact 64-bit product. ARMv6-M (Cortex-M0+) has no SMULL, and GCC
 * calls __aeabi_lmul, a full 64x64 multiply, then adds and shifts in 64 bits: about 65 cycles.
 * Here four 16x16 products (a = ah:al, b = bh:bl, ah and bh signed) are summed into hi:lo with
 * carries, P = ah*bh*2^32 + (ah*bl + al*bh)*2^16 + al*bl, and bits 31..62 of P + 2^30 returned:
 * about 25 cycles, inline. Each partial product fits 32 bits (|ah*bl| < 2^31). */
TG_INLINE int32_t tg_mul_round31(int32_t a, int32_t b)
{
    uint32_t al = (uint32_t)a, bl = (uint32_t)b;
    int32_t ah, bh, lo, t;
    __asm__(".syntax unified\n\t"
            "asrs %[ah], %[al], #16\n\t"
            "asrs %[bh], %[bl], #16\n\t"
            "uxth %[al], %[al]\n\t"
            "uxth %[bl], %[bl]\n\t"
            "movs %[lo], %[al]\n\t"
            "muls %[lo], %[bl], %[lo]\n\t" /* al*bl, unsigned */
            "muls %[al], %[bh], %[al]\n\t" /* al*bh */
            "muls %[bl], %[ah], %[bl]\n\t" /* ah*bl */
            "muls %[ah], %[bh], %[ah]\n\t" /* ah*bh: the high word */
            "lsls %[t], %[al], #16\n\t"
            "asrs %[al], %[al], #16\n\t"
            "adds %[lo], %[lo], %[t]\n\t"
            "adcs %[ah], %[al]\n\t"
            "lsls %[t], %[bl], #16\n\t"
            "asrs %[bl], %[bl], #16\n\t"
            "adds %[lo], %[lo], %[t]\n\t"
            "adcs %[ah], %[bl]\n\t"
            "movs %[t], #1\n\t"
            "lsls %[t], %[t], #30\n\t"
            "adds %[lo], %[lo], %[t]\n\t"
            "movs %[t], #0\n\t"
            "adcs %[ah], %[t]\n\t"
            "lsls %[ah], %[ah], #1\n\t"
            "lsrs %[lo], %[lo], #31\n\t"
            "orrs %[ah], %[lo]\n\t"
            ".syntax divided\n\t"
            : [ah] "=&l"(ah), [bh] "=&l"(bh), [lo] "=&l"(lo), [t] "=&l"(t), [al] "+l"(al), [bl] "+l"(bl)
            :
            : "cc");
    return ah;
}
#else
TG_INLINE int32_t tg_mul_round31(int32_t a, int32_t b)
{
    const int64_t ab = (int64_t)a * b;
    return (int32_t)((ab + ((int64_t)1 << 30)) >> 31);
}
#endif

TG_INLINE int32_t tg_requantize(int32_t x, int32_t multiplier, int32_t shift)
{
    const int left = shift > 0 ? shift : 0;
    const int right = shift > 0 ? 0 : -shift;
    const int32_t hi = tg_mul_round31((int32_t)((uint32_t)x << left), multiplier);
    const int32_t mask = (int32_t)((1u << right) - 1u);
    const int32_t threshold = (mask >> 1) + (int32_t)((uint32_t)hi >> 31);
    return (hi >> right) + ((hi & mask) > threshold);
}

/* tg_requantize plus the output offset, with the shift work done at generation time:
 * q = {multiplier, round, neg, left | right << 8} with round = ((1 << right) >> 1) + (offset << right)
 * and neg = right ? -1 : 0. Rounding half away from zero is floor((hi + half - (hi < 0)) / 2^right),
 * and an offset added before that floor is the offset added after it. The generator uses this form
 * only where it has proven that hi + round cannot overflow (tinygen/quantmath.py: rq_words). */
TG_INLINE int32_t tg_requantize_rq(int32_t x, const int32_t *q)
{
    const int32_t left = q[3] & 0xff, right = (q[3] >> 8) & 0xff;
    const int32_t hi = tg_mul_round31((int32_t)((uint32_t)x << left), q[0]);
    return (hi + q[1] + ((hi >> 31) & q[2])) >> right;
}

/* The same, exactly as gemmlowp writes it: the specification tg_requantize is tested against. */
TG_INLINE int32_t tg_requantize_reference(int32_t x, int32_t multiplier, int32_t shift)
{
    const int left_shift = shift > 0 ? shift : 0;
    const int right_shift = shift > 0 ? 0 : -shift;
    return tg_rounding_divide_by_pot(
        tg_sat_rounding_doubling_high_mul((int32_t)((uint32_t)x << left_shift), multiplier), right_shift);
}

/* gemmlowp SaturatingRoundingMultiplyByPOT for a positive exponent. */
TG_INLINE int32_t tg_sat_shift_left(int32_t x, int exponent)
{
    const int32_t threshold = (int32_t)(((int64_t)1 << (31 - exponent)) - 1);
    if (x > threshold) {
        return INT32_MAX;
    }
    if (x < -threshold) {
        return INT32_MIN;
    }
    return (int32_t)((uint32_t)x << exponent);
}

#endif /* TG_COMMON_H */
