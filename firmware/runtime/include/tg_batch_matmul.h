/* BATCH_MATMUL int8: out[b][i][j] = requantize(sum_k (lhs[b][i][k] - lhs_zp) * (rhs[b][k][j] - rhs_zp)),
 * TFLM's reference arithmetic (its transposes and batch flattening only move data). adj_x / adj_y
 * and broadcast batch dimensions are strides the generator computes. */
#ifndef TG_BATCH_MATMUL_H
#define TG_BATCH_MATMUL_H

#include "tg_common.h"

typedef struct {
    int32_t batch[3];      /* output batch dimensions (the first three of five) */
    int32_t lhs_batch[3];  /* element strides of lhs per batch dimension; 0 where broadcast */
    int32_t rhs_batch[3];
    int32_t rows, cols, depth;
    int32_t lhs_row, lhs_k; /* element strides of lhs along i and k (adj_x swaps them) */
    int32_t rhs_k, rhs_col; /* element strides of rhs along k and j (adj_y swaps them) */
    int32_t lhs_offset, rhs_offset; /* minus the zero points */
    int32_t output_offset, multiplier, shift;
} tg_batch_matmul_params;

void tg_batch_matmul_s8(const tg_batch_matmul_params *p, const int8_t *lhs, const int8_t *rhs, int8_t *output);

#endif
