"""Boards are data: one YAML file per board in boards/, validated here (schema: docs/boards.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import re

import yaml

from ..errors import TinygenError
from ..model.validate import printable
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
UART_DRIVERS = {"cmsdk": ["uart_cmsdk.c"], "stm32": ["uart_stm32.c", "uart_stm32_io.h"],
                "rp2040": ["../rp2040/uart_rp2040.c"], "stm32-v2": ["uart_stm32v2.c", "uart_stm32_io.h"]}
# chip: its bring-up files in firmware/boards/ (tg_chip_init, run first at boot) and the boot block the
# chip's boot ROM needs ("boot2": the RP2040's 256-byte second stage with its CRC, before the vector
# table; "image_def": the RP2350's IMAGE_DEF block, after it, within the first 4 kB of flash).
# uf2_abs_block: where the RP2350-E10 workaround block points (build/uf2.py).
CHIPS = {"rp2040": {"files": ("rp2040/clocks.c",), "boot2": "rp2040/boot2_w25q080.c", "uf2_family": 0xE48BFF56},
         "rp2350": {"files": ("rp2350/clocks.c", "rp2350/image_def.c"), "image_def": True,
                    "uf2_family": 0xE48BFF59, "uf2_abs_block": 0x10FFFF00}}
# driver: the files of firmware/boards/cortex-m/ it is made of (dwt falls back to SysTick where the
# cycle counter does not count, as in simulators)
TIMER_DRIVERS = {"systick": ("systick.c", "tg_systick.h"), "dwt": ("dwt.c", "systick.c", "tg_systick.h"),
                 "stm32-tim2": ("tim_stm32.c",), "clock": (),
                 "pico-sdk": ()}  # pico-sdk projects: time_us_64 in their own port (tinygen.codegen.pico_sdk)
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
    chip: str | None = None  # a key of CHIPS: start-up the chip itself needs (clocks, boot block)
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
        files = ["cortex-m/startup.c", "cortex-m/port.c"] + ["cortex-m/" + f for f in UART_DRIVERS[self.uart["driver"]]]
        if self.chip:
            files += list(CHIPS[self.chip]["files"])
            if CHIPS[self.chip].get("boot2"):
                files += [CHIPS[self.chip]["boot2"], "rp2040/boot2_checksum.py"]
        files = [str(Path(f).as_posix()).replace("cortex-m/../", "") for f in files]
        files += ["cortex-m/" + f for f in TIMER_DRIVERS[self.timer["driver"]]]
        if self.family:
            from . import stm32

            files += stm32.port_sources(self)
        return files

    @property
    def uf2_family(self) -> int | None:
        return CHIPS[self.chip].get("uf2_family") if self.chip else None

    @property
    def boot2(self) -> bool:
        return bool(self.chip and CHIPS[self.chip].get("boot2"))

    @property
    def image_def(self) -> bool:
        return bool(self.chip and CHIPS[self.chip].get("image_def"))

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


NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.+-]{0,63}$")  # it goes into file names, Makefiles and C strings
FLOAT_ABIS = ("soft", "softfp", "hard")


def _need(d: dict, key: str, types, where: str):
    if not isinstance(d, dict):
        raise BoardError(f"{where}: must be a mapping")
    if key not in d:
        raise BoardError(f"{where}: missing '{key}'")
    return _typed(d[key], key, types, where)


def _typed(v, key: str, types, where: str):
    # YAML's true/false are ints to Python; a board's numbers are never booleans
    if not isinstance(v, types) or (isinstance(v, bool) and bool not in (types if isinstance(types, tuple) else (types,))):
        name = getattr(types, "__name__", None) or " or ".join(t.__name__ for t in types)
        raise BoardError(f"{where}: '{key}' must be {name}, not {printable(repr(v), 40)}")
    return v


def _count(d: dict, key: str, where: str, default=None, low: int = 0, high: int = 1 << 32) -> int:
    if key not in d and default is not None:
        return default
    v = _need(d, key, int, where)
    if not low <= v <= high:
        raise BoardError(f"{where}: '{key}' {v} is outside [{low}, {high}]")
    return v


def validate(raw: dict, where: str) -> Board:
    if not isinstance(raw, dict):
        raise BoardError(f"{where}: a board file must be a mapping")
    known = {"name", "description", "core", "fpu", "float_abi", "clock_hz", "memory", "stack_bytes", "uart",
             "timer", "simulator", "init", "chip", "family", "mcu", "clock", "flashing"}
    unknown = set(raw) - known
    if unknown:
        raise BoardError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}; known: {', '.join(sorted(known))}")
    name = _need(raw, "name", str, where)
    if not NAME.match(name):
        raise BoardError(f"{where}: name '{printable(name, 40)}' must be letters, digits, '_', '.', '+' or '-' "
                         f"(64 at most)")
    core = _need(raw, "core", str, where)
    if core not in CORES:
        raise BoardError(f"{where}: core '{printable(core, 40)}' is not one of {', '.join(CORES)}")
    clock = _count(raw, "clock_hz", where, low=1, high=10 ** 10)
    timer = _need(raw, "timer", dict, where)
    for key in ("driver", "unit"):
        if not isinstance(timer.get(key), str):
            raise BoardError(f"{where}: timer.{key} must be a string")
    if timer.get("driver") not in TIMER_DRIVERS:
        raise BoardError(f"{where}: timer.driver must be one of {', '.join(TIMER_DRIVERS)}")
    if timer.get("unit") not in TIMER_UNITS:
        raise BoardError(f"{where}: timer.unit must be one of {', '.join(TIMER_UNITS)}")
    timer["per_tick"] = _count(timer, "per_tick", f"{where}: timer", default=1, low=1, high=1 << 20)
    for key, types in (("description", str), ("fpu", str), ("float_abi", str), ("init", str), ("memory", dict),
                       ("uart", dict), ("simulator", dict)):
        if raw.get(key) is not None:
            _typed(raw[key], key, types, where)
    fpu = raw.get("fpu")
    if fpu is not None and not re.match(r"^[a-z0-9-]{1,32}$", fpu):
        raise BoardError(f"{where}: fpu '{printable(fpu, 40)}' is not a gcc -mfpu name")
    float_abi = raw.get("float_abi", "hard" if fpu else "soft")
    if float_abi not in FLOAT_ABIS:
        raise BoardError(f"{where}: float_abi must be one of {', '.join(FLOAT_ABIS)}")
    simulator = raw.get("simulator") or {}
    for sim, conf in simulator.items():
        if not isinstance(sim, str) or not (conf is None or isinstance(conf, dict)):
            raise BoardError(f"{where}: simulator: each entry is a simulator name with a mapping of its settings")
    if raw.get("chip") is not None and raw["chip"] not in CHIPS:
        raise BoardError(f"{where}: chip must be one of {', '.join(CHIPS)}")
    board = Board(name=name, description=printable(raw.get("description") or "", 200), core=core, clock_hz=clock,
                  timer=timer, stack_bytes=_count(raw, "stack_bytes", where, default=0, high=1 << 30), fpu=fpu,
                  float_abi=float_abi, memory=raw.get("memory") or {}, uart=raw.get("uart") or {},
                  simulator=simulator, init=raw.get("init"), chip=raw.get("chip"), family=raw.get("family"),
                  mcu=raw.get("mcu"), clock=raw.get("clock") or {}, flashing=raw.get("flashing") or {}, source=where)
    if not board.is_host:
        for region in ("flash", "ram"):
            r = _need(board.memory, region, dict, f"{where}: memory")
            _count(r, "origin", f"{where}: memory.{region}", high=(1 << 32) - 1)
            _count(r, "size", f"{where}: memory.{region}", low=1, high=1 << 32)
            if r["origin"] + r["size"] > 1 << 32:
                raise BoardError(f"{where}: memory.{region} ends past the 4 GiB address space")
        if not isinstance(board.uart.get("driver"), str) or board.uart["driver"] not in UART_DRIVERS:
            raise BoardError(f"{where}: uart.driver must be one of {', '.join(UART_DRIVERS)}")
        _count(board.uart, "base", f"{where}: uart", high=(1 << 32) - 1)
        board.uart["baud"] = _count(board.uart, "baud", f"{where}: uart", default=115200, low=1, high=1 << 30)
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
            raise BoardError(f"unknown board '{printable(name_or_path, 60)}'; known: {', '.join(board_names())} "
                             f"(or pass a board .yaml file)")
    try:
        raw = yaml.safe_load(path.read_bytes())
    except (yaml.YAMLError, RecursionError, ValueError) as exc:
        first = printable(str(exc).splitlines()[0] if str(exc) else type(exc).__name__, 100)
        raise BoardError(f"{path}: not valid YAML ({first})") from None
    return validate(raw, str(path))
