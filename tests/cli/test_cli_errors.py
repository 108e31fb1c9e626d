"""Bad input: one line naming the file and the problem, exit code 2, nothing half-written."""

import subprocess
import sys

import numpy as np
import pytest


def tinygen(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "tinygen", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd)


def assert_one_line_error(res, *fragments):
    assert res.returncode == 2, res.stderr
    lines = [l for l in res.stderr.splitlines() if l.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), res.stderr
    for f in fragments:
        assert f in lines[0], lines[0]


def test_not_a_file(tmp_path):
    assert_one_line_error(tinygen("inspect", tmp_path / "missing.tflite"), "missing.tflite", "no such file")


def test_not_a_flatbuffer(tmp_path):
    p = tmp_path / "junk.tflite"
    p.write_bytes(b"\x00" * 64)
    out = tmp_path / "fw"
    assert_one_line_error(tinygen("project", p, "-o", out), "junk.tflite", "not a TFLite flatbuffer")
    assert not out.exists()


def test_truncated_model(shared_models, tmp_path):
    p = tmp_path / "cut.tflite"
    p.write_bytes((shared_models / "ad01_int8.tflite").read_bytes()[:5000])
    assert_one_line_error(tinygen("run", p, "-o", tmp_path / "o"), "cut.tflite")
    assert not (tmp_path / "o" / "fw").exists()


def test_float_model_refused_before_writing(shared_models, tmp_path):
    out = tmp_path / "fw"
    res = tinygen("project", shared_models / "kws_ref_model_float32.tflite", "-o", out)
    assert_one_line_error(res, "kws_ref_model_float32.tflite", "float32", "tinygen inspect lists them all")
    assert not out.exists()


def test_unsupported_operator_lists_every_one(tmp_path):
    # A float model is a convenient source of several unsupported operators.
    from tests.conftest import SHARED_MODELS

    if not SHARED_MODELS.is_dir():
        pytest.skip("../shared absent")
    res = tinygen("project", SHARED_MODELS / "kws_ref_model_float32.tflite", "-o", tmp_path / "fw")
    # one line of bounded length: the count, the first problems, and where to see them all
    assert "problems: operator 0 " in res.stderr and len(res.stderr) < 400
    shown = tinygen("inspect", SHARED_MODELS / "kws_ref_model_float32.tflite")
    assert shown.stdout.count("NO ") >= 5


def test_unknown_board(shared_models, tmp_path):
    assert_one_line_error(tinygen("project", shared_models / "ad01_int8.tflite", "--board", "nope", "-o",
                                  tmp_path / "fw"), "unknown board 'nope'")


@pytest.mark.parametrize("arr,msg", [
    (np.zeros((2, 640), np.float32), "float32"),
    (np.zeros((2, 641), np.int8), "[641]"),
    (np.zeros((0, 640), np.int8), "no inferences"),
])
def test_bad_inputs(shared_models, tmp_path, arr, msg):
    x = tmp_path / "x.npy"
    np.save(x, arr)
    res = tinygen("run", shared_models / "ad01_int8.tflite", "--board", "host", "--inputs", x, "-o", tmp_path / "o")
    assert_one_line_error(res, "x.npy", msg)


def test_not_a_project(tmp_path):
    assert_one_line_error(tinygen("build", tmp_path), "not a tinygen project")


def test_refuses_to_overwrite_a_foreign_directory(shared_models, tmp_path):
    (tmp_path / "mine.txt").write_text("keep me")
    res = tinygen("project", shared_models / "ad01_int8.tflite", "-o", tmp_path)
    assert_one_line_error(res, "not a tinygen output directory")
    assert (tmp_path / "mine.txt").read_text() == "keep me"


def test_closed_stdout_is_not_an_error():
    # `tinygen boards --json | head -1`: the reader leaves early; no BrokenPipeError traceback
    res = subprocess.run(f"{sys.executable} -m tinygen boards --json | head -c 1", shell=True, capture_output=True,
                         text=True)
    assert res.stdout == "[" and "Traceback" not in res.stderr and "Error" not in res.stderr, res.stderr
