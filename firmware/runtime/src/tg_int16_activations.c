/* RELU and LEAKY_RELU on int16 (TFLM's ReluQuantized<int16_t> and QuantizeLeakyRelu<int16_t>). */
#include "tg_int16.h"

void tg_relu_s16(const tg_relu_s16_params *p, const int16_t *input, int16_t *output)
{
    int32_t i;
    for (i = 0; i < p->size; ++i) {
        const int32_t x = (int32_t)input[i] - p->input_zero_point;
        const int32_t v = p->output_zero_point + tg_requantize(x, p->multiplier, p->shift);
        output[i] = (int16_t)tg_clamp_i32(v, p->act_min, p->act_max);
    }
}

void tg_leaky_relu_s16(const tg_leaky_relu_s16_params *p, const int16_t *input, int16_t *output)
{
    int32_t i;
    for (i = 0; i < p->size; ++i) {
        const int32_t x = (int32_t)input[i] - p->input_zero_point;
        const int32_t v = p->output_zero_point + (x >= 0 ? tg_requantize(x, p->multiplier, p->shift)
                                                         : tg_requantize(x, p->alpha_multiplier, p->alpha_shift));
        output[i] = (int16_t)tg_clamp_i32(v, INT16_MIN, INT16_MAX);
    }
}
