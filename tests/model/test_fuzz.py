"""Damaged and hostile models: a seeded sample of mutations of the MLPerf Tiny models through
inspect and project generation, in-process. Every outcome is either an accepted model or one
TinygenError line (< 300 characters, no control characters); never a traceback.
scripts/fuzz_models.py runs tens of thousands of the same mutations and the ASan builds."""

import random

import pytest

from tests.model.mutate import cause, mutate, run_one

MODELS = ["ad01_int8.tflite", "kws_ref_model.tflite", "vww_96_int8.tflite", "pretrainedResnet_quant.tflite"]


def test_mutants_end_in_one_line_or_are_accepted(shared_models):
    rng = random.Random(20261201)
    sources = {m: (shared_models / m).read_bytes() for m in MODELS}
    outcomes, bad = {}, []
    for k in range(300):
        model = rng.choice(MODELS)
        data, how = mutate(sources[model], rng)
        outcome, detail = run_one(data, f"m{k}.tflite")
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
        if outcome not in ("accepted", "rejected"):
            bad.append(f"#{k} {model} {how}: {outcome}: {detail}")
    assert not bad, "\n".join(bad[:10])
    # the sample exercises both sides: many rejected, some accepted
    assert outcomes.get("rejected", 0) > 100 and outcomes.get("accepted", 0) > 30, outcomes


@pytest.mark.parametrize("edit,fragment", [
    ("fc_weights_half", "FULLY_CONNECTED: output tensor"),
    ("output_halved", "has shape"),
    ("write_const", "writes the constant"),
    ("input_minus_one", "graph input 0: tensor index -1 out of range"),
    ("nan_scale", "NaN or infinite"),
    ("bias_long", "one per output channel"),
    ("unknown_type", "unknown tensor type"),
    ("name_control", "tensor 0 '"),
])
def test_issue_cases(shared_models, edit, fragment):
    """The cases of the issue, each one clear line."""
    import numpy as np

    from tests.model.mutate import _pack, _schema
    from tinygen.errors import ModelError
    from tinygen.model.graph import parse_graph

    m = _schema().ModelT.InitFromPackedBuf((shared_models / "ad01_int8.tflite").read_bytes(), 0)
    sg = m.subgraphs[0]
    fc = sg.operators[0]
    fc.outputs, sg.inputs = np.array(fc.outputs), np.array(sg.inputs)  # writable copies
    if edit == "fc_weights_half":  # the issue: the layer then wrote 256 bytes into a 128-byte buffer
        w = sg.tensors[fc.inputs[1]]
        w.shape = np.array([128, 320], np.int32)
        m.buffers[w.buffer].data = np.zeros(128 * 320, np.uint8)
    elif edit == "output_halved":
        out = sg.tensors[sg.outputs[0]]
        out.shape = np.array([1, int(out.shape[1]) // 2], np.int32)
    elif edit == "write_const":
        fc.outputs[0] = fc.inputs[1]
    elif edit == "input_minus_one":
        sg.inputs[0] = -1
    elif edit == "nan_scale":
        sg.tensors[fc.outputs[0]].quantization.scale = np.array([np.nan], np.float32)
    elif edit == "bias_long":
        b = sg.tensors[fc.inputs[2]]
        b.shape = np.array([129], np.int32)
        m.buffers[b.buffer].data = np.zeros(4 * 129, np.uint8)
    elif edit == "unknown_type":
        sg.tensors[3].type = 99
    elif edit == "name_control":
        sg.tensors[0].name = b"in\x00put\x0c\n" + b"x" * 5000
        sg.tensors[0].type = 99
    with pytest.raises(ModelError) as info:
        parse_graph(_pack(m), "bad.tflite")
    msg = str(info.value)
    assert fragment in msg and "\n" not in msg and len(msg) < 300 and msg.isprintable(), msg


def test_cause_summary():
    assert cause("error: x.tflite: tensor 12 'abc': zero point 300 outside [-128, 127] for int8") == \
        "tensor N '…': zero point N outside […] for intN"
