"""`tinygen project --sdk pico-sdk`: the CMake project's files, the board port's SDK calls, the
non-SDK sources compiled for the Cortex-M0+, and a real configure and build where an SDK is present."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess

import pytest

from tinygen.build.firmware import build_project
from tinygen.cli.main import main
from tinygen.codegen.project import generate_project
from tinygen.errors import TinygenError

# What the board port may call: the SDK's documented stdio and timer functions, and C's own.
SDK_CALLS = {"stdio_init_all", "stdio_usb_connected", "putchar_raw", "stdio_flush", "getchar_timeout_us",
             "sleep_ms", "time_us_64"}
C_KEYWORDS = {"if", "for", "while", "return", "sizeof", "defined"}
PORT_FUNCTIONS = {"tg_port_init", "tg_port_write", "tg_port_read_byte", "tg_port_timer_ticks"}


def cmake_sources(text: str) -> set[str]:
    return set(re.findall(r"^\s+((?:src|runtime/src|app/src|board)/\S+\.c)$", text, re.M))


@pytest.fixture(scope="module")
def sdk_projects(tmp_path_factory):
    from tests.conftest import SHARED_MODELS

    model = SHARED_MODELS / "ad01_int8.tflite"
    if not model.exists():
        pytest.skip("../shared/models not present")
    root = tmp_path_factory.mktemp("sdk")
    return {board: (root / board, generate_project(model, board, root / board, sdk="pico-sdk",
                                                   stdio="usb" if board == "pico2" else "uart"))
            for board in ("pico", "pico2")}


@pytest.mark.parametrize("board,platform,stdio", [("pico", "rp2040", "OFF"), ("pico2", "rp2350-arm-s", "ON")])
def test_cmake_project_lists_every_source_and_the_board(sdk_projects, board, platform, stdio):
    out, gen = sdk_projects[board]
    text = (out / "CMakeLists.txt").read_text()
    on_disk = {p.relative_to(out).as_posix() for d in ("src", "runtime/src", "app/src", "board") for p in (out / d).glob("*.c")}
    assert "src/model.c" in on_disk and "runtime/src/tg_fully_connected.c" in on_disk
    assert cmake_sources(text) == on_disk  # every C file of the project, nothing else
    assert on_disk & {f"board/{n}" for n in ("startup.c", "clocks.c", "boot2_w25q080.c", "image_def.c")} == set()
    assert f"set(PICO_BOARD {board} " in text and f"set(PICO_PLATFORM {platform} " in text
    assert text.index("\ninclude(pico_sdk_import.cmake)") < text.index("\nproject(") < text.index("\npico_sdk_init()")
    assert "target_link_libraries(firmware pico_stdlib)" in text and "pico_add_extra_outputs(firmware)" in text
    assert re.search(rf"^option\(TG_STDIO_USB \".*\" {stdio}\)$", text, re.M)
    assert "pico_enable_stdio_usb(firmware 1)" in text and "pico_enable_stdio_uart(firmware 1)" in text
    assert gen.graph.sha256 in text and not (out / "Makefile").exists() and not (out / "board" / "linker.ld").exists()
    imp = (out / "pico_sdk_import.cmake").read_text()
    assert "PICO_SDK_PATH" in imp and 'include("${PICO_SDK_PATH}/pico_sdk_init.cmake")' in imp
    readme = (out / "README.md").read_text()
    assert "cmake -B build -DPICO_SDK_PATH=" in readme and "cmake --build build" in readme
    assert "build/firmware.uf2" in readme and "tinygen monitor --port auto" in readme
    assert ("USB" if stdio == "ON" else "UART0 on GP0") in readme
    meta = json.loads((out / "tinygen.json").read_text())
    assert meta["sdk"] == "pico-sdk" and meta["stdio"] == ("usb" if stdio == "ON" else "uart")
    # the SDK port's timer is time_us_64: the firmware reports nanoseconds in steps of 1000
    header = (out / "board" / "tg_board.h").read_text()
    assert "#define TG_TIMER_UNIT 2\n" in header and "#define TG_TIMER_SCALE 1000u" in header
    assert meta["board_spec"]["timer"]["unit"] == "nanoseconds"


def test_same_model_code_as_the_makefile_project(sdk_projects, tmp_path):
    out, gen = sdk_projects["pico"]
    plain = generate_project(gen.graph, "pico", tmp_path / "plain")
    for rel in ("src/model.c", "src/model.h", "src/main.c"):
        assert (out / rel).read_text() == (tmp_path / "plain" / rel).read_text()


def test_board_port_uses_only_documented_sdk_calls(sdk_projects):
    out, _ = sdk_projects["pico"]
    src = (out / "board" / "port.c").read_text()
    code = re.sub(r"/\*.*?\*/", "", src, flags=re.S)
    called = set(re.findall(r"\b([A-Za-z_]\w*)\s*\(", code)) - C_KEYWORDS - PORT_FUNCTIONS
    assert called == SDK_CALLS
    assert set(re.findall(r'#include "([^"]+)"', code)) == {"pico/stdlib.h", "pico/stdio_usb.h", "tg_board.h", "tg_port.h"}


@pytest.mark.slow
def test_every_non_sdk_source_compiles_for_cortex_m0plus(sdk_projects):
    out, _ = sdk_projects["pico"]
    sources = sorted(cmake_sources((out / "CMakeLists.txt").read_text()) - {"board/port.c"})
    cmd = ["arm-none-eabi-gcc", "-mcpu=cortex-m0plus", "-mthumb", "-std=c11", "-O2", "-Wall", "-Wextra", "-Werror",
           "-Isrc", "-Iruntime/include", "-Iapp/include", "-Iboard", "-c"]
    for rel in sources:
        r = subprocess.run(cmd + [rel, "-o", os.devnull], cwd=out, capture_output=True, text=True)
        assert r.returncode == 0, f"{rel}: {r.stderr.strip()[:400]}"


def test_other_boards_and_runtimes_are_refused(tmp_path, shared_models, capsys):
    model = shared_models / "ad01_int8.tflite"
    with pytest.raises(TinygenError, match="board 'mps2-an386' is not a Raspberry Pi Pico board; use one of pico, pico2"):
        generate_project(model, "mps2-an386", tmp_path / "x", sdk="pico-sdk")
    assert main(["project", str(model), "--board", "nucleo-f446re", "--sdk", "pico-sdk", "-o", str(tmp_path / "y")])
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "nucleo-f446re" in err and "pico, pico2" in err
    assert main(["project", str(model), "--board", "pico", "--stdio", "usb", "-o", str(tmp_path / "z")])
    assert "--sdk pico-sdk" in capsys.readouterr().err
    assert not (tmp_path / "x").exists() and not (tmp_path / "y").exists() and not (tmp_path / "z").exists()


def test_tinygen_build_points_at_cmake(sdk_projects):
    out, _ = sdk_projects["pico"]
    with pytest.raises(TinygenError, match="pico-sdk project, built by CMake: cmake -B build"):
        build_project(out)


@pytest.mark.skipif(not shutil.which("cmake"), reason="cmake is not installed")
def test_cmake_without_the_sdk_says_where_to_point_it(sdk_projects, tmp_path):
    out, _ = sdk_projects["pico"]
    env = {k: v for k, v in os.environ.items() if k != "PICO_SDK_PATH"}
    r = subprocess.run(["cmake", "-S", str(out), "-B", str(tmp_path / "b")], env=env, capture_output=True, text=True)
    assert r.returncode != 0 and "PICO_SDK_PATH is not set" in " ".join(r.stderr.split())  # cmake wraps lines
    r = subprocess.run(["cmake", "-S", str(out), "-B", str(tmp_path / "c"), f"-DPICO_SDK_PATH={tmp_path}"],
                       env=env, capture_output=True, text=True)
    assert r.returncode != 0 and "is not a pico-sdk checkout" in " ".join(r.stderr.split())


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("PICO_SDK_PATH") or not shutil.which("cmake"),
                    reason="PICO_SDK_PATH is not set (no pico-sdk here) or cmake is missing")
def test_cmake_builds_the_uf2_with_the_sdk(sdk_projects, tmp_path):
    out, _ = sdk_projects["pico"]
    build = tmp_path / "build"
    for cmd in (["cmake", "-S", str(out), "-B", str(build)], ["cmake", "--build", str(build), "-j2"]):
        r = subprocess.run(cmd, capture_output=True, text=True)
        assert r.returncode == 0, (r.stdout + r.stderr)[-2000:]
    uf2 = (build / "firmware.uf2").read_bytes()
    assert (build / "firmware.elf").stat().st_size and len(uf2) % 512 == 0 and uf2[:4] == b"UF2\n"
