/* RESIZE_NEAREST_NEIGHBOR on int8 NHWC: every output pixel copies the input pixel at
 * (src_rows[y], src_cols[x]); the source indices are TFLM's, computed by the generator. */
#ifndef TG_RESIZE_NEAREST_H
#define TG_RESIZE_NEAREST_H

#include "tg_common.h"

typedef struct {
    int32_t batches, in_h, in_w, depth, out_h, out_w;
    const int32_t *src_rows; /* out_h */
    const int32_t *src_cols; /* out_w */
} tg_resize_nearest_params;

void tg_resize_nearest_s8(const tg_resize_nearest_params *p, const int8_t *input, int8_t *output);

#endif
