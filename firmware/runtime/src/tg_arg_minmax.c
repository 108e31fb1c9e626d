#include "tg_arg_minmax.h"

void tg_arg_minmax_s8(const tg_arg_minmax_params *p, const int8_t *input, int32_t *output)
{
    const int32_t axis_size = p->axis_size, inner = p->inner;
    int32_t o, n, i;
    for (o = 0; o < p->outer; ++o) {
        const int8_t *block = input + o * axis_size * inner;
        for (n = 0; n < inner; ++n) {
            int8_t best = block[n];
            int32_t index = 0;
            for (i = 1; i < axis_size; ++i) {
                const int8_t v = block[i * inner + n];
                if (p->take_max ? v > best : v < best) { /* strict: the first extreme wins */
                    best = v;
                    index = i;
                }
            }
            *output++ = index;
        }
    }
}
