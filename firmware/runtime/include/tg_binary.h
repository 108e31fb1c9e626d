/* Element-wise binary operators on int8 with broadcasting up to 6-D, TFLM reference semantics:
 * ADD/SUB rescale both inputs to a common scale with 20 bits of headroom, then requantize;
 * MUL requantizes the product of the offset inputs; MAXIMUM/MINIMUM compare raw values. */
#ifndef TG_BINARY_H
#define TG_BINARY_H

#define TG_BINARY_ADD 0
#define TG_BINARY_SUB 1
#define TG_BINARY_MUL 2
#define TG_BINARY_MAX 3
#define TG_BINARY_MIN 4

#include "tg_common.h"

typedef struct {
    int32_t op; /* TG_BINARY_* */
    int32_t input1_offset, input2_offset, output_offset;
    int32_t left_shift;                     /* ADD/SUB */
    int32_t input1_multiplier, input1_shift;
    int32_t input2_multiplier, input2_shift;
    int32_t output_multiplier, output_shift; /* ADD/SUB/MUL */
    int32_t act_min, act_max;
    int32_t broadcast; /* 0: same shapes, `size` elements */
    int32_t size;
    const int32_t *dims;    /* 6 output dimensions, outermost first (broadcast only) */
    const int32_t *stride1; /* 6 element strides of input 1, 0 along broadcast dimensions */
    const int32_t *stride2;
} tg_binary_params;

void tg_binary_s8(const tg_binary_params *p, const int8_t *input1, const int8_t *input2, int8_t *output);

#endif
