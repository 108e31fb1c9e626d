import json

import pytest

from tinygen.model.graph import load_graph
from tinygen.ops import check_graph, lower_graph
from tinygen.passes.memory_plan import plan_memory, render_plan

MODELS = ["ad01_int8", "kws_ref_model", "vww_96_int8", "pretrainedResnet_quant"]


@pytest.mark.parametrize("name", MODELS)
def test_plan_has_no_overlap_and_beats_tflm_arena(shared_models, name):
    g = load_graph(shared_models / f"{name}.tflite")
    problems = check_graph(g)
    assert not problems, problems
    plan = plan_memory(g, lower_graph(g))
    plan.verify()
    # an independent check of the invariant, byte by byte over time
    for i in range(-1, len(g.operators) + 1):
        alive = [b for b in plan.buffers if b.first <= i <= b.last]
        used = set()
        for b in alive:
            span = set(range(b.offset, b.offset + b.size))
            assert not (span & used), f"{name}: overlap at operator {i}"
            used |= span
    baseline = json.loads((shared_models.parent / "baselines" / "tflm-qemu.json").read_text())
    tflm = min(v["arena_used_bytes"] for v in baseline["results"][name].values())
    assert plan.arena_bytes <= tflm, f"{name}: arena {plan.arena_bytes} > TFLM {tflm}"
    assert "arena" in render_plan(g, plan)
