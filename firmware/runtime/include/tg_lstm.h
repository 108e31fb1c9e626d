/* UNIDIRECTIONAL_SEQUENCE_LSTM, int8 activations and weights, int32 biases, int16 cell state and
 * gates: TFLM's integer LSTM (lstm_eval.h, the 8x8->16 path) step for step. The hidden state
 * (int8) and the cell state (int16) are variable tensors kept across inferences.
 *
 * Per time step and batch row, TFLM computes each gate as
 *   clamp16(rq(W_x . (x - x_zp) + bias)) +sat clamp16(rq(W_h . (h - h_zp)))  (Q3.12)
 * then the forget, input and output gates through its int16 sigmoid and the cell gate through its
 * int16 tanh (Q0.15); c = sat16(rq(f * c) + rq(i * g)), clipped; h = rq(tanh(c) * o) + h_zp.
 * The recurrent product reads the hidden state of the previous step only, so the four gates'
 * products are computed in two calls (weights stacked input, forget, cell, output) with the zero
 * points folded into per-row sums at generation time: int32 wrap-around makes that exact. */
#ifndef TG_LSTM_H
#define TG_LSTM_H

#include "tg_common.h"

enum { TG_LSTM_INPUT_GATE, TG_LSTM_FORGET_GATE, TG_LSTM_CELL_GATE, TG_LSTM_OUTPUT_GATE };

typedef struct {
    int32_t time_major;          /* input [time, batch, features]; else [batch, time, features] */
    int32_t n_batch, n_time, n_input, n_state;
    /* Rows 4 * n_state: the gates' input-to-gate and recurrent weights packed for tg_dot_rows_s8
     * (wide: for tg_dot_rows_wide_s8), and per row bias + input_offset * sum(W_x row) and
     * recurrent_offset * sum(W_h row). */
    int32_t wide;
    const uint32_t *weights_x;
    const uint32_t *weights_h;
    const int32_t *sum_x;
    const int32_t *sum_h;
    /* Accumulators to Q3.12: [gate] for the input products, [4 + gate] for the recurrent ones. */
    int32_t multiplier[8], shift[8];
    int32_t forget_multiplier, forget_shift; /* f (Q0.15) * c -> c */
    int32_t input_multiplier, input_shift;   /* i (Q0.15) * g (Q0.15) -> c */
    int32_t hidden_multiplier, hidden_shift; /* tanh(c) (Q0.15) * o (Q0.15) -> h */
    int32_t hidden_zero_point;
    int32_t cell_clip;                       /* quantized clip of the cell state; 0: none */
    /* tanh(c): x = (c * tanh_multiplier + round) >> tanh_shift, TFLM's Tanh input scaling */
    int32_t tanh_multiplier, tanh_shift;
} tg_lstm_params;

/* hidden (int8) and cell (int16) are the state, read and written. Scratch: tg_lstm_scratch_bytes. */
void tg_lstm_s8(const tg_lstm_params *p, const int8_t *input, int8_t *hidden, int16_t *cell, int8_t *output,
                void *scratch);
int32_t tg_lstm_scratch_bytes(const tg_lstm_params *p);

/* TFLM's int16 sigmoid of a Q3.12 value and tanh with its input scaling, to Q0.15 (for tests). */
int16_t tg_lstm_sigmoid_s16(int16_t x);
int16_t tg_lstm_tanh_s16(int16_t x, int32_t multiplier, int32_t shift);

#endif
