/* FULLY_CONNECTED, int8 activations and weights, int32 bias (TFLM reference semantics). */
#ifndef TG_FULLY_CONNECTED_H
#define TG_FULLY_CONNECTED_H

#include "tg_common.h"

typedef struct {
    int32_t batches;       /* rows of the input */
    int32_t accum_depth;   /* input features */
    int32_t output_depth;  /* output features */
    int32_t input_offset;  /* -input zero point */
    int32_t filter_offset; /* -weights zero point (per-tensor only) */
    int32_t output_offset; /* output zero point */
    int32_t act_min, act_max;
    int32_t per_channel;   /* 0: multiplier[0]/shift[0] for every output */
    const int32_t *multiplier;
    const int32_t *shift;
    /* bias[o] + input_offset * sum_d weights[o][d], precomputed at generation time so the inner
     * loop is a plain int8 dot product; NULL when the weights have a zero point (reference loop). */
    const int32_t *kernel_sum;
    /* The weights packed for tg_dot_rows_s8 (whole words, so they load with LDR/LDRD); with
     * kernel_sum. The `filter` argument is then NULL. */
    const uint32_t *packed_weights;
} tg_fully_connected_params;

void tg_fully_connected_s8(const tg_fully_connected_params *p, const int8_t *input, const int8_t *filter,
                           const int32_t *bias, int8_t *output);

#endif
