/* int16 activations with int8 weights (the converter's 16x8 mode), TFLM's reference kernels bit for
 * bit: CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED (int64 or int32 bias), TRANSPOSE_CONV, ADD,
 * SUB, MUL, MAXIMUM, MINIMUM, RELU, RELU6, LEAKY_RELU, LOGISTIC, TANH, SOFTMAX, MEAN, and the data
 * movement of PAD, CONCATENATION, STRIDED_SLICE, TRANSPOSE, SPLIT, SPLIT_V, UNPACK and PACK.
 *
 * These are the specification, written as plain loops; they are kept apart from the int8 kernels
 * so that optimising those never touches the int16 paths.
 *
 * Accumulation follows the bias type as TFLM's Eval chooses it: an int64 bias (the converter's
 * default) or none means an int64 accumulator and TFLM's int64 MultiplyByQuantizedMultiplier,
 * which rounds once with the multiplier reduced to 16 bits; an int32 bias (the converter's option)
 * means an int32 accumulator and the usual 32-bit requantization.
 * DEPTHWISE_CONV_2D accumulates in int64 whatever the bias. */
#ifndef TG_INT16_H
#define TG_INT16_H

#include "tg_common.h"
#include "tg_binary.h"
#include "tg_concatenation.h"
#include "tg_mean.h"
#include "tg_pad.h"
#include "tg_quantize.h"
#include "tg_split_pack.h"
#include "tg_strided_gather.h"
#include "tg_transpose_conv.h"

/* TFLM's MultiplyByQuantizedMultiplier(int64_t x, ...): shift in [-31, 7] (checked by the
 * generator). Wrapping arithmetic keeps a model's out-of-range bias from being undefined
 * behaviour; TFLM's result is the low 32 bits of the shifted product, as here. */
TG_INLINE int32_t tg_requantize_s64(int64_t x, int32_t multiplier, int32_t shift)
{
    const int64_t reduced = multiplier < 0x7FFF0000 ? (multiplier + (1 << 15)) >> 16 : 0x7FFF;
    const int total_shift = 15 - shift;
    const uint64_t prod = (uint64_t)x * (uint64_t)reduced + ((uint64_t)1 << (total_shift - 1));
    return (int32_t)(uint32_t)(uint64_t)((int64_t)prod >> total_shift);
}

TG_INLINE int64_t tg_wrap_add_s64(int64_t a, int64_t b) { return (int64_t)((uint64_t)a + (uint64_t)b); }

typedef struct {
    int32_t batches;
    int32_t in_h, in_w, in_c;
    int32_t out_h, out_w, out_c;
    int32_t k_h, k_w;
    int32_t filter_in_c;      /* CONV_2D: the filter's depth (in_c / groups) */
    int32_t depth_multiplier; /* DEPTHWISE_CONV_2D */
    int32_t stride_h, stride_w, dil_h, dil_w;
    int32_t pad_top, pad_left;
    int32_t act_min, act_max;
    int32_t acc64; /* 1: int64 accumulator (see above) */
    const int32_t *multiplier; /* per output channel */
    const int32_t *shift;
} tg_conv_s16_params;

/* bias64 when acc64, else bias32; either may be NULL (no bias). Filters as in the model:
 * CONV_2D [out_c, k_h, k_w, filter_in_c], DEPTHWISE_CONV_2D [1, k_h, k_w, out_c]. */
void tg_conv_s16(const tg_conv_s16_params *p, const int16_t *input, const int8_t *filter,
                 const int64_t *bias64, const int32_t *bias32, int16_t *output);
void tg_depthwise_conv_s16(const tg_conv_s16_params *p, const int16_t *input, const int8_t *filter,
                           const int64_t *bias64, const int32_t *bias32, int16_t *output);

typedef struct {
    int32_t batches, accum_depth, output_depth;
    int32_t filter_offset; /* -weights zero point (per-tensor weights only) */
    int32_t per_channel;   /* 0: multiplier[0]/shift[0] for every output */
    int32_t act_min, act_max;
    int32_t acc64;
    const int32_t *multiplier;
    const int32_t *shift;
} tg_fully_connected_s16_params;

void tg_fully_connected_s16(const tg_fully_connected_s16_params *p, const int16_t *input, const int8_t *filter,
                            const int64_t *bias64, const int32_t *bias32, int16_t *output);

/* TRANSPOSE_CONV with tg_transpose_conv_s8's parameters (input_offset and output_offset unused: 0):
 * every input pixel scatters into an int64 per output element (the scratch), then the int64 bias
 * (or none), the int64 requantization and the clamp, as TFLM's int16 TransposeConv. */
void tg_transpose_conv_s16(const tg_transpose_conv_params *p, const int16_t *input, const int8_t *weights,
                           const int64_t *bias, int16_t *output, int64_t *scratch);
int32_t tg_transpose_conv_s16_scratch_bytes(const tg_transpose_conv_params *p);

/* ADD, SUB (left_shift 15), MUL, MAXIMUM and MINIMUM on int16 with broadcasting, with the
 * parameters of tg_binary_s8. */
void tg_binary_s16(const tg_binary_params *p, const int16_t *input1, const int16_t *input2, int16_t *output);

/* RELU (TFLM's ReluQuantized<int16_t>): rescale x - zero point, clamp to [act_min, act_max]. */
typedef struct {
    int32_t size;
    int32_t input_zero_point, output_zero_point;
    int32_t multiplier, shift;
    int32_t act_min, act_max;
} tg_relu_s16_params;

void tg_relu_s16(const tg_relu_s16_params *p, const int16_t *input, int16_t *output);

/* LEAKY_RELU (TFLM's QuantizeLeakyRelu): identity or alpha rescale by the sign of x - zero point. */
typedef struct {
    int32_t size;
    int32_t input_zero_point, output_zero_point;
    int32_t multiplier, shift;             /* input scale / output scale */
    int32_t alpha_multiplier, alpha_shift; /* input scale * alpha / output scale */
} tg_leaky_relu_s16_params;

void tg_leaky_relu_s16(const tg_leaky_relu_s16_params *p, const int16_t *input, int16_t *output);

/* RELU6 (TFLM's Relu6Quantized<int16_t>): the raw input clamped to [act_min, act_max], the input's
 * zero point and its quantized 6, whatever the output's quantization. */
typedef struct {
    int32_t size;
    int32_t act_min, act_max;
} tg_clamp_s16_params;

void tg_clamp_s16(const tg_clamp_s16_params *p, const int16_t *input, int16_t *output);

/* LOGISTIC and TANH (reference_integer_ops::Logistic and Tanh on int16, tg_sigmoid_s16.h): the
 * input scaled by (x * multiplier + round) >> shift, TFLM's Prepare's multiplier with its
 * power-of-two case already turned into 3 << shift by the generator; output Q0.15. */
typedef struct {
    int32_t size;
    int32_t multiplier, shift;
} tg_sigmoidal_s16_params;

void tg_logistic_s16(const tg_sigmoidal_s16_params *p, const int16_t *input, int16_t *output);
void tg_tanh_s16(const tg_sigmoidal_s16_params *p, const int16_t *input, int16_t *output);

/* SOFTMAX int16 -> int16 (TFLM's SoftmaxInt16): exp and 1/(1+x) from 513-entry tables the
 * generator fills as TFLM's Prepare does (gen_lut), the sum's reciprocal by its leading zeros. */
typedef struct {
    int32_t outer_size, depth;
    int32_t input_multiplier, input_left_shift;
    const int16_t *exp_lut;
    const int16_t *one_over_one_plus_x_lut;
} tg_softmax_s16_params;

void tg_softmax_s16(const tg_softmax_s16_params *p, const int16_t *input, int16_t *output);

/* QUANTIZE float32 -> int16 and DEQUANTIZE int16 -> float32 (a model's float boundary). */
void tg_quantize_f32_s16(const tg_float_quant_params *p, const float *input, int16_t *output);
void tg_dequantize_s16(const tg_float_quant_params *p, const int16_t *input, float *output);

/* Data movement on int16 elements, with the int8 kernels' parameters (every count in elements:
 * tg_concat_params' *_bytes fields count int16 elements here). */
void tg_pad_s16(const tg_pad_params *p, const int16_t *input, int16_t *output);
void tg_gather_s16(const tg_gather_params *p, const int16_t *input, int16_t *output);
void tg_concatenation_s16(const tg_concat_params *p, const int16_t *const *inputs, int16_t *output);
void tg_split_s16(const tg_split_params *p, const int16_t *input, int16_t *const *outputs);
void tg_pack_s16(const tg_pack_params *p, const int16_t *const *inputs, int16_t *output);

/* MEAN with the parameters and scratch of tg_mean_s8 (tg_mean_scratch_bytes). */
void tg_mean_s16(const tg_mean_params *p, const int16_t *input, int16_t *output, int32_t *sums);

#endif
