#include "tg_lut.h"

void tg_lut_s8(const tg_lut_params *p, const int8_t *input, int8_t *output)
{
    const int8_t *t = p->table + 128;
    int32_t i;
    for (i = 0; i < p->size; ++i) {
        output[i] = t[input[i]];
    }
}
