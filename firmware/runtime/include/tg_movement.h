/* SPACE_TO_DEPTH, DEPTH_TO_SPACE, SPACE_TO_BATCH_ND, BATCH_TO_SPACE_ND and GATHER on int8.
 * TFLM copies these bytes as they are (no requantization), and every one of them moves runs of
 * contiguous bytes (a pixel's channels, a gathered slice). The generator lays the output out as
 * sets x rows x cols runs of `run` bytes and precomputes where each run comes from:
 * run (s, r, c) is the input bytes at row_offsets[s][r] + col_offsets[s][c], or padding when
 * either offset is negative. */
#ifndef TG_MOVEMENT_H
#define TG_MOVEMENT_H

#include "tg_common.h"

typedef struct {
    int32_t sets, rows, cols;
    int32_t run;                  /* bytes per run */
    const int32_t *row_offsets;   /* byte offsets into the input, -1: padding */
    const int32_t *col_offsets;   /* added to the row's offset, -1: padding */
    int32_t row_set_stride;       /* rows, or 0 when every set shares one row table */
    int32_t col_set_stride;       /* cols, or 0 when every set shares one column table */
    int32_t pad_value;            /* the byte written for padding */
} tg_run_gather_params;

void tg_run_gather_s8(const tg_run_gather_params *p, const int8_t *input, int8_t *output);

#endif
