"""Models TFLM runs but TensorFlow Lite's own interpreter rejects: tinygen must follow TFLM."""

import numpy as np
import pytest

from tests import modeledit
from tests.ops.opmodels import assert_host_bit_exact, int8_model
from tinygen.model.graph import parse_graph
from tinygen.ops import check_graph

pytestmark = pytest.mark.slow


def test_conv_with_unusual_quantized_dimension(tmp_path):
    """Per-channel 1x1 conv weights whose quantized_dimension is 3 (input channels) rather than 0,
    which the TFLite schema does not intend; TFLM accepts it because the scale count equals that
    dimension's size, and uses the scales per output channel. tinygen must not refuse it."""
    import tensorflow as tf

    w = tf.constant(np.random.default_rng(3).normal(size=(1, 1, 6, 6)).astype(np.float32))
    buf = int8_model(lambda x: tf.nn.conv2d(x, w, 1, "SAME"), [(1, 5, 5, 6)])
    model = modeledit.load(buf)
    sg = model.subgraphs[0]
    conv = next(op for op in sg.operators if model.operatorCodes[op.opcodeIndex].builtinCode == 3)
    sg.tensors[conv.inputs[1]].quantization.quantizedDimension = 3
    edited = modeledit.save(model)
    g = parse_graph(edited)
    assert g.tensors[conv.inputs[1]].quantized_dimension == 3
    assert not check_graph(g)
    assert_host_bit_exact(edited, tmp_path)


def test_dequantize_and_float_quantize_inside_a_graph(tmp_path):
    """Insert DEQUANTIZE -> QUANTIZE (float in between) after the input of an int8 model."""
    import tensorflow as tf

    buf = int8_model(lambda x: tf.nn.relu(x * 2.0), [(1, 4, 8)], low=-2, high=2)
    model = modeledit.load(buf)
    s = modeledit.schema()
    sg = model.subgraphs[0]
    first = sg.operators[0]
    src = sg.tensors[first.inputs[0]]
    f = s.TensorT()
    f.shape, f.type, f.name, f.buffer = list(src.shape), s.TensorType.FLOAT32, b"deq", 0
    q = s.TensorT()
    q.shape, q.type, q.name, q.buffer = list(src.shape), s.TensorType.INT8, b"req", 0
    q.quantization = s.QuantizationParametersT()
    q.quantization.scale = [float(src.quantization.scale[0]) * 1.5]
    q.quantization.zeroPoint = [3]
    sg.tensors += [f, q]
    fi, qi = len(sg.tensors) - 2, len(sg.tensors) - 1

    def opcode(code):
        for i, c in enumerate(model.operatorCodes):
            if c.builtinCode == code:
                return i
        c = s.OperatorCodeT()
        c.builtinCode, c.deprecatedBuiltinCode, c.version = code, min(code, 127), 1
        model.operatorCodes.append(c)
        return len(model.operatorCodes) - 1

    deq, quant = s.OperatorT(), s.OperatorT()
    deq.opcodeIndex, deq.inputs, deq.outputs = opcode(s.BuiltinOperator.DEQUANTIZE), [first.inputs[0]], [fi]
    quant.opcodeIndex, quant.inputs, quant.outputs = opcode(s.BuiltinOperator.QUANTIZE), [fi], [qi]
    first.inputs = [qi] + list(first.inputs[1:])
    sg.operators = [deq, quant] + list(sg.operators)
    edited = modeledit.save(model)
    assert [op.opcode for op in parse_graph(edited).operators][:2] == ["DEQUANTIZE", "QUANTIZE"]
    assert_host_bit_exact(edited, tmp_path)
    (tmp_path / "m4").mkdir()
    assert_host_bit_exact(edited, tmp_path / "m4", board="mps2-an386", extra_cflags="-Werror")
