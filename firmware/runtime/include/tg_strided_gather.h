/* A strided gather over up to six dimensions: TRANSPOSE and STRIDED_SLICE lower to it. */
#ifndef TG_STRIDED_GATHER_H
#define TG_STRIDED_GATHER_H

#include "tg_common.h"

/* A strided gather over up to six dimensions: output element (i0..i5) is
 * input[base + sum_k i_k * in_strides[k]]. TRANSPOSE and STRIDED_SLICE both lower to it. */
typedef struct {
    const int32_t *out_dims;   /* 6 */
    const int32_t *in_strides; /* 6, in elements (may be negative) */
    int32_t base;
} tg_gather_params;

void tg_gather_s8(const tg_gather_params *p, const int8_t *input, int8_t *output);

#endif
