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

/* ADD and SUB of same-shaped inputs through tables made at generation time (tinygen/ops/binary.py):
 * each input's rescale depends on its own byte only, so lut1[a + 128] and lut2[b + 128] hold them,
 * doubled (SUB: lut2 negated), and out = (hi + round + (hi < 0 ? neg : 0)) >> right with
 * hi = SMMULR(lut1 + lut2, multiplier), the output offset folded into round -- the generator has
 * checked all 65536 input pairs against the reference formula. */
typedef struct {
    int32_t size;
    const int32_t *lut1, *lut2; /* 256 words each */
    int32_t multiplier, round, neg, right;
    int32_t act_min, act_max;
} tg_add_lut_params;

void tg_add_lut_s8(const tg_add_lut_params *p, const int8_t *input1, const int8_t *input2, int8_t *output);

#endif
