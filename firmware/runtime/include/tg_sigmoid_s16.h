/* TFLM's int16 sigmoid and tanh (reference_integer_ops::Logistic and Tanh on int16): linear
 * interpolation in one 256-entry Q0.16 sigmoid table, tanh(x) = 2 sigmoid(2x) - 1 read at twice
 * the step. The core is shared by LOGISTIC and TANH (tg_int16.h) and by the LSTM's gates
 * (tg_lstm.h); each caller scales its input its own way first (tg_sigmoidal_input_s16). */
#ifndef TG_SIGMOID_S16_H
#define TG_SIGMOID_S16_H

#include "tg_common.h"

extern const uint16_t tg_sigmoid_q16[256]; /* sigmoid(i / 24), tg_sigmoid_s16.c */

/* (x * multiplier + round) >> shift: the input to the table's scale, 1 / (3 * 4096) per unit.
 * The generator keeps |x * multiplier| + round below 2^31. */
TG_INLINE int32_t tg_sigmoidal_input_s16(int16_t x, int32_t multiplier, int32_t shift)
{
    const int32_t round = shift > 0 ? 1 << (shift - 1) : 0;
    return ((int32_t)x * multiplier + round) >> shift;
}

/* sigmoid of a scaled input, to Q0.15: table entries 2^9 apart. */
TG_INLINE int16_t tg_sigmoid_s16_scaled(int32_t x)
{
    const uint32_t a = (uint32_t)(x < 0 ? -x : x);
    const uint32_t uh = a >> 9;
    uint32_t r;
    if (uh >= 255) {
        r = 0x7FFFu << 10;
    } else {
        const uint32_t ua = tg_sigmoid_q16[uh], ub = tg_sigmoid_q16[uh + 1];
        r = (ua << 9) + (a & 0x1ffu) * (ub - ua); /* unsigned: ub >= ua, and wraps as TFLM's does */
    }
    r = x >= 0 ? r + (1u << 9) : (1u << 25) - r + (1u << 9) - 1u;
    return (int16_t)(r >> 10);
}

/* tanh of a scaled input, to Q0.15: the same table, entries 2^8 apart. */
TG_INLINE int16_t tg_tanh_s16_scaled(int32_t x)
{
    const uint32_t a = (uint32_t)(x < 0 ? -x : x);
    const uint32_t uh = a >> 8;
    int32_t r;
    if (uh >= 255) {
        r = 0xFFFF << 8;
    } else {
        const uint32_t ua = tg_sigmoid_q16[uh], ub = tg_sigmoid_q16[uh + 1];
        r = (int32_t)((ua << 8) + (a & 0xffu) * (ub - ua));
    }
    r = x >= 0 ? r - (1 << 23) + (1 << 7) : -r + (1 << 23) + (1 << 7) - 1;
    return (int16_t)(r >> 8);
}

#endif
