"""Simulators behind one interface (base.py): start, the serial endpoint, stop; always stopped,
never orphaned. Each board's YAML lists the simulators that model it under `simulator:` (the first
is the default); a new simulator is one module here and one line in SIMULATORS."""

from __future__ import annotations

import importlib

from ...errors import SimulatorError
from .base import Simulator

# name -> "module:Class", imported only when used
SIMULATORS = {
    "host": "host:HostProcess",
    "qemu": "qemu:Qemu",
    "renode": "renode:Renode",
    "rp2040js": "rp2040js:Rp2040js",
}


def simulators_for(board: dict) -> list[str]:
    """The simulators that model this board, default first."""
    if board.get("core") == "host":
        return ["host"]
    return [s for s in (board.get("simulator") or {}) if s in SIMULATORS]


def simulator_class(name: str) -> type[Simulator]:
    module, cls = SIMULATORS[name].split(":")
    return getattr(importlib.import_module(f"{__name__}.{module}"), cls)


def open_simulator(board: dict, elf, log_path=None, name: str | None = None) -> Simulator:
    """The simulator `name` (default: the board's first) for this board's ELF; not yet started."""
    available = simulators_for(board)
    if name is None:
        if not available:
            raise SimulatorError(f"board {board['name']} is modelled by no simulator here; run the firmware on "
                                 f"the board and use --port")
        name = available[0]
    elif name not in SIMULATORS:
        raise SimulatorError(f"unknown simulator '{name}'; known: {', '.join(sorted(SIMULATORS))}")
    elif name not in available:
        where = ", ".join(available) or "none"
        raise SimulatorError(f"board {board['name']} is not modelled by {name} (its simulators: {where})")
    return simulator_class(name)(elf, board, log_path)
