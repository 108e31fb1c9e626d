"""Boards are data: one YAML file per board in boards/, validated here (schema: docs/boards.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import TinygenError
from ..resources import boards_dir

CORES = {
    # core: (gcc -mcpu, architecture)
    "cortex-m0plus": ("cortex-m0plus", "armv6-m"),
    "cortex-m3": ("cortex-m3", "armv7-m"),
    "cortex-m4": ("cortex-m4", "armv7e-m"),
    "cortex-m7": ("cortex-m7", "armv7e-m"),
    "cortex-m33": ("cortex-m33", "armv8-m.main"),
    "cortex-m55": ("cortex-m55", "armv8.1-m.main"),
    "host": ("", "host"),
}
UART_DRIVERS = {"cmsdk": "uart_cmsdk.c", "stm32": "uart_stm32.c", "stm32-v2": "uart_stm32v2.c"}
TIMER_DRIVERS = {"systick": "systick.c", "dwt": "dwt.c", "stm32-tim2": "tim_stm32.c", "clock": None}
TIMER_UNITS = {"instructions": 0, "cycles": 1, "nanoseconds": 2}


class BoardError(TinygenError):
    pass


@dataclass
class Board:
    name: str
    description: str
    core: str
    clock_hz: int
    timer: dict
    stack_bytes: int = 0
    fpu: str | None = None
    float_abi: str = "soft"
    memory: dict = field(default_factory=dict)
    uart: dict = field(default_factory=dict)
    simulator: dict = field(default_factory=dict)
    init: str | None = None  # C statement run first at boot (clock gating, pin muxing)
    family: str | None = None  # stm32f4, stm32f7, stm32l4, stm32h7: clock tree and pins from tinygen.boards.stm32
    mcu: str | None = None  # the part, e.g. STM32F446RE (its reference manual's clock limits)
    clock: dict = field(default_factory=dict)  # {source: hsi|hse|hse-bypass, source_hz: int}
    flashing: dict = field(default_factory=dict)  # {openocd: target cfg, pyocd: target, address: int}
    source: str = ""

    @property
    def is_host(self) -> bool:
        return self.core == "host"

    @property
    def cpu_flags(self) -> list[str]:
        if self.is_host:
            return []
        flags = [f"-mcpu={CORES[self.core][0]}", "-mthumb"]
        if self.fpu:
            flags += [f"-mfpu={self.fpu}", f"-mfloat-abi={self.float_abi}"]
        else:
            flags += ["-mfloat-abi=soft"]
        return flags

    @property
    def timer_unit(self) -> str:
        return self.timer["unit"]

    def port_sources(self) -> list[str]:
        """Files of firmware/boards/ that this board's port is made of."""
        if self.is_host:
            return ["host/port.c"]
        files = ["cortex-m/startup.c", "cortex-m/port.c", "cortex-m/" + UART_DRIVERS[self.uart["driver"]]]
        timer = TIMER_DRIVERS[self.timer["driver"]]
        if timer:
            files.append("cortex-m/" + timer)
        if self.family:
            from . import stm32

            files += stm32.port_sources(self)
        return files

    def generated_defines(self) -> list[tuple[str, str, str]]:
        """Defines computed from the board's data for tg_board.h (the STM32 clock tree and pins)."""
        if not self.family:
            return []
        from . import stm32

        return stm32.defines(self)

    def simulated_by(self) -> list[str]:
        return list(self.simulator)

    def to_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "source"}


def _need(d: dict, key: str, types, where: str):
    if key not in d:
        raise BoardError(f"{where}: missing '{key}'")
    if not isinstance(d[key], types):
        raise BoardError(f"{where}: '{key}' must be {getattr(types, '__name__', types)}, not {d[key]!r}")
    return d[key]


def validate(raw: dict, where: str) -> Board:
    if not isinstance(raw, dict):
        raise BoardError(f"{where}: a board file must be a mapping")
    known = {"name", "description", "core", "fpu", "float_abi", "clock_hz", "memory", "stack_bytes", "uart",
             "timer", "simulator", "init", "family", "mcu", "clock", "flashing"}
    unknown = set(raw) - known
    if unknown:
        raise BoardError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}; known: {', '.join(sorted(known))}")
    name = _need(raw, "name", str, where)
    core = _need(raw, "core", str, where)
    if core not in CORES:
        raise BoardError(f"{where}: core '{core}' is not one of {', '.join(CORES)}")
    clock = _need(raw, "clock_hz", int, where)
    timer = _need(raw, "timer", dict, where)
    if timer.get("driver") not in TIMER_DRIVERS:
        raise BoardError(f"{where}: timer.driver must be one of {', '.join(TIMER_DRIVERS)}")
    if timer.get("unit") not in TIMER_UNITS:
        raise BoardError(f"{where}: timer.unit must be one of {', '.join(TIMER_UNITS)}")
    if not isinstance(timer.get("per_tick", 1), int) or timer.get("per_tick", 1) < 1:
        raise BoardError(f"{where}: timer.per_tick must be a positive integer")
    timer.setdefault("per_tick", 1)
    board = Board(name=name, description=raw.get("description", ""), core=core, clock_hz=clock, timer=timer,
                  stack_bytes=int(raw.get("stack_bytes", 0)), fpu=raw.get("fpu"),
                  float_abi=raw.get("float_abi", "hard" if raw.get("fpu") else "soft"),
                  memory=raw.get("memory", {}), uart=raw.get("uart", {}), simulator=raw.get("simulator", {}) or {},
                  init=raw.get("init"), family=raw.get("family"), mcu=raw.get("mcu"),
                  clock=raw.get("clock") or {}, flashing=raw.get("flashing") or {}, source=where)
    if not board.is_host:
        for region in ("flash", "ram"):
            r = _need(board.memory, region, dict, f"{where}: memory")
            for k in ("origin", "size"):
                _need(r, k, int, f"{where}: memory.{region}")
        if board.uart.get("driver") not in UART_DRIVERS:
            raise BoardError(f"{where}: uart.driver must be one of {', '.join(UART_DRIVERS)}")
        _need(board.uart, "base", int, f"{where}: uart")
        board.uart.setdefault("baud", 115200)
        if board.stack_bytes < 1024:
            raise BoardError(f"{where}: stack_bytes must be at least 1024")
    if not isinstance(board.simulator, dict):
        raise BoardError(f"{where}: simulator must be a mapping of simulator name to its settings")
    if board.family is not None:
        _validate_stm32(board, where)
    elif board.clock or board.mcu:
        raise BoardError(f"{where}: 'clock' and 'mcu' need 'family'")
    if not isinstance(board.flashing, dict) or set(board.flashing) - {"openocd", "pyocd", "address"}:
        raise BoardError(f"{where}: flashing takes openocd, pyocd and address")
    return board


def _validate_stm32(board: Board, where: str) -> None:
    from . import stm32
    from .stm32_clocks import ClockError

    if board.family not in stm32.FAMILIES:
        raise BoardError(f"{where}: family '{board.family}' is not one of {', '.join(stm32.FAMILIES)}")
    if not isinstance(board.mcu, str):
        raise BoardError(f"{where}: an STM32 board needs 'mcu' (e.g. STM32F446RE)")
    clock = _need({"clock": board.clock} if board.clock else {}, "clock", dict, where)
    if clock.get("source") != "hsi" and not isinstance(clock.get("source_hz"), int):
        raise BoardError(f"{where}: clock.source_hz (the crystal or bypass clock, in Hz) is needed for "
                         f"source '{clock.get('source')}'")
    try:
        stm32.check(board, where)
    except ClockError as exc:
        raise BoardError(str(exc)) from None


def board_names() -> list[str]:
    return sorted(p.stem for p in boards_dir().glob("*.yaml"))


def load_board(name_or_path: str) -> Board:
    p = Path(name_or_path)
    if p.suffix in (".yaml", ".yml") and p.is_file():
        path = p
    else:
        path = boards_dir() / f"{name_or_path}.yaml"
        if not path.is_file():
            raise BoardError(f"unknown board '{name_or_path}'; known: {', '.join(board_names())} "
                             f"(or pass a board .yaml file)")
    try:
        raw = yaml.safe_load(path.read_text())
    except yaml.YAMLError as exc:
        raise BoardError(f"{path}: not valid YAML ({exc})") from None
    return validate(raw, str(path))
