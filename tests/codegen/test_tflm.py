"""The TensorFlow Lite Micro runtime option.

CI has no TFLM source tree (none is installable), so here the generated project is checked and the
refusals are exercised; building and running against TFLM happens only where TFLM_DIR names a tree
made by tflite-micro's create_tflm_tree.py (those tests skip otherwise, and say so).
"""

import dataclasses
import json
import os
import re
import subprocess
import sys

import pytest

from tinygen.errors import UnsupportedError
from tinygen.model.graph import load_graph
from tinygen.codegen.tflm import TFLM_OPS, resolver_methods

TFLM_DIR = os.environ.get("TFLM_DIR", "")
needs_tflm = pytest.mark.skipif(not TFLM_DIR, reason="TFLM_DIR is not set (no TensorFlow Lite Micro tree here)")


def tinygen(*args, env=None, timeout=1800):
    return subprocess.run([sys.executable, "-m", "tinygen", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, env=env)


def test_resolver_holds_exactly_the_models_operators(shared_models):
    g = load_graph(shared_models / "kws_ref_model.tflite")
    assert resolver_methods(g) == ["AddConv2D", "AddDepthwiseConv2D", "AddAveragePool2D", "AddReshape",
                                   "AddFullyConnected", "AddSoftmax"]
    assert TFLM_OPS["PADV2"] == "AddPadV2" and TFLM_OPS["LOG_SOFTMAX"] == "AddLogSoftmax"
    custom = dataclasses.replace(g, operators=[dataclasses.replace(g.operators[0], opcode="CUSTOM")] + g.operators[1:])
    with pytest.raises(UnsupportedError, match="operator 0 CUSTOM"):
        resolver_methods(custom)


def test_project_files(shared_models, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "TFLM_DIR"}
    res = tinygen("project", shared_models / "kws_ref_model.tflite", "--runtime", "tflm", "--board", "mps2-an386",
                  "-o", tmp_path / "fw", env=env)
    assert res.returncode == 0, res.stderr
    fw = tmp_path / "fw"
    meta = json.loads((fw / "tinygen.json").read_text())
    assert meta["runtime"] == "tflm" and meta["arena_bytes"] % 16 == 0
    assert meta["arena_bytes"] + meta["board_spec"]["stack_bytes"] < meta["board_spec"]["memory"]["ram"]["size"]
    cc = (fw / "src" / "model_tflm.cc").read_text()
    assert "MicroMutableOpResolver<6>" in cc and cc.count("resolver->Add") == 6
    assert meta["model_sha256"] in cc  # generated files name the model, never a time
    data = (fw / "src" / "model_data.c").read_text()
    size = (shared_models / "kws_ref_model.tflite").stat().st_size
    assert f"model_data_len = {size}u" in data and "aligned(16)" in data
    assert "TFLM_DIR ?= \n" in (fw / "Makefile").read_text()
    # without a tree, the build stops with one line that says what to do
    built = tinygen("build", fw, env=env)
    errors = [l for l in built.stderr.splitlines() if l.startswith("error:")]
    assert built.returncode == 2 and len(errors) == 1 and "create_tflm_tree.py" in errors[0], built.stderr


def test_bad_tflm_dir_and_arena(shared_models, tmp_path):
    res = tinygen("project", shared_models / "ad01_int8.tflite", "--runtime", "tflm", "--tflm-dir", tmp_path,
                  "-o", tmp_path / "fw")
    assert res.returncode == 2 and "not a TensorFlow Lite Micro tree" in res.stderr
    res = tinygen("project", shared_models / "ad01_int8.tflite", "--runtime", "tflm", "--tflm-arena", "5000000",
                  "-o", tmp_path / "fw")
    assert res.returncode == 2 and "board mps2-an386 has 4096 KB: " in res.stderr and "(arena 4883 KB" in res.stderr
    assert not (tmp_path / "fw").exists()


@needs_tflm
@pytest.mark.slow
@pytest.mark.parametrize("model", ["ad01_int8", "kws_ref_model"])
def test_tflm_runs_bit_exact_in_qemu(shared_models, tmp_path, model):
    res = tinygen("run", shared_models / f"{model}.tflite", "--runtime", "tflm", "-o", tmp_path, "--json")
    assert res.returncode == 0, res.stderr[-2000:]
    doc = json.loads(res.stdout)
    assert doc["runtime"] == "tflm" and doc["all_match"] and len(doc["inferences"]) >= 4
    assert 0 < doc["arena_used_bytes"] < doc["arena_bytes"]


@needs_tflm
@pytest.mark.slow
def test_tflm_arena_too_small_is_one_line(shared_models, tmp_path):
    res = tinygen("run", shared_models / "kws_ref_model.tflite", "--runtime", "tflm", "--tflm-arena", "16000",
                  "-o", tmp_path)
    errors = [l for l in res.stderr.splitlines() if l.startswith("error:")]
    assert res.returncode == 2 and len(errors) == 1 and "AllocateTensors failed" in errors[0], res.stderr
    assert re.search(r"AllocateTensors failed \(the arena is --tflm-arena\): Failed to resize buffer\. "
                     r"Requested: \d+, available \d+, missing: \d+", errors[0])  # TFLM's own message
    assert re.search(r"results.json", errors[0])


def test_project_resets_and_reports_tflm_failures(shared_models, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "TFLM_DIR"}
    res = tinygen("project", shared_models / "tflm" / "micro_speech_lstm.tflite", "--runtime", "tflm",
                  "-o", tmp_path / "fw", env=env)
    assert res.returncode == 0, res.stderr
    cc = (tmp_path / "fw" / "src" / "model_tflm.cc").read_text()
    # the state is kept between inferences and reset on request (interpreter.Reset())
    assert re.search(r"tg_model_reset\(void\)\n\{\n    forget_message\(\);\n    if \(interpreter->Reset\(\)", cc)
    # a failed Invoke is a failed inference with TFLM's message, its outputs are not copied
    assert 'return failure("tflm: Invoke failed");' in cc and 'failure("tflm: AllocateTensors failed' in cc
    assert "arena too small?" not in cc
    # no resource variables in this model: the interpreter makes its own allocator
    assert "MicroResourceVariables" not in cc and "MicroInterpreter(model, *resolver, tensor_arena," in cc


def resource_variable_model(path):
    """A float accumulator over a resource variable (CALL_ONCE initialises it in subgraph 1): output =
    state + input, and the state becomes the output."""
    import tensorflow as tf

    class Acc(tf.Module):
        def __init__(self):
            self.v = tf.Variable(tf.zeros([1, 8]))

        @tf.function(input_signature=[tf.TensorSpec([1, 8], tf.float32)])
        def __call__(self, x):
            y = self.v + x
            self.v.assign(y)
            return y

    m = Acc()
    conv = tf.lite.TFLiteConverter.from_concrete_functions([m.__call__.get_concrete_function()], m)
    conv.experimental_enable_resource_variables = True
    path.write_bytes(conv.convert())
    return path


@pytest.mark.slow
def test_resource_variables_get_micro_resource_variables(tmp_path):
    from tinygen.codegen.tflm import resource_variable_count, subgraph_operators

    model = resource_variable_model(tmp_path / "acc.tflite")
    g = load_graph(model)
    assert g.keeps_state and ("VAR_HANDLE" in [o for s, _, o in subgraph_operators(g) if s == 1])
    assert resource_variable_count(g) == 2
    assert {"AddCallOnce", "AddVarHandle", "AddReadVariable", "AddAssignVariable"} <= set(resolver_methods(g))
    env = {k: v for k, v in os.environ.items() if k != "TFLM_DIR"}
    res = tinygen("project", model, "--runtime", "tflm", "-o", tmp_path / "fw", env=env)
    assert res.returncode == 0, res.stderr
    cc = (tmp_path / "fw" / "src" / "model_tflm.cc").read_text()
    assert "tflite::MicroResourceVariables::Create(allocator, 2)" in cc
    assert "MicroInterpreter(model, *resolver, allocator, variables)" in cc


@needs_tflm
@pytest.mark.slow
@pytest.mark.parametrize("model,shape", [("trained_lstm_int8", (1, 28, 28)), ("micro_speech_lstm", (1, 49, 257))])
def test_tflm_lstm_state_is_a_stream_equal_to_the_reference(shared_models, tmp_path, model, shape):
    # TFLM keeps the LSTM state between Invoke calls; the reference runs the same stream (one
    # interpreter, reset once), so all 10 inferences agree byte for byte
    import numpy as np

    x = tmp_path / "x.npy"
    np.save(x, np.random.default_rng(1).integers(-128, 128, (10, *shape), dtype=np.int8))
    res = tinygen("run", shared_models / "tflm" / f"{model}.tflite", "--runtime", "tflm", "--inputs", x,
                  "-o", tmp_path / "run", "--json")
    assert res.returncode == 0, res.stderr[-2000:]
    doc = json.loads(res.stdout)
    assert doc["keeps_state"] and doc["all_match"] and len(doc["inferences"]) == 10


@needs_tflm
@pytest.mark.slow
def test_tflm_resource_variables_accumulate_across_inferences(tmp_path):
    import numpy as np

    model = resource_variable_model(tmp_path / "acc.tflite")
    x = tmp_path / "x.npy"
    np.save(x, np.ones((4, 1, 8), dtype=np.float32))
    res = tinygen("run", model, "--runtime", "tflm", "--inputs", x, "-o", tmp_path / "run", "--json")
    assert res.returncode == 0, res.stderr[-2000:]
    doc = json.loads(res.stdout)
    assert doc["keeps_state"] and doc["all_match"]
    assert [r["output"][0] for r in doc["inferences"]] == [1.0, 2.0, 3.0, 4.0]  # the state kept, from zero


@needs_tflm
@pytest.mark.slow
def test_tflm_failed_invoke_is_a_failed_inference(shared_models, tmp_path):
    # TFLM's kernels only fail on bad models, so the generated code is patched: its second Invoke
    # prints through MicroPrintf, as a kernel does, and fails
    fw = tmp_path / "fw"
    assert tinygen("project", shared_models / "ad01_int8.tflite", "--runtime", "tflm", "-o", fw).returncode == 0
    cc = fw / "src" / "model_tflm.cc"
    text = cc.read_text().replace('#include "tensorflow/lite/micro/micro_time.h"\n',
                                  '#include "tensorflow/lite/micro/micro_time.h"\n'
                                  '#include "tensorflow/lite/micro/micro_log.h"\n')
    text = text.replace("    if (interpreter->Invoke() != kTfLiteOk) {",
                        "    static int n;\n    if (++n == 2) MicroPrintf(\"injected failure %d\", n);\n"
                        "    if (n == 2 || interpreter->Invoke() != kTfLiteOk) {")
    cc.write_text(text)
    built = tinygen("build", fw)
    assert built.returncode == 0, built.stderr[-2000:]
    res = tinygen("sim", fw, "--json")
    assert res.returncode == 1, res.stderr[-2000:]
    doc = json.loads(res.stdout)
    failed = doc["inferences"][1]
    assert failed["failed"] and failed["output"] is None
    assert failed["error"] == "device error 6: inference failed: tflm: Invoke failed: injected failure 2"
    assert doc["complete"] and all(r["match"] for i, r in enumerate(doc["inferences"]) if i != 1)
