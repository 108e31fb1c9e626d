#include "tg_resize_nearest.h"

#include <string.h>

void tg_resize_nearest_s8(const tg_resize_nearest_params *p, const int8_t *input, int8_t *output)
{
    const int32_t depth = p->depth, row = p->in_w * depth;
    int32_t b, y, x;
    for (b = 0; b < p->batches; ++b) {
        const int8_t *image = input + b * p->in_h * row;
        for (y = 0; y < p->out_h; ++y) {
            const int8_t *src_row = image + p->src_rows[y] * row;
            for (x = 0; x < p->out_w; ++x) {
                memcpy(output, src_row + p->src_cols[x] * depth, (size_t)depth);
                output += depth;
            }
        }
    }
}
