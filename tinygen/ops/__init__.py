"""Operators the int8 runtime can run: one module per operator.

Each module defines one or more `Kernel` subclasses. A kernel
- `check(graph, op)` returns the reasons it cannot run this operator (empty: it can);
- `lower(graph, op)` returns a `Lowered`: the C call, its precomputed parameters and constant
  arrays, the scratch it needs, or that its output is an alias of an input (reshape-like ops).
Modules are discovered automatically, so adding an operator touches no shared file.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from ..errors import ModelError, UnsupportedError
from ..model.graph import Graph, Operator

MESSAGE_LIMIT = 220  # and the "and N more" tail: one readable line, however many problems
BUG = "a tinygen bug; please report it with the model"


@dataclass(frozen=True)
class T:
    """A tensor pointer argument (arena or constant), by tensor index."""

    index: int


@dataclass(frozen=True)
class Ref:
    """A reference to one of this call's constant arrays, by local name."""

    name: str


@dataclass(frozen=True)
class TArray:
    """A constant array of tensor pointers (for kernels taking a variable number of inputs, or with
    writable=True, of outputs)."""

    indices: tuple[int, ...]
    writable: bool = False


@dataclass(frozen=True)
class Scratch:
    """The call's scratch buffer in the arena."""


@dataclass
class ConstArray:
    name: str
    ctype: str  # "int8_t", "int16_t", "int32_t", "uint8_t"
    values: np.ndarray


@dataclass
class Lowered:
    kernel: str | None = None  # C function; None when the op needs no code (alias)
    header: str | None = None  # runtime header that declares it
    params_type: str | None = None
    params: dict = field(default_factory=dict)  # field -> int | Ref
    args: list = field(default_factory=list)  # T | TArray | Ref | Scratch | None (NULL)
    consts: list[ConstArray] = field(default_factory=list)
    scratch_bytes: int = 0  # filled by lower_graph from ops/scratch.py when args hold a Scratch()
    alias_of: int | None = None  # output 0 shares the buffer of this input tensor
    macs: int = 0


class Kernel:
    opcode: str = ""

    def check(self, graph: Graph, op: Operator) -> list[str]:
        raise NotImplementedError

    def lower(self, graph: Graph, op: Operator) -> Lowered:
        raise NotImplementedError

    def lower_for(self, graph: Graph, op: Operator, target) -> Lowered:
        """Lowering that may depend on the core (see tinygen.codegen.target); most kernels do not care."""
        return self.lower(graph, op)


@lru_cache(maxsize=1)
def registry() -> dict[str, Kernel]:
    found: dict[str, Kernel] = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for obj in vars(module).values():
            if isinstance(obj, type) and issubclass(obj, Kernel) and obj is not Kernel and obj.opcode:
                if obj.__module__ == module.__name__:
                    found[obj.opcode] = obj()
    return found


def supported_opcodes() -> set[str]:
    return set(registry())


IO_TYPES = ("int8", "int16", "int32", "float32")
# TFLM's signal library (tflite-micro's signal/): the custom operators of its audio front ends
# (micro_speech's audio_preprocessor: SignalWindow, SignalRfft, SignalFilterBank, ...).
SIGNAL_LIBRARY = "Signal"


def missing_kernel_reason(opcode: str) -> str:
    """Why an operator without a kernel is refused: custom operators by name, with what to do."""
    if not opcode.startswith("CUSTOM:"):
        return "not supported yet"
    name = opcode[len("CUSTOM:"):]
    if name.startswith(SIGNAL_LIBRARY):
        return (f"custom operator {name} (TFLM signal library, an audio front end) is not in tinygen's "
                f"runtime: compute the features before the model")
    return f"custom operator {name} is not in tinygen's runtime (it runs built-in operators)"


def check_graph(graph: Graph) -> list[str]:
    """Every reason the runtime cannot run this graph, one line per operator problem."""
    problems = []
    reg = registry()
    for t in graph.input_tensors + graph.output_tensors:
        kind = "input" if t.index in graph.inputs else "output"
        # Each I/O tensor is bytes in its arena slot; the operators that read or write it check its type.
        if t.dtype not in IO_TYPES:
            problems.append(f"model {kind} tensor {t.index} '{t.name}' is {t.dtype}; the runtime takes "
                            f"{', '.join(IO_TYPES)} (quantize with int8 input/output: tinygen quantize)")
    for op in graph.operators:
        kernel = reg.get(op.opcode)
        types = "/".join(sorted({graph.tensors[i].dtype for i in op.inputs[:1] + op.outputs if i >= 0}))
        where = f"operator {op.index} {op.opcode} ({types})"
        if kernel is None:
            problems.append(f"{where}: {missing_kernel_reason(op.opcode)}")
            continue
        try:
            reasons = kernel.check(graph, op)
        except Exception as exc:  # the graph was validated; a kernel check that still fails is a bug
            reasons = [f"its check failed ({type(exc).__name__}; {BUG})"]
        for reason in reasons:
            problems.append(f"{where}: {reason}")
    return problems


def summarize(head: str, problems: list[str], limit: int = MESSAGE_LIMIT) -> str:
    """As many problems as fit one line of about `limit` characters, then how many more there are."""
    if len(problems) == 1:
        return head + problems[0]
    text = f"{head}{len(problems)} problems: {problems[0]}"
    shown = 1
    for prob in problems[1:]:
        if len(text) + 2 + len(prob) > limit:  # the tail below adds some 50 characters
            break
        text += "; " + prob
        shown += 1
    if shown < len(problems):
        text += f"; and {len(problems) - shown} more (tinygen inspect lists them all)"
    return text


def require_supported(graph: Graph) -> None:
    problems = check_graph(graph)
    if problems:
        raise UnsupportedError(summarize(f"{graph.path}: ", problems))


def lower_graph(graph: Graph, target=None) -> list[Lowered]:
    from ..codegen.target import Target

    require_supported(graph)
    reg = registry()
    target = target or Target()
    lowered = []
    for op in graph.operators:
        try:
            lowered.append(reg[op.opcode].lower_for(graph, op, target.for_op(op.index)))
        except ModelError:
            raise
        except Exception as exc:  # checked and validated: what still fails is a bug, named in one line
            raise ModelError(f"{graph.path}: operator {op.index} {op.opcode}: cannot be lowered "
                             f"({type(exc).__name__}; {BUG})") from exc
    for low in lowered:
        if any(isinstance(a, Scratch) for a in low.args):  # sized in one place: ops/scratch.py
            from .scratch import scratch_for

            low.scratch_bytes = scratch_for(low.kernel)[0](low.params)
    return lowered
