/* QUANTIZE and DEQUANTIZE: between integer types (TFLM's reference_ops::Requantize), and
 * between int8 and float32 (the only float code in the runtime). */
#ifndef TG_QUANTIZE_H
#define TG_QUANTIZE_H

#include "tg_common.h"

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
