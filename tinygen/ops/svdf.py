"""SVDF with int8 input and output and int8 or int16 time weights and state (a variable tensor):
TFLM's integer reference (svdf_common.cc), its Prepare arithmetic done here."""

from __future__ import annotations

import numpy as np

from . import Kernel, Lowered, Scratch, T
from .prepare import quantize_multiplier
from ._common import tensor_type_problems, zp0


def svdf_scales(inp, w_feature, w_time, state, out) -> tuple[float, float]:
    """PrepareSvdf: the products and quotients of the float32 scales are float32 operations,
    widened to double only afterwards."""
    f = np.float32
    s1 = f(inp.scale[0]) * f(w_feature.scale[0]) / f(state.scale[0])
    s2 = f(state.scale[0]) * f(w_time.scale[0]) / f(out.scale[0])
    return float(s1), float(s2)


class Svdf(Kernel):
    opcode = "SVDF"

    def check(self, graph, op):
        if len(op.inputs) != 5:
            return [f"{len(op.inputs)} inputs; TFLM's SVDF takes 5"]
        p = tensor_type_problems(graph, op, op.inputs[0], ("int8",), "input")
        p += tensor_type_problems(graph, op, op.inputs[1], ("int8",), "feature weights")
        p += tensor_type_problems(graph, op, op.inputs[2], ("int8", "int16"), "time weights")
        p += tensor_type_problems(graph, op, op.inputs[4], ("int8", "int16"), "state")
        p += tensor_type_problems(graph, op, op.outputs[0], ("int8",), "output")
        bias = graph.tensor(op.inputs[3])
        if bias is None:
            p.append("no bias (TFLM's Prepare reads the bias scale; it needs one)")
        else:
            p += tensor_type_problems(graph, op, op.inputs[3], ("int32",), "bias")
        if p:
            return p
        inp, wf, wt, state, out = (graph.tensors[i] for i in (op.inputs[0], op.inputs[1], op.inputs[2], op.inputs[4],
                                                               op.outputs[0]))
        rank = int(op.options.get("rank", 1))
        if not (wf.is_constant and wt.is_constant and bias.is_constant):
            p.append("weights or bias are not constant")
        if not state.is_variable:
            p.append(f"state tensor '{state.name}' is not a variable tensor")
        if wt.dtype != state.dtype:
            p.append(f"time weights are {wt.dtype} but the state is {state.dtype} (TFLM reads both as one type)")
        if len(inp.shape) != 2 or len(wf.shape) != 2 or len(wt.shape) != 2 or len(out.shape) != 2:
            p.append("input, weights and output must be 2-D")
            return p
        n_batch, n_input = inp.shape
        n_filter, n_memory = wf.shape[0], wt.shape[1]
        if rank < 1 or n_filter % rank:
            p.append(f"{n_filter} filters are not a multiple of rank {rank}")
            return p
        n_unit = n_filter // rank
        if wf.shape[1] != n_input or wt.shape[0] != n_filter:
            p.append(f"weight shapes {list(wf.shape)} and {list(wt.shape)} do not match input {list(inp.shape)}")
        if tuple(out.shape) != (n_batch, n_unit) or bias.shape[0] != n_unit:
            p.append(f"output {list(out.shape)} or bias {list(bias.shape)} is not [{n_batch}, {n_unit}] / [{n_unit}]")
        if state.size != n_batch * n_memory * n_filter:
            p.append(f"state {list(state.shape)} does not hold batch x memory x filters = "
                     f"{n_batch * n_memory * n_filter} values")
        if any(t.per_channel for t in (inp, wf, wt, state, out)):
            p.append("per-channel quantization (TFLM's SVDF uses one scale per tensor)")
        # TFLM's Prepare: |bias scale - state scale * time-weight scale| < 1e-5
        expect = float(np.float32(state.scale[0]) * np.float32(wt.scale[0]))
        if abs(float(np.float32(bias.scale[0])) - expect) >= 1e-5:
            p.append(f"bias scale {bias.scale[0]} is not state scale x time-weight scale {expect}")
        return p

    def lower(self, graph, op):
        inp, wf, wt, bias, state = (graph.tensors[i] for i in op.inputs)
        out = graph.tensors[op.outputs[0]]
        rank = int(op.options.get("rank", 1))
        n_batch, n_input = inp.shape
        n_filter, n_memory = wf.shape[0], wt.shape[1]
        n_unit = n_filter // rank
        s1, s2 = svdf_scales(inp, wf, wt, state, out)
        m1, sh1 = quantize_multiplier(s1)
        m2, sh2 = quantize_multiplier(s2)
        return Lowered(
            kernel="tg_svdf_s8_s16" if state.dtype == "int16" else "tg_svdf_s8",
            header="tg_svdf.h",
            params_type="tg_svdf_params",
            params=dict(n_batch=n_batch, n_input=n_input, n_filter=n_filter, n_unit=n_unit, n_rank=rank,
                        n_memory=n_memory, input_zero_point=zp0(inp), state_zero_point=zp0(state),
                        output_zero_point=zp0(out), multiplier_1=m1, shift_1=sh1, multiplier_2=m2, shift_2=sh2),
            args=[T(inp.index), T(wf.index), T(wt.index), T(bias.index), T(state.index), T(out.index), Scratch()],
            macs=n_batch * n_filter * (n_input + n_memory),
        )
