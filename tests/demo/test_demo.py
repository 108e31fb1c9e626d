import json
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow


def test_demo_runs_end_to_end(tmp_path):
    res = subprocess.run([sys.executable, "-m", "tinygen", "demo", "--json", "-o", str(tmp_path / "demo")],
                         capture_output=True, text=True, timeout=900)
    assert res.returncode == 0, res.stderr[-3000:]
    s = json.loads(res.stdout)
    assert s["all_match"] and s["samples"] == 10 and all(r["match"] for r in s["rows"])
    assert s["float_accuracy_host"] > 0.9 and s["int8_accuracy_host"] > s["float_accuracy_host"] - 0.02
    assert s["instructions_per_inference"] > 0 and s["flash_bytes"] > 0 and s["ram_bytes"] >= s["arena_bytes"]
    # deterministic: training, quantization and code generation give the same model bytes again
    again = subprocess.run([sys.executable, "-m", "tinygen", "demo", "--json", "-o", str(tmp_path / "demo2"),
                            "--samples", "2"], capture_output=True, text=True, timeout=900)
    assert again.returncode == 0, again.stderr[-3000:]
    assert (tmp_path / "demo" / "digits_int8.tflite").read_bytes() == (tmp_path / "demo2" / "digits_int8.tflite").read_bytes()
