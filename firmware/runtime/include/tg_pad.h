/* PAD and PADV2 on int8 tensors of up to six dimensions. */
#ifndef TG_PAD_H
#define TG_PAD_H

#include "tg_common.h"

typedef struct {
    const int32_t *out_dims;   /* 6 output dimensions */
    const int32_t *before;     /* 6 leading pad amounts */
    const int32_t *in_dims;    /* 6 input dimensions */
    int32_t pad_value;
} tg_pad_params;

void tg_pad_s8(const tg_pad_params *p, const int8_t *input, int8_t *output);

#endif
