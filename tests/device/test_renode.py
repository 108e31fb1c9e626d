"""Renode: finding it, the scripts a project gets, and (slow) the STM32 boards end to end in the real
Renode, bit-exact with TFLM, with counts equal to QEMU's on the same ELF."""

from __future__ import annotations

import os
import struct
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from tinygen.boards.registry import load_board
from tinygen.codegen.renode import renode_mips, renode_timing
from tinygen.device.link import RUN_PRINT, FrameReader, LinkStats
from tinygen.device.simulators import simulators_for
from tinygen.device.simulators.renode import find_renode, offline_platform, renode_root
from tinygen.errors import ToolMissingError


def test_renode_missing_is_one_line_with_how_to_get_it(monkeypatch, tmp_path):
    monkeypatch.delenv("RENODE", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    with pytest.raises(ToolMissingError, match=r"Renode not found; install Renode .*renode.io.*\$RENODE.*make setup") as e:
        find_renode()
    assert "\n" not in str(e.value)
    monkeypatch.setenv("RENODE", str(tmp_path / "nothing"))
    with pytest.raises(ToolMissingError, match="is not a Renode launcher"):
        find_renode()


def test_renode_found_through_env_folder_then_path(monkeypatch, tmp_path):
    launcher = tmp_path / "r" / "renode"
    launcher.parent.mkdir()
    launcher.write_text("#!/bin/sh\n")
    launcher.chmod(0o755)
    monkeypatch.setenv("RENODE", str(launcher.parent))
    assert find_renode() == launcher
    monkeypatch.delenv("RENODE")
    monkeypatch.setenv("PATH", str(launcher.parent))
    assert find_renode() == launcher


def test_rates_give_whole_nanoseconds_per_instruction():
    assert [renode_mips(c * 10**6) for c in (16, 120, 168, 180, 216, 480)] == [10, 100, 125, 125, 200, 250]
    assert all(1000 % renode_mips(c * 10**6) == 0 for c in range(1, 600, 7))


def test_stm32_boards_time_with_a_timer_renode_models():
    nd, nu = load_board("netduinoplus2"), load_board("nucleo-f446re")
    assert simulators_for(nd.to_dict()) == ["qemu", "renode"] and simulators_for(nu.to_dict()) == ["renode"]
    t = renode_timing(nd)
    assert t["timer"] == "sysbus.timer2" and t["timer_hz"] == t["mips"] * 10**6
    assert renode_timing(nu)["timer"] == "nvic"  # DWT falls back to SysTick, which the NVIC models


def test_overlay_drops_only_the_svd_download(tmp_path):
    (tmp_path / "platforms" / "cpus").mkdir(parents=True)
    (tmp_path / "platforms" / "boards").mkdir()
    (tmp_path / "platforms" / "cpus" / "chip.repl").write_text(
        "cpu: CPU.CortexM @ sysbus\n    cpuType: \"cortex-m4\"\n\nsysbus:\n    init:\n"
        "        ApplySVD @https://example.invalid/chip.svd.gz\n        Tag <0x1, 0x4> \"A\" 0x1\n"
        "        // a comment\n")
    (tmp_path / "platforms" / "boards" / "board.repl").write_text(
        'using "platforms/cpus/chip.repl"\n\nsysbus:\n    init add:\n        Tag <0x8, 0xb> "B"\n')
    out = offline_platform(tmp_path, "platforms/boards/board.repl", tmp_path / "o.repl")
    text = out.read_text()
    assert "ApplySVD" not in text.split("\nusing")[1]
    assert f'using "{tmp_path / "platforms" / "boards" / "board.repl"}"' in text
    assert text.index('Tag <0x1, 0x4> "A" 0x1') < text.index('Tag <0x8, 0xb> "B"')
    (tmp_path / "platforms" / "cpus" / "plain.repl").write_text("sysbus:\n    init:\n        Tag <0x1, 0x4> \"A\"\n")
    assert offline_platform(tmp_path, "platforms/cpus/plain.repl", tmp_path / "p.repl") is None


def test_project_gets_script_robot_test_and_workflow(shared_models, tmp_path):
    from tinygen.codegen.project import generate_project

    generate_project(shared_models / "ad01_int8.tflite", "netduinoplus2", tmp_path / "fw")
    fw = tmp_path / "fw"
    resc = (fw / "renode.resc").read_text()
    assert "\n$platform?=@platforms/cpus/stm32f4.repl\n" in resc and "\nlogLevel 3\n" in resc
    assert "\ncpu PerformanceInMips 125\n" in resc and "\nsysbus.timer2 Frequency 125000000\n" in resc  # 168 MHz
    assert "connector Connect sysbus.usart1 tinygen-uart" in resc and "\nstart" not in resc  # the caller starts
    robot = (fw / "tests" / "firmware.robot").read_text()
    assert "include @${CURDIR}/../renode.resc" in robot
    assert "Wait For Line On Uart    tinygen ready: netduinoplus2, tinygen runtime" in robot
    sent = bytes(int(l.split()[-1]) for l in robot.splitlines() if l.strip().startswith("Send Key To Uart"))
    (frame,) = FrameReader(LinkStats()).feed(sent)
    assert frame.kind == "r" and struct.unpack("<IB", frame.payload) == (0, RUN_PRINT)  # tag 0, print flag
    flow = yaml.safe_load((fw / ".github" / "workflows" / "firmware.yml").read_text())
    steps = flow["jobs"]["firmware"]["steps"]
    assert any(s.get("run") == "make" for s in steps)
    test_step = next(s for s in steps if str(s.get("uses", "")).startswith("antmicro/renode-test-action@"))
    assert test_step["with"]["tests-to-run"] == "tests/firmware.robot"


# -- the real Renode -------------------------------------------------------------------------------
@pytest.fixture
def renode(monkeypatch, tmp_path) -> Path:
    try:
        found = find_renode()
    except ToolMissingError as exc:
        pytest.skip(f"Renode is absent ({exc})")
    # tinygen's Renode folders go under this test's tmp_path (in this process and in the tinygen
    # commands it runs), so that the leak checks see only this test's Renode, not another's
    sims = tmp_path / "sims"
    sims.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(sims))
    monkeypatch.setenv("TMPDIR", str(sims))
    return found


def _our_renode_processes(marker: str | None = None) -> list[str]:
    """Command lines of live Renode processes this test started: their folders are in its
    tmp_path/sims (the renode fixture), or they carry `marker`."""
    marker = marker or tempfile.gettempdir()
    found = []
    for p in Path("/proc").iterdir():
        if not p.name.isdigit() or int(p.name) == os.getpid():
            continue
        try:
            cmd = (p / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if "Renode.exe" in cmd and marker in cmd:
            found.append(cmd)
    return found


@pytest.mark.slow
@pytest.mark.parametrize("board,model", [(b, m) for b in ("netduinoplus2", "nucleo-f446re")
                                         for m in ("kws_ref_model.tflite", "ad01_int8.tflite")]
                         # Cortex-M7 with caches, the clock set-up's waits bounded where Renode models no
                         # PWR/RCC bit: KWS in about 27 s each (four inferences)
                         + [("stm32f746g-disco", "kws_ref_model.tflite"), ("nucleo-h743zi", "kws_ref_model.tflite")])
def test_stm32_boards_run_bit_exact_in_renode(renode, shared_models, tmp_path, board, model):
    import json
    import sys

    res = subprocess.run([sys.executable, "-m", "tinygen", "run", shared_models / model, "--board", board,
                          "--simulator", "renode", "-o", tmp_path / "out", "--json"],
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr
    doc = json.loads(res.stdout)
    assert doc["complete"] and doc["all_match"] and len(doc["inferences"]) >= 2
    platform = load_board(board).simulator["renode"]["platform"]
    assert doc["simulator"].startswith(f"renode {platform}") and doc["timer_unit"] == "instructions"
    # QEMU: ad01 ~263 k, kws ~3.03 M instructions (M4), as counted on mps2-an386 by benchmarks/
    low = 200_000 if model.startswith("ad01") else 2_500_000
    assert all(low < r["instructions"] < 2 * low for r in doc["inferences"])
    assert json.loads((tmp_path / "out" / "results.json").read_text()) == doc
    assert not _our_renode_processes()


@pytest.mark.slow
def test_renode_counts_equal_qemu_on_the_same_elf(renode, shared_models, tmp_path):
    """netduinoplus2's TIM2: QEMU counts 1 per instruction under -icount shift=0, Renode as its
    script sets it up; the same ELF, the same inputs, the same counts."""
    from tinygen.build.firmware import build_project
    from tinygen.codegen.project import generate_project
    from tinygen.device.session import simulate
    from tinygen.model.inputs import default_inputs
    from tinygen.model.io_spec import io_spec
    from tinygen.model.graph import load_graph

    model = shared_models / "kws_ref_model.tflite"
    generate_project(model, "netduinoplus2", tmp_path / "fw")
    build_project(tmp_path / "fw")
    g = load_graph(model)
    runs = default_inputs(io_spec(g, g.inputs))
    counts = {}
    for sim in ("qemu", "renode"):
        doc = simulate(tmp_path / "fw", runs, tmp_path / f"{sim}.json", simulator=sim)
        assert doc["all_match"] and doc["timer_unit"] == "instructions"
        counts[sim] = [r["instructions"] for r in doc["inferences"]]
    assert counts["renode"] == counts["qemu"], counts
    assert not _our_renode_processes()


@pytest.mark.slow
@pytest.mark.parametrize("board,kind", [("netduinoplus2", {}), ("nucleo-f446re", {"protocol": "mlperf"}),
                                        ("nucleo-f446re", {"mode": "free-running"}), ("nucleo-h743zi", {})])
def test_generated_robot_test_passes_under_renode_test(renode, shared_models, tmp_path, board, kind):
    """The project's tests/firmware.robot under the shared Renode's renode-test (offline: with the
    platform overlay that skips the SVD download), as a user's CI runs it."""
    import sys

    from tinygen.build.firmware import build_project
    from tinygen.codegen.project import generate_project
    from tinygen.device.simulators.base import free_port

    root = renode_root(renode)
    if root is None or not (root / "renode-test").is_file():
        pytest.skip(f"this Renode ({renode}) has no renode-test beside it")
    fw = tmp_path / "fw"
    generate_project(shared_models / "ad01_int8.tflite", board, fw, **kind)
    build_project(fw)
    overlay = offline_platform(root, load_board(board).simulator["renode"]["platform"], tmp_path / "offline.repl")
    (tmp_path / "tmp").mkdir()
    env = {**os.environ, "TMPDIR": str(tmp_path / "tmp"),
           # renode-test runs python3 from PATH: this venv has its Robot packages (make setup)
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    server = free_port()
    # platforms that download no SVD at load (stm32h743.repl) load as they are
    platform = ["--variable", f"PLATFORM:@{overlay}"] if overlay else []
    res = subprocess.run([str(root / "renode-test"), "-r", str(tmp_path / "results"), "-P", str(server),
                          *platform, "--variable", f"PORT:{free_port()}",
                          "tests/firmware.robot"], cwd=fw, env=env, capture_output=True, text=True, timeout=300,
                         stdin=subprocess.DEVNULL)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-2000:]
    stats = ET.parse(tmp_path / "results" / "robot_output.xml").find("statistics/total/stat")
    assert (stats.get("pass"), stats.get("fail")) == ("1", "0")
    assert not _our_renode_processes(f"--robot-server-port {server}")


@pytest.mark.slow
def test_a_failing_script_is_one_error_line_and_renode_is_stopped(renode, shared_models, tmp_path):
    import time

    from tinygen.build.firmware import build_project
    from tinygen.codegen.project import generate_project
    from tinygen.device.simulators.renode import Renode
    from tinygen.errors import SimulatorError

    board = load_board("netduinoplus2")
    board.simulator = {"renode": {**board.simulator["renode"], "uart": "sysbus.usart9"}}
    generate_project(shared_models / "ad01_int8.tflite", board, tmp_path / "fw")
    build_project(tmp_path / "fw")
    started = time.monotonic()
    with pytest.raises(SimulatorError, match=r"failed at start: There was an error executing command "
                                             r"'connector Connect sysbus.usart9 tinygen-uart'"):
        with Renode(tmp_path / "fw" / "build" / "firmware.elf", board.to_dict(), tmp_path / "renode.log"):
            pass
    assert time.monotonic() - started < 40  # not the 60 s connect timeout
    assert not _our_renode_processes()


@pytest.mark.slow
def test_renode_dies_with_tinygen(renode, shared_models, tmp_path):
    """kill -9 of tinygen leaves no Renode behind: Mono is tinygen's own child, with the
    parent-death signal (the launcher script, which does not exec, is not used)."""
    import sys
    import time

    from tinygen.build.firmware import build_project
    from tinygen.codegen.project import generate_project
    from tinygen.device.simulators.base import free_port

    generate_project(shared_models / "ad01_int8.tflite", "netduinoplus2", tmp_path / "fw")
    build_project(tmp_path / "fw")
    tg = subprocess.Popen([sys.executable, "-m", "tinygen", "sim", str(tmp_path / "fw"), "--simulator", "renode",
                           "--serve", f"127.0.0.1:{free_port()}"], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not _our_renode_processes() and time.monotonic() < deadline:
            time.sleep(0.2)
        running = _our_renode_processes()
        assert running, "Renode did not start"
    finally:
        tg.kill()
        tg.wait()
    deadline = time.monotonic() + 10
    while _our_renode_processes() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _our_renode_processes()
    import re
    import shutil

    for folder in re.findall(r"--config (\S+)/renode.config", running[0]):  # a killed tinygen cannot tidy up
        shutil.rmtree(folder, ignore_errors=True)
