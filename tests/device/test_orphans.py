"""kill -9 of tinygen leaves no simulator behind (children carry a parent-death signal,
tinygen/device/simulators/process.py), and the results written so far stay on disk."""

import json
import os
import signal
import socket
import subprocess
import sys
import time

import numpy as np
import pytest

pytestmark = pytest.mark.slow


def _children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ")[-1][0] != "Z"
    except FileNotFoundError:
        return False


def _wait(cond, timeout: float) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.1)
    return False


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    from tests.conftest import SHARED_MODELS as shared_models
    from tinygen.build.firmware import build_project
    from tinygen.codegen.project import generate_project

    if not shared_models.is_dir():
        pytest.skip("../shared/models is absent")
    fw = tmp_path_factory.mktemp("orphans") / "fw"
    generate_project(shared_models / "ad01_int8.tflite", "mps2-an386", fw)
    build_project(fw)
    return fw


def _qemu_of(proc) -> int:
    assert _wait(lambda: any("qemu" in open(f"/proc/{c}/comm").read() for c in _children(proc.pid)
                             if _alive(c)), 30), "qemu did not start"
    return next(c for c in _children(proc.pid) if "qemu" in open(f"/proc/{c}/comm").read())


def _kill9_and_check(proc, qemu: int) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    assert _wait(lambda: not _alive(qemu), 10), f"qemu {qemu} outlived tinygen"


def test_kill9_of_sim_serve_stops_qemu(project):
    proc = subprocess.Popen([sys.executable, "-m", "tinygen", "sim", str(project), "--serve",
                             f"127.0.0.1:{_free_port()}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _kill9_and_check(proc, _qemu_of(proc))
    finally:
        if proc.poll() is None:
            proc.kill()


def test_kill9_of_sim_stops_qemu_and_keeps_results(project, tmp_path):
    x = tmp_path / "x.npy"
    np.save(x, np.random.default_rng(0).integers(-128, 128, size=(400, 1, 640)).astype(np.int8))
    results = tmp_path / "results.json"
    proc = subprocess.Popen([sys.executable, "-m", "tinygen", "sim", str(project), "--inputs", str(x), "-o",
                             str(results)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        qemu = _qemu_of(proc)

        def some_results():
            try:
                return len(json.loads(results.read_text())["inferences"]) >= 2
            except (OSError, ValueError):
                return False

        assert _wait(some_results, 120), "no results were written"
        _kill9_and_check(proc, qemu)
    finally:
        if proc.poll() is None:
            proc.kill()
    doc = json.loads(results.read_text())  # written atomically: whole, never half
    assert len(doc["inferences"]) >= 2 and doc["complete"] is False
    assert all(r["match"] for r in doc["inferences"])
