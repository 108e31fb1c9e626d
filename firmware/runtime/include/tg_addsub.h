/* ADD and SUB, int8, with broadcasting up to 6-D (TFLM reference semantics: both inputs are
 * rescaled to a common scale with 20 bits of headroom, summed, then requantized). */
#ifndef TG_ADDSUB_H
#define TG_ADDSUB_H

#include "tg_common.h"

typedef struct {
    int32_t subtract; /* 0: ADD, 1: SUB */
    int32_t input1_offset, input2_offset, output_offset;
    int32_t left_shift;
    int32_t input1_multiplier, input1_shift;
    int32_t input2_multiplier, input2_shift;
    int32_t output_multiplier, output_shift;
    int32_t act_min, act_max;
    int32_t broadcast; /* 0: same shapes, `size` elements */
    int32_t size;
    const int32_t *dims;    /* 6 output dimensions, outermost first (broadcast only) */
    const int32_t *stride1; /* 6 element strides of input 1, 0 along broadcast dimensions */
    const int32_t *stride2;
} tg_addsub_params;

void tg_addsub_s8(const tg_addsub_params *p, const int8_t *input1, const int8_t *input2, int8_t *output);

#endif
