/* Data movement and reductions on int8 tensors of up to six dimensions: MEAN, PAD/PADV2,
 * CONCATENATION, and QUANTIZE (int8 -> int8 requantization), TFLM reference semantics.
 * Shapes are padded to six dimensions (outermost first) by the generator. */
#ifndef TG_SHAPE_OPS_H
#define TG_SHAPE_OPS_H

#include "tg_common.h"

typedef struct {
    const int32_t *dims;          /* 6 input dimensions */
    const int32_t *out_strides;   /* 6: output element stride of each input dimension, 0 if reduced */
    int32_t num_outputs;
    int32_t count;                /* input elements summed into each output */
    int32_t input_zero_point;
    int32_t multiplier, shift;    /* in_scale / out_scale / count, as TFLM folds it */
    int32_t output_zero_point;
} tg_mean_params;

/* Scratch: tg_mean_scratch_bytes(p) bytes (int32 sums). */
void tg_mean_s8(const tg_mean_params *p, const int8_t *input, int8_t *output, int32_t *sums);
int32_t tg_mean_scratch_bytes(const tg_mean_params *p);

typedef struct {
    const int32_t *out_dims;   /* 6 output dimensions */
    const int32_t *before;     /* 6 leading pad amounts */
    const int32_t *in_dims;    /* 6 input dimensions */
    int32_t pad_value;
} tg_pad_params;

void tg_pad_s8(const tg_pad_params *p, const int8_t *input, int8_t *output);

typedef struct {
    int32_t outer;                /* product of dimensions before the axis */
    int32_t num_inputs;
    const int32_t *inner_bytes;   /* per input: axis dimension x product of dimensions after it */
    int32_t out_inner_bytes;
} tg_concat_params;

void tg_concatenation_s8(const tg_concat_params *p, const int8_t *const *inputs, int8_t *output);

typedef struct {
    int32_t size;
    int32_t input_zero_point, output_zero_point;
    int32_t multiplier, shift;
} tg_requantize_params;

void tg_requantize_s8(const tg_requantize_params *p, const int8_t *input, int8_t *output);

/* QUANTIZE between integer types, TFLM's reference_ops::Requantize<In, Out>: (x - input zero point)
 * times the multiplier, plus the output zero point, clamped to the output type. */
void tg_requantize_s16_s8(const tg_requantize_params *p, const int16_t *input, int8_t *output);
void tg_requantize_s16_s16(const tg_requantize_params *p, const int16_t *input, int16_t *output);
void tg_requantize_s16_s32(const tg_requantize_params *p, const int16_t *input, int32_t *output);
void tg_requantize_s8_s16(const tg_requantize_params *p, const int8_t *input, int16_t *output);
void tg_requantize_s8_s32(const tg_requantize_params *p, const int8_t *input, int32_t *output);
void tg_requantize_s32_s8(const tg_requantize_params *p, const int32_t *input, int8_t *output);
void tg_requantize_s32_s16(const tg_requantize_params *p, const int32_t *input, int16_t *output);



/* A strided gather over up to six dimensions: output element (i0..i5) is
 * input[base + sum_k i_k * in_strides[k]]. TRANSPOSE and STRIDED_SLICE both lower to it. */
typedef struct {
    const int32_t *out_dims;   /* 6 */
    const int32_t *in_strides; /* 6, in elements (may be negative) */
    int32_t base;
} tg_gather_params;

void tg_gather_s8(const tg_gather_params *p, const int8_t *input, int8_t *output);

typedef struct {
    int32_t size;
    int32_t zero_point;
    float scale;
} tg_float_quant_params;

/* DEQUANTIZE int8 -> float32 and QUANTIZE float32 -> int8 (the only float code in the runtime;
 * TFLM computes these in float and double). */
void tg_dequantize_s8(const tg_float_quant_params *p, const int8_t *input, float *output);
void tg_quantize_f32(const tg_float_quant_params *p, const float *input, int8_t *output);
#endif
