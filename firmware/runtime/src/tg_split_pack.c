#include "tg_split_pack.h"

#include <string.h>

void tg_split_s8(const tg_split_params *p, const int8_t *input, int8_t *const *outputs)
{
    int32_t o, k;
    for (o = 0; o < p->outer; ++o) {
        for (k = 0; k < p->num_outputs; ++k) {
            const int32_t run = p->sizes[k] * p->inner;
            memcpy(outputs[k] + o * run, input, (size_t)run);
            input += run;
        }
    }
}

void tg_pack_s8(const tg_pack_params *p, const int8_t *const *inputs, int8_t *output)
{
    int32_t o, k;
    for (o = 0; o < p->outer; ++o) {
        for (k = 0; k < p->num_inputs; ++k) {
            memcpy(output, inputs[k] + o * p->inner, (size_t)p->inner);
            output += p->inner;
        }
    }
}
