"""Flatbuffer edits: what they add, that they keep everything else, and that TFLM agrees."""

import numpy as np

from tinygen.model.graph import parse_graph
from tinygen.model.inputs import quantize_input
from tinygen.model.io_spec import io_spec
from tinygen.model.reference import reference_outputs
from tinygen.model.flatbuffer_edit import load, with_float_io, with_serving_signature


def test_serving_signature_and_builtin_codes(shared_models):
    buf = (shared_models / "kws_ref_model_float32.tflite").read_bytes()
    assert not load(buf).signatureDefs
    edited = with_serving_signature(buf)
    m = load(edited)
    (sd,) = m.signatureDefs
    sg = m.subgraphs[0]
    assert sd.signatureKey == b"serving_default" and sd.subgraphIndex == 0
    assert [t.tensorIndex for t in sd.inputs] == list(sg.inputs)
    assert [t.tensorIndex for t in sd.outputs] == list(sg.outputs)
    assert [t.name for t in sd.inputs] == [sg.tensors[i].name for i in sg.inputs]
    assert all(c.builtinCode == c.deprecatedBuiltinCode for c in m.operatorCodes)
    before, after = parse_graph(buf, "a"), parse_graph(edited, "b")
    assert [(o.opcode, o.inputs, o.outputs) for o in before.operators] == \
           [(o.opcode, o.inputs, o.outputs) for o in after.operators]
    for t0, t1 in zip(before.tensors, after.tensors):
        assert (t0.name, t0.shape, t0.dtype) == (t1.name, t1.shape, t1.dtype)
        assert (t0.data is None and t1.data is None) or np.array_equal(t0.data, t1.data)
    assert with_serving_signature(edited) == edited  # a second pass changes nothing


def test_float_io_wraps_an_int8_model_exactly(shared_models, tmp_path):
    src = shared_models / "ad01_int8.tflite"
    wrapped = with_float_io(src.read_bytes())
    g0, g = parse_graph(src.read_bytes(), "int8"), parse_graph(wrapped, "float io")
    assert [o.opcode for o in g.operators] == ["QUANTIZE"] + [o.opcode for o in g0.operators] + ["DEQUANTIZE"]
    assert g.input_tensors[0].dtype == g.output_tensors[0].dtype == "float32"
    assert g.input_tensors[0].name == g0.input_tensors[0].name  # the float tensors take the names
    (tmp_path / "f.tflite").write_bytes(wrapped)
    spec_in, spec_out = io_spec(g0, g0.inputs)[0], io_spec(g0, g0.outputs)[0]
    x = np.random.default_rng(0).normal(0, 2, (3,) + tuple(spec_in["shape"])).astype(np.float32)
    q = reference_outputs(str(src), [[quantize_input(xi, spec_in)] for xi in x])
    f = reference_outputs(str(tmp_path / "f.tflite"), [[xi] for xi in x])
    for qo, fo in zip(q, f):
        deq = (qo[0].astype(np.float32) - spec_out["zero_point"][0]) * spec_out["scale"][0]
        assert np.array_equal(fo[0], deq)
