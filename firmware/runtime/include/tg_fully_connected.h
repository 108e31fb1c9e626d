/* FULLY_CONNECTED, int8 activations and weights, int32 bias (TFLM reference semantics). */
#ifndef TG_FULLY_CONNECTED_H
#define TG_FULLY_CONNECTED_H

#include "tg_common.h"

/* The packed path (weights without a zero point; tinygen/ops/fully_connected.py writes the layouts).
 * The input row is widened once into the scratch as int16 pairs, per group of four depths g the two
 * words (x[4g] | x[4g+2] << 16) and (x[4g+1] | x[4g+3] << 16), zero past accum_depth up to depth_pad
 * (a multiple of 8). Rows go in blocks of four (the last block padded with zero rows); per block and
 * group the weights are
 *   wide (int16, 8 words): for each row r the pairs (w[r][4g], w[r][4g+2]), (w[r][4g+1], w[r][4g+3]),
 *     so every word is an SMLAD operand as loaded;
 *   compact (int8, 4 words, half the flash): for rows (0,1) then (2,3) the bytes
 *     (w[a][4g], w[b][4g], w[a][4g+2], w[b][4g+2]) and (w[a][4g+1], w[b][4g+1], w[a][4g+3], w[b][4g+3]),
 *     so SXTB16 and SXTB16 ROR #8 of one word give the pairs of both rows;
 *   rows (int8, ARMv6-M): tg_dot_rows_s8's compact layout (tg_dot.h) of the weights zero-padded to
 *     rows and depth multiples of four (depth_pad), read by tg_dot4_groups_x32 (its hand-scheduled
 *     Cortex-M0+ block) against the input row widened to int32 in the scratch: the M0+ has no SXTB16
 *     to split pairs with, and one LDM brings a group's four inputs. */
enum { TG_FC_COMPACT = 0, TG_FC_WIDE = 1, TG_FC_ROWS = 2 };

typedef struct {
    int32_t batches;       /* rows of the input */
    int32_t accum_depth;   /* input features */
    int32_t output_depth;  /* output features */
    int32_t input_offset;  /* -input zero point */
    int32_t filter_offset; /* -weights zero point (per-tensor only) */
    int32_t output_offset; /* output zero point */
    int32_t act_min, act_max;
    int32_t per_channel;   /* 0: multiplier[0]/shift[0] for every output */
    const int32_t *multiplier;
    const int32_t *shift;
    /* bias[o] + input_offset * sum_d weights[o][d], precomputed at generation time so the inner
     * loop is a plain dot product (one per row, padded rows included); NULL when the weights have a
     * zero point (reference loop, plain row-major `filter`). */
    const int32_t *kernel_sum;
    const uint32_t *packed_weights; /* with kernel_sum; the `filter` argument is then NULL */
    int32_t layout;                 /* TG_FC_COMPACT, TG_FC_WIDE or TG_FC_ROWS */
    int32_t depth_pad;              /* accum_depth rounded up to 8 (compact, wide) or 4 (rows); 0 on the reference loop */
    /* tg_requantize_rq words, four per row (padded rows included), or NULL: multiplier/shift. */
    const int32_t *rq;
} tg_fully_connected_params;

/* Scratch: tg_fully_connected_scratch_bytes(p) bytes, word aligned (the widened input row: int16 pairs, int32 for TG_FC_ROWS). */
void tg_fully_connected_s8(const tg_fully_connected_params *p, const int8_t *input, const int8_t *filter,
                           const int32_t *bias, int8_t *output, int16_t *scratch);
int32_t tg_fully_connected_scratch_bytes(const tg_fully_connected_params *p);

#endif
