"""Checks shared by the int8 kernels."""

from __future__ import annotations

from ..model.graph import Graph, Operator, Tensor


def tensor_type_problems(graph: Graph, op: Operator, index: int, allowed: tuple[str, ...], what: str) -> list[str]:
    t = graph.tensor(index)
    if t is None:
        return [f"{what} is missing"]
    if t.dtype not in allowed:
        return [f"{what} tensor '{t.name}' is {t.dtype}; needs {' or '.join(allowed)}"]
    if t.dtype in ("int8", "int16", "int32") and not t.is_quantized and what != "shape":
        return [f"{what} tensor '{t.name}' has no quantization parameters"]
    return []


def activation_problems(op: Operator) -> list[str]:
    act = op.options.get("fusedActivationFunction", 0)
    if act not in (0, 1, 2, 3):
        from .prepare import ACT_NAMES

        return [f"fused activation {ACT_NAMES.get(act, act)} is not supported on int8"]
    return []


def scale0(t: Tensor) -> float:
    return float(t.scale[0])


def zp0(t: Tensor) -> int:
    return int(t.zero_point[0])
