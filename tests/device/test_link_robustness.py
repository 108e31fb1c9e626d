"""A device that resets mid-run, and a port that disappears, with the real firmware in QEMU."""

import json
import re
import subprocess
import sys
import time

import pytest

pytestmark = pytest.mark.slow


def tinygen(*args, timeout=300):
    return subprocess.run([sys.executable, "-m", "tinygen", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout)


def patched_project(shared_models, tmp_path, body: str):
    fw = tmp_path / "fw"
    assert tinygen("project", shared_models / "ad01_int8.tflite", "-o", fw).returncode == 0
    model_c = fw / "src" / "model.c"
    model_c.write_text(re.sub(r"const char \*tg_model_invoke\(void\)\n\{\n", "const char *tg_model_invoke(void)\n{\n" + body,
                              model_c.read_text()))
    assert tinygen("build", fw).returncode == 0
    return fw


def test_device_reset_mid_run_is_recovered(shared_models, tmp_path):
    # every second inference since boot requests a system reset (SYSRESETREQ) before finishing
    fw = patched_project(shared_models, tmp_path, "    static int n;\n    if (++n == 2) {\n"
                         "        *(volatile unsigned long *)0xE000ED0Cu = 0x05FA0004u;\n        for (;;) { }\n    }\n")
    res = tinygen("sim", fw, "--json", "--timeout", "5")
    assert res.returncode == 0, res.stderr
    doc = json.loads(res.stdout)
    assert doc["complete"] and doc["all_match"] and len(doc["inferences"]) == 4
    assert doc["link"]["resets"] >= 1


def test_port_that_disappears_is_one_clear_error_and_keeps_results(shared_models, tmp_path):
    fw = patched_project(shared_models, tmp_path, "    static int n;\n    if (++n == 3) { for (;;) { } }\n")
    proc = subprocess.Popen([sys.executable, "-m", "tinygen", "sim", str(fw), "--timeout", "60"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    results = fw / "results.json"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if results.exists() and len(json.loads(results.read_text())["inferences"]) == 2:
            break
        time.sleep(0.2)
    time.sleep(0.5)
    subprocess.run(["pkill", "-f", str(fw / "build" / "firmware.elf")])  # the simulator vanishes
    started = time.monotonic()
    out, err = proc.communicate(timeout=60)
    assert time.monotonic() - started < 20, "a vanished port must not wait for the inference timeout"
    assert proc.returncode == 2
    lines = [l for l in err.splitlines() if l.startswith("error:")]
    assert len(lines) == 1 and "2 result(s) kept" in lines[0], err
    doc = json.loads(results.read_text())
    assert doc["complete"] is False and len(doc["inferences"]) == 2
