"""Models with several inputs and outputs of different types (int8, int16, int32, float32): the
I/O slots of the arena, the link's concatenated transfers and the results all follow the model's
order and types, bit-exact with TFLM."""

import numpy as np
import pytest

from tests.ops.flatmodels import ModelBuilder
from tests.ops.opmodels import assert_host_bit_exact, int8_model
from tinygen.codegen.project import render_project
from tinygen.model.io_spec import io_spec
from tinygen.boards.registry import load_board
from tinygen.model.graph import parse_graph
from tinygen.ops import check_graph


def mixed_io_model() -> bytes:
    """inputs: int32 shape [2] (RESHAPE's, whose values TFLM ignores), int16 x [1, 24],
    float32 y [1, 24], int8 z [4, 6];
    x -> QUANTIZE int8, y -> QUANTIZE int8, ADD, RESHAPE to [4, 6] by the shape input, ADD z = e;
    outputs: e (int8), SOFTMAX(e) (int16), QUANTIZE of that (int32), DEQUANTIZE(e) (float32)."""
    m = ModelBuilder()
    s = m.s
    shape = m.tensor("shape", (2,), "int32")
    x = m.tensor("x", (1, 24), "int16", 1 / 4096, 0)
    y = m.tensor("y", (1, 24), "float32")
    z = m.tensor("z", (4, 6), "int8", 1 / 20, 4)
    xq = m.tensor("xq", (1, 24), "int8", 1 / 24, -5)
    yq = m.tensor("yq", (1, 24), "int8", 1 / 32, 3)
    c = m.tensor("c", (1, 24), "int8", 1 / 14, -2)
    d = m.tensor("d", (4, 6), "int8", 1 / 14, -2)
    e = m.tensor("e", (4, 6), "int8", 1 / 10, 1)
    f = m.tensor("f", (4, 6), "int16", 1 / 65536, -32768)
    g = m.tensor("g", (4, 6), "int32", 1 / 100000, 7)
    h = m.tensor("h", (4, 6), "float32")
    B, O = s.BuiltinOperator, s.BuiltinOptions
    m.op(B.QUANTIZE, [x], [xq])
    m.op(B.QUANTIZE, [y], [yq])
    add = s.AddOptionsT()
    m.op(B.ADD, [xq, yq], [c], O.AddOptions, add)
    m.op(B.RESHAPE, [c, shape], [d])
    m.op(B.ADD, [d, z], [e], O.AddOptions, s.AddOptionsT())
    sm = s.SoftmaxOptionsT()
    sm.beta = 1.0
    m.op(B.SOFTMAX, [e], [f], O.SoftmaxOptions, sm)
    m.op(B.QUANTIZE, [f], [g])
    m.op(B.DEQUANTIZE, [e], [h])
    return m.finish([shape, x, y, z], [e, f, g, h])


def test_mixed_io_is_accepted_and_laid_out_in_model_order():
    model = mixed_io_model()
    graph = parse_graph(model)
    assert not check_graph(graph)
    specs = io_spec(graph, graph.inputs)
    assert [s["dtype"] for s in specs] == ["int32", "int16", "float32", "int8"]
    assert [s["bytes"] for s in specs] == [8, 48, 96, 24]
    gen = render_project(graph, load_board("host"))
    assert "#define TG_INPUT_BYTES 176u" in gen.files["src/model.h"]
    assert "#define TG_OUTPUT_BYTES 264u" in gen.files["src/model.h"]  # 24 + 48 + 96 + 96
    # every slot is aligned for its type
    assert all(gen.plan.tensor_offset[i] % 4 == 0 for i in graph.inputs + graph.outputs)
    assert [s["dtype"] for s in io_spec(graph, graph.outputs)] == ["int8", "int16", "int32", "float32"]


@pytest.mark.slow
def test_mixed_io_bit_exact_on_host(tmp_path):
    doc = assert_host_bit_exact(mixed_io_model(), tmp_path, count=4)
    # the int8 bytes of all four outputs, in model order
    assert len(doc["inferences"][0]["output"]) == 264


@pytest.mark.slow
def test_mixed_io_bit_exact_on_cortex_m4(tmp_path):
    assert_host_bit_exact(mixed_io_model(), tmp_path, board="mps2-an386", extra_cflags="-Werror", count=3)


@pytest.mark.slow
def test_converter_made_two_inputs_two_outputs(tmp_path):
    import tensorflow as tf

    w = tf.constant(np.random.default_rng(4).normal(0, 0.5, (8, 5)).astype(np.float32))

    def fn(a, b):
        return tf.nn.relu(a @ w), tf.concat([a, b], axis=1) * 0.5

    model = int8_model(fn, [(1, 8), (1, 3)])
    g = parse_graph(model)
    assert len(g.inputs) == 2 and len(g.outputs) == 2
    assert_host_bit_exact(model, tmp_path, count=4)
