"""SVDF (int8 with int8 or int16 state) and the state it keeps across inferences: TFLM's
keyword_scrambled model (int16 input quantized to int8, seven SVDFs, int16 softmax, int32 output)
ten inferences in a row equal to TFLM's ten on one interpreter. That model's scrambled weights
saturate every tensor, so SVDFs built here with sane scales check that the state really carries
over (their outputs differ from what a reset before each inference would give)."""

import numpy as np
import pytest

from tests.ops.flatmodels import ModelBuilder
from tests.ops.opmodels import assert_stateful_bit_exact, stateful_reference
from tinygen.codegen.project import render_project
from tinygen.boards.registry import load_board
from tinygen.model.graph import load_graph
from tinygen.ops import check_graph
from tinygen.passes.describe import describe, format_text


def _keyword(shared_models):
    return shared_models / "tflm" / "keyword_scrambled_8bit.tflite"


def test_keyword_model_is_supported_and_its_state_is_planned(shared_models):
    g = load_graph(_keyword(shared_models))
    assert not check_graph(g)
    gen = render_project(g, load_board("host"))
    model_c = gen.files["src/model.c"]
    states = [t for t in g.tensors if t.is_variable]
    assert len(states) == 7
    # every state tensor reset to its int8 zero point, state at the bottom of the arena
    for t in states:
        off = gen.plan.tensor_offset[t.index]
        assert f"memset(tg_arena + {off}, 0x{int(t.zero_point[0]) & 0xff:02x}, {t.nbytes}u);" in model_c
        assert off < sum(s.nbytes for s in states)
    assert "const char *tg_model_reset(void)" in model_c  # the app calls it at boot and on the reset request
    text = format_text(describe(g))
    assert "[state]" in text and "state: 5120 bytes in 7 variable tensors" in text


@pytest.mark.slow
def test_keyword_scrambled_ten_in_a_row_on_host(tmp_path, shared_models):
    doc = assert_stateful_bit_exact(_keyword(shared_models), tmp_path, count=10)
    assert len(doc["inferences"]) == 10


@pytest.mark.slow
def test_keyword_scrambled_ten_in_a_row_on_cortex_m4(tmp_path, shared_models):
    doc = assert_stateful_bit_exact(_keyword(shared_models), tmp_path, count=10, board="mps2-an386",
                                    extra_cflags="-Werror")
    assert doc["instructions_per_inference"] > 0


# name: (batch, inputs, filters, rank, memory, state type, state zero point, fused activation)
CASES = {
    "s8_state": (1, 24, 8, 1, 5, "int8", 5, 0),
    "s8_state_batch2_rank2_relu": (2, 16, 12, 2, 4, "int8", -7, 1),
    "s16_state_rank2": (1, 20, 10, 2, 6, "int16", 0, 0),
    "s16_state_batch3_relu": (3, 12, 6, 1, 8, "int16", 0, 1),
}


def svdf_model(case: str, seed: int = 0) -> bytes:
    """One SVDF with scales chosen so that the state and the output use their range unsaturated."""
    batch, n_in, n_filter, rank, memory, sdt, szp, act = CASES[case]
    rng = np.random.default_rng(seed)
    f = np.float32
    wide = sdt == "int16"
    units = n_filter // rank
    si, sf = f(1 / 32), f(0.01)
    feat_std = np.sqrt(n_in) * 40 * sf * 74 * si
    ss = f(feat_std / (4000 if wide else 40))
    swt = f(1 / 4000 if wide else 1 / 40)
    out_std = np.sqrt(memory * rank) * feat_std * (40 if not wide else 4000) * swt
    so = f(out_std / 50)
    m = ModelBuilder()
    s = m.s
    x = m.tensor("input", (batch, n_in), "int8", si, -3)
    wf = m.tensor("weights_feature", (n_filter, n_in), "int8", sf, 0,
                  np.clip(rng.normal(0, 40, (n_filter, n_in)), -127, 127).round())
    lim = 32767 if wide else 127
    wt = m.tensor("weights_time", (n_filter, memory), sdt, swt, 0,
                  np.clip(rng.normal(0, 4000 if wide else 40, (n_filter, memory)), -lim, lim).round())
    bias = m.tensor("bias", (units,), "int32", f(ss * swt), 0, rng.integers(-3000, 3000, units) * (100 if wide else 1))
    state = m.tensor("state", (batch, memory * n_filter), sdt, ss, szp, variable=True)
    out = m.tensor("output", (batch, units), "int8", so, 2)
    opt = s.SVDFOptionsT()
    opt.rank, opt.fusedActivationFunction = rank, act
    m.op(s.BuiltinOperator.SVDF, [x, wf, wt, bias, state], [out], s.BuiltinOptions.SVDFOptions, opt)
    return m.finish([x], [out])


def _runs(count, shape, seed):
    rng = np.random.default_rng(seed)
    return [[rng.integers(-128, 128, size=shape).astype(np.int8)] for _ in range(count)]


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(CASES))
def test_svdf_state_carries_over_on_host(tmp_path, case):
    from tinygen.model.reference import reference_outputs

    model = svdf_model(case)
    path = tmp_path / "svdf.tflite"
    path.write_bytes(model)
    batch, n_in = CASES[case][:2]
    runs = _runs(10, (batch, n_in), 0)
    kept = [np.frombuffer(b, np.int8) for b in stateful_reference(path, runs)]
    # each inference from the reset state (the reference runs one call's inferences as a stream)
    reset = [reference_outputs(str(path), [r], 1)[0][0].reshape(-1) for r in runs]
    # the state matters (outputs after the first differ from a reset run) and is not saturated
    assert (kept[0] == reset[0]).all() and any((k != r).any() for k, r in zip(kept[1:], reset[1:]))
    values = np.concatenate(kept)
    assert np.mean(np.abs(values.astype(int)) >= 127) < 0.25 and len(set(values.tolist())) > 10
    if CASES[case][7]:  # TFLM's integer SVDF does not apply its fused RELU: neither may we
        assert (values < 2).any()
    assert_stateful_bit_exact(path, tmp_path, count=10)


@pytest.mark.slow
@pytest.mark.parametrize("case", ["s8_state_batch2_rank2_relu", "s16_state_rank2"])
def test_svdf_state_carries_over_on_cortex_m4(tmp_path, case):
    path = tmp_path / "svdf.tflite"
    path.write_bytes(svdf_model(case, seed=1))
    assert_stateful_bit_exact(path, tmp_path, count=10, board="mps2-an386", extra_cflags="-Werror", seed=1)
