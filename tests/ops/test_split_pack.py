"""SPLIT, SPLIT_V, UNPACK, PACK and SLICE: TensorFlow-made int8 models, bit-exact with TFLM."""

import pytest

from tests.ops.opmodels import assert_host_bit_exact, int8_model
from tinygen.model.graph import parse_graph

pytestmark = pytest.mark.slow


def _need(model, opcode):
    ops = [op.opcode for op in parse_graph(model).operators]
    if opcode not in ops:
        pytest.skip(f"the converter made {ops}")


@pytest.mark.parametrize("axis,n", [(-1, 3), (1, 2), (2, 4)])
def test_split(tmp_path, axis, n):
    import tensorflow as tf

    model = int8_model(lambda x: tf.concat(tf.split(x, n, axis=axis)[::-1], axis=axis), [(1, 4, 8, 6)])
    _need(model, "SPLIT")
    assert_host_bit_exact(model, tmp_path, count=3)


@pytest.mark.parametrize("sizes,axis", [([1, 4, 3], -1), ([2, -1], 1)])
def test_split_v(tmp_path, sizes, axis):
    import tensorflow as tf

    model = int8_model(lambda x: tf.concat(tf.split(x, sizes, axis=axis)[::-1], axis=axis), [(1, 5, 3, 8)])
    _need(model, "SPLIT_V")
    assert_host_bit_exact(model, tmp_path, count=3)


@pytest.mark.parametrize("axis", [0, 1, 2, -1])
def test_unpack_then_pack(tmp_path, axis):
    import tensorflow as tf

    def fn(x):
        parts = tf.unstack(x, axis=1)
        return tf.stack(parts[::-1], axis=axis)

    model = int8_model(fn, [(2, 3, 4, 5)])
    _need(model, "UNPACK")
    _need(model, "PACK")
    assert_host_bit_exact(model, tmp_path, count=3)


@pytest.mark.parametrize("begin,size", [((0, 1, 2, 0), (1, 3, 2, 4)), ((0, 0, 1, 2), (-1, -1, -1, 3))])
def test_slice(tmp_path, begin, size):
    import tensorflow as tf

    model = int8_model(lambda x: tf.slice(x, begin, size), [(1, 5, 6, 7)])
    _need(model, "SLICE")
    assert_host_bit_exact(model, tmp_path, count=3)


def test_split_pack_slice_on_cortex_m4(tmp_path):
    import tensorflow as tf

    def fn(x):
        a, b = tf.split(x, 2, axis=-1)
        s = tf.slice(tf.stack([b, a], axis=1), (0, 0, 1, 0, 0), (1, 2, 3, 4, 3))
        return tf.reshape(s, (1, -1))

    model = int8_model(fn, [(1, 5, 4, 6)])
    for opcode in ("SPLIT", "PACK", "SLICE"):
        _need(model, opcode)
    assert_host_bit_exact(model, tmp_path, board="mps2-an386", extra_cflags="-Werror", count=3)
