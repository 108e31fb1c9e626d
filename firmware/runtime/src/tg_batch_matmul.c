#include "tg_batch_matmul.h"

void tg_batch_matmul_s8(const tg_batch_matmul_params *p, const int8_t *lhs, const int8_t *rhs, int8_t *output)
{
    int32_t b0, b1, b2, i, j, k;
    for (b0 = 0; b0 < p->batch[0]; ++b0) {
        for (b1 = 0; b1 < p->batch[1]; ++b1) {
            for (b2 = 0; b2 < p->batch[2]; ++b2) {
                const int8_t *l = lhs + b0 * p->lhs_batch[0] + b1 * p->lhs_batch[1] + b2 * p->lhs_batch[2];
                const int8_t *r = rhs + b0 * p->rhs_batch[0] + b1 * p->rhs_batch[1] + b2 * p->rhs_batch[2];
                for (i = 0; i < p->rows; ++i) {
                    for (j = 0; j < p->cols; ++j) {
                        const int8_t *li = l + i * p->lhs_row, *rj = r + j * p->rhs_col;
                        int32_t acc = 0, v;
                        for (k = 0; k < p->depth; ++k) {
                            acc += (li[k * p->lhs_k] + p->lhs_offset) * (rj[k * p->rhs_k] + p->rhs_offset);
                        }
                        v = tg_requantize(acc, p->multiplier, p->shift) + p->output_offset;
                        *output++ = (int8_t)tg_clamp_i32(v, -128, 127);
                    }
                }
            }
        }
    }
}
