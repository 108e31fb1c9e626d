/* TRANSPOSE_CONV on int8 NHWC, TFLM's reference arithmetic: scatter into int32, then bias and
 * per-channel requantization. Weights are [out_c][k_h][k_w][in_c] as in the model. */
#ifndef TG_TRANSPOSE_CONV_H
#define TG_TRANSPOSE_CONV_H

#include "tg_common.h"

typedef struct {
    int32_t batches, in_h, in_w, in_c;
    int32_t out_h, out_w, out_c;
    int32_t k_h, k_w, stride_h, stride_w, pad_top, pad_left;
    int32_t input_offset, output_offset, act_min, act_max;
    const int32_t *multiplier, *shift; /* per output channel */
} tg_transpose_conv_params;

/* Scratch: tg_transpose_conv_scratch_bytes(p) bytes (int32 per output element). bias may be NULL. */
void tg_transpose_conv_s8(const tg_transpose_conv_params *p, const int8_t *input, const int8_t *weights,
                          const int32_t *bias, int8_t *output, int32_t *scratch);
int32_t tg_transpose_conv_scratch_bytes(const tg_transpose_conv_params *p);

#endif
