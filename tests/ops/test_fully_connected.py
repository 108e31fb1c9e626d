import numpy as np
import pytest

from tests.ops.opmodels import assert_host_bit_exact, int8_model
from tinygen.model.graph import parse_graph
from tinygen.ops import check_graph

pytestmark = pytest.mark.slow


def dense_model(depth, units, act, per_channel, bias, batch=1, seed=0):
    import tensorflow as tf

    rng = np.random.default_rng(seed + units * 31 + depth)
    w = tf.constant(rng.normal(size=(depth, units)).astype(np.float32))
    b = tf.constant(rng.normal(size=(units,)).astype(np.float32))

    def fn(x):
        y = tf.matmul(x, w)
        if bias:
            y = y + b
        if act == "relu":
            y = tf.nn.relu(y)
        elif act == "relu6":
            y = tf.nn.relu6(y)
        elif act == "relu_n1_to_1":
            y = tf.clip_by_value(y, -1.0, 1.0)
        return y

    return int8_model(fn, [(batch, depth)], per_channel=per_channel, seed=seed, low=-2.0, high=3.0)


CASES = [
    (24, 7, None, True, True, 1), (24, 16, "relu", True, False, 1), (24, 5, "relu6", False, True, 1),
    (27, 33, None, False, False, 1), (3, 9, "relu", True, True, 2), (61, 4, "relu_n1_to_1", True, True, 3),
    (128, 130, None, True, True, 1),
]


@pytest.mark.parametrize("depth,units,act,per_channel,bias,batch", CASES)
def test_dense_bit_exact_on_host(tmp_path, depth, units, act, per_channel, bias, batch):
    model = dense_model(depth, units, act, per_channel, bias, batch)
    assert not check_graph(parse_graph(model))
    assert_host_bit_exact(model, tmp_path)


@pytest.mark.parametrize("depth,units,batch", [(27, 33, 1), (61, 6, 3), (128, 130, 1)])
def test_dense_bit_exact_on_cortex_m4_dsp_path(tmp_path, depth, units, batch):
    model = dense_model(depth, units, "relu", True, True, batch)
    doc = assert_host_bit_exact(model, tmp_path, board="mps2-an386", extra_cflags="-Werror")
    assert doc["instructions_per_inference"] > 0


def test_dense_on_cortex_m3_without_dsp(tmp_path):
    model = dense_model(27, 9, None, False, True)
    assert_host_bit_exact(model, tmp_path, board="mps2-an385", extra_cflags="-Werror")


@pytest.mark.parametrize("depth,units,batch", [(27, 33, 1), (61, 6, 3), (3, 9, 2), (128, 130, 1)])
def test_dense_on_cortex_m0plus(tmp_path, depth, units, batch):
    """The ARMv6-M dot product: depth % 4 tails, depth < 4 (no group at all), rows % 4 plain rows."""
    model = dense_model(depth, units, "relu", True, True, batch)
    doc = assert_host_bit_exact(model, tmp_path, board="m0plus-an385", extra_cflags="-Werror")
    assert doc["instructions_per_inference"] > 0


def test_compact_layout_bit_exact_and_wide_saves_instructions_on_cortex_m4(tmp_path, monkeypatch):
    """Both weight layouts on the DSP path: compact (what flash-short boards get) is bit-exact too, and
    the wide one earns its flash with fewer instructions."""
    from tinygen.ops import fully_connected

    model = dense_model(128, 36, "relu", True, True)
    (tmp_path / "wide").mkdir()
    (tmp_path / "compact").mkdir()
    wide = assert_host_bit_exact(model, tmp_path / "wide", board="mps2-an386", extra_cflags="-Werror")
    monkeypatch.setattr(fully_connected, "layout_for", lambda graph, target: fully_connected.COMPACT)
    compact = assert_host_bit_exact(model, tmp_path / "compact", board="mps2-an386", extra_cflags="-Werror")
    assert wide["flash_bytes"] > compact["flash_bytes"]
    assert wide["instructions_per_inference"] < compact["instructions_per_inference"]


def test_compact_layout_bit_exact_on_host(tmp_path, monkeypatch):
    from tinygen.ops import fully_connected

    monkeypatch.setattr(fully_connected, "layout_for", lambda graph, target: fully_connected.COMPACT)
    assert_host_bit_exact(dense_model(61, 6, "relu", False, True, 3), tmp_path)


def test_rows_layout_bit_exact_on_host(tmp_path, monkeypatch):
    """The ARMv6-M layout through tg_dot's portable reader (the M0+ block runs in the m0plus tests)."""
    from tinygen.ops import fully_connected

    monkeypatch.setattr(fully_connected, "layout_for", lambda graph, target: fully_connected.ROWS)
    assert_host_bit_exact(dense_model(61, 6, "relu", False, True, 3), tmp_path)
