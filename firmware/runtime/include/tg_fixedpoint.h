/* gemmlowp's fixed-point transcendental functions, as TFLM's int8 SOFTMAX, LOGISTIC and TANH use
 * them. A value "in Fk" is a Q(k).(31-k) number in an int32_t; F0's one is INT32_MAX.
 * +/- on fixed-point values wrap, * is SaturatingRoundingDoublingHighMul. */
#ifndef TG_FIXEDPOINT_H
#define TG_FIXEDPOINT_H

#include "tg_common.h"

#define TG_F0_ONE INT32_MAX

TG_INLINE int32_t tg_fx_mul(int32_t a, int32_t b) { return tg_sat_rounding_doubling_high_mul(a, b); }

/* exp(a) for a in [-1/4, 0), a in F0. */
TG_INLINE int32_t tg_fx_exp_quarter(int32_t a)
{
    const int32_t constant_term = 1895147668;    /* exp(-1/8) */
    const int32_t constant_1_over_3 = 715827883; /* 1/3 */
    const int32_t x = tg_wrap_add(a, 1 << 28);   /* a + 1/8 */
    const int32_t x2 = tg_fx_mul(x, x);
    const int32_t x3 = tg_fx_mul(x2, x);
    const int32_t x4 = tg_fx_mul(x2, x2);
    const int32_t x4_over_4 = tg_rounding_divide_by_pot(x4, 2);
    const int32_t poly = tg_rounding_divide_by_pot(
        tg_wrap_add(tg_fx_mul(tg_wrap_add(x4_over_4, x3), constant_1_over_3), x2), 1);
    return tg_wrap_add(constant_term, tg_fx_mul(constant_term, tg_wrap_add(x, poly)));
}

/* exp(a) for a <= 0, a in F(integer_bits) with integer_bits <= 5; result in F0. */
TG_INLINE int32_t tg_fx_exp_on_negative_values(int32_t a, int integer_bits)
{
    /* exp(-2^e) in F0 for e = -2 .. 4 */
    static const int32_t multipliers[7] = {1672461947, 1302514674, 790015084, 290630308, 39332535, 720401, 242};
    const int fractional_bits = 31 - integer_bits;
    const int32_t one_quarter = (int32_t)1 << (fractional_bits - 2);
    const int32_t mask = one_quarter - 1;
    const int32_t a_mod_quarter_minus_quarter = tg_wrap_sub(a & mask, one_quarter);
    int32_t result = tg_fx_exp_quarter(tg_sat_shift_left(a_mod_quarter_minus_quarter, integer_bits));
    const int32_t remainder = tg_wrap_sub(a_mod_quarter_minus_quarter, a);
    int e;
    for (e = -2; e < integer_bits && e <= 4; ++e) {
        if (remainder & ((int32_t)1 << (fractional_bits + e))) {
            result = tg_fx_mul(result, multipliers[e + 2]);
        }
    }
    return a == 0 ? TG_F0_ONE : result;
}

/* Newton-Raphson for 1 / (1 + a) with a in [0, 1) in F0: returns x in F2 with x ~ 2 / (1 + a). */
TG_INLINE int32_t tg_fx_half_reciprocal_f2(int32_t a, int32_t *half_denominator_out)
{
    const int64_t sum = (int64_t)a + TG_F0_ONE;
    const int32_t half_denominator = (int32_t)((sum + (sum >= 0 ? 1 : -1)) / 2);
    const int32_t constant_48_over_17 = 1515870810;      /* F2 */
    const int32_t constant_neg_32_over_17 = -1010580540; /* F2 */
    const int32_t f2_one = 1 << 29;
    int32_t x = tg_wrap_add(constant_48_over_17, tg_fx_mul(half_denominator, constant_neg_32_over_17));
    int i;
    for (i = 0; i < 3; ++i) {
        const int32_t one_minus = tg_wrap_sub(f2_one, tg_fx_mul(half_denominator, x));
        x = tg_wrap_add(x, tg_sat_shift_left(tg_fx_mul(x, one_minus), 2));
    }
    *half_denominator_out = half_denominator;
    return x;
}

/* 1 / (1 + a) for a in [0, 1), F0 in and out. */
TG_INLINE int32_t tg_fx_one_over_one_plus_x(int32_t a)
{
    int32_t hd;
    return tg_sat_shift_left(tg_fx_half_reciprocal_f2(a, &hd), 1);
}

/* (1 - a) / (1 + a) for a in [0, 1), F0 in and out. */
TG_INLINE int32_t tg_fx_one_minus_x_over_one_plus_x(int32_t a)
{
    int32_t hd;
    const int32_t x = tg_fx_half_reciprocal_f2(a, &hd);
    return tg_sat_shift_left(tg_wrap_sub(x, 1 << 29), 2);
}

/* logistic(a) for a in F4; result in F0. */
TG_INLINE int32_t tg_fx_logistic_f4(int32_t a)
{
    int32_t abs_a, positive;
    if (a == 0) {
        return 1 << 30; /* one half */
    }
    abs_a = a > 0 ? a : (int32_t)(0u - (uint32_t)a);
    positive = tg_fx_one_over_one_plus_x(tg_fx_exp_on_negative_values((int32_t)(0u - (uint32_t)abs_a), 4));
    return a > 0 ? positive : tg_wrap_sub(TG_F0_ONE, positive);
}

/* tanh(a) for a in F4; result in F0. */
TG_INLINE int32_t tg_fx_tanh_f4(int32_t a)
{
    int32_t n, t;
    if (a == 0) {
        return 0;
    }
    n = a < 0 ? a : (int32_t)(0u - (uint32_t)a); /* -|a| */
    /* ExactMulByPot<1>: the same raw bits read as F5 */
    t = tg_fx_one_minus_x_over_one_plus_x(tg_fx_exp_on_negative_values(n, 5));
    return a < 0 ? (int32_t)(0u - (uint32_t)t) : t;
}

#endif
