"""BATCH_MATMUL (int8): TF-made models with two variable operands, adj_x / adj_y, batch
dimensions and broadcast batches, bit-exact with TFLM on the host (ASan/UBSan) and the M4."""

import numpy as np
import pytest

from tests.ops.opmodels import assert_host_bit_exact, int8_model
from tinygen.model.graph import parse_graph
from tinygen.ops import check_graph

pytestmark = pytest.mark.slow

CASES = {
    # name: (lhs shape, rhs shape, adj_x, adj_y)
    "plain": ((1, 4, 6), (1, 6, 5), False, False),
    "4d_batches": ((2, 3, 4, 6), (2, 3, 6, 5), False, False),
    "adj_y_broadcast_rhs": ((2, 4, 6), (1, 5, 6), False, True),
    "adj_x": ((3, 6, 4), (3, 6, 5), True, False),
    "broadcast_both": ((2, 1, 4, 6), (1, 3, 6, 5), False, False),
    "adj_both": ((2, 7, 3), (2, 9, 7), True, True),
}


def _model(case, seed=0):
    import tensorflow as tf

    a, b, ax, ay = CASES[case]
    m = int8_model(lambda x, y: tf.linalg.matmul(x, y, adjoint_a=ax, adjoint_b=ay), [a, b], seed=seed,
                   low=-2.0, high=2.0)
    g = parse_graph(m)
    assert [op.opcode for op in g.operators] == ["BATCH_MATMUL"] and not check_graph(g)
    return m


@pytest.mark.parametrize("case", sorted(CASES))
def test_batch_matmul_bit_exact_on_host(tmp_path, case):
    assert_host_bit_exact(_model(case), tmp_path, count=4)


@pytest.mark.parametrize("case", ["broadcast_both", "adj_both"])
def test_batch_matmul_on_cortex_m4(tmp_path, case):
    assert_host_bit_exact(_model(case, seed=1), tmp_path, board="mps2-an386", extra_cflags="-Werror", count=3)


def test_attention_scores_softmax_values(tmp_path):
    """Self-attention as the converter lowers it for one head: Q K^T, softmax, times V."""
    import tensorflow as tf

    rng = np.random.default_rng(5)
    wq, wk, wv = (tf.constant(rng.normal(0, 0.4, (8, 8)).astype(np.float32)) for _ in range(3))

    def fn(x):
        q, k, v = tf.matmul(x, wq), tf.matmul(x, wk), tf.matmul(x, wv)
        s = tf.nn.softmax(tf.matmul(q, k, transpose_b=True) * 0.35)
        return tf.matmul(s, v)

    m = int8_model(fn, [(1, 6, 8)])
    ops = [op.opcode for op in parse_graph(m).operators]
    assert "BATCH_MATMUL" in ops, ops
    problems = check_graph(parse_graph(m))
    if problems:
        pytest.skip(f"the converter made {ops}: {problems}")
    assert_host_bit_exact(m, tmp_path, count=4)


def test_constant_rhs_bit_exact_on_host(tmp_path):
    """x [2, 6, 8] @ a constant [2, 8, 5]: the converter keeps BATCH_MATMUL with int8 weights."""
    import tensorflow as tf

    w = tf.constant(np.random.default_rng(0).normal(0, 0.5, (2, 8, 5)).astype(np.float32))
    m = int8_model(lambda x: tf.matmul(x, w), [(2, 6, 8)])
    g = parse_graph(m)
    (op,) = g.operators
    assert op.opcode == "BATCH_MATMUL" and g.tensors[op.inputs[1]].is_constant
    assert_host_bit_exact(m, tmp_path, count=4)
