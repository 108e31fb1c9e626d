/* Element-wise int8 activations, TFLM reference semantics: RELU (requantizing), RELU6 (clamp in
 * the input's quantization), LEAKY_RELU, LOGISTIC and TANH (gemmlowp fixed point), HARD_SWISH
 * (16-bit fixed point). */
#ifndef TG_ACTIVATIONS_H
#define TG_ACTIVATIONS_H

#include "tg_common.h"

#define TG_ACT_RELU 0
#define TG_ACT_RELU6 1
#define TG_ACT_LEAKY_RELU 2
#define TG_ACT_LOGISTIC 3
#define TG_ACT_TANH 4
#define TG_ACT_HARD_SWISH 5

typedef struct {
    int32_t kind; /* TG_ACT_* */
    int32_t size;
    int32_t input_zero_point, output_zero_point;
    /* RELU: multiplier/shift, act range. RELU6: act range (raw clamp). LEAKY_RELU: multiplier/shift
     * for x >= 0 and alpha_multiplier/alpha_shift below. LOGISTIC/TANH: multiplier/shift bring the
     * input to F4, range_radius saturates. HARD_SWISH: multiplier = output int16 multiplier,
     * shift = its exponent, alpha_multiplier/alpha_shift = the "reluish" int16 multiplier and
     * exponent. */
    int32_t multiplier, shift;
    int32_t alpha_multiplier, alpha_shift;
    int32_t range_radius;
    int32_t act_min, act_max;
} tg_activation_params;

void tg_activation_s8(const tg_activation_params *p, const int8_t *input, int8_t *output);

#endif
