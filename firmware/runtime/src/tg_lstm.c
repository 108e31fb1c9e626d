#include "tg_lstm.h"

#include "tg_dot.h"

/* sigmoid(i / 24) in Q0.16 for i = 0..255, the values TFLM's int16 LOGISTIC and TANH interpolate
 * between. Each entry is raised by half the error linear interpolation makes at the midpoint of its
 * interval, so the interpolated curve straddles the true one: round(65536 * (s(i/24) + e_i / 2)) with
 * e_i = s((i + 0.5)/24) - (s(i/24) + s((i + 1)/24)) / 2, and the last entry the Q0.16 maximum.
 * tinygen/ops/prepare.py sigmoid_q16_table() computes it; tests/ops/test_lstm.py checks this copy
 * against it and the interpolation against the host TFLM's int16 LOGISTIC and TANH on every input. */
static const uint16_t sigmoid_q16[256] = {
    32768, 33451, 34133, 34813, 35493, 36169, 36843, 37513, 38180, 38841, 39498, 40149,
    40794, 41432, 42064, 42688, 43304, 43912, 44511, 45102, 45683, 46255, 46817, 47369,
    47911, 48443, 48964, 49475, 49975, 50464, 50942, 51409, 51865, 52311, 52745, 53169,
    53581, 53983, 54374, 54755, 55125, 55485, 55834, 56174, 56503, 56823, 57133, 57433,
    57724, 58007, 58280, 58544, 58800, 59048, 59288, 59519, 59743, 59959, 60168, 60370,
    60565, 60753, 60935, 61110, 61279, 61441, 61599, 61750, 61896, 62036, 62172, 62302,
    62428, 62549, 62666, 62778, 62886, 62990, 63090, 63186, 63279, 63368, 63454, 63536,
    63615, 63691, 63765, 63835, 63903, 63968, 64030, 64090, 64148, 64204, 64257, 64308,
    64357, 64405, 64450, 64494, 64536, 64576, 64614, 64652, 64687, 64721, 64754, 64786,
    64816, 64845, 64873, 64900, 64926, 64950, 64974, 64997, 65019, 65039, 65060, 65079,
    65097, 65115, 65132, 65149, 65164, 65179, 65194, 65208, 65221, 65234, 65246, 65258,
    65269, 65280, 65291, 65301, 65310, 65319, 65328, 65337, 65345, 65352, 65360, 65367,
    65374, 65381, 65387, 65393, 65399, 65404, 65410, 65415, 65420, 65425, 65429, 65433,
    65438, 65442, 65445, 65449, 65453, 65456, 65459, 65462, 65465, 65468, 65471, 65474,
    65476, 65479, 65481, 65483, 65485, 65488, 65489, 65491, 65493, 65495, 65497, 65498,
    65500, 65501, 65503, 65504, 65505, 65507, 65508, 65509, 65510, 65511, 65512, 65513,
    65514, 65515, 65516, 65517, 65517, 65518, 65519, 65520, 65520, 65521, 65522, 65522,
    65523, 65523, 65524, 65524, 65525, 65525, 65526, 65526, 65526, 65527, 65527, 65528,
    65528, 65528, 65529, 65529, 65529, 65529, 65530, 65530, 65530, 65530, 65531, 65531,
    65531, 65531, 65531, 65532, 65532, 65532, 65532, 65532, 65532, 65533, 65533, 65533,
    65533, 65533, 65533, 65533, 65533, 65534, 65534, 65534, 65534, 65534, 65534, 65534,
    65534, 65534, 65534, 65535,
};

TG_INLINE int16_t sat16(int32_t x) { return (int16_t)tg_clamp_i32(x, -32768, 32767); }

/* reference_integer_ops::Logistic with input_multiplier 0 and shift 0 (the LSTM's gates): the
 * Q3.12 input times 3, then interpolation between table entries 2^9 apart. */
int16_t tg_lstm_sigmoid_s16(int16_t in)
{
    const int32_t x = (int32_t)in * 3;
    const uint32_t a = (uint32_t)(x < 0 ? -x : x);
    const uint32_t uh = a >> 9;
    uint32_t r;
    if (uh >= 255) {
        r = 0x7FFFu << 10;
    } else {
        const uint32_t ua = sigmoid_q16[uh], ub = sigmoid_q16[uh + 1];
        r = (ua << 9) + (a & 0x1ffu) * (ub - ua); /* unsigned: ub >= ua, and wraps as TFLM's does */
    }
    r = x >= 0 ? r + (1u << 9) : (1u << 25) - r + (1u << 9) - 1u;
    return (int16_t)(r >> 10);
}

/* reference_integer_ops::Tanh: tanh(x) = 2 sigmoid(2x) - 1 on the same table, entries 2^8 apart. */
int16_t tg_lstm_tanh_s16(int16_t in, int32_t multiplier, int32_t shift)
{
    const int32_t round = shift > 0 ? 1 << (shift - 1) : 0;
    const int32_t x = ((int32_t)in * multiplier + round) >> shift;
    const uint32_t a = (uint32_t)(x < 0 ? -x : x);
    const uint32_t uh = a >> 8;
    int32_t r;
    if (uh >= 255) {
        r = 0xFFFF << 8;
    } else {
        const uint32_t ua = sigmoid_q16[uh], ub = sigmoid_q16[uh + 1];
        r = (int32_t)((ua << 8) + (a & 0xffu) * (ub - ua));
    }
    r = x >= 0 ? r - (1 << 23) + (1 << 7) : -r + (1 << 23) + (1 << 7) - 1;
    return (int16_t)(r >> 8);
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
