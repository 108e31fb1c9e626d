#include "tg_fully_connected.h"

/* Reference kernel: the specification for any optimized variant. */
void tg_fully_connected_s8(const tg_fully_connected_params *p, const int8_t *input, const int8_t *filter,
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
