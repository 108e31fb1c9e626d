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
    const uint32_t *packed_weights; /* tg_dot.h layouts; wide: of the rows zero-padded to a
                                       multiple of four (the kernel widens its column to match) */
    int32_t wide;                   /* 1: the wide (int16) layout; 2: also 3 channels 3x3, 28 taps (c3_column) */
    const int32_t *rq;              /* per channel the words of tg_requantize_rq (wide: of the wide
                                       path's form, see below), or NULL */
} tg_conv_packed_params;

/* The wrapper: picks the variant below from the parameters at run time. */
void tg_conv_packed_s8(const tg_conv_packed_params *p, const int8_t *input, int8_t *output, int8_t *scratch);
/* Bytes of scratch a call needs: the im2col column (none for 1x1 stride-1 unpadded convolutions);
 * with wide weights the column widened to int16 pairs, for 1x1 too (plus the gathered bytes when
 * in_c % 4 != 0). Word aligned. */
int32_t tg_conv_packed_scratch_bytes(const tg_conv_packed_params *p);
int tg_conv_packed_is_1x1(const tg_conv_packed_params *p);

/* The variants, which the generator names since it knows every shape: `1x1` reads the input in
 * place (scratch may be NULL unless wide), `im2col` gathers each receptive field into scratch; `wide`: the
 * int16 weight layout; `rq`: requantization prepared at generation time (p->rq), clamped to the
 * activation range, `rq_sat`: the same when that range is all of int8; neither: TFLM's multiplier
 * and shift. Each computes the same bits as the wrapper.
 * The wide variants widen each pixel's column to int16 pairs once and run it against four rows
 * at a time with LDM and SMLAD only; their rq words are three a channel {multiplier, round,
 * right}, out = (SMMLAR(acc, multiplier, round) + (acc >> 31)) >> right, with the channel's
 * weights and kernel_sum scaled by 2^(left + 1) at generation time so that acc arrives shifted,
 * which the generator uses only where it has proven it equal to TFLM's
 * (tinygen/ops/conv_packed.py: rq_wide_words). */
#define TG_CONV_PACKED_DECLARE(name) \
    void name(const tg_conv_packed_params *p, const int8_t *input, int8_t *output, int8_t *scratch);
TG_CONV_PACKED_DECLARE(tg_conv_packed_im2col_s8)
TG_CONV_PACKED_DECLARE(tg_conv_packed_im2col_rq_s8)
TG_CONV_PACKED_DECLARE(tg_conv_packed_im2col_rq_sat_s8)
TG_CONV_PACKED_DECLARE(tg_conv_packed_im2col_wide_s8)
TG_CONV_PACKED_DECLARE(tg_conv_packed_im2col_wide_rq_s8)
TG_CONV_PACKED_DECLARE(tg_conv_packed_im2col_wide_rq_sat_s8)
TG_CONV_PACKED_DECLARE(tg_conv_packed_1x1_s8)
TG_CONV_PACKED_DECLARE(tg_conv_packed_1x1_rq_s8)
TG_CONV_PACKED_DECLARE(tg_conv_packed_1x1_rq_sat_s8)
TG_CONV_PACKED_DECLARE(tg_conv_packed_1x1_wide_s8)
TG_CONV_PACKED_DECLARE(tg_conv_packed_1x1_wide_rq_s8)
TG_CONV_PACKED_DECLARE(tg_conv_packed_1x1_wide_rq_sat_s8)

#endif
