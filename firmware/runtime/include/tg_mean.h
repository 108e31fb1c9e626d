/* MEAN and SUM on int8 tensors of up to six dimensions (TFLM's reference arithmetic); shapes
 * are padded to six dimensions, outermost first, by the generator. */
#ifndef TG_MEAN_H
#define TG_MEAN_H

#include "tg_common.h"

typedef struct {
    const int32_t *dims;          /* 6 input dimensions */
    const int32_t *out_strides;   /* 6: output element stride of each input dimension, 0 if reduced */
    int32_t num_outputs;
    int32_t count;                /* input elements summed into each output */
    int32_t input_zero_point;
    int32_t multiplier, shift;    /* in_scale / out_scale / count, as TFLM folds it */
    int32_t output_zero_point;
} tg_mean_params;

/* Scratch: tg_mean_scratch_bytes(p) bytes (int32 sums). */
void tg_mean_s8(const tg_mean_params *p, const int8_t *input, int8_t *output, int32_t *sums);
int32_t tg_mean_scratch_bytes(const tg_mean_params *p);

#endif
