"""Models that keep state: the reset request, the run that is never invoked twice, and a failed
inference, with the real firmware (tg_app.c, tg_link.c) in QEMU on the M4.

tinygen's own runtime has no stateful kernel yet, so the firmware's model code is patched into a
counter: each invoke adds one and writes the count into the first output byte, and tg_model_reset()
(the hook stateful kernels fill) puts it back to 0. That shows exactly when the firmware invokes and
resets, which outputs of a real LSTM could not."""

import json
import re
import subprocess
import sys

import numpy as np
import pytest

from tinygen.codegen.project import load_project
from tinygen.device.link import InferenceFailed, Link
from tinygen.device.simulators import open_simulator

pytestmark = pytest.mark.slow


def tinygen(*args, timeout=300):
    return subprocess.run([sys.executable, "-m", "tinygen", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout)


def patched(shared_models, tmp_path, invoke_body: str = "", tail: str = "", reset_body: str = ""):
    fw = tmp_path / "fw"
    assert tinygen("project", shared_models / "ad01_int8.tflite", "--board", "mps2-an386", "-o", fw).returncode == 0
    model_c = fw / "src" / "model.c"
    text = model_c.read_text()
    assert "the model has no variable tensors: nothing persists" in text  # the hook of a model without state
    text = text.replace("const char *tg_model_invoke(void)\n{\n",
                        "static uint8_t tg_test_count;\n\nconst char *tg_model_invoke(void)\n{\n" + invoke_body)
    text = re.sub(r"    return NULL;\n\}\n\n(/\*[^\n]*\*/\n)?const char \*tg_model_reset",
                  lambda m: tail + "    return NULL;\n}\n\n" + (m.group(1) or "") + "const char *tg_model_reset", text)
    text = text.replace("    /* the model has no variable tensors: nothing persists between inferences */\n", reset_body)
    model_c.write_text(text)
    built = tinygen("build", fw)
    assert built.returncode == 0, built.stderr
    return fw


COUNTER = dict(tail="    tg_arena[tg_model_outputs[0].offset] = ++tg_test_count;\n"
                    "    if (tg_test_count == 5) return \"count reached 5\";\n",
               reset_body="    tg_test_count = 0;\n")


def test_reset_request_repeated_run_and_failed_inference(shared_models, tmp_path):
    fw = patched(shared_models, tmp_path, **COUNTER)
    meta = load_project(fw)
    x = np.arange(640, dtype=np.int64).astype(np.int8).tobytes()
    with open_simulator(meta["board_spec"], fw / meta["elf"], tmp_path / "sim.log") as port:
        link = Link(port, timeout=5.0)
        link.hello(timeout=15.0)
        # the boot reset the state; the state then runs on from one inference to the next
        assert [link.infer(x, tag, 30.0)[0][0] for tag in range(3)] == [1, 2, 3]
        # the run request repeated (its reply lost): the same result, and no second invoke
        first = link.run(2, 30.0)
        assert first == link.run(2, 30.0)  # (the count is in the output: a new invoke would change its CRC)
        assert link.read_output(first[1])[0] == 3
        # the reset request is acknowledged and puts the state back
        link.reset_state()
        assert link.infer(x, 3, 30.0)[0][0] == 1
        # a resent input with the "again" flag does invoke again
        link.write_input(x)
        again = link.run(3, 30.0, again=True)
        assert link.read_output(again[1])[0] == 2
        link.reset_state()
        assert [link.infer(x, tag, 30.0)[0][0] for tag in range(10, 14)] == [1, 2, 3, 4]
        # the 5th invoke fails: an error for that inference alone, then the device runs on
        with pytest.raises(InferenceFailed, match=r"^device error 6: inference failed: count reached 5$"):
            link.infer(x, 14, 30.0)
        assert link.infer(x, 15, 30.0)[0][0] == 6
        assert link.stats.resets == 0


def test_failed_inference_is_reported_and_the_run_goes_on(shared_models, tmp_path):
    fw = patched(shared_models, tmp_path, invoke_body="    if (++tg_test_count == 2) return \"test failure\";\n")
    res = tinygen("sim", fw, "--json", "--timeout", "20")
    assert res.returncode == 1, res.stderr
    doc = json.loads(res.stdout)
    assert doc["complete"] and not doc["all_match"] and not doc["keeps_state"] and len(doc["inferences"]) == 4
    failed = doc["inferences"][1]
    assert failed["failed"] and failed["output"] is None and "inference failed: test failure" in failed["error"]
    assert all(r["match"] for i, r in enumerate(doc["inferences"]) if i != 1)
    shown = tinygen("sim", fw, "--timeout", "20")  # the table and the summary say so too
    assert "failed: device error 6: inference failed: test failure" in shown.stdout
    assert "1 inference(s) failed on the device" in shown.stdout


def test_model_without_state_still_passes(shared_models, tmp_path):
    # the reset at the start of every run does nothing to it
    res = tinygen("run", shared_models / "ad01_int8.tflite", "-o", tmp_path, "--json")
    assert res.returncode == 0, res.stderr
    doc = json.loads(res.stdout)
    assert doc["all_match"] and doc["complete"] and doc["keeps_state"] is False
