/* SQUARED_DIFFERENCE on int8 with broadcasting up to 6-D, TFLM reference semantics
 * (squared_difference.cc): both centred inputs, shifted left by 7 bits, are rescaled to half the
 * larger input scale; their difference is squared in int32 and requantized to the output. */
#ifndef TG_SQUARED_DIFFERENCE_H
#define TG_SQUARED_DIFFERENCE_H

#include "tg_common.h"

typedef struct {
    int32_t input1_offset, input2_offset; /* minus the input zero points */
    int32_t output_offset;
    int32_t left_shift;                   /* 7 for int8 */
    int32_t input1_multiplier, input1_shift;
    int32_t input2_multiplier, input2_shift;
    int32_t output_multiplier, output_shift;
    int32_t broadcast; /* 0: same shapes, `size` elements */
    int32_t size;
    const int32_t *dims;    /* 6 output dimensions, outermost first (broadcast only) */
    const int32_t *stride1; /* 6 element strides of input 1, 0 along broadcast dimensions */
    const int32_t *stride2;
} tg_squared_difference_params;

void tg_squared_difference_s8(const tg_squared_difference_params *p, const int8_t *input1, const int8_t *input2,
                              int8_t *output);

#endif
