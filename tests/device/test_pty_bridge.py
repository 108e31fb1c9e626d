"""`tinygen sim PROJECT --pty LINK`: MLPerf-protocol firmware in QEMU behind a pseudo-terminal, opened
by path with pyserial as the MLPerf Tiny runner opens its DUT; boot output is not forwarded, the
port can be closed and opened again, and SIGTERM stops QEMU and removes the link."""

import signal
import subprocess
import sys
import time

import pytest
import serial

from tinygen.build.firmware import build_project
from tinygen.codegen.project import generate_project

pytestmark = pytest.mark.slow


def reply(port, command: bytes, timeout=10.0) -> bytes:
    port.write(command)
    got, deadline = b"", time.monotonic() + timeout
    while b"m-ready" not in got and time.monotonic() < deadline:
        got += port.read(4096)
    return got


def test_pty_bridge_to_mlperf_firmware(shared_models, tmp_path):
    fw = tmp_path / "fw"
    generate_project(shared_models / "kws_ref_model.tflite", "mps2-an386", fw, protocol="mlperf")
    build_project(fw)
    link = tmp_path / "dut"
    sim = subprocess.Popen([sys.executable, "-m", "tinygen", "sim", str(fw), "--pty", str(link)],
                           stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while not link.is_symlink():
            assert sim.poll() is None and time.monotonic() < deadline, sim.stderr.read()
            time.sleep(0.1)
        time.sleep(2)  # the firmware has booted and printed its ready lines by now
        with serial.Serial(str(link), 115200, timeout=0.2) as port:
            assert port.read(4096) == b""  # boot output stays on the bridge's side (pty.log)
            assert reply(port, b"name%") == b"m-name-dut-[tinygen]\r\nm-ready\r\n"
        with serial.Serial(str(link), 115200, timeout=0.2) as port:  # opened again, as the runner does
            assert reply(port, b"profile%").splitlines()[1] == b"m-model-[kws01]"
        assert b"m-init-done" in (fw / "pty.log").read_bytes()
    finally:
        sim.send_signal(signal.SIGTERM)
        code = sim.wait(30)
    assert code == 0, sim.stderr.read()
    assert not link.exists()
    ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    assert not [line for line in ps.splitlines() if "qemu-system-arm" in line and str(fw) in line]
