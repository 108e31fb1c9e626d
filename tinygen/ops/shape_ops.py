"""MEAN, PAD, PADV2, CONCATENATION and QUANTIZE (float32 -> int8, and between int8, int16 and
int32 as TFLM's Requantize allows) on tensors of up to six dimensions, as TFLM's reference kernels
compute them. MEAN, PAD, CONCATENATION, TRANSPOSE and STRIDED_SLICE also take int16 activations
(their *_s16 kernels: ops/int16.py)."""

from __future__ import annotations

import numpy as np

from .prepare import quantize_multiplier
from . import ConstArray, Kernel, Lowered, Ref, Scratch, T, TArray
from ._common import tensor_type_problems
from . import int16 as s16

RANK = 6


def six(shape) -> list[int]:
    return [1] * (RANK - len(shape)) + [int(d) for d in shape]


def _int8_io(graph, op, n_inputs=1, types=None) -> list[str]:
    types = types or ("int8",)
    p = []
    for k in range(n_inputs):
        p += tensor_type_problems(graph, op, op.inputs[k], types, f"input {k}" if n_inputs > 1 else "input")
    p += tensor_type_problems(graph, op, op.outputs[0], types, "output")
    for k in range(len(op.inputs)):
        t = graph.tensor(op.inputs[k])
        if t is not None and len(t.shape) > RANK:
            p.append(f"tensor '{t.name}' has {len(t.shape)} dimensions ({RANK} at most)")
    return p


def _same_quant(a, b) -> bool:
    return float(a.scale[0]) == float(b.scale[0]) and int(a.zero_point[0]) == int(b.zero_point[0])


def reduction_geometry(graph, op) -> tuple[list[int], list[int], int, int]:
    """For a reduction over the constant axes of input 1: the six input dimensions, the output
    stride of each (0 where reduced), the number of outputs and the elements reduced into each."""
    inp = graph.tensors[op.inputs[0]]
    rank = len(inp.shape)
    axes = sorted({int(a) % rank for a in np.asarray(graph.tensors[op.inputs[1]].data).reshape(-1)}) if rank else []
    dims = six(inp.shape)
    offset = RANK - rank
    reduced = [i - offset in axes for i in range(RANK)]
    kept = [d if not r else 1 for d, r in zip(dims, reduced)]
    strides, acc = [0] * RANK, 1
    for i in range(RANK - 1, -1, -1):
        strides[i] = 0 if reduced[i] else acc
        acc *= kept[i]
    count = int(np.prod([d for d, r in zip(dims, reduced) if r])) if any(reduced) else 1
    return dims, strides, int(np.prod(kept)), count


class Mean(Kernel):
    opcode = "MEAN"

    def check(self, graph, op):
        p = _int8_io(graph, op, types=s16.data_types(graph, op))  # int16: tg_mean_s16 (ops/int16.py)
        axis = graph.tensor(op.inputs[1]) if len(op.inputs) > 1 else None
        if axis is None or not axis.is_constant:
            p.append("the axes are not a constant tensor")
        return p

    def lower(self, graph, op):
        inp, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        dims, strides, num_out, count = reduction_geometry(graph, op)
        m, s = quantize_multiplier(float(inp.scale[0]) / float(out.scale[0]))
        # QuantizedMeanOrSum folds 1/count into the multiplier (reference/reduce.h).
        shift = min(count.bit_length() - 1, 32, 31 + s)
        m = int((m << shift) // count)
        s = s - shift
        return s16.retype(Lowered(
            kernel="tg_mean_s8", header="tg_mean.h", params_type="tg_mean_params",
            params=dict(dims=Ref("dims"), out_strides=Ref("strides"), num_outputs=num_out, count=count,
                        input_zero_point=int(inp.zero_point[0]), multiplier=m, shift=s,
                        output_zero_point=int(out.zero_point[0])),
            args=[T(inp.index), T(out.index), Scratch()],
            consts=[ConstArray("dims", "int32_t", np.array(dims)), ConstArray("strides", "int32_t", np.array(strides))],
        ), graph, op)


class Pad(Kernel):
    opcode = "PAD"

    def check(self, graph, op):
        p = _int8_io(graph, op, types=s16.data_types(graph, op))  # int16 moves as int8 (ops/int16.py)
        if p:
            return p
        pads = graph.tensor(op.inputs[1])
        if pads is None or not pads.is_constant:
            p.append("the paddings are not a constant tensor")
        elif (np.asarray(pads.data) < 0).any():
            p.append("negative padding")
        if len(op.inputs) > 2 and op.inputs[2] >= 0 and not graph.tensors[op.inputs[2]].is_constant:
            p.append("the pad value is not constant")
        inp, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        if not _same_quant(inp, out):
            p.append("input and output quantization differ")
        return p

    def lower(self, graph, op):
        inp, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        pads = np.asarray(graph.tensors[op.inputs[1]].data).reshape(-1, 2)
        before = [0] * (RANK - len(pads)) + [int(b) for b in pads[:, 0]]
        if len(op.inputs) > 2 and op.inputs[2] >= 0:
            value = int(np.asarray(graph.tensors[op.inputs[2]].data).reshape(-1)[0])
        else:
            value = int(out.zero_point[0])
        return s16.retype(Lowered(
            kernel="tg_pad_s8", header="tg_pad.h", params_type="tg_pad_params",
            params=dict(out_dims=Ref("out_dims"), before=Ref("before"), in_dims=Ref("in_dims"), pad_value=value),
            args=[T(inp.index), T(out.index)],
            consts=[ConstArray("out_dims", "int32_t", np.array(six(out.shape))),
                    ConstArray("before", "int32_t", np.array(before)),
                    ConstArray("in_dims", "int32_t", np.array(six(inp.shape)))],
        ), graph, op)


class PadV2(Pad):
    opcode = "PADV2"


class Concatenation(Kernel):
    opcode = "CONCATENATION"

    def check(self, graph, op):
        p = []
        types = s16.data_types(graph, op)  # int16 moves as int8 (ops/int16.py)
        for k, i in enumerate(op.inputs):
            p += tensor_type_problems(graph, op, i, types, f"input {k}")
        p += tensor_type_problems(graph, op, op.outputs[0], types, "output")
        if p:
            return p
        out = graph.tensors[op.outputs[0]]
        if op.options.get("fusedActivationFunction", 0):
            p.append("a fused activation on CONCATENATION (TFLM refuses it too)")
        for i in op.inputs:
            if not _same_quant(graph.tensors[i], out):
                p.append(f"input '{graph.tensors[i].name}' is quantized differently from the output "
                         f"(TFLM needs them equal; the converter inserts QUANTIZE)")
        return p

    def lower(self, graph, op):
        out = graph.tensors[op.outputs[0]]
        rank = len(out.shape)
        axis = int(op.options.get("axis", 0)) % max(rank, 1)
        outer = int(np.prod(out.shape[:axis])) if axis else 1
        inner = [int(np.prod(graph.tensors[i].shape[axis:])) for i in op.inputs]
        return s16.retype(Lowered(
            kernel="tg_concatenation_s8", header="tg_concatenation.h", params_type="tg_concat_params",
            params=dict(outer=outer, num_inputs=len(op.inputs), inner_bytes=Ref("inner"),
                        out_inner_bytes=int(np.prod(out.shape[axis:]))),
            args=[TArray(tuple(op.inputs)), T(out.index)],
            consts=[ConstArray("inner", "int32_t", np.array(inner))],
        ), graph, op)


# (input, output) types TFLM's QUANTIZE requantizes between (quantize_common.cc), as C suffixes
_REQUANTIZE = {("int8", "int8"): "s8", ("int16", "int8"): "s16_s8", ("int16", "int16"): "s16_s16",
               ("int16", "int32"): "s16_s32", ("int8", "int16"): "s8_s16", ("int8", "int32"): "s8_s32",
               ("int32", "int8"): "s32_s8", ("int32", "int16"): "s32_s16"}


class Quantize(Kernel):
    opcode = "QUANTIZE"

    def check(self, graph, op):
        inp = graph.tensors[op.inputs[0]]
        if inp.dtype == "float32":  # int16: tg_quantize_f32_s16 (ops/int16.py)
            return tensor_type_problems(graph, op, op.outputs[0], ("int8", "int16"), "output")
        p = tensor_type_problems(graph, op, op.inputs[0], ("int8", "int16", "int32"), "input")
        p += tensor_type_problems(graph, op, op.outputs[0], ("int8", "int16", "int32"), "output")
        if not p and (inp.dtype, graph.tensors[op.outputs[0]].dtype) not in _REQUANTIZE:
            p.append(f"QUANTIZE from {inp.dtype} to {graph.tensors[op.outputs[0]].dtype} (TFLM has no such requantize)")
        return p

    def lower(self, graph, op):
        inp, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        if inp.dtype == "float32":
            return s16.retype_float(Lowered(
                kernel="tg_quantize_f32", header="tg_quantize.h", params_type="tg_float_quant_params",
                params=dict(size=out.size, zero_point=int(out.zero_point[0]), scale=float(out.scale[0])),
                args=[T(inp.index), T(out.index)]), out)
        m, s = quantize_multiplier(float(inp.scale[0]) / float(out.scale[0]))
        return Lowered(
            kernel=f"tg_requantize_{_REQUANTIZE[inp.dtype, out.dtype]}", header="tg_quantize.h",
            params_type="tg_requantize_params",
            params=dict(size=out.size, input_zero_point=int(inp.zero_point[0]),
                        output_zero_point=int(out.zero_point[0]), multiplier=m, shift=s),
            args=[T(inp.index), T(out.index)],
        )


def _strides(shape) -> list[int]:
    st, acc = [0] * len(shape), 1
    for i in range(len(shape) - 1, -1, -1):
        st[i] = acc
        acc *= int(shape[i])
    return st


def _gather(inp, out, out_dims, in_strides, base) -> Lowered:
    pad = RANK - len(out_dims)
    return Lowered(
        kernel="tg_gather_s8", header="tg_strided_gather.h", params_type="tg_gather_params",
        params=dict(out_dims=Ref("dims"), in_strides=Ref("strides"), base=int(base)),
        args=[T(inp.index), T(out.index)],
        consts=[ConstArray("dims", "int32_t", np.array([1] * pad + list(out_dims))),
                ConstArray("strides", "int32_t", np.array([0] * pad + list(in_strides)))],
    )


class Transpose(Kernel):
    opcode = "TRANSPOSE"

    def check(self, graph, op):
        p = _int8_io(graph, op, types=s16.data_types(graph, op))
        perm = graph.tensor(op.inputs[1])
        if perm is None or not perm.is_constant:
            p.append("the permutation is not a constant tensor")
        return p

    def lower(self, graph, op):
        inp, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        perm = [int(v) for v in np.asarray(graph.tensors[op.inputs[1]].data).reshape(-1)]
        st = _strides(inp.shape)
        return s16.retype(_gather(inp, out, [inp.shape[k] for k in perm], [st[k] for k in perm], 0), graph, op)


def strided_slice_plan(shape, begin, end, strides, begin_mask, end_mask, shrink_mask):
    """Per input axis (start, step, count, kept) with TensorFlow's slicing rules."""
    plan = []
    for i, dim in enumerate(shape):
        b, e, s = int(begin[i]), int(end[i]), int(strides[i])
        if shrink_mask & (1 << i):
            start = b + dim if b < 0 else b
            plan.append((min(max(start, 0), dim - 1), 1, 1, False))
            continue
        sl = slice(None if begin_mask & (1 << i) else b, None if end_mask & (1 << i) else e, s)
        start, stop, step = sl.indices(dim)
        plan.append((start, step, len(range(start, stop, step)), True))
    return plan


class StridedSlice(Kernel):
    opcode = "STRIDED_SLICE"

    def check(self, graph, op):
        p = _int8_io(graph, op, types=s16.data_types(graph, op))
        for k, what in ((1, "begin"), (2, "end"), (3, "strides")):
            t = graph.tensor(op.inputs[k]) if len(op.inputs) > k else None
            if t is None or not t.is_constant:
                p.append(f"{what} is not a constant tensor")
        o = op.options
        if o.get("ellipsisMask", 0) or o.get("newAxisMask", 0):
            p.append("ellipsis and new-axis masks are not supported (TFLM ignores them too)")
        if not p:
            s = np.asarray(graph.tensors[op.inputs[3]].data).reshape(-1)
            if (s == 0).any():
                p.append("a stride of 0")
            else:
                counts = [c for _, _, c, kept in self._plan(graph, op) if kept]
                out = graph.tensors[op.outputs[0]]
                if int(np.prod(counts)) != out.size:
                    p.append(f"the slice has {int(np.prod(counts))} elements but the output {list(out.shape)} "
                             f"has {out.size}")
        return p

    def _plan(self, graph, op):
        inp = graph.tensors[op.inputs[0]]
        b, e, s = (np.asarray(graph.tensors[op.inputs[k]].data).reshape(-1) for k in (1, 2, 3))
        o = op.options
        return strided_slice_plan(inp.shape, b, e, s, o.get("beginMask", 0), o.get("endMask", 0),
                                  o.get("shrinkAxisMask", 0))

    def lower(self, graph, op):
        inp, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        st = _strides(inp.shape)
        plan = self._plan(graph, op)
        base = sum(start * st[i] for i, (start, _, _, _) in enumerate(plan))
        dims = [c for _, _, c, kept in plan if kept]
        strides = [step * st[i] for i, (_, step, _, kept) in enumerate(plan) if kept]
        return s16.retype(_gather(inp, out, dims, strides, base), graph, op)


class Dequantize(Kernel):
    opcode = "DEQUANTIZE"

    def check(self, graph, op):
        p = tensor_type_problems(graph, op, op.inputs[0], ("int8", "int16"), "input")  # int16: ops/int16.py
        p += tensor_type_problems(graph, op, op.outputs[0], ("float32",), "output")
        return p

    def lower(self, graph, op):
        inp, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        return s16.retype_float(Lowered(
            kernel="tg_dequantize_s8", header="tg_quantize.h", params_type="tg_float_quant_params",
            params=dict(size=out.size, zero_point=int(inp.zero_point[0]), scale=float(inp.scale[0])),
            args=[T(inp.index), T(out.index)]), inp)
