"""The link under damage: a relay corrupts, drops and inserts bytes between QEMU and tinygen eval.
Every reported result must be correct or flagged as failed; detected faults are counted."""

import json
import socket
import subprocess
import sys
import time

import numpy as np
import pytest

from tinygen.device.fault_relay import FaultRelay
from tinygen.model.inputs import benchmark_pattern

pytestmark = pytest.mark.slow


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served_ad01(shared_models, tmp_path):
    fw = tmp_path / "fw"
    for cmd in (["project", str(shared_models / "ad01_int8.tflite"), "-o", str(fw)], ["build", str(fw)]):
        assert subprocess.run([sys.executable, "-m", "tinygen", *cmd], capture_output=True).returncode == 0
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "tinygen", "sim", str(fw), "--serve", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    time.sleep(0.5)
    yield fw, port
    proc.terminate()
    proc.wait(10)
    time.sleep(0.5)
    left = subprocess.run(["pgrep", "-f", str(fw / "build" / "firmware.elf")], capture_output=True)
    assert left.returncode == 1, "tinygen sim --serve left QEMU running after SIGTERM"


def run_eval(url, model, x_path, link_timeout=2, timeout=600):
    res = subprocess.run([sys.executable, "-m", "tinygen", "eval", "--port", url, "--model", str(model),
                          "--inputs", str(x_path), "--json", "--timeout", str(link_timeout)], capture_output=True, text=True,
                         timeout=timeout)
    return res


@pytest.mark.parametrize("rate", [0.0, 0.01])
def test_eval_through_a_damaging_relay(served_ad01, shared_models, tmp_path, rate):
    fw, port = served_ad01
    rng = np.random.default_rng(5)
    x = np.concatenate([benchmark_pattern((1, 1, 640)), rng.integers(-128, 128, (3, 1, 640)).astype(np.int8)])
    np.save(tmp_path / "x.npy", x)
    with FaultRelay(("127.0.0.1", port), rate=rate, seed=11) as relay:
        # undamaged, no reply may be late even on a loaded machine; damaged, lost frames must time out soon
        res = run_eval(relay.url, shared_models / "ad01_int8.tflite", tmp_path / "x.npy",
                       link_timeout=2 if rate else 20)
    doc = json.loads(res.stdout) if res.stdout.strip() else None
    assert doc is not None, res.stderr[-2000:]
    for r in doc["inferences"]:
        assert r.get("failed") or r["match"], f"inference {r['index']} reported a wrong result"
    link = doc["link"]
    if rate == 0:
        assert res.returncode == 0 and doc["agreement"] == 1.0 and relay.damaged == 0
        assert link["crc_errors"] == 0 and link["retries"] == 0
    else:
        assert relay.damaged > 10, relay.counts
        detected = link["crc_errors"] + link["timeouts"] + link["retries"]
        assert detected > 0, link
        assert doc["delivered"] >= doc["count"] // 2, doc  # most inferences recover
        print(f"1 % damage: relay {relay.counts}, link {link}, delivered {doc['delivered']}/{doc['count']}")


@pytest.mark.parametrize("board", ["mps2-an386", "m0plus-an385"])
def test_a_crashing_firmware_names_the_fault(shared_models, tmp_path, board):
    """A CPU fault is one error line naming the pc, not a silent board. The crash is an undefined
    instruction put into the generated main.c right after the port is up."""
    fw = tmp_path / "fw"
    made = subprocess.run([sys.executable, "-m", "tinygen", "project", str(shared_models / "ad01_int8.tflite"),
                           "--board", board, "-o", str(fw)], capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    main = fw / "src" / "main.c"
    main.write_text(main.read_text().replace("    tg_port_init();\n",
                                             "    tg_port_init();\n    __asm volatile(\".inst.n 0xde00\"); /* udf */\n"))
    built = subprocess.run([sys.executable, "-m", "tinygen", "build", str(fw)], capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    res = subprocess.run([sys.executable, "-m", "tinygen", "sim", str(fw)], capture_output=True, text=True,
                         timeout=120)
    errors = [l for l in res.stderr.splitlines() if l.startswith("error:")]
    assert res.returncode == 2 and len(errors) == 1, res.stderr
    assert "device error 5: fault at pc 0x" in errors[0] and "results.json" in errors[0]
