import pytest

from tinygen.errors import ModelError
from tinygen.model.graph import load_graph, parse_graph


def test_reads_ad01(shared_models):
    g = load_graph(shared_models / "ad01_int8.tflite")
    assert [op.opcode for op in g.operators] == ["FULLY_CONNECTED"] * 10
    assert g.input_tensors[0].shape == (1, 640) and g.input_tensors[0].dtype == "int8"
    assert g.sha256 == "87cf24194ef93d1d9b11a591d805526b98008e351655d29883c825c9c106ba24"
    w = g.tensors[g.operators[0].inputs[1]]
    assert w.is_constant and w.data.shape == (128, 640) and w.data.dtype.name == "int8"


@pytest.mark.parametrize("name", ["kws_ref_model", "vww_96_int8", "pretrainedResnet_quant"])
def test_reads_mlperf_models(shared_models, name):
    g = load_graph(shared_models / f"{name}.tflite")
    assert g.operators and all(t.dtype in ("int8", "int32") for t in g.tensors)
    conv = next(op for op in g.operators if op.opcode == "CONV_2D")
    assert {"strideW", "padding", "fusedActivationFunction"} <= set(conv.options)


def test_missing_file(tmp_path):
    with pytest.raises(ModelError, match="no such file"):
        load_graph(tmp_path / "nope.tflite")


def test_directory(tmp_path):
    with pytest.raises(ModelError, match="not a file"):
        load_graph(tmp_path)


def test_not_tflite(tmp_path):
    p = tmp_path / "x.tflite"
    p.write_bytes(b"hello world, not a model at all")
    with pytest.raises(ModelError, match="not a TFLite flatbuffer"):
        load_graph(p)


@pytest.mark.parametrize("keep", [12, 100, 1000, 20000])
def test_truncated(shared_models, keep):
    data = (shared_models / "ad01_int8.tflite").read_bytes()[:keep]
    with pytest.raises(ModelError, match="x.tflite"):
        parse_graph(data, "x.tflite")
