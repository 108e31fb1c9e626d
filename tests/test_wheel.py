"""A wheel installed outside the checkout carries its templates, firmware and boards."""

import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def test_wheel_runs_outside_the_checkout(tmp_path, shared_models):
    dist = tmp_path / "dist"
    res = subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist)],
                         cwd=REPO, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr[-2000:]
    wheel = next(dist.glob("tinygen-*.whl"))
    venv = tmp_path / "venv"
    subprocess.run([getattr(sys, "_base_executable", sys.executable), "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-deps", str(wheel)], check=True)
    # Dependencies come from this environment's site-packages (no downloads in tests); a .pth adds
    # the directory only, so the checkout's editable tinygen is not visible.
    site = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    Path(site, "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = subprocess.run([str(py), "-c", "import tinygen, tinygen.resources as r; print(tinygen.__file__);"
                            "print(r.templates_dir())"], cwd=elsewhere, capture_output=True, text=True, check=True, env=env)
    assert str(REPO) not in where.stdout, where.stdout
    res = subprocess.run([str(venv / "bin" / "tinygen"), "run", str(shared_models / "ad01_int8.tflite"),
                          "--board", "host", "--json", "-o", "out"], cwd=elsewhere, capture_output=True, text=True,
                         env=env)
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["all_match"]
    assert (elsewhere / "out" / "fw" / "runtime" / "src" / "tg_fully_connected.c").is_file()
