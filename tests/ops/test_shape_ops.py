import pytest

from tests.ops.opmodels import assert_host_bit_exact, int8_model
from tinygen.model.graph import parse_graph

pytestmark = pytest.mark.slow


def ops_of(model):
    return [op.opcode for op in parse_graph(model).operators]


@pytest.mark.parametrize("shape,axes,keep", [
    ((1, 5, 7, 6), (1, 2), True), ((1, 4, 4, 3), (1, 2), False), ((2, 9, 5), (1,), True),
    ((1, 3, 5, 8), (3,), False), ((1, 25, 5, 64), (1, 2), True), ((1, 2, 3, 4), (0, 1, 2, 3), False),
])
def test_mean(tmp_path, shape, axes, keep):
    import tensorflow as tf

    model = int8_model(lambda x: tf.reduce_mean(x, axis=axes, keepdims=keep), [shape], low=-2, high=3)
    assert "MEAN" in ops_of(model)
    assert_host_bit_exact(model, tmp_path)


@pytest.mark.parametrize("shape,pads,mode", [
    ((1, 5, 5, 3), ((0, 0), (1, 2), (2, 1), (0, 0)), "zero"), ((1, 6, 4), ((0, 0), (3, 0), (1, 1)), "zero"),
    ((1, 4, 4, 2), ((0, 0), (1, 1), (1, 1), (0, 0)), "const"),
])
def test_pad(tmp_path, shape, pads, mode):
    import tensorflow as tf

    if mode == "const":
        fn = lambda x: tf.pad(x, pads, constant_values=0.5)  # noqa: E731
    else:
        fn = lambda x: tf.pad(x, pads)  # noqa: E731
    model = int8_model(fn, [shape], low=-1, high=1)
    assert {"PAD", "PADV2"} & set(ops_of(model))
    assert_host_bit_exact(model, tmp_path)


@pytest.mark.parametrize("axis", [1, 2, 3, -1])
def test_concatenation_with_requantize(tmp_path, axis):
    import tensorflow as tf

    def fn(a, b):  # different ranges make the converter requantize (QUANTIZE) before concatenating
        return tf.concat([a, b * 3.0], axis=axis)

    model = int8_model(fn, [(1, 4, 3, 2), (1, 4, 3, 2)], low=-1, high=1)
    assert "CONCATENATION" in ops_of(model)
    assert_host_bit_exact(model, tmp_path)


def test_on_cortex_m4(tmp_path):
    import tensorflow as tf

    def fn(a):
        b = tf.pad(a, ((0, 0), (1, 1), (1, 1), (0, 0)))
        return tf.reduce_mean(tf.concat([b, b * 2.0], axis=3), axis=(1, 2))

    model = int8_model(fn, [(1, 6, 5, 4)])
    assert_host_bit_exact(model, tmp_path, board="mps2-an386", extra_cflags="-Werror")


@pytest.mark.parametrize("shape,perm", [((1, 3, 4, 5), (0, 3, 1, 2)), ((2, 3, 4), (2, 0, 1)), ((4, 6), (1, 0)),
                                        ((1, 2, 3, 4, 5), (0, 4, 2, 3, 1))])
def test_transpose(tmp_path, shape, perm):
    import tensorflow as tf

    model = int8_model(lambda x: tf.transpose(x, perm), [shape])
    assert "TRANSPOSE" in ops_of(model)
    assert_host_bit_exact(model, tmp_path)


@pytest.mark.parametrize("shape,spec", [
    ((1, 8, 6, 4), "[:, 1:7:2, ::-1, 1:3]"), ((1, 10, 3), "[:, -4:, 1]"), ((2, 9), "[1, ::3]"),
    ((1, 7, 7, 5), "[:, ::-2, 2:, :]"),
])
def test_strided_slice(tmp_path, shape, spec):
    import tensorflow as tf

    fn = eval(f"lambda x: x{spec}")  # noqa: S307  (a fixed test table)
    model = int8_model(fn, [shape])
    assert "STRIDED_SLICE" in ops_of(model)
    assert_host_bit_exact(model, tmp_path)
