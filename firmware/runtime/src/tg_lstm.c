#include "tg_lstm.h"

#include "tg_dot.h"
#include "tg_sigmoid_s16.h"

TG_INLINE int16_t sat16(int32_t x) { return (int16_t)tg_clamp_i32(x, -32768, 32767); }

/* The gates' sigmoid: TFLM's int16 Logistic of a Q3.12 value (the power-of-two case, x * 3). */
int16_t tg_lstm_sigmoid_s16(int16_t in)
{
    return tg_sigmoid_s16_scaled((int32_t)in * 3);
}

/* TFLM's int16 Tanh with the input scaling lstm_internal::Tanh gives it (tg_lstm_params). */
int16_t tg_lstm_tanh_s16(int16_t in, int32_t multiplier, int32_t shift)
{
    return tg_tanh_s16_scaled(tg_sigmoidal_input_s16(in, multiplier, shift));
}

/* The gates' int32 accumulators, then each gate's int16 value (Q0.15), for one batch row. */
typedef struct {
    int32_t *acc_x, *acc_h;
    int16_t *gate; /* [4][n_state] */
} lstm_scratch;

int32_t tg_lstm_scratch_bytes(const tg_lstm_params *p)
{
    return 4 * 4 * p->n_state * 2 + 2 * 4 * p->n_state;
}

/* One step of one batch row: x its input, h and c its state, out its output row. */
static void lstm_row(const tg_lstm_params *p, const int8_t *x, int8_t *h, int16_t *c, int8_t *out,
                     const lstm_scratch *s)
{
    const int32_t n = p->n_state, rows = 4 * n;
    int32_t k, g, j;
    for (k = 0; k < rows; ++k) {
        s->acc_x[k] = p->sum_x[k];
        s->acc_h[k] = p->sum_h[k];
    }
    if (p->wide) {
        tg_dot_rows_wide_s8(x, p->weights_x, p->n_input, rows, s->acc_x);
        tg_dot_rows_wide_s8(h, p->weights_h, n, rows, s->acc_h);
    } else {
        tg_dot_rows_s8(x, p->weights_x, p->n_input, rows, s->acc_x);
        tg_dot_rows_s8(h, p->weights_h, n, rows, s->acc_h);
    }
    /* CalculateLstmGate: two fully connected layers to int16 (output zero point 0), their
     * saturating sum, the nonlinearity in place. */
    for (g = 0; g < 4; ++g) {
        const int32_t mx = p->multiplier[g], sx = p->shift[g], mh = p->multiplier[4 + g], sh = p->shift[4 + g];
        const int32_t *ax = s->acc_x + g * n, *ah = s->acc_h + g * n;
        int16_t *gate = s->gate + g * n;
        for (j = 0; j < n; ++j) {
            const int32_t vx = sat16(tg_requantize(ax[j], mx, sx));
            const int32_t vh = sat16(tg_requantize(ah[j], mh, sh));
            const int16_t v = sat16(vx + vh);
            /* the cell gate: Tanh with cell_state_scale_power -12, i.e. multiplier 3, no shift */
            gate[j] = g == TG_LSTM_CELL_GATE ? tg_lstm_tanh_s16(v, 3, 0) : tg_lstm_sigmoid_s16(v);
        }
    }
    {
        const int16_t *ig = s->gate + TG_LSTM_INPUT_GATE * n, *fg = s->gate + TG_LSTM_FORGET_GATE * n;
        const int16_t *cg = s->gate + TG_LSTM_CELL_GATE * n, *og = s->gate + TG_LSTM_OUTPUT_GATE * n;
        const int32_t clip = p->cell_clip;
        for (j = 0; j < n; ++j) {
            /* UpdateLstmCell: f * c and i * g, each to the cell scale and int16, their saturating sum */
            const int32_t fc = sat16(tg_requantize((int32_t)fg[j] * c[j], p->forget_multiplier, p->forget_shift));
            const int32_t ic = sat16(tg_requantize((int32_t)ig[j] * cg[j], p->input_multiplier, p->input_shift));
            int32_t cv = sat16(fc + ic);
            if (clip > 0) {
                cv = tg_clamp_i32(cv, -clip, clip);
            }
            c[j] = (int16_t)cv;
            /* UpdateLstmHidden: tanh(c) * o to the hidden state's scale and zero point */
            {
                const int16_t t = tg_lstm_tanh_s16((int16_t)cv, p->tanh_multiplier, p->tanh_shift);
                const int32_t hv = tg_requantize((int32_t)t * og[j], p->hidden_multiplier, p->hidden_shift) +
                                   p->hidden_zero_point;
                out[j] = (int8_t)tg_clamp_i32(hv, -128, 127);
            }
        }
        /* the new hidden state only now: the recurrent products above read the previous one */
        for (j = 0; j < n; ++j) {
            h[j] = out[j];
        }
    }
}

void tg_lstm_s8(const tg_lstm_params *p, const int8_t *input, int8_t *hidden, int16_t *cell, int8_t *output,
                void *scratch)
{
    const int32_t n = p->n_state, nb = p->n_batch, nt = p->n_time, ni = p->n_input;
    lstm_scratch s;
    int32_t t, b;
    s.acc_x = (int32_t *)scratch;
    s.acc_h = s.acc_x + 4 * n;
    s.gate = (int16_t *)(void *)(s.acc_h + 4 * n);
    if (p->time_major) {
        /* every batch row at each step: input and output [time][batch][...] */
        for (t = 0; t < nt; ++t) {
            for (b = 0; b < nb; ++b) {
                const int32_t row = t * nb + b;
                lstm_row(p, input + row * ni, hidden + b * n, cell + b * n, output + row * n, &s);
            }
        }
    } else {
        /* one batch row's whole sequence at a time: input and output [batch][time][...] */
        for (b = 0; b < nb; ++b) {
            for (t = 0; t < nt; ++t) {
                const int32_t row = b * nt + t;
                lstm_row(p, input + row * ni, hidden + b * n, cell + b * n, output + row * n, &s);
            }
        }
    }
}
