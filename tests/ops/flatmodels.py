"""Models built tensor by tensor with the TFLite schema's object API, for operators TensorFlow's
converter does not emit from Keras (SVDF) or for exact control over quantization and state."""

from __future__ import annotations

import numpy as np

from tests import modeledit

_TYPES = {"float32": 0, "int32": 2, "int64": 4, "int16": 7, "int8": 9}


class ModelBuilder:
    def __init__(self, description: str = "tinygen test model"):
        s = modeledit.schema()
        self.s = s
        self.model = s.ModelT()
        self.model.version = 3
        self.model.description = description
        self.model.buffers = [s.BufferT()]  # buffer 0: the empty buffer, by convention
        self.model.operatorCodes = []
        self.sg = s.SubGraphT()
        self.sg.tensors, self.sg.operators = [], []

    def tensor(self, name: str, shape, dtype: str, scale=None, zero_point=0, data=None, variable=False) -> int:
        t = self.s.TensorT()
        t.name, t.shape, t.type, t.isVariable = name.encode(), list(shape), _TYPES[dtype], variable
        t.buffer = 0
        if data is not None:
            b = self.s.BufferT()
            b.data = np.ascontiguousarray(np.asarray(data, dtype=dtype).reshape(shape)).view(np.uint8).reshape(-1).tolist()
            self.model.buffers.append(b)
            t.buffer = len(self.model.buffers) - 1
        if scale is not None:
            q = self.s.QuantizationParametersT()
            q.scale = [float(v) for v in np.atleast_1d(scale)]
            q.zeroPoint = [int(v) for v in np.atleast_1d(zero_point)] * (len(q.scale) if np.ndim(zero_point) == 0 else 1)
            t.quantization = q
        self.sg.tensors.append(t)
        return len(self.sg.tensors) - 1

    def op(self, builtin: int, inputs, outputs, options_type: int = 0, options=None, version: int = 1) -> None:
        for i, c in enumerate(self.model.operatorCodes):
            if c.builtinCode == builtin and c.version == version:
                index = i
                break
        else:
            c = self.s.OperatorCodeT()
            c.builtinCode, c.deprecatedBuiltinCode, c.version = builtin, min(builtin, 127), version
            self.model.operatorCodes.append(c)
            index = len(self.model.operatorCodes) - 1
        o = self.s.OperatorT()
        o.opcodeIndex, o.inputs, o.outputs = index, list(inputs), list(outputs)
        o.builtinOptionsType, o.builtinOptions = options_type, options
        self.sg.operators.append(o)

    def finish(self, inputs, outputs) -> bytes:
        self.sg.inputs, self.sg.outputs = list(inputs), list(outputs)
        self.model.subgraphs = [self.sg]
        return modeledit.save(self.model)
