"""AVERAGE_POOL_2D and MAX_POOL_2D bit-exact with TFLM: on the host under sanitizers, and on the
Cortex-M4, whose average pool sums four channels at once (channels a multiple of 4, windows of at
most 255 pixels) and keeps the plain loop otherwise."""

import pytest

from tests.ops.opmodels import assert_host_bit_exact, int8_model

pytestmark = pytest.mark.slow

CASES = [  # input shape, window, stride, padding
    ((1, 8, 8, 64), 8, 8, "VALID"),   # global, as ResNet-8's
    ((1, 9, 7, 8), 3, 2, "SAME"),     # clipped windows at the edges
    ((1, 6, 6, 6), 2, 2, "VALID"),    # channels not a multiple of 4
    ((1, 16, 17, 4), 16, 16, "VALID"),  # 256 pixels: past the int16 lanes' range, plain loop
]


def pool_model(shape, k, s, padding, kind):
    import tensorflow as tf

    pool = tf.nn.avg_pool2d if kind == "avg" else tf.nn.max_pool2d
    return int8_model(lambda x: pool(x, k, s, padding), [shape], low=-2.0, high=3.0)


@pytest.mark.parametrize("case", CASES[:2])
def test_pool_on_host_with_sanitizers(tmp_path, case):
    assert_host_bit_exact(pool_model(*case, "avg"), tmp_path)


@pytest.mark.parametrize("case", CASES)
def test_average_pool_on_cortex_m4(tmp_path, case):
    doc = assert_host_bit_exact(pool_model(*case, "avg"), tmp_path, board="mps2-an386", extra_cflags="-Werror")
    assert doc["instructions_per_inference"] > 0
