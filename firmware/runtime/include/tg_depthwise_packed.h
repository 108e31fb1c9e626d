/* DEPTHWISE_CONV_2D with the input offset folded into kernel_sum: taps outside the input read a
 * row of input zero points (so they contribute w * (zp + input_offset) = 0, as TFLM skips them).
 * On cores with the DSP extension and depth multiplier 1, four channels at a time with the
 * weights pre-widened to int16 pairs at generation time. */
#ifndef TG_DEPTHWISE_PACKED_H
#define TG_DEPTHWISE_PACKED_H

#include "tg_common.h"

typedef struct {
    int32_t in_h, in_w, in_c;
    int32_t out_h, out_w, out_c;
    int32_t depth_multiplier;
    int32_t k_h, k_w;
    int32_t stride_h, stride_w;
    int32_t dil_h, dil_w;
    int32_t pad_top, pad_left;
    int32_t input_zero_point;
    int32_t output_offset;
    int32_t act_min, act_max;
    const int32_t *multiplier; /* per output channel */
    const int32_t *shift;
    const int32_t *kernel_sum;  /* bias + input_offset * sum of the channel's weights */
    const int8_t *weights;      /* [k_h * k_w][out_c], as in the model */
    /* depth multiplier 1 with DSP: for each group of 4 channels, for each tap, two words
     * (w0 | w2 << 16, w1 | w3 << 16); NULL otherwise. */
    const uint32_t *wide_weights;
    /* with wide_weights: per channel the words of tg_requantize_rq, or NULL (general requantize) */
    const int32_t *rq;
    /* 3x3, stride 1 or 2 (both axes), no dilation, depth multiplier 1: per channel six words, per
     * filter row (w0 | w1 << 16, w1 | w2 << 16), the weights scaled by 2^(left shift + 1) so that
     * one SMMLAR requantizes; NULL otherwise (see tinygen/ops/depthwise_packed.py). */
    const uint32_t *dw3_weights;
    const int32_t *dw3_q; /* per channel: scaled kernel_sum, multiplier, round (+ offset), right shift */
    int32_t dw3_transpose; /* 1: the planes hold the input transposed (and dw3_weights the filter) */
    /* 3x3 as dw3_weights, in_c % 4 == 0, activations in int8's full range, small planes: per group of
     * four channels 34 words (scaled kernel sums, two weight words per tap, per channel multiplier,
     * round, right shift); it takes precedence over dw3_weights. NULL otherwise. */
    const uint32_t *dwg;
} tg_depthwise_packed_params;

/* Scratch with dw3_weights: the input planes of 4 channels (1 if in_c % 4) widened to int16 with its padding (rows of
 * TG_DW3_WORDS words, each two adjacent columns; stride 2: the even rows, then the odd ones; one
 * word more, which the last pass reads), then the int32 accumulators of a band of output rows
 * (TG_DW3_BAND rows, about TG_DW3_BAND_ACCS accumulators). Otherwise the zero-point row, then per
 * tap a pointer and an offset (in the arena rather than on the stack, so any filter size TFLM
 * accepts runs). The generator sizes it for 8-byte pointers; the kernel aligns the pointer table
 * itself. */
#define TG_DW_SCRATCH_BYTES(in_c, taps) ((((in_c) + 7) / 8) * 8 + 8 + 12 * (taps))
#define TG_DW3_ROWS(out_h, stride) (((out_h) - 1) * (stride) + 3)
#define TG_DW3_WORDS(out_w, stride) ((stride) == 1 ? ((out_w) + 1) / 2 + 1 : (out_w) + 1)
#define TG_DW3_ROW_ACCS(out_w, stride) (((stride) == 1 ? 2 : 1) * TG_DW3_WORDS(out_w, stride))
#define TG_DW3_BAND_ACCS 512
#define TG_DW3_BAND(out_h, out_w, stride)                   \
    (TG_DW3_BAND_ACCS / TG_DW3_ROW_ACCS(out_w, stride) < 1 ? 1 \
     : TG_DW3_BAND_ACCS / TG_DW3_ROW_ACCS(out_w, stride) > (out_h) ? (out_h) \
     : TG_DW3_BAND_ACCS / TG_DW3_ROW_ACCS(out_w, stride))
#define TG_DW3_PLANES(in_c) ((in_c) % 4 == 0 ? 4 : 1) /* channels widened together */
#define TG_DW3_SCRATCH_BYTES(in_c, out_h, out_w, stride)                                                       \
    (4 + 4 * TG_DW3_PLANES(in_c) * (TG_DW3_ROWS(out_h, stride) * TG_DW3_WORDS(out_w, stride) + 1) +          \
     4 * TG_DW3_BAND(out_h, out_w, stride) * TG_DW3_ROW_ACCS(out_w, stride))
/* With dwg: per group of four channels the padded input plane of a band of TG_DWG_BAND output rows,
 * two int16-pair words per pixel; the bands' planes fit TG_DWG_MAX_BYTES (the generator takes
 * this path only where a band of one row fits). */
#define TG_DWG_SIDE(out, stride) (((out) - 1) * (stride) + 3)
#define TG_DWG_MAX_BYTES 32768
#define TG_DWG_ROW_BYTES(in_c, out_w, stride) (8 * ((in_c) / 4) * TG_DWG_SIDE(out_w, stride))
#define TG_DWG_FIT(in_c, out_w, stride) \
    ((TG_DWG_MAX_BYTES / TG_DWG_ROW_BYTES(in_c, out_w, stride) - 3) / (stride) + 1)
#define TG_DWG_BAND(in_c, out_h, out_w, stride) \
    (TG_DWG_FIT(in_c, out_w, stride) < 1 ? 1 : TG_DWG_FIT(in_c, out_w, stride) > (out_h) ? (out_h) \
     : TG_DWG_FIT(in_c, out_w, stride))
#define TG_DWG_SCRATCH_BYTES(in_c, out_h, out_w, stride) \
    (4 + TG_DWG_ROW_BYTES(in_c, out_w, stride) * TG_DWG_SIDE(TG_DWG_BAND(in_c, out_h, out_w, stride), stride))
int32_t tg_depthwise_packed_scratch_bytes(const tg_depthwise_packed_params *p);
void tg_depthwise_packed_s8(const tg_depthwise_packed_params *p, const int8_t *input, int8_t *output,
                            int8_t *scratch);

#endif
