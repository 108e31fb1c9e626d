#include "tg_fully_connected.h"

#include "tg_dot.h"

/* Reference loop: the specification (TFLM reference_integer_ops::FullyConnected), used when the
 * weights have a zero point and so cannot be folded into kernel_sum. Plain row-major weights. */
static void fully_connected_reference(const tg_fully_connected_params *p, const int8_t *input, const int8_t *filter,
                                      const int32_t *bias, int8_t *output)
{
    int32_t b, o, d;
    for (b = 0; b < p->batches; ++b) {
        const int8_t *in = input + b * p->accum_depth;
        for (o = 0; o < p->output_depth; ++o) {
            const int8_t *w = filter + o * p->accum_depth;
            const int ch = p->per_channel ? o : 0;
            int32_t acc = 0;
            for (d = 0; d < p->accum_depth; ++d) {
                acc += ((int32_t)w[d] + p->filter_offset) * ((int32_t)in[d] + p->input_offset);
            }
            if (bias) {
                acc += bias[o];
            }
            acc = tg_requantize(acc, p->multiplier[ch], p->shift[ch]) + p->output_offset;
            output[b * p->output_depth + o] = (int8_t)tg_clamp_i32(acc, p->act_min, p->act_max);
        }
    }
}

#define FC_BLOCK 64 /* a multiple of 4: blocks start on packed row-group boundaries */

void tg_fully_connected_s8(const tg_fully_connected_params *p, const int8_t *input, const int8_t *filter,
                           const int32_t *bias, int8_t *output)
{
    /* Locals, not p->...: int8 stores may alias anything, which would force reloads. */
    const int32_t depth = p->accum_depth, out_depth = p->output_depth, out_offset = p->output_offset;
    const int32_t act_min = p->act_min, act_max = p->act_max, per_channel = p->per_channel;
    const int32_t *mult = p->multiplier, *shift = p->shift, *kernel_sum = p->kernel_sum;
    const uint32_t *packed = p->packed_weights;
    int32_t b, o, i;
    int32_t acc[FC_BLOCK];
    if (!packed) {
        fully_connected_reference(p, input, filter, bias, output);
        return;
    }
    for (b = 0; b < p->batches; ++b) {
        const int8_t *in = input + b * depth;
        int8_t *out = output + b * out_depth;
        for (o = 0; o < out_depth; o += FC_BLOCK) {
            const int32_t n = out_depth - o < FC_BLOCK ? out_depth - o : FC_BLOCK;
            for (i = 0; i < n; ++i) {
                acc[i] = kernel_sum[o + i];
            }
            tg_dot_rows_s8(in, packed + o * depth / 4, depth, n, acc);
            for (i = 0; i < n; ++i) {
                const int32_t ch = per_channel ? o + i : 0;
                const int32_t v = tg_requantize(acc[i], mult[ch], shift[ch]) + out_offset;
                out[o + i] = (int8_t)tg_clamp_i32(v, act_min, act_max);
            }
        }
    }
}
