"""UNIDIRECTIONAL_SEQUENCE_LSTM (int8 activations, int16 cell state and gates): TFLM's own LSTM models
(mnist_lstm, micro_speech_lstm) and LSTMs built here tensor by tensor (time- and batch-major, several
batches, cell clip on and off, cell scales on both sides of TFLM's tanh scaling, TFLM's weights cut
out of its models) and Keras LSTM layers the converter fuses and quantizes, each ten inferences in a row equal to TFLM's ten on one interpreter (the states
are variable tensors kept between Invoke calls). The int16 sigmoid and tanh of the gates are
checked against TFLM's int16 LOGISTIC and TANH on every input."""

from __future__ import annotations

import subprocess

import numpy as np
import pytest

from tests import modeledit
from tests.ops.flatmodels import ModelBuilder
from tests.ops.opmodels import assert_stateful_bit_exact, stateful_reference
from tinygen.boards.registry import load_board
from tinygen.codegen.project import render_project
from tinygen.model.graph import load_graph
from tinygen.ops import check_graph
from tinygen.ops.lstm import checked_log2, tanh_scaling
from tinygen.resources import firmware_dir

MODELS = ("trained_lstm_int8.tflite", "micro_speech_lstm.tflite")


def _model(shared_models, name):
    return shared_models / "tflm" / name


@pytest.mark.parametrize("name", MODELS)
def test_tflm_lstm_models_are_supported_and_their_state_is_reset(shared_models, name):
    g = load_graph(_model(shared_models, name))
    assert not check_graph(g)
    gen = render_project(g, load_board("host"))
    model_c = gen.files["src/model.c"]
    assert "tg_lstm_s8(" in model_c
    lstm = g.operators[0]
    hidden, cell = g.tensors[lstm.inputs[18]], g.tensors[lstm.inputs[19]]
    for t in (hidden, cell):  # hidden to its int8 zero point, cell to 0, as TFLM's ResetVariableTensors
        off = gen.plan.tensor_offset[t.index]
        fill = int(t.zero_point[0]) & 0xff if t.dtype == "int8" else 0
        assert f"memset(tg_arena + {off}, 0x{fill:02x}, {t.nbytes}u);" in model_c


def test_tanh_scaling_follows_tflm_for_cell_scales():
    assert tanh_scaling(-12) == (3, 0)   # Q3.12: the gates' tanh
    assert tanh_scaling(-11) == (6, 0)   # micro_speech_lstm's cell state
    assert tanh_scaling(-14) == (3, 2)   # finer than Q3.12: TFLM's negative-shift case
    assert checked_log2(0.000244140625) == -12 and checked_log2(0.00049) == -11


def _activation_model(op: str, scale: float) -> bytes:
    m = ModelBuilder()
    s = m.s
    x = m.tensor("x", (65536,), "int16", scale, 0)
    y = m.tensor("y", (65536,), "int16", 2.0 ** -15, 0)
    m.op(getattr(s.BuiltinOperator, op), [x], [y])
    return m.finish([x], [y])


def test_the_c_sigmoid_table_is_the_one_prepare_computes():
    import re

    from tinygen.ops.prepare import sigmoid_q16_table

    src = (firmware_dir() / "runtime" / "src" / "tg_sigmoid_s16.c").read_text()
    body = src[src.index("tg_sigmoid_q16[256] = {"):]
    body = body[body.index("{") + 1:body.index("}")]
    assert [int(v) for v in re.findall(r"\d+", body)] == sigmoid_q16_table()


def test_int16_sigmoid_and_tanh_equal_tflm_on_every_input(tmp_path):
    """tg_sigmoid_s16.h's table and interpolation, through tg_lstm.c's gate functions, against TFLM's
    int16 LOGISTIC and TANH (Q3.12 and Q4.11 inputs: the gates and micro_speech_lstm's cell state),
    all 65536 inputs."""
    from tinygen.model.reference import reference_outputs

    everything = np.arange(-32768, 32768, dtype=np.int64).astype(np.int16)
    fw = firmware_dir() / "runtime"
    harness = tmp_path / "act.c"
    harness.write_text(
        '#include <stdio.h>\n#include "tg_lstm.h"\n'
        "int main(void) { long i; for (i = -32768; i < 32768; ++i) printf(\"%d %d %d\\n\", "
        "tg_lstm_sigmoid_s16((int16_t)i), tg_lstm_tanh_s16((int16_t)i, 3, 0), tg_lstm_tanh_s16((int16_t)i, 6, 0));"
        " return 0; }\n")
    exe = tmp_path / "act"
    sources = [str(fw / "src" / f) for f in ("tg_lstm.c", "tg_sigmoid_s16.c", "tg_dot.c")]
    cc = subprocess.run(["cc", "-std=c99", "-O1", "-fsanitize=undefined", "-fno-sanitize-recover=all",
                         "-I", str(fw / "include"), str(harness), *sources, "-o", str(exe)],
                        capture_output=True, text=True)
    assert cc.returncode == 0, cc.stderr[-2000:]
    ours = np.array(subprocess.run([str(exe)], capture_output=True, text=True, check=True).stdout.split(),
                    dtype=np.int64).reshape(-1, 3).T
    for k, (op, scale) in enumerate((("LOGISTIC", 2.0 ** -12), ("TANH", 2.0 ** -12), ("TANH", 2.0 ** -11))):
        path = tmp_path / f"{op}{k}.tflite"
        path.write_bytes(_activation_model(op, scale))
        ref = reference_outputs(str(path), [[everything]])[0][0].astype(np.int64)
        assert len(set(ref.tolist())) > 1000
        bad = np.nonzero(ref != ours[k])[0]
        assert not len(bad), f"{op} at scale {scale}: {len(bad)} inputs differ, first {everything[bad[0]]}"


# name: (batch, time, inputs, units, time major, cell scale power, cell clip, input zp, hidden zp)
CASES = {
    "batch_major": (1, 6, 10, 8, False, -11, 0.0, -5, 3),
    "batch_major_batch3_clip": (3, 5, 7, 12, False, -12, 1.5, 0, -2),
    "time_major": (1, 7, 9, 6, True, -11, 0.0, 4, 0),
    "time_major_batch2_fine_cell": (2, 4, 13, 5, True, -14, 2.0, -9, 7),
    "time_major_batch3_wide": (3, 3, 33, 17, True, -10, 0.0, 1, -1),
}


def lstm_model(case: str, seed: int = 0) -> bytes:
    """One LSTM with random weights whose gates use their Q3.12 range without saturating."""
    batch, steps, n_in, units, major, power, clip, izp, hzp = CASES[case]
    rng = np.random.default_rng(seed)
    f = np.float32
    m = ModelBuilder()
    s = m.s
    si, sh = f(1 / 128), f(1 / 128)
    shape_in = (steps, batch, n_in) if major else (batch, steps, n_in)
    x = m.tensor("input", shape_in, "int8", si, izp)
    inputs = [x]
    weights = []
    for depth, scale_in in [(n_in, si)] * 4 + [(units, sh)] * 4:
        sw = f(1.2 / (np.sqrt(depth) * 40 * 0.58))
        w = np.clip(rng.normal(0, 40, (units, depth)), -127, 127).round()
        weights.append((m.tensor(f"w{len(weights)}", (units, depth), "int8", sw, 0, w), f(scale_in * sw)))
    inputs += [t for t, _ in weights]
    inputs += [-1, -1, -1]
    for g in range(4):
        bias_scale = weights[g][1]
        b = rng.normal(0.8 if g == 1 else 0.0, 0.4, units) / bias_scale  # forget gate biased open, as Keras does
        inputs.append(m.tensor(f"b{g}", (units,), "int32", bias_scale, 0, b.round()))
    inputs += [-1, -1]
    inputs.append(m.tensor("hidden", (batch, units), "int8", sh, hzp, variable=True))
    inputs.append(m.tensor("cell", (batch, units), "int16", f(2.0 ** power), 0, variable=True))
    inputs += [-1, -1, -1, -1]
    out = m.tensor("output", shape_in[:2] + (units,), "int8", sh, hzp)
    opt = s.UnidirectionalSequenceLSTMOptionsT()
    opt.fusedActivationFunction, opt.cellClip, opt.timeMajor = 4, clip, major
    m.op(s.BuiltinOperator.UNIDIRECTIONAL_SEQUENCE_LSTM, inputs, [out],
         s.BuiltinOptions.UnidirectionalSequenceLSTMOptions, opt)
    return m.finish([x], [out])


def _runs(count, shape, seed):
    rng = np.random.default_rng(seed)
    return [[rng.integers(-128, 128, size=shape).astype(np.int8)] for _ in range(count)]


@pytest.mark.parametrize("case", sorted(CASES))
def test_built_lstms_are_supported(case):
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "lstm.tflite"
        path.write_bytes(lstm_model(case))
        assert not check_graph(load_graph(path))


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(CASES))
def test_built_lstm_state_carries_over_on_host(tmp_path, case):
    from tinygen.model.reference import reference_outputs

    path = tmp_path / "lstm.tflite"
    path.write_bytes(lstm_model(case))
    g = load_graph(path)
    runs = _runs(10, g.input_tensors[0].shape, 0)
    kept = [np.frombuffer(b, np.int8) for b in stateful_reference(path, runs)]
    reset = [reference_outputs(str(path), [r], 1)[0][0].reshape(-1) for r in runs]
    # the state carries over (later inferences differ from a reset run) and the output is not saturated
    assert (kept[0] == reset[0]).all() and any((k != r).any() for k, r in zip(kept[1:], reset[1:]))
    values = np.concatenate(kept).astype(int)
    assert np.mean(np.abs(values) >= 127) < 0.1 and len(set(values.tolist())) > 40
    assert_stateful_bit_exact(path, tmp_path, count=10)


def cut_lstm(path, *, steps: int | None = None, time_major: bool = False, batch: int = 1) -> bytes:
    """A TFLM model cut to its LSTM (TFLM's weights and scales), with another sequence length,
    layout or batch: input, output and state shapes edited in the flatbuffer."""
    model = modeledit.load(path.read_bytes())
    sg = model.subgraphs[0]
    op = sg.operators[0]
    sg.operators = [op]
    x, out = sg.tensors[op.inputs[0]], sg.tensors[op.outputs[0]]
    _, t, n_in = x.shape
    t = steps or t
    units = out.shape[2]
    x.shape = [t, batch, n_in] if time_major else [batch, t, n_in]
    out.shape = x.shape[:2] + [units]
    x.shapeSignature = out.shapeSignature = None
    for i in (18, 19):
        sg.tensors[op.inputs[i]].shape = [batch, units]
        sg.tensors[op.inputs[i]].shapeSignature = None
    op.builtinOptions.timeMajor = time_major
    sg.inputs, sg.outputs = [op.inputs[0]], [op.outputs[0]]
    return modeledit.save(model)


@pytest.mark.slow
@pytest.mark.parametrize("name", MODELS)
def test_tflm_lstm_models_ten_in_a_row_on_host(tmp_path, shared_models, name):
    doc = assert_stateful_bit_exact(_model(shared_models, name), tmp_path, count=10)
    assert len(doc["inferences"]) == 10


@pytest.mark.slow
@pytest.mark.parametrize("name,steps,major,batch", [
    ("trained_lstm_int8.tflite", 5, True, 3),
    ("trained_lstm_int8.tflite", 9, False, 2),
    ("micro_speech_lstm.tflite", 12, True, 1),
])
def test_tflm_lstm_weights_cut_and_reshaped_on_host(tmp_path, shared_models, name, steps, major, batch):
    path = tmp_path / "cut.tflite"
    path.write_bytes(cut_lstm(_model(shared_models, name), steps=steps, time_major=major, batch=batch))
    assert not check_graph(load_graph(path))
    assert_stateful_bit_exact(path, tmp_path, count=10)


@pytest.mark.slow
@pytest.mark.parametrize("name", MODELS)
def test_tflm_lstm_models_ten_in_a_row_on_cortex_m4(tmp_path, shared_models, name):
    doc = assert_stateful_bit_exact(_model(shared_models, name), tmp_path, count=10, board="mps2-an386",
                                    extra_cflags="-Werror")
    assert doc["instructions_per_inference"] > 0


@pytest.mark.slow
def test_built_lstm_time_major_batches_on_cortex_m4(tmp_path):
    path = tmp_path / "lstm.tflite"
    path.write_bytes(lstm_model("time_major_batch2_fine_cell", seed=1))
    assert_stateful_bit_exact(path, tmp_path, count=10, board="mps2-an386", extra_cflags="-Werror", seed=1)


def _keras_lstm(tmp_path, seed):
    """The converter's int8 LSTM for this seed (tests/ops/keras_lstm.py, in its own process)."""
    import importlib.util
    import sys

    if importlib.util.find_spec("tf_keras") is None:
        pytest.skip("tf-keras is not installed (scripts/setup.sh installs tinygen[quantize], which has it)")
    path = tmp_path / f"keras_lstm_{seed}.tflite"
    res = subprocess.run([sys.executable, "-m", "tests.ops.keras_lstm", str(path), str(seed)],
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, f"the converter failed (exit {res.returncode}): {res.stderr[-1500:]}"
    return path


@pytest.mark.slow
@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_keras_lstm_ten_in_a_row_on_host(tmp_path, seed):
    from tests.ops.keras_lstm import case

    path = _keras_lstm(tmp_path, seed)
    g = load_graph(path)
    assert [op.opcode for op in g.operators] == ["UNIDIRECTIONAL_SEQUENCE_LSTM"]
    c = case(seed)
    assert bool(g.operators[0].options["timeMajor"]) == c["time_major"]
    assert not check_graph(g)
    assert_stateful_bit_exact(path, tmp_path, count=10, seed=seed)


def test_wide_weights_where_the_core_has_dsp_and_the_weights_are_reused(shared_models):
    """TFLM's LSTMs read every weight at each of 28 or 49 steps: int16-pair weights on DSP cores
    (and on the host, so the portable reader is tested), plain packed bytes on the Cortex-M3."""
    g = load_graph(_model(shared_models, "micro_speech_lstm.tflite"))
    for board, wide in (("host", 1), ("mps2-an386", 1), ("mps2-an385", 0)):
        assert f".wide = {wide}," in render_project(g, load_board(board)).files["src/model.c"]
    built = load_graph_bytes(lstm_model("batch_major"))  # six steps: not worth twice the flash
    assert ".wide = 0," in render_project(built, load_board("mps2-an386")).files["src/model.c"]


def load_graph_bytes(data: bytes):
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "model.tflite"
        path.write_bytes(data)
        return load_graph(path)
