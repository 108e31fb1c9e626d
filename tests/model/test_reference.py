"""The host reference runs a run's inferences as one stream: state kept, reset once at the start."""

import numpy as np

from tinygen.model.graph import load_graph
from tinygen.model.reference import reference_outputs


def test_lstm_state_is_kept_between_inferences_and_reset_per_run(shared_models):
    path = shared_models / "tflm" / "micro_speech_lstm.tflite"
    g = load_graph(path)
    assert g.keeps_state and any(t.is_variable for t in g.tensors)
    x = np.full((1, 49, 257), 3, dtype=np.int8)
    stream = [r[0].ravel().tolist() for r in reference_outputs(str(path), [[x]] * 4)]
    # the same input gives other outputs as the LSTM state moves on
    assert stream[0] == stream[1] == [49, -128, -49] and stream[2] == [63, -128, -63] and stream[3] == [75, -128, -75]
    # every run starts from the reset state: the same stream again, and a one-inference run is the first
    assert [r[0].ravel().tolist() for r in reference_outputs(str(path), [[x]] * 4)] == stream
    assert reference_outputs(str(path), [[x]])[0][0].ravel().tolist() == stream[0]


def test_stateless_models_do_not_depend_on_order(shared_models):
    path = shared_models / "ad01_int8.tflite"
    assert not load_graph(path).keeps_state
    rng = np.random.default_rng(0)
    xs = [rng.integers(-128, 128, (1, 640), dtype=np.int8) for _ in range(3)]
    fwd = reference_outputs(str(path), [[x] for x in xs])
    back = reference_outputs(str(path), [[x] for x in reversed(xs)])
    assert all(np.array_equal(a[0], b[0]) for a, b in zip(fwd, reversed(back)))
