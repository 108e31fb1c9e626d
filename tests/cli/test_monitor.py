import json
import subprocess
import sys

import numpy as np
import pytest

from tinygen.model.inputs import benchmark_pattern
from tinygen.model.reference import reference_outputs

pytestmark = pytest.mark.slow


def test_monitor_free_running_firmware(shared_models, tmp_path):
    model = shared_models / "ad01_int8.tflite"
    fw = tmp_path / "fw"
    for cmd in (["project", str(model), "--mode", "free-running", "-o", str(fw)], ["build", str(fw), "--cflags=-Werror"]):
        res = subprocess.run([sys.executable, "-m", "tinygen", *cmd], capture_output=True, text=True)
        assert res.returncode == 0, res.stderr
    log = tmp_path / "m.jsonl"
    res = subprocess.run([sys.executable, "-m", "tinygen", "monitor", "--sim", str(fw), "--count", "20", "--log",
                          str(log), "--json"], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    s = json.loads(res.stdout)
    assert s["count"] >= 20 and s["lost_frames"] == 0 and s["link"]["crc_errors"] == 0
    assert 200_000 < s["latency"]["p50"] < 400_000 and s["inferences_per_second"] > 1  # ad01: ~263 k instructions
    rows = [json.loads(line) for line in log.read_text().splitlines()]
    assert len(rows) == s["count"] and [r["counter"] for r in rows] == list(range(len(rows)))
    # built-in input 0 is the benchmark pattern: its streamed output equals TFLM's
    ref = reference_outputs(str(model), [[benchmark_pattern((1, 640))]])[0][0].reshape(-1)
    first = next(r for r in rows if r["input"] == 0)
    assert np.array_equal(np.array(first["output"], np.int8), ref[:len(first["output"])])
