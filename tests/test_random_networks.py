"""Whole models nobody tuned for: random Keras networks, quantized, run end to end bit-exact."""

import pytest

from tests.netgen import random_network
from tests.ops.opmodels import assert_host_bit_exact, int8_model
from tinygen.model.graph import parse_graph
from tinygen.ops import check_graph

pytestmark = pytest.mark.slow


def convert(seed: int) -> bytes:
    model, shape = random_network(seed)
    return int8_model(lambda x: model(x), [shape], seed=seed, low=-1.5, high=1.5)


@pytest.mark.parametrize("seed", range(30))
def test_random_network_bit_exact_on_host(tmp_path, seed):
    tflite = convert(seed)
    graph = parse_graph(tflite, f"random-{seed}.tflite")
    assert not check_graph(graph), check_graph(graph)
    assert_host_bit_exact(tflite, tmp_path, count=3)


@pytest.mark.parametrize("seed", [100, 101, 102, 103])
def test_random_network_bit_exact_on_cortex_m4(tmp_path, seed):
    tflite = convert(seed)
    assert_host_bit_exact(tflite, tmp_path, count=2, board="mps2-an386", extra_cflags="-Werror")
