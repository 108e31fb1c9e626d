#include "tg_concatenation.h"

#include <string.h>

void tg_concatenation_s8(const tg_concat_params *p, const int8_t *const *inputs, int8_t *output)
{
    int32_t k, i;
    for (k = 0; k < p->outer; ++k) {
        int8_t *out = output + k * p->out_inner_bytes;
        for (i = 0; i < p->num_inputs; ++i) {
            const int32_t n = p->inner_bytes[i];
            memcpy(out, inputs[i] + k * n, (size_t)n);
            out += n;
        }
    }
}
