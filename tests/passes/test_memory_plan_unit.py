"""The planner on hand-made graphs: lifetimes, aliasing, scratch, and first-fit reuse."""

import numpy as np

from tinygen.model.graph import Graph, Operator, Tensor
from tinygen.ops import Lowered
from tinygen.passes.memory_plan import plan_memory


def t(i, n, const=False):
    return Tensor(i, f"t{i}", (n,), "int8", np.array([0.1], np.float32), np.array([0]), 0,
                  np.zeros(n, np.int8) if const else None)


def graph(tensors, ops, inputs, outputs):
    return Graph("g", "0" * 64, 0, tensors, ops, inputs, outputs)


def test_chain_reuses_memory():
    # t0 -> A -> t1 -> B -> t2 -> C -> t3 ; t0 and t2 can share, t1 and t3 can share
    ts = [t(0, 100), t(1, 100), t(2, 100), t(3, 100)]
    ops = [Operator(i, "X", 1, (i,), (i + 1,)) for i in range(3)]
    plan = plan_memory(graph(ts, ops, (0,), (3,)), [Lowered(kernel="k") for _ in ops])
    assert plan.arena_bytes == 200


def test_alias_extends_the_buffer_and_shares_offset():
    ts = [t(0, 64), t(1, 64), t(2, 64), t(3, 8)]
    ops = [Operator(0, "X", 1, (0,), (1,)), Operator(1, "RESHAPE", 1, (1,), (2,)), Operator(2, "X", 1, (2,), (3,))]
    low = [Lowered(kernel="k"), Lowered(alias_of=1), Lowered(kernel="k")]
    plan = plan_memory(graph(ts, ops, (0,), (3,)), low)
    assert plan.tensor_offset[1] == plan.tensor_offset[2]
    plan.verify()


def test_scratch_is_alive_only_in_its_operator():
    ts = [t(0, 40), t(1, 40), t(2, 40)]
    ops = [Operator(0, "X", 1, (0,), (1,)), Operator(1, "X", 1, (1,), (2,))]
    low = [Lowered(kernel="k", scratch_bytes=30), Lowered(kernel="k")]
    plan = plan_memory(graph(ts, ops, (0,), (2,)), low)
    assert 0 in plan.scratch_offset
    assert plan.arena_bytes == 40 + 40 + 32
    plan.verify()


def test_constants_take_no_arena():
    ts = [t(0, 16), t(1, 1000, const=True), t(2, 16)]
    plan = plan_memory(graph(ts, [Operator(0, "X", 1, (0, 1), (2,))], (0,), (2,)), [Lowered(kernel="k")])
    assert plan.arena_bytes == 32


def state(i, n, dtype="int8", zp=-50):
    return Tensor(i, f"s{i}", (n,), dtype, np.array([0.1], np.float32), np.array([zp]), 0, None, True)


def test_variable_tensors_live_for_the_whole_program_and_overlap_nothing():
    # t0 -> A(state s4) -> t1 -> B -> t2 -> C(state s5) -> t3: the states outlive every op
    ts = [t(0, 100), t(1, 100), t(2, 100), t(3, 100), state(4, 48), state(5, 24, "int16", 0)]
    ops = [Operator(0, "SVDF", 1, (0, 4), (1,)), Operator(1, "X", 1, (1,), (2,)), Operator(2, "SVDF", 1, (2, 5), (3,))]
    plan = plan_memory(graph(ts, ops, (0,), (3,)), [Lowered(kernel="k") for _ in ops])
    assert plan.variables == [4, 5]
    bufs = {b.name: b for b in plan.buffers}
    for name in ("t4", "t5"):
        assert bufs[name].persistent and bufs[name].first == -1 and bufs[name].last == 3
    # state at the bottom, exclusive (s5: 24 int16 = 48 bytes); the chain reuses 200 bytes above it
    assert {plan.tensor_offset[4], plan.tensor_offset[5]} == {0, 48}
    assert plan.arena_bytes == 48 + 48 + 200
    for i in range(4):
        assert plan.tensor_offset[i] >= 96
    plan.verify()


def test_an_unread_variable_tensor_still_gets_its_own_bytes():
    ts = [t(0, 16), t(1, 16), state(2, 8)]
    plan = plan_memory(graph(ts, [Operator(0, "X", 1, (0,), (1,))], (0,), (1,)), [Lowered(kernel="k")])
    assert plan.arena_bytes == 8 + 16 + 16 and 2 in plan.tensor_offset


def test_an_alias_of_state_is_refused():
    import pytest

    from tinygen.errors import UnsupportedError

    ts = [t(0, 16), state(1, 16), t(2, 16)]
    ops = [Operator(0, "RESHAPE", 1, (1,), (2,))]
    with pytest.raises(UnsupportedError, match="variable tensor"):
        plan_memory(graph(ts, ops, (0,), (2,)), [Lowered(alias_of=1)])


def test_reset_byte_follows_tflm():
    # ResetVariableTensors: int8 -> its zero point, any other type -> 0 (even with a zero point)
    assert state(0, 4).reset_byte == (-50) & 0xFF
    assert state(0, 4, "int16", 7).reset_byte == 0
