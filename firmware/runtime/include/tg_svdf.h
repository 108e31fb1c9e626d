/* SVDF, int8 input and output, with int8 or int16 time weights and state: TFLM's
 * EvalIntegerSvdfReference (svdf_common.cc) step for step. The state is a variable tensor: each
 * inference shifts it left by one element, writes the newest feature column, and keeps it for the
 * next inference. As in TFLM, the fused activation is not applied on this path. */
#ifndef TG_SVDF_H
#define TG_SVDF_H

#include "tg_common.h"

typedef struct {
    int32_t n_batch, n_input, n_filter, n_unit, n_rank, n_memory;
    int32_t input_zero_point, state_zero_point, output_zero_point;
    int32_t multiplier_1, shift_1; /* input * weights_feature -> state */
    int32_t multiplier_2, shift_2; /* state * weights_time -> output */
} tg_svdf_params;

/* Scratch: tg_svdf_scratch_bytes(p) bytes. bias may be NULL. */
void tg_svdf_s8(const tg_svdf_params *p, const int8_t *input, const int8_t *weights_feature,
                const int8_t *weights_time, const int32_t *bias, int8_t *state, int8_t *output, int32_t *scratch);
void tg_svdf_s8_s16(const tg_svdf_params *p, const int8_t *input, const int8_t *weights_feature,
                    const int16_t *weights_time, const int32_t *bias, int16_t *state, int8_t *output,
                    int32_t *scratch);
int32_t tg_svdf_scratch_bytes(const tg_svdf_params *p);

#endif
