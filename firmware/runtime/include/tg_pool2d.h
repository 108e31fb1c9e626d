/* AVERAGE_POOL_2D and MAX_POOL_2D, int8 (TFLM reference semantics: the window is clipped to the
 * input, averages round half away from zero, input and output share scale and zero point). */
#ifndef TG_POOL2D_H
#define TG_POOL2D_H

#include "tg_common.h"

typedef struct {
    int32_t in_h, in_w, channels;
    int32_t out_h, out_w;
    int32_t k_h, k_w;
    int32_t stride_h, stride_w;
    int32_t pad_top, pad_left;
    int32_t act_min, act_max;
} tg_pool2d_params;

/* Scratch: tg_average_pool2d_scratch_bytes(p) bytes (int32 sums). */
void tg_average_pool2d_s8(const tg_pool2d_params *p, const int8_t *input, int8_t *output, int32_t *scratch);
int32_t tg_average_pool2d_scratch_bytes(const tg_pool2d_params *p);
void tg_max_pool2d_s8(const tg_pool2d_params *p, const int8_t *input, int8_t *output);

#endif
