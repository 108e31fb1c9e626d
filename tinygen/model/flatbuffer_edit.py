"""Small, pure edits of a .tflite flatbuffer with the schema's object API (the bindings tflite-micro
ships): bytes in, bytes out. Used where a maintained tool needs a model in a slightly different
form than the one a user has."""

from __future__ import annotations

import flatbuffers
import numpy as np

from ..errors import ModelError

_INT8, _FLOAT32 = 9, 0


def schema():
    from tflite_micro.tensorflow.lite.micro.python import schema_py_generated as s

    return s


def load(buf: bytes, where: str = "model"):
    try:
        return schema().ModelT.InitFromPackedBuf(buf, 0)
    except Exception as exc:
        raise ModelError(f"{where}: not a TFLite flatbuffer ({type(exc).__name__})") from None


def save(model) -> bytes:
    b = flatbuffers.Builder(max(1024, 2 * _data_bytes(model)))
    b.Finish(model.Pack(b), file_identifier=b"TFL3")
    return bytes(b.Output())


def _data_bytes(model) -> int:
    return sum(0 if b.data is None else len(b.data) for b in (model.buffers or []))


def with_serving_signature(buf: bytes) -> bytes:
    """The model with a `serving_default` signature over subgraph 0's inputs and outputs (files from
    older converters have none, and signature-driven tools refuse them), and every operator code's
    `builtin_code` filled from `deprecated_builtin_code` (older files set only the latter, which
    readers that look at builtin_code alone take for ADD)."""
    s = schema()
    m = load(buf)
    for code in m.operatorCodes or []:
        code.builtinCode = max(int(code.builtinCode), int(code.deprecatedBuiltinCode))
    if not m.signatureDefs:
        sg = m.subgraphs[0]

        def tensor_map(i):
            t = s.TensorMapT()
            t.name, t.tensorIndex = sg.tensors[i].name, int(i)
            return t

        sd = s.SignatureDefT()
        sd.signatureKey, sd.subgraphIndex = b"serving_default", 0
        sd.inputs = [tensor_map(i) for i in sg.inputs]
        sd.outputs = [tensor_map(i) for i in sg.outputs]
        m.signatureDefs = [sd]
    return save(m)


def with_float_io(buf: bytes) -> bytes:
    """An int8-in, int8-out model wrapped with QUANTIZE on each input and DEQUANTIZE on each output,
    so callers pass and receive float32. The float tensors take the original names."""
    s = schema()
    m = load(buf)
    sg = m.subgraphs[0]

    def opcode(builtin: int) -> int:
        for i, c in enumerate(m.operatorCodes):
            if max(int(c.builtinCode), int(c.deprecatedBuiltinCode)) == builtin:
                return i
        c = s.OperatorCodeT()
        c.builtinCode, c.deprecatedBuiltinCode, c.version = builtin, min(builtin, 127), 1
        m.operatorCodes.append(c)
        return len(m.operatorCodes) - 1

    def float_twin(i: int) -> int:
        old = sg.tensors[i]
        if old.type != _INT8:
            raise ModelError(f"model I/O tensor '{old.name.decode()}' is not int8; cannot add float I/O")
        t = s.TensorT()
        t.name, t.shape, t.type = old.name, np.array(old.shape, dtype=np.int32), _FLOAT32
        old.name = old.name + b"_int8"
        m.buffers.append(s.BufferT())
        t.buffer = len(m.buffers) - 1
        sg.tensors.append(t)
        return len(sg.tensors) - 1

    def op(code: int, src: int, dst: int):
        o = s.OperatorT()
        o.opcodeIndex, o.inputs, o.outputs = code, np.array([src], np.int32), np.array([dst], np.int32)
        return o

    new_in = {int(i): float_twin(int(i)) for i in sg.inputs}
    new_out = {int(i): float_twin(int(i)) for i in sg.outputs}
    q, dq = opcode(s.BuiltinOperator.QUANTIZE), opcode(s.BuiltinOperator.DEQUANTIZE)
    sg.operators = ([op(q, f, i) for i, f in new_in.items()] + list(sg.operators)
                    + [op(dq, i, f) for i, f in new_out.items()])
    sg.inputs = np.array([new_in[int(i)] for i in sg.inputs], np.int32)
    sg.outputs = np.array([new_out[int(i)] for i in sg.outputs], np.int32)
    for sd in m.signatureDefs or []:
        for tm in sd.inputs or []:
            tm.tensorIndex = new_in.get(int(tm.tensorIndex), tm.tensorIndex)
        for tm in sd.outputs or []:
            tm.tensorIndex = new_out.get(int(tm.tensorIndex), tm.tensorIndex)
    return save(m)
