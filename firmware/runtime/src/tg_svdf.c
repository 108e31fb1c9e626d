#include "tg_svdf.h"

#include <string.h>

/* a * b + acc with int32 wrap-around: TFLM's int32 products and sums of int16 state and weights
 * can leave the int32 range (undefined in C++, wrapping on every target it runs on). */
TG_INLINE int32_t mac_wrap(int32_t acc, int32_t a, int32_t b)
{
    return (int32_t)((uint32_t)acc + (uint32_t)a * (uint32_t)b);
}

/* The body of EvalIntegerSvdfReference<T> for T = state_t (int8_t or int16_t). */
#define TG_SVDF_BODY(state_t, state_min, state_max)                                                  \
    const int32_t n_batch = p->n_batch, n_input = p->n_input, n_filter = p->n_filter;               \
    const int32_t n_unit = p->n_unit, n_rank = p->n_rank, n_memory = p->n_memory;                   \
    const int32_t szp = p->state_zero_point;                                                        \
    int32_t *const scratch_filter = scratch, *const scratch_out = scratch + n_batch * n_filter;     \
    int32_t b, r, c, j;                                                                             \
    /* Shift the whole state left by one element (the newest column is overwritten below). */      \
    memmove(state, state + 1, (size_t)(n_batch * n_filter * n_memory - 1) * sizeof(state_t));       \
    /* Feature matmul: each filter's newest state element. */                                       \
    for (b = 0; b < n_batch; ++b) {                                                                 \
        const int8_t *w = weights_feature;                                                          \
        const int8_t *x = input + b * n_input;                                                      \
        state_t *dst = state + b * n_filter * n_memory + (n_memory - 1);                            \
        for (r = 0; r < n_filter; ++r, dst += n_memory) {                                           \
            int32_t dot = 0;                                                                        \
            for (c = 0; c < n_input; ++c) {                                                         \
                dot = mac_wrap(dot, *w++, x[c] - p->input_zero_point);                              \
            }                                                                                       \
            dot = tg_clamp_i32(tg_requantize(dot, p->multiplier_1, p->shift_1), state_min, state_max); \
            /* TFLM adds the zero point after the clamp and stores the sum: it wraps in state_t. */ \
            *dst = (state_t)tg_wrap_add(szp, dot);                                                  \
        }                                                                                           \
    }                                                                                               \
    /* Time: per filter, the dot product of its weights with its state row. */                      \
    for (b = 0; b < n_batch; ++b) {                                                                 \
        const state_t *wt = weights_time;                                                           \
        const state_t *s = state + b * n_memory * n_filter;                                         \
        int32_t *acc = scratch_filter + b * n_filter;                                               \
        for (r = 0; r < n_filter; ++r) {                                                            \
            int32_t dot = 0;                                                                        \
            for (j = 0; j < n_memory; ++j) {                                                        \
                dot = mac_wrap(dot, *wt++, (int32_t)*s++ - szp);                                    \
            }                                                                                       \
            acc[r] = dot;                                                                           \
        }                                                                                           \
    }                                                                                               \
    /* Bias, reduction over the rank, rescale to int8. */                                           \
    for (b = 0; b < n_batch; ++b) {                                                                 \
        const int32_t *acc = scratch_filter + b * n_filter;                                         \
        int32_t *o = scratch_out + b * n_unit;                                                      \
        for (c = 0; c < n_unit; ++c) {                                                              \
            int32_t sum = bias ? bias[c] : 0;                                                       \
            for (j = 0; j < n_rank; ++j) {                                                          \
                sum = tg_wrap_add(sum, *acc++);                                                     \
            }                                                                                       \
            o[c] = sum;                                                                             \
        }                                                                                           \
    }                                                                                               \
    for (c = 0; c < n_batch * n_unit; ++c) {                                                        \
        const int32_t v = tg_requantize(scratch_out[c], p->multiplier_2, p->shift_2) + p->output_zero_point; \
        output[c] = (int8_t)tg_clamp_i32(v, -128, 127);                                             \
    }

void tg_svdf_s8(const tg_svdf_params *p, const int8_t *input, const int8_t *weights_feature,
                const int8_t *weights_time, const int32_t *bias, int8_t *state, int8_t *output, int32_t *scratch)
{
    TG_SVDF_BODY(int8_t, -128, 127)
}

void tg_svdf_s8_s16(const tg_svdf_params *p, const int8_t *input, const int8_t *weights_feature,
                    const int16_t *weights_time, const int32_t *bias, int16_t *state, int8_t *output,
                    int32_t *scratch)
{
    TG_SVDF_BODY(int16_t, -32768, 32767)
}

int32_t tg_svdf_scratch_bytes(const tg_svdf_params *p)
{
    return 4 * p->n_batch * (p->n_filter + p->n_unit);
}
