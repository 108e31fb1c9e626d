/* CONCATENATION of int8 tensors along one axis (byte runs, as TFLM copies them). */
#ifndef TG_CONCATENATION_H
#define TG_CONCATENATION_H

#include "tg_common.h"

typedef struct {
    int32_t outer;                /* product of dimensions before the axis */
    int32_t num_inputs;
    const int32_t *inner_bytes;   /* per input: axis dimension x product of dimensions after it */
    int32_t out_inner_bytes;
} tg_concat_params;

void tg_concatenation_s8(const tg_concat_params *p, const int8_t *const *inputs, int8_t *output);

#endif
