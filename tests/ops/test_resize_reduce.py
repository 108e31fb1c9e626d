"""RESIZE_NEAREST_NEIGHBOR (every align_corners / half_pixel_centers combination, up and down) and
REDUCE_MAX / REDUCE_MIN (several axes, keep_dims), bit-exact with TFLM."""

import numpy as np
import pytest

from tests.ops.opmodels import assert_host_bit_exact, int8_model
from tinygen.model.graph import parse_graph
from tinygen.ops.resize_nearest import nearest_sources

pytestmark = pytest.mark.slow


def _ops(model):
    return [op.opcode for op in parse_graph(model).operators]


@pytest.mark.parametrize("size", [(10, 14), (3, 4), (7, 5)])
@pytest.mark.parametrize("align,half", [(False, False), (True, False), (False, True)])
def test_resize_nearest_bit_exact(tmp_path, size, align, half):
    import tensorflow as tf

    fn = lambda x: tf.compat.v1.image.resize_nearest_neighbor(x, size, align_corners=align,  # noqa: E731
                                                               half_pixel_centers=half)
    model = int8_model(fn, [(1, 5, 7, 3)])
    if "RESIZE_NEAREST_NEIGHBOR" not in _ops(model):
        pytest.skip(f"the converter made {_ops(model)}")
    assert_host_bit_exact(model, tmp_path, count=3)


def test_nearest_sources_match_known_values():
    assert list(nearest_sources(4, 2, False, False)) == [0, 0, 1, 1]  # UpSampling2D x2
    assert list(nearest_sources(3, 6, False, False)) == [0, 2, 4]
    assert list(nearest_sources(5, 3, True, False)) == [0, 1, 1, 2, 2]  # (i * 0.5) rounded half away
    assert list(nearest_sources(4, 2, False, True)) == [0, 0, 1, 1]


@pytest.mark.parametrize("reduce", ["max", "min"])
@pytest.mark.parametrize("axes,keep", [((1, 2), False), ((1, 2), True), ((3,), False), ((0, 1, 2, 3), False),
                                       ((-1, 1), True)])
def test_reduce_minmax_bit_exact(tmp_path, reduce, axes, keep):
    import tensorflow as tf

    op = tf.reduce_max if reduce == "max" else tf.reduce_min
    model = int8_model(lambda x: op(x, axis=list(axes), keepdims=keep), [(1, 6, 5, 4)])
    if f"REDUCE_{reduce.upper()}" not in _ops(model):
        pytest.skip(f"the converter made {_ops(model)}")
    assert_host_bit_exact(model, tmp_path, count=3)


def test_a_keras_upsampling_and_global_max_pool_net_on_cortex_m4(tmp_path):
    import tensorflow as tf

    rng = np.random.default_rng(0)
    w = tf.constant(rng.normal(0, 0.4, (3, 3, 2, 4)).astype(np.float32))

    def fn(x):
        y = tf.nn.relu(tf.nn.conv2d(x, w, 1, "SAME"))
        y = tf.compat.v1.image.resize_nearest_neighbor(y, (12, 10))
        return tf.reduce_max(y, axis=[1, 2])

    model = int8_model(fn, [(1, 6, 5, 2)])
    assert {"RESIZE_NEAREST_NEIGHBOR", "REDUCE_MAX"} <= set(_ops(model)), _ops(model)
    assert_host_bit_exact(model, tmp_path, board="mps2-an386", extra_cflags="-Werror", count=3)
