/* PRELU on int8 with alpha broadcast against the input (TFLM's BroadcastPrelu4DSlow arithmetic). */
#ifndef TG_PRELU_H
#define TG_PRELU_H

#include "tg_common.h"

typedef struct {
    int32_t input_offset, alpha_offset, output_offset;
    int32_t multiplier_pos, shift_pos; /* input / output scale */
    int32_t multiplier_neg, shift_neg; /* input * alpha / output scale */
    const int32_t *dims;               /* 6 output dimensions */
    const int32_t *stride_x, *stride_alpha; /* 6 element strides, 0 along broadcast dimensions */
} tg_prelu_params;

void tg_prelu_s8(const tg_prelu_params *p, const int8_t *input, const int8_t *alpha, int8_t *output);

#endif
