"""What a .tflite holds: operators, tensors, quantization, MACs, weights, the planned arena, and
what the runtime supports. Pure: returns a dict; the CLI prints it."""

from __future__ import annotations

from ..errors import TinygenError
from .fold import fold_constants
from ..model.graph import Graph
from ..ops import check_graph, lower_graph, missing_kernel_reason, registry
from .memory_plan import plan_memory, render_plan
from ..ops.prepare import ACT_NAMES


def describe(graph: Graph, with_plan: bool = False) -> dict:
    reg = registry()
    folded = fold_constants(graph)  # shape arithmetic becomes constants; it is reported, not run
    remaining = {op.index for op in folded.operators}
    problems = check_graph(folded)
    ops = []
    for op in graph.operators:
        k = reg.get(op.opcode)
        if op.index not in remaining:
            reasons = []
        else:
            reasons = k.check(folded, op) if k else [missing_kernel_reason(op.opcode)]
        entry = {"index": op.index, "opcode": op.opcode, "version": op.version, "inputs": list(op.inputs),
                 "outputs": list(op.outputs), "supported": not reasons}
        if op.index not in remaining:
            entry["folded"] = True
        if reasons:
            entry["reasons"] = reasons
        act = op.options.get("fusedActivationFunction")
        if act:
            entry["activation"] = ACT_NAMES.get(act, act)
        ops.append(entry)
    tensors = []
    for t in graph.tensors:
        tensors.append({"index": t.index, "name": t.name, "shape": list(t.shape), "dtype": t.dtype,
                        "constant": t.is_constant, "bytes": t.nbytes,
                        "scale": [float(s) for s in t.scale[:4]] + (["..."] if t.scale.size > 4 else []),
                        "zero_point": [int(z) for z in t.zero_point[:4]] + (["..."] if t.zero_point.size > 4 else []),
                        "per_channel": t.per_channel, "variable": t.is_variable})
    doc = {
        "model": graph.path,
        "sha256": graph.sha256,
        "size_bytes": graph.size_bytes,
        "operators": ops,
        "tensors": tensors,
        "inputs": list(graph.inputs),
        "outputs": list(graph.outputs),
        "weight_bytes": sum(t.nbytes for t in graph.tensors if t.is_constant),
        # variable tensors: state kept across inferences (reset as TFLM resets them)
        "state_tensors": [t.index for t in graph.tensors if t.is_variable],
        "state_bytes": sum(t.nbytes for t in graph.tensors if t.is_variable),
        "tensor_types": _type_counts(graph),
        "supported": not problems,
        "problems": problems,
        "runtime_supports": sorted(reg),
        "macs": None,
        "arena_bytes": None,
    }
    if not problems:
        try:
            lowered = lower_graph(folded)
            plan = plan_memory(folded, lowered)
            doc["macs"] = sum(low.macs for low in lowered)
            doc["arena_bytes"] = plan.arena_bytes
            if with_plan:
                doc["plan"] = render_plan(graph, plan)
        except TinygenError as exc:
            doc["problems"] = [str(exc)]
            doc["supported"] = False
    return doc


def _type_counts(graph: Graph) -> dict:
    """Activation (non-constant) tensors per type: int16 activations, int32 I/O and such show here."""
    counts: dict[str, int] = {}
    for t in graph.tensors:
        if not t.is_constant:
            counts[t.dtype] = counts.get(t.dtype, 0) + 1
    return dict(sorted(counts.items()))


def format_text(doc: dict) -> str:
    lines = [f"{doc['model']}  ({doc['size_bytes']} bytes, sha256 {doc['sha256'][:16]}…)", ""]
    lines.append("operators:")
    for op in doc["operators"]:
        mark = "ok " if op["supported"] else "NO "
        act = f" +{op['activation']}" if op.get("activation") else ""
        why = f"   <- {'; '.join(op['reasons'])}" if op.get("reasons") else ""
        if op.get("folded"):
            why = "   (shape arithmetic: a constant at generation time)"
        lines.append(f"  {mark}{op['index']:3d} {op['opcode']}{act} v{op['version']}  in {op['inputs']} out {op['outputs']}{why}")
    lines.append("")
    lines.append("tensors (activations and I/O):")
    for t in doc["tensors"]:
        if t["constant"]:
            continue
        q = f"scale {t['scale'][0]:.6g} zp {t['zero_point'][0]}" if t["scale"] else "not quantized"
        role = " [input]" if t["index"] in doc["inputs"] else (" [output]" if t["index"] in doc["outputs"] else "")
        if t.get("variable"):
            role += " [state]"
        lines.append(f"  {t['index']:3d} {t['dtype']:7s} {str(t['shape']):18s} {q}  {t['name']}{role}")
    lines.append("")
    lines.append(f"weights: {doc['weight_bytes']} bytes in {sum(t['constant'] for t in doc['tensors'])} constant tensors")
    lines.append("activation tensors by type: " + ", ".join(f"{k} {v}" for k, v in doc["tensor_types"].items()))
    if doc["state_tensors"]:
        lines.append(f"state: {doc['state_bytes']} bytes in {len(doc['state_tensors'])} variable tensors "
                     f"{doc['state_tensors']} (kept across inferences, reset as TFLM resets them)")
    if doc["macs"] is not None:
        lines.append(f"MACs per inference: {doc['macs']}")
        lines.append(f"planned arena: {doc['arena_bytes']} bytes")
    if doc.get("plan"):
        lines += ["", doc["plan"]]
    lines.append("")
    if doc["supported"]:
        lines.append("runtime: every operator is supported")
    else:
        lines.append(f"runtime: {len(doc['problems'])} problem(s):")
        lines += [f"  - {p}" for p in doc["problems"]]
    return "\n".join(lines)
