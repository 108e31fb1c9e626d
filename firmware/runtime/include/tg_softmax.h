/* SOFTMAX, int8 in, int8 out (output scale 1/256, zero point -128) or int16 out (scale 1/65536,
 * zero point -32768), TFLM reference semantics: gemmlowp fixed-point exp and reciprocal. */
#ifndef TG_SOFTMAX_H
#define TG_SOFTMAX_H

#include "tg_common.h"

typedef struct {
    int32_t outer_size;
    int32_t depth;
    int32_t input_multiplier;
    int32_t input_left_shift;
    int32_t diff_min;
} tg_softmax_params;

void tg_softmax_s8(const tg_softmax_params *p, const int8_t *input, int8_t *output);
void tg_softmax_s8_s16(const tg_softmax_params *p, const int8_t *input, int16_t *output);

#endif
