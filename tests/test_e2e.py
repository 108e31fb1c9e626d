"""End to end on QEMU: the real compiler, the real simulator, the real TFLM reference."""

import json
import re
import subprocess
import sys

import numpy as np
import pytest

from tinygen.model.inputs import benchmark_pattern

pytestmark = pytest.mark.slow

FIELDS = {"model", "model_sha256", "board", "runtime", "simulator", "inferences", "all_match",
          "instructions_per_inference", "flash_bytes", "ram_bytes", "arena_bytes", "complete"}


def tinygen(*args, cwd=None, timeout=600):
    return subprocess.run([sys.executable, "-m", "tinygen", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=timeout)


def test_ad01_on_cortex_m4_equals_tflm(shared_models, tmp_path):
    rng = np.random.default_rng(7)
    x = np.concatenate([benchmark_pattern((1, 640))[None], rng.integers(-128, 128, (4, 1, 640)).astype(np.int8)])
    np.save(tmp_path / "x.npy", x)
    res = tinygen("run", shared_models / "ad01_int8.tflite", "--board", "mps2-an386", "--inputs",
                  tmp_path / "x.npy", "-o", tmp_path / "out", "--json")
    assert res.returncode == 0, res.stderr
    doc = json.loads(res.stdout)  # --json prints the results and nothing else
    assert FIELDS <= set(doc)
    assert doc["complete"] and doc["all_match"] and len(doc["inferences"]) == 5
    for r in doc["inferences"]:
        assert r["match"] and r["output"] == r["reference"] and len(r["output"]) == 640
        assert r["instructions"] > 100_000 and r["instructions"] % 40 == 0
    assert doc["simulator"].startswith("qemu-system-arm -M mps2-an386")
    assert doc["flash_bytes"] > 270_000  # the weights are in flash
    assert doc["arena_bytes"] <= 2260
    assert json.loads((tmp_path / "out" / "results.json").read_text()) == doc


def test_stages_one_by_one_and_deterministic_counts(shared_models, tmp_path):
    model = shared_models / "ad01_int8.tflite"
    fw = tmp_path / "fw"
    assert tinygen("project", model, "--board", "mps2-an386", "-o", fw).returncode == 0
    b = tinygen("build", fw, "--cflags=-Werror", "--json")
    assert b.returncode == 0, b.stderr
    sizes = json.loads(b.stdout)
    assert sizes["flash_bytes"] > 0 and sizes["ram_bytes"] >= sizes["arena_bytes"]
    counts = []
    for _ in range(2):
        s = tinygen("sim", fw, "--json")
        assert s.returncode == 0, s.stderr
        doc = json.loads(s.stdout)
        assert doc["all_match"]
        counts.append([r["instructions"] for r in doc["inferences"]])
    # -icount makes the guest deterministic; the timer's resolution is one SysTick tick (40 instructions)
    assert all(abs(a - b) <= 40 for a, b in zip(*counts)), counts


def test_hung_simulator_is_stopped_and_results_kept(shared_models, tmp_path):
    fw = tmp_path / "fw"
    assert tinygen("project", shared_models / "ad01_int8.tflite", "-o", fw).returncode == 0
    model_c = fw / "src" / "model.c"
    # make the firmware hang in its third inference
    text = model_c.read_text()
    text = re.sub(r"const char \*tg_model_invoke\(void\)\n\{\n",
                  "const char *tg_model_invoke(void)\n{\n    static int n;\n    if (++n == 3) { for (;;) { } }\n", text)
    model_c.write_text(text)
    assert tinygen("build", fw).returncode == 0
    res = tinygen("sim", fw, "--timeout", "3", timeout=120)
    assert res.returncode == 2
    lines = [l for l in res.stderr.splitlines() if l.startswith("error:")]
    assert len(lines) == 1 and "no reply" in lines[0] and "2 result(s) kept" in lines[0], res.stderr
    doc = json.loads((fw / "results.json").read_text())
    assert doc["complete"] is False and len(doc["inferences"]) == 2 and doc["error"]
    assert all(r["match"] for r in doc["inferences"])
    out = subprocess.run(["pgrep", "-f", str(fw / "build" / "firmware.elf")], capture_output=True)
    assert out.returncode == 1, "QEMU was left running"


def test_unsupported_model_exit_2_lists_operators(shared_models, tmp_path):
    res = tinygen("run", shared_models / "kws_ref_model_float32.tflite", "-o", tmp_path / "o")
    assert res.returncode == 2
    assert "not supported" in res.stderr or "float32" in res.stderr
