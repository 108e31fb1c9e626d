"""RESIZE_BILINEAR on int8 (every align_corners / half_pixel_centers combination TFLM accepts, up,
down and uneven factors, batches), bit-exact with TFLM on the host (sanitizers) and the Cortex-M4."""

import numpy as np
import pytest

from tests.ops.opmodels import assert_host_bit_exact, int8_model
from tinygen.model.graph import parse_graph
from tinygen.ops import check_graph
from tinygen.ops.resize import bilinear_taps, taps_problems

pytestmark = pytest.mark.slow

FLAGS = [(False, False), (True, False), (False, True)]


def _ops(model):
    return [op.opcode for op in parse_graph(model).operators]


def _bilinear_model(in_shape, size, align, half, span=(-1.0, 1.0)):
    import tensorflow as tf

    fn = lambda x: tf.compat.v1.image.resize_bilinear(x, size, align_corners=align,  # noqa: E731
                                                      half_pixel_centers=half)
    model = int8_model(fn, [in_shape], low=span[0], high=span[1])
    if "RESIZE_BILINEAR" not in _ops(model):
        pytest.skip(f"the converter made {_ops(model)}")
    return model


@pytest.mark.parametrize("size", [(10, 14), (9, 13), (3, 4), (2, 3), (5, 7), (1, 1), (1, 20)])
@pytest.mark.parametrize("align,half", FLAGS)
def test_resize_bilinear_bit_exact(tmp_path, size, align, half):
    assert_host_bit_exact(_bilinear_model((1, 5, 7, 3), size, align, half), tmp_path, count=3)


@pytest.mark.parametrize("align,half", FLAGS)
def test_resize_bilinear_batches_and_single_pixel_input(tmp_path, align, half):
    assert_host_bit_exact(_bilinear_model((2, 1, 4, 5), (3, 9), align, half, (-6.0, 2.0)), tmp_path, count=3)


@pytest.mark.parametrize("span", [(-8.0, 3.0), (0.0, 5.0)])
def test_resize_bilinear_value_ranges(tmp_path, span):
    assert_host_bit_exact(_bilinear_model((1, 6, 6, 4), (16, 11), False, True, span), tmp_path, count=3)


def test_tf_image_resize_and_keras_upsampling(tmp_path):
    """tf.image.resize (half-pixel centres) and Keras UpSampling2D(interpolation='bilinear')."""
    import tensorflow as tf

    up = tf.keras.layers.UpSampling2D(size=(2, 3), interpolation="bilinear")
    model = int8_model(lambda x: tf.concat([tf.image.resize(x, (7, 9)), up(x)[:, :7, :9, :]], axis=-1),
                       [(1, 4, 3, 2)])
    if _ops(model).count("RESIZE_BILINEAR") != 2:
        pytest.skip(f"the converter made {_ops(model)}")
    assert_host_bit_exact(model, tmp_path, count=3)


def test_bilinear_taps_known_values():
    # 2x upsampling with half-pixel centres: the first row sits before row 0 (weight -1/4, both
    # taps row 0), then the quarter/three-quarter pattern, and the last clamps to row 1.
    assert bilinear_taps(4, 2, False, True).tolist() == [[0, 0, -256], [0, 1, 256], [0, 1, 768], [1, 1, 256]]
    # align_corners steps by 1/3, rounded down to 341/1024, so the last pixel is 1023/1024 of the
    # way to row 1 rather than on it, as in TFLM.
    assert bilinear_taps(4, 2, True, False).tolist() == [[0, 0, 0], [0, 1, 341], [0, 1, 682], [0, 1, 1023]]
    assert bilinear_taps(2, 4, False, False).tolist() == [[0, 0, 0], [2, 2, 0]]


def test_taps_that_would_read_outside_the_input_are_refused():
    # 1 -> 55 rows: the scale rounds to 19/1024, so the last row lands at 1026/1024, past the only
    # input row; TFLM would read out of bounds there, the generator refuses.
    assert bilinear_taps(55, 1, False, False)[-1].tolist() == [1, 0, 2]
    assert taps_problems(bilinear_taps(55, 1, False, False), 1, "row")
    assert not any(taps_problems(bilinear_taps(n * f, n, False, h), n, "row")
                   for n in range(1, 40) for f in (2, 3, 4) for h in (False, True))


def test_resize_bilinear_refusals():
    g = parse_graph(_bilinear_model((1, 3, 3, 2), (6, 6), False, False))
    op = next(op for op in g.operators if op.opcode == "RESIZE_BILINEAR")
    assert check_graph(g) == []
    op.options["alignCorners"] = op.options["halfPixelCenters"] = True
    assert any("align_corners and half_pixel_centers" in p for p in check_graph(g))
    op.options["alignCorners"] = op.options["halfPixelCenters"] = False
    out = g.tensors[op.outputs[0]]
    out.scale = np.array([float(out.scale[0]) * 2], dtype=np.float32)
    assert any("quantization differ" in p for p in check_graph(g))


def test_resize_bilinear_on_cortex_m4(tmp_path):
    model = _bilinear_model((1, 5, 7, 3), (9, 13), False, True, (-3.0, 2.0))
    assert_host_bit_exact(model, tmp_path, board="mps2-an386", extra_cflags="-Werror", count=3)
