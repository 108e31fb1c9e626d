/* ARG_MAX / ARG_MIN of int8 along one axis; the input is viewed as [outer][axis_size][inner]. */
#ifndef TG_ARG_MINMAX_H
#define TG_ARG_MINMAX_H

#include "tg_common.h"

typedef struct {
    int32_t outer, axis_size, inner;
    int32_t take_max; /* 1: ARG_MAX, 0: ARG_MIN */
} tg_arg_minmax_params;

void tg_arg_minmax_s8(const tg_arg_minmax_params *p, const int8_t *input, int32_t *output);

#endif
