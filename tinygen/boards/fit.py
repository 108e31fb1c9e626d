"""Does a model fit a board? What it needs, from the static memory plan, against the board's regions.

RAM: the arena (activations and kernel scratch, planned statically), the stack the board reserves,
and the I/O buffers (the serial link's frames, plus the staged input of a free-running firmware and
the MLPerf input buffer). Flash: the weights in the layout the kernels read, the built-in inputs of
a free-running firmware, and an estimate of the code (runtime, kernels, parameter structs). Before
any project is written, `choose_layout` lowers the model for the board and, where the widened (int16)
weights of the DSP kernels do not fit the flash, falls back to the compact int8 layout for as few
layers as needed (those with the most to save first). After the build, `check_elf` compares the
ELF's real sizes with the same regions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from ..errors import FitError

KB = 1024
# .bss the app and the link keep besides the arena (tg_app.c and tg_link.c frame buffers; measured
# 2,176 bytes with arm-none-eabi-gcc, the same for every model)
LINK_BUFFERS = 2176
# Code: start-up, link, app, libgcc and the hand-written DSP loops about 7 KB, each kernel's C 1 to 2 KB, each operator's call
# and parameter struct under 100 bytes (ad01 on nucleo-f446re: 6.6 KB; kws: 12.8 KB). An estimate on
# the high side; check_elf has the real figure after the build.
CODE_BASE = 8 * KB
CODE_PER_KERNEL = 1536
CODE_PER_OPERATOR = 96
# Kernels far above that, with their static helpers (arm-none-eabi-nm -S on kws for nucleo-f446re,
# Cortex-M4 -O2): the wide 1x1 convolution holds a loop written out per input depth.
KERNEL_CODE = {"tg_conv_packed_1x1_wide_rq_sat_s8": 9100, "tg_depthwise_packed_s8": 4300,
               "tg_conv_packed_im2col_wide_rq_sat_s8": 2900, "tg_softmax_s8": 2200}


def kb(n: int) -> int:
    return math.ceil(n / KB)


@dataclass
class Needs:
    arena: int
    stack: int
    io: int
    weights: int
    code: int
    inputs: int = 0  # built-in inputs in flash (free-running firmware)
    compact_layers: int = 0  # layers whose weights use the compact int8 layout to fit
    wide_layers: int = 0  # layers with widened weights once it fits
    weights_label: str = "weights"  # "the model": TFLM reads the whole flatbuffer from flash

    @property
    def ram(self) -> int:  # the linker starts the stack 8-aligned after .bss
        return (self.arena + self.io + 7) // 8 * 8 + self.stack

    @property
    def flash(self) -> int:
        return self.weights + self.code + self.inputs

    def ram_text(self) -> str:
        return f"{kb(self.ram)} KB RAM (arena {kb(self.arena)} KB + stack {kb(self.stack)} KB + I/O {kb(self.io)} KB)"

    def flash_text(self) -> str:
        parts = [f"{self.weights_label} {kb(self.weights)} KB"] + [f"code ~{kb(self.code)} KB"] * bool(self.code)
        parts += [f"built-in inputs {kb(self.inputs)} KB"] * bool(self.inputs)
        return f"{kb(self.flash)} KB flash ({' + '.join(parts)})"

    def layout_text(self) -> str:
        if not self.compact_layers:
            return ""
        return (f"compact int8 weight layout on {self.compact_layers} layer(s) (widened int16 weights do not fit "
                f"the flash)")


def regions(board) -> tuple[int, int]:
    return board.memory["ram"]["size"], board.memory["flash"]["size"]


def margins(needs: Needs, board) -> dict:
    """Free bytes left in RAM and flash (negative: short)."""
    ram, flash = regions(board)
    return {"ram_margin": ram - needs.ram, "flash_margin": flash - needs.flash}


def refusal(needs: Needs, board, where: str) -> str | None:
    """One line saying what does not fit and by how much, or None when it fits."""
    ram, flash = regions(board)
    parts = []
    if needs.ram > ram:
        parts.append(f"model needs {needs.ram_text()}; board {board.name} has {ram / KB:g} KB: "
                     f"{kb(needs.ram - ram)} KB short")
    if needs.flash > flash:
        tried = (" (with the compact int8 weight layout on every layer)" if needs.compact_layers and
                 not needs.wide_layers else "")
        parts.append(f"{'and ' if parts else 'model '}needs {needs.flash_text()}{tried}; board {board.name} has "
                     f"{flash / KB:g} KB flash: {kb(needs.flash - flash)} KB short")
    return f"{where}: " + "; ".join(parts) if parts else None


CTYPE_BYTES = {"int8_t": 1, "uint8_t": 1, "int16_t": 2, "uint16_t": 2, "int32_t": 4, "uint32_t": 4, "float": 4}


def _array_bytes(c) -> int:
    """As the C declares it (the values may be held wider in Python)."""
    return max(c.values.size, 1) * CTYPE_BYTES.get(c.ctype, c.values.itemsize)


def _used_consts(low) -> list:
    """The operator's own arrays its call or parameters refer to (the compiler drops the others)."""
    from ..ops import Ref

    refs = {v.name for v in list(low.params.values()) + list(low.args) if isinstance(v, Ref)}
    return [c for c in low.consts if c.name in refs]


def _const_bytes(graph, low) -> int:
    """Flash bytes of one lowered operator: its own arrays and the constant tensors it reads."""
    from ..ops import T, TArray

    n = sum(_array_bytes(c) for c in _used_consts(low))
    for a in low.args:
        indices = [a.index] if isinstance(a, T) else a.indices if isinstance(a, TArray) else []
        n += sum(graph.tensors[i].nbytes for i in indices if graph.tensors[i].is_constant)
    return n


def needs_of(graph, lowered, plan, board, mode: str = "request", protocol: str = "tinygen",
             builtin_bytes: int = 0, mlperf_bytes: int = 0) -> Needs:
    """`graph` folded, `lowered` and `plan` for it. Constant tensors read by several operators count once."""
    from ..ops import T, TArray

    weights, seen = 0, set()
    for low in lowered:
        weights += sum(_array_bytes(c) for c in _used_consts(low))
        for a in low.args:
            for i in [a.index] if isinstance(a, T) else a.indices if isinstance(a, TArray) else []:
                if graph.tensors[i].is_constant and i not in seen:
                    seen.add(i)
                    weights += graph.tensors[i].nbytes
    in_bytes = sum(graph.tensors[i].nbytes for i in graph.inputs)
    io = LINK_BUFFERS + (in_bytes if mode == "free-running" else 0) + (mlperf_bytes if protocol == "mlperf" else 0)
    kernels = {low.kernel for low in lowered if low.kernel}
    code = (CODE_BASE + sum(KERNEL_CODE.get(k, CODE_PER_KERNEL) for k in kernels)
            + CODE_PER_OPERATOR * sum(1 for low in lowered if low.kernel))
    return Needs(arena=plan.arena_bytes, stack=board.stack_bytes, io=io, weights=weights, code=code,
                 inputs=builtin_bytes if mode == "free-running" else 0)


def choose_layout(graph, board, mode: str = "request", protocol: str = "tinygen", builtin_bytes: int = 0,
                  mlperf_bytes: int = 0, where: str | None = None, refuse: bool = True):
    """Lowers the folded graph for the board in the layout that fits: (target, lowered, plan, needs).
    Raises FitError (one line with the numbers) when even the compact layout does not fit, unless
    refuse is False (tinygen inspect --boards reports instead)."""
    from ..codegen.target import target_for
    from ..ops import lower_graph, registry
    from ..passes.memory_plan import plan_memory

    target = target_for(board)

    def attempt(t):
        lowered = lower_graph(graph, t)
        plan = plan_memory(graph, lowered)
        return lowered, plan, needs_of(graph, lowered, plan, board, mode, protocol, builtin_bytes, mlperf_bytes)

    lowered, plan, needs = attempt(target)
    if not board.is_host and needs.flash > regions(board)[1] and target.wide_weights:
        reg = registry()
        narrow = replace(target, wide_weights=False)
        savings = []  # (bytes saved by the compact layout, operator index)
        for op, low in zip(graph.operators, lowered):
            small = reg[op.opcode].lower_for(graph, op, narrow)
            saved = _const_bytes(graph, low) - _const_bytes(graph, small)
            if saved > 0:
                savings.append((saved, op.index))
        savings.sort(key=lambda s: (-s[0], s[1]))
        over, chosen = needs.flash - regions(board)[1], []
        for saved, index in savings:
            if over <= 0:
                break
            chosen.append(index)
            over -= saved
        target = replace(target, compact_ops=frozenset(chosen))
        lowered, plan, needs = attempt(target)
        # the savings are per layer alone; where the whole falls short of them, one more layer at a time
        while needs.flash > regions(board)[1] and len(chosen) < len(savings):
            chosen.append(savings[len(chosen)][1])
            target = replace(target, compact_ops=frozenset(chosen))
            lowered, plan, needs = attempt(target)
        needs.compact_layers = len(chosen)
        needs.wide_layers = len(savings) - len(chosen)
    if refuse and not board.is_host:
        why = refusal(needs, board, where or graph.path)
        if why:
            raise FitError(why)
    return target, lowered, plan, needs


ELF_FLASH = (".isr_vector", ".text", ".rodata", ".ARM.exidx", ".data")
ELF_RAM = (".data", ".bss", ".stack")


def check_elf(sections: dict[str, int], memory: dict, board_name: str, where: str) -> None:
    """After the build: the ELF's real sizes against the board's regions (one line if over)."""
    for region, names in (("flash", ELF_FLASH), ("ram", ELF_RAM)):
        size = memory.get(region, {}).get("size")
        used = sum(sections.get(s, 0) for s in names)
        if size and used > size:
            detail = " + ".join(f"{s} {kb(sections[s])} KB" for s in names if sections.get(s))
            label = "RAM" if region == "ram" else "flash"
            raise FitError(f"{where}: firmware needs {kb(used)} KB {label} ({detail}); board {board_name} has "
                           f"{kb(size)} KB: {kb(used - size)} KB short")
