/* SPLIT / SPLIT_V / UNPACK and PACK: contiguous runs of bytes, as TFLM copies them. A tensor is
 * viewed as [outer][axis][inner]; output k of a split takes sizes[k] of the axis. */
#ifndef TG_SPLIT_PACK_H
#define TG_SPLIT_PACK_H

#include "tg_common.h"

typedef struct {
    int32_t outer, axis_size, inner;
    int32_t num_outputs;
    const int32_t *sizes; /* num_outputs, summing to axis_size */
} tg_split_params;

typedef struct {
    int32_t outer, inner; /* of the output, around the new axis */
    int32_t num_inputs;
} tg_pack_params;

void tg_split_s8(const tg_split_params *p, const int8_t *input, int8_t *const *outputs);
void tg_pack_s8(const tg_pack_params *p, const int8_t *const *inputs, int8_t *output);

#endif
