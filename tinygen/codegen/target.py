"""What the generated code may assume about the core it runs on (derived from the board)."""

from __future__ import annotations

from dataclasses import dataclass, replace

DSP_CORES = {"cortex-m4", "cortex-m7", "cortex-m33", "cortex-m55"}
ARMV6M_CORES = {"cortex-m0", "cortex-m0plus"}


@dataclass(frozen=True)
class Target:
    dsp: bool = False  # SMLAD and friends (ARMv7E-M, ARMv8-M Mainline with DSP)
    # Pre-widen weights to int16 pairs: twice the weight flash, about a third fewer instructions
    # in the convolutions on DSP cores. The host takes it too so the portable reader is tested.
    wide_weights: bool = False
    # ARMv6-M (Cortex-M0/M0+): kernels with a hand-scheduled block for it take the layout it reads.
    armv6m: bool = False
    # The board's flash in bytes (0: unknown or not a constraint, as on the host): kernels that can
    # trade flash for instructions stay within a share of it.
    flash_bytes: int = 0
    # Operators whose weights keep the compact int8 layout although the core could take them widened:
    # chosen by tinygen.boards.fit when the widened weights do not fit the board's flash.
    compact_ops: frozenset = frozenset()

    def for_op(self, index: int) -> "Target":
        if self.wide_weights and index in self.compact_ops:
            return replace(self, wide_weights=False, compact_ops=frozenset())
        return self


def target_for(board) -> Target:
    if board.is_host:
        return Target(dsp=False, wide_weights=True)
    dsp = board.core in DSP_CORES
    flash = int((board.memory.get("flash") or {}).get("size", 0))
    return Target(dsp=dsp, wide_weights=dsp, flash_bytes=flash, armv6m=board.core in ARMV6M_CORES)
