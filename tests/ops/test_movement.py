"""SPACE_TO_DEPTH, DEPTH_TO_SPACE, SPACE_TO_BATCH_ND, BATCH_TO_SPACE_ND and GATHER.

Two layers: the generator's offset tables, applied in numpy to hand-built graphs over many shapes,
must equal TensorFlow's own operator (cheap, no compiler); then TensorFlow-made int8 models run
bit-exact against TFLM on the host with sanitizers, and one combined model on the Cortex-M4."""

import numpy as np
import pytest

from tests.ops.opmodels import assert_host_bit_exact, int8_model
from tinygen.model.graph import Graph, Operator, Tensor, parse_graph
from tinygen.ops import check_graph, registry

pytestmark = pytest.mark.slow


def _need(model, *opcodes):
    ops = [op.opcode for op in parse_graph(model).operators]
    missing = [o for o in opcodes if o not in ops]
    if missing:
        pytest.skip(f"the converter made {ops}, without {missing}")


# --- the offset tables against TensorFlow, on hand-built graphs --------------------------------

def _tensor(i, shape, data=None, zp=0):
    dtype = "int8" if data is None else "int32"
    scale = np.array([0.05] if data is None else [], np.float32)
    zps = np.array([zp] if data is None else [], np.int64)
    return Tensor(i, f"t{i}", tuple(shape), dtype, scale, zps, 0,
                  None if data is None else np.asarray(data, np.int32).reshape(shape))


def _emulate(opcode, in_shape, out_shape, consts=(), options=None):
    """Lower a one-operator graph and run tg_run_gather_s8's loops in numpy on 0, 1, 2, ..."""
    tensors = [_tensor(0, in_shape)] + [_tensor(1 + k, np.shape(c), c) for k, c in enumerate(consts)]
    tensors.append(_tensor(len(tensors), out_shape))
    op = Operator(0, opcode, 1, tuple(range(len(tensors) - 1)), (len(tensors) - 1,), options or {})
    graph = Graph("g", "0" * 64, 0, tensors, [op], (0,), (len(tensors) - 1,))
    assert check_graph(graph) == []
    low = registry()[opcode].lower(graph, op)
    x = (np.arange(int(np.prod(in_shape))) % 251 - 125).astype(np.int8)  # distinct nearby bytes
    return x.reshape(in_shape), _run_gather(low, x).reshape(out_shape)


def _run_gather(low, x):
    p = low.params
    tables = {c.name: c.values for c in low.consts}
    out = []
    for s in range(p["sets"]):
        rows = tables["rows"][s * p["row_set_stride"]:][:p["rows"]]
        cols = tables["cols"][s * p["col_set_stride"]:][:p["cols"]]
        for r in rows:
            for c in cols:
                out.append(np.full(p["run"], p["pad_value"], np.int8) if r < 0 or c < 0 else x[r + c:r + c + p["run"]])
    return np.concatenate(out)


def _tf(fn, x):
    return fn(x.astype(np.float32)).numpy().astype(np.int8)  # integer values: exact in float32


@pytest.mark.parametrize("shape,bs", [((1, 4, 6, 3), 2), ((2, 6, 3, 1), 3), ((1, 8, 8, 5), 4), ((3, 2, 4, 2), 2)])
def test_space_to_depth_tables(shape, bs):
    import tensorflow as tf

    n, h, w, d = shape
    x, y = _emulate("SPACE_TO_DEPTH", shape, (n, h // bs, w // bs, d * bs * bs), options={"blockSize": bs})
    np.testing.assert_array_equal(y, _tf(lambda v: tf.nn.space_to_depth(v, bs), x))


@pytest.mark.parametrize("shape,bs", [((1, 3, 2, 8), 2), ((2, 1, 4, 18), 3), ((1, 2, 2, 16), 4), ((2, 3, 1, 20), 2)])
def test_depth_to_space_tables(shape, bs):
    import tensorflow as tf

    n, h, w, d = shape
    x, y = _emulate("DEPTH_TO_SPACE", shape, (n, h * bs, w * bs, d // (bs * bs)), options={"blockSize": bs})
    np.testing.assert_array_equal(y, _tf(lambda v: tf.nn.depth_to_space(v, bs), x))


@pytest.mark.parametrize("shape,block,pads", [
    ((1, 4, 4, 3), [2, 2], [[0, 0], [0, 0]]), ((2, 5, 3, 2), [2, 3], [[1, 0], [2, 1]]),
    ((1, 6, 3), [3], [[2, 1]]), ((3, 2, 4, 1), [1, 2], [[0, 0], [1, 1]]),
])
def test_space_to_batch_tables(shape, block, pads):
    import tensorflow as tf

    expected = tf.space_to_batch_nd(np.zeros(shape, np.float32), block, pads).shape
    x, y = _emulate("SPACE_TO_BATCH_ND", shape, expected, consts=(block, pads))
    np.testing.assert_array_equal(y, _tf(lambda v: tf.space_to_batch_nd(v, block, pads), x))


@pytest.mark.parametrize("shape,block,crops", [
    ((4, 3, 3, 2), [2, 2], [[0, 0], [0, 0]]), ((12, 2, 3, 3), [2, 3], [[1, 0], [2, 1]]),
    ((6, 3, 2), [3], [[1, 2]]), ((4, 2, 2, 1), [1, 2], [[0, 1], [1, 1]]),
])
def test_batch_to_space_tables(shape, block, crops):
    import tensorflow as tf

    expected = tf.batch_to_space(np.zeros(shape, np.float32), block, crops).shape
    x, y = _emulate("BATCH_TO_SPACE_ND", shape, expected, consts=(block, crops))
    np.testing.assert_array_equal(y, _tf(lambda v: tf.batch_to_space(v, block, crops), x))


@pytest.mark.parametrize("shape,indices,axis,batch_dims", [
    ((1, 4, 5, 3), [2, 0, 1, 1], 1, 0), ((6, 4), [[5, 0], [3, 3]], 0, 0), ((2, 3, 4), 2, -1, 0),
    ((2, 3, 4), [[2, 0], [1, 1]], 2, 1), ((2, 3, 4, 2), [[0, 2, 1], [1, 1, 0]], 1, 1), ((3, 5), [4, 0, 2], 1, 0),
])
def test_gather_tables(shape, indices, axis, batch_dims):
    import tensorflow as tf

    expected = tf.gather(np.zeros(shape, np.float32), indices, axis=axis, batch_dims=batch_dims).shape
    x, y = _emulate("GATHER", shape, expected, consts=(indices,), options={"axis": axis, "batchDims": batch_dims})
    np.testing.assert_array_equal(y, _tf(lambda v: tf.gather(v, indices, axis=axis, batch_dims=batch_dims), x))


def test_refusals_say_why():
    tensors = [_tensor(0, (1, 4, 4, 3), zp=-128), _tensor(1, (2,), [2, 2]), _tensor(2, (2, 2), [[1, 1], [0, 2]]),
               _tensor(3, (4, 3, 3, 3), zp=-128), _tensor(4, (2,), [0, 9])]
    s2b = Operator(0, "SPACE_TO_BATCH_ND", 1, (0, 1, 2), (3,))
    gather = Operator(1, "GATHER", 1, (0, 4), (3,), {"axis": 1, "batchDims": 0})
    for op, words in ((s2b, "uninitialized"), (gather, "indices outside")):
        problems = registry()[op.opcode].check(Graph("g", "0" * 64, 0, tensors, [op], (0,), (3,)), op)
        assert len(problems) == 1 and words in problems[0], problems


# --- TensorFlow-made int8 models, bit-exact with TFLM on the host -----------------------------

@pytest.mark.parametrize("shape,bs", [((1, 4, 6, 3), 2), ((1, 9, 6, 2), 3), ((2, 8, 4, 5), 4)])
def test_space_to_depth(tmp_path, shape, bs):
    import tensorflow as tf

    model = int8_model(lambda x: tf.nn.space_to_depth(x, bs), [shape])
    _need(model, "SPACE_TO_DEPTH")
    assert_host_bit_exact(model, tmp_path)


@pytest.mark.parametrize("shape,bs", [((1, 3, 2, 8), 2), ((1, 2, 3, 18), 3), ((2, 2, 2, 32), 4)])
def test_depth_to_space(tmp_path, shape, bs):
    import tensorflow as tf

    model = int8_model(lambda x: tf.nn.depth_to_space(x, bs), [shape])
    _need(model, "DEPTH_TO_SPACE")
    assert_host_bit_exact(model, tmp_path)


@pytest.mark.parametrize("shape,block,pads", [
    ((1, 4, 4, 3), [2, 2], [[1, 1], [0, 2]]), ((2, 6, 4, 2), [3, 2], [[0, 0], [0, 0]]),
    ((1, 4, 3), [2], [[1, 1]]), ((1, 5, 7, 2), [2, 3], [[0, 1], [1, 1]]),
])
def test_space_to_batch_nd(tmp_path, shape, block, pads):
    import tensorflow as tf

    # Symmetric calibration gives zero point 0, the only one TFLM pads with a defined byte.
    model = int8_model(lambda x: tf.space_to_batch_nd(x, block, pads), [shape], low=-1, high=1)
    _need(model, "SPACE_TO_BATCH_ND")
    assert_host_bit_exact(model, tmp_path)


def test_space_to_batch_nd_unpadded_any_zero_point(tmp_path):
    import tensorflow as tf

    model = int8_model(lambda x: tf.space_to_batch_nd(x, [2, 2], [[0, 0], [0, 0]]), [(1, 4, 6, 3)], low=0, high=2)
    _need(model, "SPACE_TO_BATCH_ND")
    assert parse_graph(model).tensors[parse_graph(model).outputs[0]].zero_point[0] != 0
    assert_host_bit_exact(model, tmp_path)


def test_space_to_batch_nd_padding_with_nonzero_zero_point_is_refused():
    import tensorflow as tf

    model = int8_model(lambda x: tf.space_to_batch_nd(x, [2, 2], [[1, 1], [0, 2]]), [(1, 4, 4, 3)], low=0, high=2)
    _need(model, "SPACE_TO_BATCH_ND")
    problems = check_graph(parse_graph(model))
    assert len(problems) == 1 and "SpaceToBatchParams.output_offset is never set" in problems[0], problems


@pytest.mark.parametrize("shape,block,crops", [
    ((4, 3, 3, 2), [2, 2], [[0, 1], [1, 0]]), ((6, 2, 2, 3), [3, 2], [[0, 0], [0, 0]]),
    ((4, 3, 2), [2], [[1, 0]]), ((8, 2, 3, 1), [2, 2], [[1, 1], [0, 2]]),
])
def test_batch_to_space_nd(tmp_path, shape, block, crops):
    import tensorflow as tf

    model = int8_model(lambda x: tf.batch_to_space(x, block, crops), [shape], low=-0.5, high=2)
    _need(model, "BATCH_TO_SPACE_ND")
    assert_host_bit_exact(model, tmp_path)


@pytest.mark.parametrize("shape,indices,axis,batch_dims", [
    ((1, 4, 5, 3), [2, 0, 1, 1], 1, 0), ((1, 6, 4), [[5, 0], [3, 3]], 1, 0), ((1, 3, 8), [7, 0, 2, 2, 5], -1, 0),
    ((1, 5, 3), 4, 1, 0), ((2, 3, 4), [[2, 0], [1, 1]], 2, 1),
])
def test_gather(tmp_path, shape, indices, axis, batch_dims):
    import tensorflow as tf

    model = int8_model(lambda x: tf.gather(x, indices, axis=axis, batch_dims=batch_dims), [shape])
    _need(model, "GATHER")
    assert_host_bit_exact(model, tmp_path)


def test_movement_ops_on_cortex_m4(tmp_path):
    import tensorflow as tf

    def fn(x):
        y = tf.nn.space_to_depth(x, 2)  # (1, 4, 3, 8)
        y = tf.gather(y, [7, 1, 0, 2, 5, 3, 4, 6], axis=3)
        y = tf.nn.depth_to_space(y, 2)  # (1, 8, 6, 2)
        y = tf.space_to_batch_nd(y, [2, 2], [[0, 2], [1, 1]])  # (4, 5, 4, 2)
        return tf.batch_to_space(y, [2, 2], [[1, 0], [0, 2]])  # (1, 9, 6, 2)

    model = int8_model(fn, [(1, 8, 6, 2)], low=-1, high=1)
    _need(model, "SPACE_TO_DEPTH", "GATHER", "DEPTH_TO_SPACE", "SPACE_TO_BATCH_ND", "BATCH_TO_SPACE_ND")
    assert_host_bit_exact(model, tmp_path, board="mps2-an386", extra_cflags="-Werror")
