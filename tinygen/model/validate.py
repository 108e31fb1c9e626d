"""Checks of a model before anything lowers it: a .tflite is input from outside (downloaded, edited
by scripts, converted by buggy tools, damaged), and the generator must not trust it.

Two layers:
- `flatbuffer_problems(model)` on the schema objects, before the graph is built: every index
  (tensor, buffer, operator code, subgraph) in range and never negative where Python would take it
  "from the end", known tensor types, sane shapes;
- `graph_problems(graph)` on the graph: buffers as big as their shapes, finite positive scales and
  zero points in range, each operator's inputs and outputs present as its kernel needs them, its
  output shape recomputed from its inputs and parameters (TFLM's Prepare arithmetic) and equal to
  the declared one, biases and per-channel parameters sized to the channels, no operator writing a
  constant or a graph input, every tensor written before it is read.

Each problem is one line naming the tensor or operator by index (and a printable, capped name), so
that the kernels' checks and lowerings only ever see a graph whose facts agree with each other.
"""

from __future__ import annotations

import math
import unicodedata

import numpy as np

MAX_RANK = 6  # what the runtime's kernels take (TFLM's reference kernels stop at 5 or 6 too)
MAX_ELEMENTS = (1 << 31) - 1  # the C side indexes with int32
NAME_LIMIT = 60

# Element sizes; None: no fixed size (strings, resources, variants).
ITEMSIZE = {"float32": 4, "float16": 2, "int32": 4, "uint8": 1, "int64": 8, "string": None, "bool": 1,
            "int16": 2, "complex64": 8, "int8": 1, "float64": 8, "complex128": 16, "uint64": 8,
            "resource": None, "variant": None, "uint32": 4, "uint16": 2, "int4": 1}
ZERO_POINT_RANGE = {"int8": (-128, 127), "uint8": (0, 255), "int16": (-32768, 32767), "int4": (-8, 7),
                    "int32": (-(1 << 31), (1 << 31) - 1), "uint16": (0, 65535)}
SAME, VALID = 0, 1

# Operator arity: (inputs that must be present, optional inputs after them, outputs; None = any >= 1).
_ARITY = {
    "CONV_2D": (2, 1, 1), "DEPTHWISE_CONV_2D": (2, 1, 1), "FULLY_CONNECTED": (2, 1, 1),
    "TRANSPOSE_CONV": (3, 1, 1),
    "AVERAGE_POOL_2D": (1, 0, 1), "MAX_POOL_2D": (1, 0, 1), "L2_POOL_2D": (1, 0, 1),
    "ADD": (2, 0, 1), "SUB": (2, 0, 1), "MUL": (2, 0, 1), "DIV": (2, 0, 1), "MAXIMUM": (2, 0, 1),
    "MINIMUM": (2, 0, 1), "SQUARED_DIFFERENCE": (2, 0, 1), "PRELU": (2, 0, 1),
    "RELU": (1, 0, 1), "RELU6": (1, 0, 1), "RELU_N1_TO_1": (1, 0, 1), "LEAKY_RELU": (1, 0, 1),
    "LOGISTIC": (1, 0, 1), "TANH": (1, 0, 1), "HARD_SWISH": (1, 0, 1), "ABS": (1, 0, 1), "NEG": (1, 0, 1),
    "QUANTIZE": (1, 0, 1), "DEQUANTIZE": (1, 0, 1), "SOFTMAX": (1, 0, 1), "LOG_SOFTMAX": (1, 0, 1),
    "RESHAPE": (1, 1, 1), "SQUEEZE": (1, 0, 1), "EXPAND_DIMS": (2, 0, 1), "SHAPE": (1, 0, 1),
    "MEAN": (2, 0, 1), "SUM": (2, 0, 1), "REDUCE_MAX": (2, 0, 1), "REDUCE_MIN": (2, 0, 1),
    "REDUCE_PROD": (2, 0, 1), "PAD": (2, 1, 1), "PADV2": (2, 1, 1), "TRANSPOSE": (2, 0, 1),
    "STRIDED_SLICE": (4, 0, 1), "SLICE": (3, 0, 1), "GATHER": (2, 0, 1), "SPLIT": (2, 0, None),
    "SPLIT_V": (3, 0, None), "UNPACK": (1, 0, None), "ARG_MAX": (2, 0, 1), "ARG_MIN": (2, 0, 1),
    "RESIZE_BILINEAR": (2, 0, 1), "RESIZE_NEAREST_NEIGHBOR": (2, 0, 1), "SPACE_TO_DEPTH": (1, 0, 1),
    "DEPTH_TO_SPACE": (1, 0, 1), "SPACE_TO_BATCH_ND": (3, 0, 1), "BATCH_TO_SPACE_ND": (3, 0, 1),
}
_ALL_INPUTS = {"CONCATENATION", "PACK", "ADD_N"}  # variadic: every input present, one output
_UNARY = {"RELU", "RELU6", "RELU_N1_TO_1", "LEAKY_RELU", "LOGISTIC", "TANH", "HARD_SWISH", "ABS", "NEG",
          "QUANTIZE", "DEQUANTIZE", "SOFTMAX", "LOG_SOFTMAX"}
_BROADCAST = {"ADD", "SUB", "MUL", "DIV", "MAXIMUM", "MINIMUM", "SQUARED_DIFFERENCE", "PRELU"}
# Operators whose int8 arithmetic rescales by input x weights / output: the exponent must fit a shift.
_RESCALED = {"CONV_2D": 1, "DEPTHWISE_CONV_2D": 1, "FULLY_CONNECTED": 1, "TRANSPOSE_CONV": 1}


def printable(text, limit: int = NAME_LIMIT) -> str:
    """A name from the file as it can go into one line of text (and a C comment): control and
    other non-printing characters become '?', and the result is cut to `limit` characters."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    text = "" if text is None else str(text)
    out = "".join(c if c.isprintable() and unicodedata.category(c)[0] != "C" else "?" for c in text)
    out = out.replace("*/", "*?")
    return out if len(out) <= limit else out[:limit - 3] + "..."


def one_problem(where: str, problems: list[str]) -> str:
    """The first problem, saying how many more there are (all go to one line)."""
    more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
    return f"{where}: {problems[0]}{more}"


# ---------------------------------------------------------------------------------------------
# Layer 1: the schema objects (ModelT), before the graph is built.

def flatbuffer_problems(model, types: dict) -> list[str]:
    p: list[str] = []
    subgraphs = model.subgraphs or []
    buffers = model.buffers or []
    codes = model.operatorCodes or []
    n_sub = len(subgraphs)
    for s, sg in enumerate(subgraphs):
        where = "" if s == 0 else f"subgraph {s}: "
        tensors = sg.tensors or []
        n = len(tensors)
        for i, t in enumerate(tensors):
            tw = f"{where}tensor {i} '{printable(t.name)}'"
            if t.type not in types:
                p.append(f"{tw}: unknown tensor type {t.type}")
            if not 0 <= t.buffer < len(buffers):
                p.append(f"{tw}: buffer index {t.buffer} out of range (the model has {len(buffers)} buffers)")
            shape = [] if t.shape is None else [int(d) for d in t.shape]
            if any(d < 0 for d in shape):
                p.append(f"{tw}: shape {_short(shape)} has a negative dimension")
            elif len(shape) > 16:
                p.append(f"{tw}: shape has {len(shape)} dimensions")
            elif math.prod(shape) > MAX_ELEMENTS:
                p.append(f"{tw}: shape {_short(shape)} has more than 2^31 elements")
        for k, i in enumerate(_ints(sg.inputs)):
            if not 0 <= i < n:
                p.append(f"{where}graph input {k}: tensor index {i} out of range (the subgraph has {n} tensors)")
        for k, i in enumerate(_ints(sg.outputs)):
            if not 0 <= i < n:
                p.append(f"{where}graph output {k}: tensor index {i} out of range (the subgraph has {n} tensors)")
        for j, op in enumerate(sg.operators or []):
            ow = f"{where}operator {j}"
            if not 0 <= op.opcodeIndex < len(codes):
                p.append(f"{ow}: operator code index {op.opcodeIndex} out of range (the model has {len(codes)})")
            for k, i in enumerate(_ints(op.inputs)):
                if not -1 <= i < n:  # -1: an omitted optional input
                    p.append(f"{ow}: input {k}: tensor index {i} out of range (the subgraph has {n} tensors)")
            for k, i in enumerate(_ints(op.outputs)):
                if not 0 <= i < n:
                    p.append(f"{ow}: output {k}: tensor index {i} out of range (the subgraph has {n} tensors)")
            for k, i in enumerate(_ints(op.intermediates)):
                if not 0 <= i < n:
                    p.append(f"{ow}: intermediate {k}: tensor index {i} out of range")
            opts = vars(op.builtinOptions) if op.builtinOptions is not None else {}
            for key, v in opts.items():
                if key.lower().endswith("subgraphindex") and isinstance(v, (int, np.integer)) and not 0 <= v < n_sub:
                    p.append(f"{ow}: {key} {v} out of range (the model has {n_sub} subgraphs)")
    for k, sd in enumerate(model.signatureDefs or []):
        if not 0 <= sd.subgraphIndex < n_sub:
            p.append(f"signature {k}: subgraph index {sd.subgraphIndex} out of range")
            continue
        n = len(subgraphs[sd.subgraphIndex].tensors or [])
        for tm in list(sd.inputs or []) + list(sd.outputs or []):
            if not 0 <= tm.tensorIndex < n:
                p.append(f"signature {k} '{printable(tm.name)}': tensor index {tm.tensorIndex} out of range")
    return p


def _ints(v) -> list[int]:
    return [] if v is None else [int(x) for x in v]


def _short(shape, limit: int = 8) -> str:
    shape = list(shape)
    return str(shape) if len(shape) <= limit else str(shape[:limit])[:-1] + ", ...]"


# ---------------------------------------------------------------------------------------------
# Layer 2: the graph.

def graph_problems(graph) -> list[str]:
    p = _tensor_problems(graph)
    if p:
        return p  # operator checks below rely on sane tensors
    p += _io_problems(graph)
    p += _dataflow_problems(graph)
    if p:
        return p
    for op in graph.operators:
        p += [f"{_op_where(op)}: {r}" for r in _operator_problems(graph, op)]
    return p


def _tw(t) -> str:
    return f"tensor {t.index} '{t.name}'"


def _op_where(op) -> str:
    return f"operator {op.index} {printable(op.opcode, 40)}"


def _tensor_problems(graph) -> list[str]:
    p = []
    used = set(graph.inputs) | set(graph.outputs) | {i for op in graph.operators for i in op.inputs + op.outputs}
    for t in graph.tensors:
        shape = t.shape
        if len(shape) > MAX_RANK:
            p.append(f"{_tw(t)}: {len(shape)} dimensions ({MAX_RANK} at most)")
            continue
        if t.data is not None and ITEMSIZE.get(t.dtype):
            # graph.py decodes buffers of the exact size; this catches anything else
            if t.data.size != t.size:
                p.append(f"{_tw(t)}: buffer holds {t.data.size} values, shape {_short(shape)} needs {t.size}")
        elif t.data is None and not t.is_variable and 0 in shape and t.index in used:
            p.append(f"{_tw(t)}: activation shape {_short(shape)} has a zero dimension")
        if ITEMSIZE.get(t.dtype) and t.nbytes > MAX_ELEMENTS:
            p.append(f"{_tw(t)}: {t.nbytes} bytes (2^31 at most)")
        if t.scale.size or t.zero_point.size:
            p += [f"{_tw(t)}: {r}" for r in _quant_problems(t)]
    return p


def _quant_problems(t) -> list[str]:
    s, z = t.scale, t.zero_point
    if s.size == 0:
        return ["zero points without scales"]
    if z.size != s.size:
        return [f"{s.size} scales but {z.size} zero points"]
    if not np.all(np.isfinite(s)):
        return ["a scale is NaN or infinite"]
    if not np.all(s > 0):
        return [f"a scale is not positive ({float(s[s <= 0][0]):g})"]
    if t.dtype in ZERO_POINT_RANGE:
        lo, hi = ZERO_POINT_RANGE[t.dtype]
        bad = z[(z < lo) | (z > hi)]
        if bad.size:
            return [f"zero point {int(bad[0])} outside [{lo}, {hi}] for {t.dtype}"]
    if s.size > 1:
        qd = t.quantized_dimension
        if not 0 <= qd < len(t.shape):
            return [f"quantized dimension {qd} is outside its {len(t.shape)} dimensions"]
        if t.shape[qd] != s.size:
            return [f"{s.size} per-channel scales for {t.shape[qd]} channels along dimension {qd}"]
    return []


def _io_problems(graph) -> list[str]:
    p = []
    for kind, indices in (("input", graph.inputs), ("output", graph.outputs)):
        if len(set(indices)) != len(indices):
            p.append(f"a tensor is listed twice as a graph {kind} ({list(indices)[:8]})")
        for i in indices:
            t = graph.tensors[i]
            if not ITEMSIZE.get(t.dtype):
                p.append(f"graph {kind} {_tw(t)} is {t.dtype}")
    for i in graph.inputs:
        if graph.tensors[i].is_constant:
            p.append(f"graph input {_tw(graph.tensors[i])} is a constant")
    if not graph.inputs:
        p.append("the model has no input")
    if not graph.outputs:
        p.append("the model has no output")
    return p


def _dataflow_problems(graph) -> list[str]:
    """Arity, then who writes what: no constant and no graph input written, no tensor written twice,
    every tensor an operator reads written before (a constant, a graph input or an earlier output)."""
    p = []
    written: dict[int, int] = {}
    inputs = set(graph.inputs)
    for op in graph.operators:
        ow = _op_where(op)
        arity = _arity_problem(op)
        if arity:
            p.append(f"{ow}: {arity}")
            continue
        for k, i in enumerate(op.inputs):
            if i < 0:
                continue
            t = graph.tensors[i]
            if not (t.is_constant or t.is_variable or i in inputs or i in written):
                later = i in {o for q in graph.operators[op.index:] for o in q.outputs}
                why = "written only by this or a later operator" if later else "never written"
                p.append(f"{ow}: input {k} {_tw(t)} is {why} (operators out of order, or a dangling tensor)")
        for i in op.outputs:
            t = graph.tensors[i]
            if t.is_constant:
                p.append(f"{ow}: writes the constant {_tw(t)}")
            elif i in inputs:
                p.append(f"{ow}: writes the graph input {_tw(t)}")
            elif i in written:
                p.append(f"{ow}: writes {_tw(t)}, which operator {written[i]} writes too")
            else:
                written[i] = op.index
    for i in graph.outputs:
        if i not in written and i not in inputs:
            p.append(f"graph output {_tw(graph.tensors[i])} is never written by an operator")
    return p


# Operators TFLM runs that write no tensor: their effect is a resource variable or another subgraph.
_NO_OUTPUT = {"CALL_ONCE", "ASSIGN_VARIABLE", "WHILE", "IF"}


def _arity_problem(op) -> str | None:
    if not op.outputs and op.opcode not in _NO_OUTPUT:
        return "has no output"
    if op.opcode in _ALL_INPUTS:
        if not op.inputs or min(op.inputs) < 0:
            return f"needs every input present (has {list(op.inputs)[:8]})"
        return None if len(op.outputs) == 1 else f"has {len(op.outputs)} outputs; needs 1"
    if op.opcode not in _ARITY:
        return None
    need, optional, outs = _ARITY[op.opcode]
    if len(op.inputs) < need or any(i < 0 for i in op.inputs[:need]):
        return f"needs {need} input(s) present, has {list(op.inputs)[:8]}"
    if len(op.inputs) > need + optional:
        return f"has {len(op.inputs)} inputs; takes at most {need + optional}"
    if outs is not None and len(op.outputs) != outs:
        return f"has {len(op.outputs)} outputs; needs {outs}"
    return None


# ---------------------------------------------------------------------------------------------
# Per operator: options, shapes, channels.

def _operator_problems(graph, op) -> list[str]:
    p = []
    for key, v in op.options.items():
        if isinstance(v, float) and not math.isfinite(v):
            p.append(f"option {key} is {v}")
    if p:
        return p
    tin = [graph.tensors[i] if i >= 0 else None for i in op.inputs]
    tout = [graph.tensors[i] for i in op.outputs]
    if not tout:  # CALL_ONCE, ASSIGN_VARIABLE ...: no tensor to check a shape of
        return p
    try:
        p += _shape_problems(op, tin, tout)
    except (ValueError, IndexError, TypeError, ZeroDivisionError, OverflowError, KeyError) as exc:
        p.append(f"its parameters do not give an output shape ({type(exc).__name__})")
    if not p and op.opcode in _RESCALED:
        p += _rescale_problems(op, tin, tout)
    return p


def _const(t, dtypes=("int32", "int64")) -> list[int] | None:
    if t is None or t.data is None or t.dtype not in dtypes:
        return None
    return [int(v) for v in np.asarray(t.data).reshape(-1)]


def _mismatch(out, expected) -> list[str]:
    expected = tuple(int(d) for d in expected)
    if tuple(out.shape) != expected:
        return [f"output {_tw(out)} has shape {_short(out.shape)}; its inputs and parameters give {_short(expected)}"]
    return []


def _out_size(in_size: int, k: int, stride: int, dilation: int, padding: int) -> int:
    """TFLM's ComputeOutSize."""
    eff = (k - 1) * dilation + 1
    return (in_size + stride - 1) // stride if padding == SAME else (in_size + stride - eff) // stride


def _spatial(op, k_h: int, k_w: int, dilated: bool = True) -> tuple[list[str], dict]:
    o = op.options
    vals = {key: o.get(key, 1) for key in ("strideH", "strideW")}
    if dilated:
        vals.update({key: o.get(key, 1) for key in ("dilationHFactor", "dilationWFactor")})
    p = [f"option {k} is {v} (needs a positive integer)" for k, v in vals.items()
         if not isinstance(v, (int, np.integer)) or v < 1 or v > 1 << 16]
    if o.get("padding", SAME) not in (SAME, VALID):
        p.append(f"padding {o.get('padding')} is neither SAME nor VALID")
    if k_h < 1 or k_w < 1:
        p.append(f"filter {k_h}x{k_w} is empty")
    return p, vals


def _conv_out(op, inp, k_h, k_w, dilated=True) -> tuple[list[str], tuple[int, int]]:
    p, v = _spatial(op, k_h, k_w, dilated)
    if p:
        return p, (0, 0)
    pad = op.options.get("padding", SAME)
    oh = _out_size(inp.shape[1], k_h, v["strideH"], v.get("dilationHFactor", 1), pad)
    ow = _out_size(inp.shape[2], k_w, v["strideW"], v.get("dilationWFactor", 1), pad)
    if oh < 1 or ow < 1:
        return [f"the {k_h}x{k_w} filter does not fit the {inp.shape[1]}x{inp.shape[2]} input"], (0, 0)
    return [], (oh, ow)


def _rank(t, ranks, what: str) -> list[str]:
    if len(t.shape) not in ranks:
        return [f"{what} {_tw(t)} has {len(t.shape)} dimensions; needs {' or '.join(map(str, ranks))}"]
    return []


def _bias(op, tin, channels: int, k: int) -> list[str]:
    b = tin[k] if len(tin) > k else None
    if b is None:
        return []
    if len(b.shape) > 1 and math.prod(b.shape[:-1]) != 1 or b.size != channels:
        return [f"bias {_tw(b)} has shape {_short(b.shape)}; needs [{channels}] (one per output channel)"]
    return []


def _shape_problems(op, tin, tout) -> list[str]:
    code = op.opcode
    out = tout[0]
    if code in _UNARY:
        return _mismatch(out, tin[0].shape)
    if code in _BROADCAST:
        a, b = tin[0], tin[1]
        try:
            shape = np.broadcast_shapes(tuple(a.shape), tuple(b.shape))
        except ValueError:
            return [f"input shapes {_short(a.shape)} and {_short(b.shape)} do not broadcast"]
        return _mismatch(out, shape)
    if code in ("CONV_2D", "DEPTHWISE_CONV_2D"):
        inp, w = tin[0], tin[1]
        p = _rank(inp, (4,), "input") + _rank(w, (4,), "weights") + _rank(out, (4,), "output")
        if p:
            return p
        if code == "CONV_2D":
            cout = w.shape[0]
            if w.shape[3] < 1 or inp.shape[3] % w.shape[3]:
                return [f"input channels {inp.shape[3]} are not a multiple of the weights' {w.shape[3]}"]
        else:
            cout = w.shape[3]
            if w.shape[0] != 1 or inp.shape[3] < 1 or cout % inp.shape[3]:
                return [f"weights {_short(w.shape)} do not fit the {inp.shape[3]} input channels"]
        p, (oh, ow) = _conv_out(op, inp, w.shape[1], w.shape[2])
        if p:
            return p
        return _mismatch(out, (inp.shape[0], oh, ow, cout)) + _bias(op, tin, cout, 2)
    if code in ("AVERAGE_POOL_2D", "MAX_POOL_2D", "L2_POOL_2D"):
        inp = tin[0]
        p = _rank(inp, (4,), "input") + _rank(out, (4,), "output")
        if p:
            return p
        k_h, k_w = op.options.get("filterHeight", 1), op.options.get("filterWidth", 1)
        p, (oh, ow) = _conv_out(op, inp, k_h, k_w, dilated=False)
        return p or _mismatch(out, (inp.shape[0], oh, ow, inp.shape[3]))
    if code == "FULLY_CONNECTED":
        inp, w = tin[0], tin[1]
        p = _rank(w, (2,), "weights")
        if p:
            return p
        cout, depth = w.shape
        if depth < 1 or inp.size % depth:
            return [f"input {_tw(inp)} of {inp.size} elements is not a multiple of the weights' depth {depth}"]
        batches = inp.size // depth
        forms = [(batches, cout)]
        if inp.shape and inp.shape[-1] == depth:
            forms.append(tuple(inp.shape[:-1]) + (cout,))
        if tuple(out.shape) not in forms:
            return [f"output {_tw(out)} has shape {_short(out.shape)}; the input and weights give "
                    f"{_short(forms[-1])}"]
        return _bias(op, tin, cout, 2)
    if code == "TRANSPOSE_CONV":
        shape_t, w, inp = tin[0], tin[1], tin[2]
        p = _rank(inp, (4,), "input") + _rank(w, (4,), "weights") + _rank(out, (4,), "output")
        if p:
            return p
        p, _ = _spatial(op, w.shape[1], w.shape[2], dilated=False)
        if p:
            return p
        declared = _const(shape_t)
        if declared is not None and declared != list(out.shape):
            return [f"the output shape input {_short(declared)} is not the output's {_short(out.shape)}"]
        if inp.shape[0] != out.shape[0] or w.shape[0] != out.shape[3] or w.shape[3] != inp.shape[3]:
            return [f"weights {_short(w.shape)} do not join input {_short(inp.shape)} and output {_short(out.shape)}"]
        return _bias(op, tin, out.shape[3], 3)
    if code in ("RESHAPE", "SQUEEZE", "EXPAND_DIMS"):
        if tin[0].size != out.size:
            return [f"output {_tw(out)} has {out.size} elements, the input {tin[0].size}"]
        return []
    if code == "CONCATENATION":
        rank = len(out.shape)
        axis = int(op.options.get("axis", 0))
        if not -rank <= axis < rank:
            return [f"axis {axis} is outside the output's {rank} dimensions"]
        axis %= rank
        for t in tin:
            if len(t.shape) != rank or any(t.shape[d] != out.shape[d] for d in range(rank) if d != axis):
                return [f"input {_tw(t)} {_short(t.shape)} does not join the output {_short(out.shape)} along axis {axis}"]
        expected = list(out.shape)
        expected[axis] = sum(t.shape[axis] for t in tin)
        return _mismatch(out, expected)
    if code == "PACK":
        first = tin[0]
        if any(t.shape != first.shape for t in tin):
            return ["the inputs differ in shape"]
        axis = int(op.options.get("axis", 0))
        rank = len(first.shape) + 1
        if not -rank <= axis < rank:
            return [f"axis {axis} is outside the output's {rank} dimensions"]
        axis %= rank
        expected = list(first.shape)
        expected.insert(axis, len(tin))
        return _mismatch(out, expected)
    if code == "UNPACK":
        inp = tin[0]
        rank = len(inp.shape)
        axis = int(op.options.get("axis", 0))
        if not -rank <= axis < rank:
            return [f"axis {axis} is outside the input's {rank} dimensions"]
        axis %= rank
        if len(tout) != inp.shape[axis]:
            return [f"{len(tout)} outputs for an axis of {inp.shape[axis]}"]
        expected = inp.shape[:axis] + inp.shape[axis + 1:]
        return [r for t in tout for r in _mismatch(t, expected)][:1]
    if code in ("SPLIT", "SPLIT_V"):
        inp = tin[1] if code == "SPLIT" else tin[0]
        axis_t = tin[0] if code == "SPLIT" else tin[2]
        axis = _const(axis_t, ("int32",))
        rank = len(inp.shape)
        if axis is None or len(axis) != 1 or not -rank <= axis[0] < rank:
            return []  # the kernel names this problem
        a = axis[0] % rank
        for t in tout:
            if len(t.shape) != rank or any(t.shape[d] != inp.shape[d] for d in range(rank) if d != a):
                return [f"output {_tw(t)} {_short(t.shape)} is not a part of the input {_short(inp.shape)} along axis {a}"]
        if sum(t.shape[a] for t in tout) != inp.shape[a]:
            return [f"the outputs do not add up to the input's {inp.shape[a]} along axis {a}"]
        return []
    if code in ("MEAN", "SUM", "REDUCE_MAX", "REDUCE_MIN", "REDUCE_PROD"):
        inp = tin[0]
        axes = _const(tin[1])
        if axes is None:
            return []  # the kernel names this problem
        rank = len(inp.shape)
        if any(not -rank <= a < rank for a in axes) or (axes and not rank):
            return [f"axes {_short(axes)} are outside the input's {rank} dimensions"]
        red = {a % rank for a in axes}
        keep = [1 if d in red else inp.shape[d] for d in range(rank)]
        drop = [inp.shape[d] for d in range(rank) if d not in red]
        if tuple(out.shape) not in (tuple(keep), tuple(drop)):
            return _mismatch(out, keep if op.options.get("keepDims") else drop)
        return []
    if code in ("PAD", "PADV2"):
        inp = tin[0]
        pads = _const(tin[1])
        if pads is None:
            return []
        if len(pads) != 2 * len(inp.shape):
            return [f"{len(pads)} padding values for {len(inp.shape)} dimensions"]
        if min(pads, default=0) < 0:
            return ["negative padding"]
        return _mismatch(out, [d + pads[2 * k] + pads[2 * k + 1] for k, d in enumerate(inp.shape)])
    if code == "TRANSPOSE":
        inp = tin[0]
        perm = _const(tin[1])
        if perm is None:
            return []
        if sorted(perm) != list(range(len(inp.shape))):
            return [f"permutation {_short(perm)} does not permute {len(inp.shape)} dimensions"]
        return _mismatch(out, [inp.shape[k] for k in perm])
    if code == "SLICE":
        inp = tin[0]
        begin, size = _const(tin[1]), _const(tin[2])
        if begin is None or size is None:
            return []
        if len(begin) != len(inp.shape) or len(size) != len(inp.shape):
            return [f"begin and size have {len(begin)} and {len(size)} values for {len(inp.shape)} dimensions"]
        size = [d - b if s == -1 else s for b, s, d in zip(begin, size, inp.shape)]
        if any(b < 0 or s < 0 or b + s > d for b, s, d in zip(begin, size, inp.shape)):
            return [f"begin {_short(begin)} and size {_short(size)} leave the input {_short(inp.shape)}"]
        return _mismatch(out, size)
    if code in ("ARG_MAX", "ARG_MIN"):
        inp = tin[0]
        axis = _const(tin[1])
        rank = len(inp.shape)
        if axis is None or len(axis) != 1 or not -rank <= axis[0] < rank:
            return []  # the kernel names this problem
        a = axis[0] % rank
        return _mismatch(out, inp.shape[:a] + inp.shape[a + 1:])
    if code == "SHAPE":
        return _mismatch(out, (len(tin[0].shape),))
    if code in ("RESIZE_BILINEAR", "RESIZE_NEAREST_NEIGHBOR"):
        inp = tin[0]
        p = _rank(inp, (4,), "input") + _rank(out, (4,), "output")
        if p:
            return p
        if inp.shape[0] != out.shape[0] or inp.shape[3] != out.shape[3]:
            return [f"output {_short(out.shape)} does not keep the batch and channels of input {_short(inp.shape)}"]
        size = _const(tin[1], ("int32",))
        if size is not None and size != list(out.shape[1:3]):
            return [f"the size input {_short(size)} is not the output's {list(out.shape[1:3])}"]
        return []
    return []


def _rescale_problems(op, tin, tout) -> list[str]:
    """input scale x weight scale / output scale must be below 2^31: its exponent becomes a shift."""
    inp = tin[2] if op.opcode == "TRANSPOSE_CONV" else tin[0]
    w, out = tin[1], tout[0]
    if not (inp.scale.size and w.scale.size and out.scale.size):
        return []
    real = float(inp.scale[0]) * float(np.max(w.scale)) / float(out.scale[0])
    if not real < 2.0 ** 31:
        return [f"the rescale factor input x weights / output scale is {real:.3g} (2^31 at most)"]
    return []
