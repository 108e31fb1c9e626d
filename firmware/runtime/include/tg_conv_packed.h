/* CONV_2D as a matrix product: each output pixel's receptive field (im2col, padded with the
 * input zero point; read in place for 1x1 stride-1 convolutions) against the packed weights
 * (tg_dot.h). Bit-exact with TFLM's reference ConvPerChannel because padded taps contribute
 * w * (zp + input_offset) = 0 and the input offset is folded into kernel_sum. */
#ifndef TG_CONV_PACKED_H
#define TG_CONV_PACKED_H

#include "tg_common.h"

typedef struct {
    int32_t in_h, in_w, in_c;
    int32_t out_h, out_w, out_c;
    int32_t k_h, k_w;
    int32_t stride_h, stride_w;
    int32_t dil_h, dil_w;
    int32_t pad_top, pad_left;
    int32_t input_zero_point; /* the value a padded tap reads */
    int32_t output_offset;
    int32_t act_min, act_max;
    const int32_t *multiplier; /* per output channel */
    const int32_t *shift;
    const int32_t *kernel_sum; /* bias + input_offset * sum of the channel's weights */
    const uint32_t *packed_weights; /* tg_dot.h layouts */
    int32_t wide;                   /* 1: the wide (int16) layout */
    const int32_t *rq;              /* per channel the words of tg_requantize_rq, or NULL */
} tg_conv_packed_params;

/* Scratch: k_h * k_w * in_c bytes (none needed for 1x1, stride 1, no padding). */
void tg_conv_packed_s8(const tg_conv_packed_params *p, const int8_t *input, int8_t *output, int8_t *scratch);

#endif
