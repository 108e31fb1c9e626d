"""Model file -> graph: plain dataclasses read from a .tflite flatbuffer.

The flatbuffer is read with the schema bindings that the tflite-micro package ships (a maintained
reader; we never parse flatbuffers by hand and never depend on tf.lite for parsing or checking).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import ModelError
from .validate import ITEMSIZE, flatbuffer_problems, graph_problems, one_problem, printable

_TYPES = {
    0: "float32", 1: "float16", 2: "int32", 3: "uint8", 4: "int64", 5: "string", 6: "bool",
    7: "int16", 8: "complex64", 9: "int8", 10: "float64", 11: "complex128", 12: "uint64",
    13: "resource", 14: "variant", 15: "uint32", 16: "uint16", 17: "int4",
}
_NUMPY = {"float32", "float16", "int32", "uint8", "int64", "bool", "int16", "int8", "float64",
          "uint64", "uint32", "uint16"}


def _schema():
    from tflite_micro.tensorflow.lite.micro.python import schema_py_generated as schema

    return schema


def _builtin_names() -> dict[int, str]:
    ops = _schema().BuiltinOperator
    return {v: k for k, v in vars(ops).items() if not k.startswith("_") and isinstance(v, int)}


# Operators that create or use resource variables (their state outlives an inference).
STATE_OPS = frozenset({"VAR_HANDLE", "READ_VARIABLE", "ASSIGN_VARIABLE", "CALL_ONCE"})


@dataclass
class Tensor:
    index: int
    name: str
    shape: tuple[int, ...]
    dtype: str
    scale: np.ndarray  # float32, empty when not quantized
    zero_point: np.ndarray  # int64
    quantized_dimension: int = 0
    data: np.ndarray | None = None  # constant tensors only
    is_variable: bool = False  # state kept across inferences (SVDF's activation state, LSTM's ...)

    @property
    def is_constant(self) -> bool:
        return self.data is not None

    @property
    def size(self) -> int:
        return math.prod(int(d) for d in self.shape)

    @property
    def nbytes(self) -> int:
        if self.dtype == "int4":
            return (self.size + 1) // 2
        item = ITEMSIZE.get(self.dtype)
        if item is None:  # strings, resources, variants: what the buffer holds, if anything
            return 0 if self.data is None else int(self.data.nbytes)
        return self.size * item

    @property
    def reset_byte(self) -> int:
        """The byte TFLM's ResetVariableTensors fills a variable tensor with: the zero point for
        int8, 0 for every other type (an int16 state with a zero point is still zeroed)."""
        if self.dtype == "int8" and self.zero_point.size:
            return int(self.zero_point[0]) & 0xFF
        return 0

    @property
    def is_quantized(self) -> bool:
        return self.scale.size > 0

    @property
    def per_channel(self) -> bool:
        return self.scale.size > 1


@dataclass
class Operator:
    index: int
    opcode: str  # builtin name, e.g. "FULLY_CONNECTED"; custom ops: "CUSTOM:<name>"
    version: int
    inputs: tuple[int, ...]  # -1 marks an omitted optional input
    outputs: tuple[int, ...]
    options: dict = field(default_factory=dict)  # builtin options, camelCase as in the schema


@dataclass
class Graph:
    path: str
    sha256: str
    size_bytes: int
    tensors: list[Tensor]
    operators: list[Operator]
    inputs: tuple[int, ...]
    outputs: tuple[int, ...]
    description: str = ""
    flatbuffer: bytes = field(default=b"", repr=False, compare=False)  # the file itself, for runtimes that load it

    def tensor(self, index: int) -> Tensor | None:
        # -1 marks an omitted optional input; the validator rejects every other index out of range
        return None if index < 0 else self.tensors[index]

    @property
    def keeps_state(self) -> bool:
        """Whether inferences change what the next one computes: variable tensors (LSTM and SVDF
        state) or resource variables. Such a model runs as a stream: the state is kept from one
        inference to the next and reset (TFLM's Reset()) at boot and at the start of every run."""
        return (any(t.is_variable for t in self.tensors)
                or any(op.opcode in STATE_OPS for op in self.operators))

    @property
    def input_tensors(self) -> list[Tensor]:
        return [self.tensors[i] for i in self.inputs]

    @property
    def output_tensors(self) -> list[Tensor]:
        return [self.tensors[i] for i in self.outputs]


def read_model_bytes(path: str | Path) -> bytes:
    p = Path(path)
    if not p.exists():
        raise ModelError(f"{path}: no such file")
    if not p.is_file():
        raise ModelError(f"{path}: not a file")
    return p.read_bytes()


def load_graph(path: str | Path) -> Graph:
    return parse_graph(read_model_bytes(path), str(path))


def parse_graph(buf: bytes, name: str = "<model>") -> Graph:
    """The graph of subgraph 0, validated (tinygen.model.validate) before anything else sees it."""
    name = printable(name, 200)
    if len(buf) < 8 or buf[4:8] != b"TFL3":
        raise ModelError(f"{name}: not a TFLite flatbuffer (no 'TFL3' identifier)")
    schema = _schema()
    try:
        model = schema.ModelT.InitFromPackedBuf(buf, 0)
    except Exception as exc:  # the flatbuffer reader fails with assorted errors on bad input
        raise ModelError(f"{name}: malformed or truncated TFLite flatbuffer "
                         f"({type(exc).__name__}: {printable(exc, 80)})") from None
    if not model.subgraphs:
        raise ModelError(f"{name}: the model has no subgraph")
    problems = flatbuffer_problems(model, _TYPES)
    if problems:
        raise ModelError(one_problem(name, problems))
    try:
        graph = _convert(model, buf, name)
    except ModelError:
        raise
    except Exception as exc:  # values the schema allows but no reader can decode
        raise ModelError(f"{name}: malformed TFLite flatbuffer ({type(exc).__name__}: {printable(exc, 80)})") from None
    problems = graph_problems(graph)
    if problems:
        raise ModelError(one_problem(name, problems))
    return graph


def _convert(model, buf: bytes, name: str) -> Graph:
    # Control flow (IF/WHILE) lives in extra subgraphs; the runtime has no such ops, so only
    # subgraph 0 becomes the graph (the others were range-checked).
    names = _builtin_names()
    sg = model.subgraphs[0]
    buffers = model.buffers or []
    tensors: list[Tensor] = []
    for i, t in enumerate(sg.tensors or []):
        dtype = _TYPES[t.type]  # known: flatbuffer_problems checked
        shape = tuple(int(d) for d in (t.shape if t.shape is not None else []))
        q = t.quantization
        scale = np.asarray(q.scale if q is not None and q.scale is not None else [], dtype=np.float32)
        zp = np.asarray(q.zeroPoint if q is not None and q.zeroPoint is not None else [], dtype=np.int64)
        if zp.size == 0 and scale.size:
            zp = np.zeros(scale.size, dtype=np.int64)
        qdim = int(q.quantizedDimension) if q is not None else 0
        data = None
        b = buffers[t.buffer]  # in range: flatbuffer_problems checked
        raw = None
        if b is not None:
            if b.data is not None and len(b.data):
                raw = np.asarray(b.data, dtype=np.uint8).tobytes()
            elif getattr(b, "offset", 0) and b.offset > 1:
                raw = buf[b.offset: b.offset + b.size]
                if len(raw) != b.size:
                    raise ModelError(f"{name}: tensor {i} '{_s(t.name)}': buffer lies past the end of the file "
                                     f"(truncated?)")
        if raw is not None and not t.isVariable:
            # A variable tensor's buffer is not its value: TFLM resets it to zero (the zero point
            # for int8) before the first inference, whatever the file holds.
            data = _decode(raw, dtype, shape, i, t, name)
        tensors.append(Tensor(i, _s(t.name), shape, dtype, scale, zp, qdim, data, bool(t.isVariable)))
    ops: list[Operator] = []
    codes = model.operatorCodes or []
    for i, op in enumerate(sg.operators or []):
        code = codes[op.opcodeIndex]
        builtin = max(int(code.builtinCode), int(code.deprecatedBuiltinCode))
        opname = names.get(builtin, f"BUILTIN_{builtin}")
        if opname == "CUSTOM":
            opname = f"CUSTOM:{_s(code.customCode)}"
        opts = {}
        if op.builtinOptions is not None:
            opts = {k: v for k, v in vars(op.builtinOptions).items()}
        inputs = tuple(int(x) for x in (op.inputs if op.inputs is not None else []))
        outputs = tuple(int(x) for x in (op.outputs if op.outputs is not None else []))
        ops.append(Operator(i, opname, int(code.version), inputs, outputs, opts))
    return Graph(
        path=name,
        sha256=hashlib.sha256(buf).hexdigest(),
        size_bytes=len(buf),
        tensors=tensors,
        operators=ops,
        inputs=tuple(int(x) for x in sg.inputs),
        outputs=tuple(int(x) for x in sg.outputs),
        description=printable(model.description, 200),
        flatbuffer=bytes(buf),
    )


def _decode(raw: bytes, dtype: str, shape, index: int, t, name: str) -> np.ndarray:
    if dtype == "int4":
        packed = np.frombuffer(raw, dtype=np.uint8)
        lo = (packed & 0x0F).astype(np.int8)
        hi = (packed >> 4).astype(np.int8)
        vals = np.stack([lo, hi], axis=-1).reshape(-1)
        vals = np.where(vals > 7, vals - 16, vals).astype(np.int8)
        n = math.prod(shape)
        if len(packed) != (n + 1) // 2:
            raise ModelError(f"{name}: tensor {index} '{_s(t.name)}': buffer holds {len(packed)} bytes, shape "
                             f"{list(shape)[:8]} of int4 needs {(n + 1) // 2}")
        return vals[:n].reshape(shape)
    if dtype not in _NUMPY:
        return np.frombuffer(raw, dtype=np.uint8)
    n = math.prod(shape)
    item = np.dtype(dtype).itemsize
    if len(raw) != n * item:
        raise ModelError(f"{name}: tensor {index} '{_s(t.name)}': buffer holds {len(raw)} bytes, shape "
                         f"{list(shape)[:8]} of {dtype} needs {n * item}")
    arr = np.frombuffer(raw, dtype=np.dtype(dtype).newbyteorder("<"))
    if arr.size != n:
        raise ModelError(f"{name}: tensor {index} '{_s(t.name)}': buffer holds {arr.size} values, shape {list(shape)} needs {n}")
    return arr.reshape(shape).astype(dtype)


def _s(b) -> str:
    """A name or description from the file: printable and capped (it ends up in errors, inspect
    output and C comments)."""
    return printable(b)
