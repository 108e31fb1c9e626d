"""`tinygen project --sdk pico-sdk`: the build files and board port of a Raspberry Pi Pico SDK project.

The model code, runtime and app are those of every project (tinygen.codegen.project); this module
only says what replaces the Makefile, linker script and register-level board port."""

from __future__ import annotations

from dataclasses import replace

from ..errors import TinygenError
from ..resources import firmware_dir
from .templates import render

SDKS = ("pico-sdk",)
STDIOS = ("uart", "usb")
# tinygen board -> the SDK's PICO_BOARD and PICO_PLATFORM (the RP2350's Arm cores in secure state)
SDK_BOARDS = {"pico": {"pico_board": "pico", "pico_platform": "rp2040"},
              "pico2": {"pico_board": "pico2", "pico_platform": "rp2350-arm-s"}}
PORT_SOURCES = ["pico-sdk/port.c"]  # of firmware/boards/, copied into board/
# The port's timer: the SDK's time_us_64, 1 µs ticks.
SDK_TIMER = {"driver": "pico-sdk", "unit": "nanoseconds", "per_tick": 1000}


def check_sdk(sdk: str, board, runtime: str, stdio: str) -> None:
    if sdk not in SDKS:
        raise TinygenError(f"--sdk '{sdk}' is not one of {', '.join(SDKS)}")
    if board.name not in SDK_BOARDS:
        raise TinygenError(f"--sdk pico-sdk: board '{board.name}' is not a Raspberry Pi Pico board; "
                           f"use one of {', '.join(SDK_BOARDS)}")
    if runtime != "tinygen":
        raise TinygenError("--sdk pico-sdk builds the tinygen runtime only (not --runtime tflm)")
    if stdio not in STDIOS:
        raise TinygenError(f"--stdio '{stdio}' is not one of {', '.join(STDIOS)}")


def sdk_board(board):
    """The board as the SDK port runs it: the SDK's timer in place of SysTick."""
    return replace(board, timer=dict(SDK_TIMER))


def project_sources() -> dict[str, list[str]]:
    """The project's C sources by part, as paths inside the project (the same files write_project copies)."""
    fw = firmware_dir()
    return {
        "model_sources": ["src/main.c", "src/model.c"],
        "runtime_sources": sorted(f"runtime/src/{p.name}" for p in (fw / "runtime" / "src").glob("*.c")),
        "app_sources": sorted(f"app/src/{p.name}" for p in (fw / "app" / "src").glob("*.c")),
        "port_sources": [f"board/{p.rsplit('/', 1)[-1]}" for p in PORT_SOURCES],
    }


def sdk_files(board, stdio: str, common: dict) -> dict[str, str]:
    """CMakeLists.txt, pico_sdk_import.cmake and README.md of the project."""
    ctx = dict(common, board=board, stdio=stdio, sdk=SDK_BOARDS[board.name])
    return {
        "CMakeLists.txt": render("pico_sdk_CMakeLists.txt.j2", **project_sources(), **ctx),
        "pico_sdk_import.cmake": render("pico_sdk_import.cmake.j2", **ctx),
        "README.md": render("README_pico_sdk.md.j2", **ctx),
    }
