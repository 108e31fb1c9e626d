#include "tg_movement.h"

#include <string.h>

void tg_run_gather_s8(const tg_run_gather_params *p, const int8_t *input, int8_t *output)
{
    const size_t run = (size_t)p->run;
    int32_t s, r, c;
    for (s = 0; s < p->sets; ++s) {
        const int32_t *rows = p->row_offsets + s * p->row_set_stride;
        const int32_t *cols = p->col_offsets + s * p->col_set_stride;
        for (r = 0; r < p->rows; ++r) {
            for (c = 0; c < p->cols; ++c) {
                if (rows[r] < 0 || cols[c] < 0) {
                    memset(output, p->pad_value, run); /* memset keeps the low byte: the int8 value */
                } else {
                    memcpy(output, input + rows[r] + cols[c], run);
                }
                output += run;
            }
        }
    }
}
