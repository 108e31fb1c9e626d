/* An element-wise int8 operator as a table of its 256 results, filled by the generator. */
#ifndef TG_LUT_H
#define TG_LUT_H

#include "tg_common.h"

typedef struct {
    const int8_t *table; /* 256: the result for input byte b at table[b + 128] */
    int32_t size;
} tg_lut_params;

void tg_lut_s8(const tg_lut_params *p, const int8_t *input, int8_t *output);

#endif
