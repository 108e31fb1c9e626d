/* REDUCE_MAX / REDUCE_MIN over any axes of a tensor of up to six dimensions (int8, one
 * quantization for input and output, as TFLM requires). */
#ifndef TG_REDUCE_MINMAX_H
#define TG_REDUCE_MINMAX_H

#include "tg_common.h"

typedef struct {
    const int32_t *dims;        /* 6 input dimensions */
    const int32_t *out_strides; /* 6: output element stride of each input dimension, 0 if reduced */
    int32_t num_outputs;
    int32_t take_max;           /* 1: REDUCE_MAX, 0: REDUCE_MIN */
} tg_reduce_minmax_params;

void tg_reduce_minmax_s8(const tg_reduce_minmax_params *p, const int8_t *input, int8_t *output);

#endif
