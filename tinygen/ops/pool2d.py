"""AVERAGE_POOL_2D and MAX_POOL_2D, int8, as TFLM's reference pooling."""

from __future__ import annotations


from .prepare import activation_range
from . import Kernel, Lowered, Scratch, T
from ._common import activation_problems, tensor_type_problems
from .conv_packed import tflm_padding


class _Pool(Kernel):
    kernel = ""

    def check(self, graph, op):
        p = tensor_type_problems(graph, op, op.inputs[0], ("int8",), "input")
        p += tensor_type_problems(graph, op, op.outputs[0], ("int8",), "output")
        p += activation_problems(op)
        if p:
            return p
        inp, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        if len(inp.shape) != 4 or len(out.shape) != 4:
            return [f"input {list(inp.shape)} / output {list(out.shape)} are not 4-D NHWC"]
        if inp.shape[0] != 1:
            p.append(f"batch {inp.shape[0]} is not supported (batch 1 only)")
        if inp.shape[3] != out.shape[3]:
            p.append("input and output channels differ")
        # TFLM requires the same quantization on both sides (no requantization in pooling).
        if abs(float(inp.scale[0]) - float(out.scale[0])) > 1e-6 or inp.zero_point[0] != out.zero_point[0]:
            p.append("input and output quantization differ (TFLM refuses this too)")
        return p

    def lower(self, graph, op):
        inp, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        o = op.options
        _, in_h, in_w, c = inp.shape
        _, out_h, out_w, _ = out.shape
        k_h, k_w = o.get("filterHeight", 1), o.get("filterWidth", 1)
        sh, sw = o.get("strideH", 1), o.get("strideW", 1)
        same = o.get("padding", 0) == 0
        act_min, act_max = activation_range(o.get("fusedActivationFunction", 0), float(out.scale[0]),
                                            int(out.zero_point[0]))
        params = dict(in_h=in_h, in_w=in_w, channels=c, out_h=out_h, out_w=out_w, k_h=k_h, k_w=k_w,
                      stride_h=sh, stride_w=sw,
                      pad_top=tflm_padding(in_h, k_h, sh, 1, out_h) if same else 0,
                      pad_left=tflm_padding(in_w, k_w, sw, 1, out_w) if same else 0,
                      act_min=act_min, act_max=act_max)
        return self._lowered(params, inp, out, c)


class AveragePool2D(_Pool):
    opcode = "AVERAGE_POOL_2D"

    def _lowered(self, params, inp, out, c):
        return Lowered(kernel="tg_average_pool2d_s8", header="tg_pool2d.h", params_type="tg_pool2d_params",
                       params=params, args=[T(inp.index), T(out.index), Scratch()])


class MaxPool2D(_Pool):
    opcode = "MAX_POOL_2D"

    def _lowered(self, params, inp, out, c):
        return Lowered(kernel="tg_max_pool2d_s8", header="tg_pool2d.h", params_type="tg_pool2d_params",
                       params=params, args=[T(inp.index), T(out.index)])
