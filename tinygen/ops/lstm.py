"""UNIDIRECTIONAL_SEQUENCE_LSTM with int8 activations and weights, int32 biases and an int16 cell
state: TFLM's integer LSTM (unidirectional_sequence_lstm.cc, lstm_eval.h, the 8x8->16 path), its
Prepare arithmetic (lstm_eval_common.cc: CreateGateParams, CreateInterGateMulParams,
CreateLstmCellStateInfo) done here. The hidden and cell states are variable tensors."""

from __future__ import annotations

import numpy as np

from . import ConstArray, Kernel, Lowered, Ref, Scratch, T
from .packing import pack_rows_s8, pack_rows_wide
from .prepare import ACT_TANH, checked_log2, conv_multiplier, quantize_multiplier
from ._common import scale0, tensor_type_problems, zp0

# TFLM's tensor positions (lstm_shared.h), and the gate order of tg_lstm.h: input, forget, cell, output
INPUT, HIDDEN, CELL = 0, 18, 19
X_WEIGHTS = (1, 2, 3, 4)
H_WEIGHTS = (5, 6, 7, 8)
BIASES = (12, 13, 14, 15)
ABSENT = (9, 10, 11, 16, 17, 20, 21, 22, 23)  # peepholes, projection, layer norm: TFLM refuses them
GATE_INPUT_SCALE = 2.0 ** -12   # the gates' fully connected outputs are Q3.12
GATE_OUTPUT_SCALE = 2.0 ** -15  # the nonlinearities' outputs are Q0.15
# Wide (int16-pair) weights double their flash for about a third fewer instructions on DSP cores:
# worth it when every weight is read at many steps (as WIDE_MIN_PIXELS for the convolutions).
WIDE_MIN_ROWS = 16


def mul_multiplier(s1: float, s2: float, out: float) -> tuple[int, int]:
    """CreateInterGateMulParams: the float32 scales widened to double, then product and quotient."""
    f = np.float32
    return quantize_multiplier(float(f(s1)) * float(f(s2)) / float(f(out)))


def tanh_scaling(power: int) -> tuple[int, int]:
    """lstm_internal::Tanh's input scaling for a cell state scale of 2^power, as
    reference_integer_ops::Tanh applies it: (multiplier, right shift)."""
    left = 15 + power - 3
    if left < 0:
        return 3, -left
    return 3 << left, 0  # the power-of-two case: multiplier 0 becomes 3 << shift


def cell_clip_quantized(clip: float, cell_scale: float) -> int:
    """CreateLstmCellStateInfo: double quotient clamped to int16, truncated; 0 when not clipping."""
    if not clip > 0:
        return 0
    q = min(max(float(np.float32(clip)) / float(np.float32(cell_scale)), -32768.0), 32767.0)
    return int(q)


def _wrap32(v: np.ndarray) -> np.ndarray:
    return ((v.astype(np.int64) + (1 << 31)) % (1 << 32) - (1 << 31)).astype(np.int64)


def _packed(w: np.ndarray) -> np.ndarray:
    packed = pack_rows_s8(w.astype(np.int8))
    return np.concatenate([packed, np.zeros(-len(packed) % 4, np.int8)]).view("<u4")


class UnidirectionalSequenceLstm(Kernel):
    opcode = "UNIDIRECTIONAL_SEQUENCE_LSTM"

    def check(self, graph, op):
        if len(op.inputs) != 24 or len(op.outputs) != 1:
            return [f"{len(op.inputs)} inputs and {len(op.outputs)} outputs; TFLM's LSTM takes 24 and 1"]
        tensor = graph.tensor
        p = tensor_type_problems(graph, op, op.inputs[INPUT], ("int8",), "input")
        p += tensor_type_problems(graph, op, op.outputs[0], ("int8",), "output")
        p += tensor_type_problems(graph, op, op.inputs[HIDDEN], ("int8",), "hidden state")
        p += tensor_type_problems(graph, op, op.inputs[CELL], ("int16",), "cell state")
        for i in X_WEIGHTS + H_WEIGHTS:
            p += tensor_type_problems(graph, op, op.inputs[i], ("int8",), f"weights {i}")
        for i in BIASES:
            p += tensor_type_problems(graph, op, op.inputs[i], ("int32",), f"bias {i}")
        if any(tensor(op.inputs[i]) is not None for i in ABSENT):
            p.append("peephole, projection or layer-norm tensors (TFLM runs only the standard LSTM)")
        if p:
            return p
        inp, hidden, cell, out = (graph.tensors[i] for i in (op.inputs[INPUT], op.inputs[HIDDEN],
                                                             op.inputs[CELL], op.outputs[0]))
        for t, what in ((hidden, "hidden"), (cell, "cell")):
            if not t.is_variable:
                p.append(f"{what} state tensor '{t.name}' is not a variable tensor")
        act = op.options.get("fusedActivationFunction", 0)
        if act != ACT_TANH:
            p.append(f"cell gate activation {act}; TFLM's integer LSTM runs TANH (4)")
        if len(inp.shape) != 3 or len(out.shape) != 3:
            p.append(f"input {list(inp.shape)} and output {list(out.shape)} must be 3-D")
            return p
        if len(hidden.shape) != 2:  # TFLM takes the units from its second dimension
            p.append(f"hidden state {list(hidden.shape)} is not 2-D")
            return p
        major = bool(op.options.get("timeMajor", False))
        n_time, n_batch = (inp.shape[0], inp.shape[1]) if major else (inp.shape[1], inp.shape[0])
        n_input = inp.shape[2]
        n_state = hidden.shape[1]
        for i in X_WEIGHTS + H_WEIGHTS:
            w = graph.tensors[op.inputs[i]]
            want = (n_state, n_input if i in X_WEIGHTS else n_state)
            if tuple(w.shape) != want:
                p.append(f"weights {i} {list(w.shape)} are not {list(want)}")
            elif not w.is_constant:
                p.append(f"weights {i} are not constant")
            elif w.per_channel or zp0(w) != 0:
                p.append(f"weights {i} are not per-tensor symmetric (TFLM's LSTM uses one scale, zero point 0)")
        for i in BIASES:
            b = graph.tensors[op.inputs[i]]
            if tuple(b.shape) != (n_state,) or not b.is_constant:
                p.append(f"bias {i} {list(b.shape)} is not a constant [{n_state}]")
        if hidden.size != n_batch * n_state or cell.size != n_batch * n_state:
            p.append(f"states hold {hidden.size} and {cell.size} values, not batch x units = {n_batch * n_state}")
        if tuple(out.shape[:2]) != tuple(inp.shape[:2]) or out.shape[2] != n_state:
            p.append(f"output {list(out.shape)} does not match input {list(inp.shape)} and {n_state} units")
        if zp0(cell) != 0 or cell.per_channel:
            p.append("the cell state is not symmetric per-tensor int16")
        if not -30 <= 12 + checked_log2(scale0(cell)) <= 14:  # beyond, TFLM's tanh scaling overflows int32
            p.append(f"cell state scale {scale0(cell)} is outside TFLM's int16 tanh input range")
        return p

    def lower(self, graph, op):
        return self.lower_for(graph, op, None)

    def lower_for(self, graph, op, target):
        ts = graph.tensors
        inp, hidden, cell, out = (ts[i] for i in (op.inputs[INPUT], op.inputs[HIDDEN], op.inputs[CELL], op.outputs[0]))
        major = bool(op.options.get("timeMajor", False))
        n_time, n_batch = (inp.shape[0], inp.shape[1]) if major else (inp.shape[1], inp.shape[0])
        n_input = inp.shape[2]
        n_state = hidden.shape[1]
        wx = [ts[op.inputs[i]] for i in X_WEIGHTS]
        wh = [ts[op.inputs[i]] for i in H_WEIGHTS]
        biases = [ts[op.inputs[i]] for i in BIASES]
        # CreateGateParams: CalculateOpDataFullyConnected into a Q3.12 int16 output (zero point 0)
        mults, shifts = [], []
        for x_scale, ws in ((scale0(inp), wx), (scale0(hidden), wh)):
            for w in ws:
                m, s = quantize_multiplier(conv_multiplier(x_scale, scale0(w), GATE_INPUT_SCALE))
                mults.append(m)
                shifts.append(s)
        # Zero points folded into per-row sums: acc = bias + offset * sum(W row) + W . x, mod 2^32.
        w_x = np.concatenate([w.data.astype(np.int64) for w in wx])
        w_h = np.concatenate([w.data.astype(np.int64) for w in wh])
        bias = np.concatenate([b.data.astype(np.int64) for b in biases])
        sum_x = _wrap32(bias - zp0(inp) * w_x.sum(axis=1))
        sum_h = _wrap32(-zp0(hidden) * w_h.sum(axis=1))
        cs = scale0(cell)
        fm, fs = mul_multiplier(GATE_OUTPUT_SCALE, cs, cs)
        im, is_ = mul_multiplier(GATE_OUTPUT_SCALE, GATE_OUTPUT_SCALE, cs)
        hm, hs = mul_multiplier(GATE_OUTPUT_SCALE, GATE_OUTPUT_SCALE, scale0(hidden))
        tm, tsh = tanh_scaling(checked_log2(cs))
        wide = bool(target is not None and target.wide_weights and n_time * n_batch >= WIDE_MIN_ROWS)
        pack = (lambda w: pack_rows_wide(w.astype(np.int8))) if wide else _packed
        consts = [ConstArray("weights_x", "uint32_t", pack(w_x)), ConstArray("weights_h", "uint32_t", pack(w_h)),
                  ConstArray("sum_x", "int32_t", sum_x), ConstArray("sum_h", "int32_t", sum_h)]
        return Lowered(
            kernel="tg_lstm_s8",
            header="tg_lstm.h",
            params_type="tg_lstm_params",
            params=dict(time_major=int(major), n_batch=n_batch, n_time=n_time, n_input=n_input, n_state=n_state,
                        wide=int(wide), weights_x=Ref("weights_x"), weights_h=Ref("weights_h"), sum_x=Ref("sum_x"),
                        sum_h=Ref("sum_h"), multiplier=mults, shift=shifts,
                        forget_multiplier=fm, forget_shift=fs, input_multiplier=im, input_shift=is_,
                        hidden_multiplier=hm, hidden_shift=hs, hidden_zero_point=zp0(hidden),
                        cell_clip=cell_clip_quantized(float(op.options.get("cellClip", 0.0)), cs),
                        tanh_multiplier=tm, tanh_shift=tsh),
            args=[T(inp.index), T(hidden.index), T(cell.index), T(out.index), Scratch()],
            consts=consts,
            macs=n_time * n_batch * 4 * n_state * (n_input + n_state),
        )
