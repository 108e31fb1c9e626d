#include "tg_resize.h"

/* TFLM's double rounding: add +-2^19 by the sign of the sum, then divide (truncating toward zero)
 * by 2^20. |sum| <= 128 * 2048 * 2048 (the generator checks the weights), so int32 is exact. */
TG_INLINE int8_t round_q20(int32_t sum)
{
    const int32_t half = (int32_t)1 << 19;
    return (int8_t)((sum + (sum > 0 ? half : -half)) / ((int32_t)1 << 20));
}

/* One output pixel from the lower (lo) and upper (hi) source rows at the lower (0) and upper (1)
 * source columns; wy, wx are the upper row's and column's weights in 1/1024. */
static void blend_pixel(const int8_t *lo0, const int8_t *lo1, const int8_t *hi0, const int8_t *hi1,
                        int32_t wy, int32_t wx, int32_t depth, int8_t *out)
{
    const int32_t one = (int32_t)1 << 10;
    const int32_t w00 = (one - wy) * (one - wx), w01 = (one - wy) * wx;
    const int32_t w10 = wy * (one - wx), w11 = wy * wx;
    int32_t c;
    for (c = 0; c < depth; ++c) {
        out[c] = round_q20(lo0[c] * w00 + hi0[c] * w10 + lo1[c] * w01 + hi1[c] * w11);
    }
}

void tg_resize_bilinear_s8(const tg_resize_bilinear_params *p, const int8_t *input, int8_t *output)
{
    int32_t b, y, x;
    for (b = 0; b < p->batches; ++b) {
        const int8_t *image = input + b * p->in_size;
        for (y = 0; y < p->out_h; ++y) {
            const int32_t *ry = p->rows + 3 * y;
            const int8_t *row0 = image + ry[0], *row1 = image + ry[1];
            for (x = 0; x < p->out_w; ++x) {
                const int32_t *cx = p->cols + 3 * x;
                blend_pixel(row0 + cx[0], row0 + cx[1], row1 + cx[0], row1 + cx[1], ry[2], cx[2], p->depth, output);
                output += p->depth;
            }
        }
    }
}
