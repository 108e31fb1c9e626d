/* RESIZE_BILINEAR on int8 NHWC with TFLM's integer arithmetic (ResizeBilinearInteger): each output
 * pixel mixes four input pixels with weights in 1/1024 per axis, and the 20-bit fixed-point sum is
 * rounded half away from zero. The generator computes every tap; the input and output share their
 * quantization, so raw values are interpolated. */
#ifndef TG_RESIZE_H
#define TG_RESIZE_H

#include "tg_common.h"

typedef struct {
    int32_t batches;
    int32_t in_size;    /* elements of one input image: in_h * in_w * depth */
    int32_t depth;
    int32_t out_h, out_w;
    /* Per output row, three words: element offset of the lower and of the upper source row,
     * then the upper row's weight in 1/1024 (negative before the first row with half-pixel
     * centres, where both source rows are the same). */
    const int32_t *rows; /* 3 * out_h */
    const int32_t *cols; /* 3 * out_w: the same for columns, offsets of a source pixel in its row */
} tg_resize_bilinear_params;

void tg_resize_bilinear_s8(const tg_resize_bilinear_params *p, const int8_t *input, int8_t *output);

#endif
