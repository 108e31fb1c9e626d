"""The generated CI workflow (.github/workflows/firmware.yml): it parses, installs the board's
simulator and tinygen, builds, and runs tests/test_firmware.py in that simulator; boards no
simulator models (and firmware that does not answer tinygen's protocol) are only built. The slow
tests run the workflow's own commands in a freshly generated project for QEMU, Renode and rp2040js,
with tinygen installed from a wheel of this checkout into a fresh venv."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
import yaml

from tinygen.boards.registry import load_board
from tinygen.codegen.project import render_project
from tinygen.codegen.workflow import WORKFLOW
from tinygen.model.graph import load_graph

REPO = Path(__file__).resolve().parents[2]
MODEL = REPO / "tests" / "golden" / "tiny_cnn.tflite"
TEST_RUN = "python -m pytest tests/test_firmware.py --tinygen-simulator "


def workflow(board: str, **kw) -> dict:
    files = render_project(load_graph(MODEL), load_board(board), **kw).files
    return yaml.safe_load(files[WORKFLOW])


def steps_of(flow: dict) -> list[dict]:
    (job,) = flow["jobs"].values()
    return job["steps"]


def runs(flow: dict) -> list[str]:
    return [s["run"] for s in steps_of(flow) if "run" in s]


@pytest.mark.parametrize("board,simulator,setup", [
    ("mps2-an386", "qemu", "qemu-system-arm"),
    ("netduinoplus2", "qemu", "qemu-system-arm"),           # QEMU first, Renode second: QEMU
    ("nucleo-f446re", "renode", "releases/download/v1.15.3/renode-1.15.3.linux-portable.tar.gz"),
    ("pico", "rp2040js", "npm install --prefix ~/.cache/tinygen/rp2040js --no-audit --no-fund rp2040js@1.4.1"),
])
def test_workflow_runs_the_firmware_test_in_the_boards_simulator(board, simulator, setup):
    flow = workflow(board)
    commands = runs(flow)
    assert flow[True] == [  # YAML 1.1 reads the key `on` as true
        "push", "pull_request", "workflow_dispatch"]
    assert flow["env"]["TINYGEN_PACKAGE"].startswith("tinygen[pytest]==")
    assert any(setup in c for c in commands), commands
    order = [commands.index(c) for c in ('python -m pip install "$TINYGEN_PACKAGE"', "make",
                                         TEST_RUN + simulator)]
    assert order == sorted(order)  # installed, built, then tested
    assert commands[-1] == TEST_RUN + simulator or "uses" in steps_of(flow)[-1]
    robot = [s for s in steps_of(flow) if str(s.get("uses", "")).startswith("antmicro/renode-test-action@")]
    assert bool(robot) == bool(load_board(board).simulator.get("renode"))  # Renode boards keep the Robot test


@pytest.mark.parametrize("board,kw", [("nucleo-l4r5zi", {}), ("mps2-an386", {"protocol": "mlperf", "mlperf_task": "kws01"}),
                                      ("mps2-an386", {"mode": "free-running"})])
def test_workflow_only_builds_without_a_simulator_or_the_protocol(board, kw):
    flow = workflow(board, **kw)
    commands = runs(flow)
    assert commands[-1] == "make" and not any("pytest" in c or "pip install" in c for c in commands)
    assert "env" not in flow and "qemu" not in " ".join(commands)


def test_host_projects_have_no_workflow():
    assert WORKFLOW not in render_project(load_graph(MODEL), load_board("host")).files


# -- the workflow's commands, for real ---------------------------------------------------------------
def installed(pkg: str) -> bool:
    res = subprocess.run(["dpkg-query", "-W", "-f=${Status}", pkg], capture_output=True, text=True)
    return "install ok installed" in res.stdout


@pytest.fixture(scope="module")
def installed_tinygen(tmp_path_factory) -> dict:
    """What the workflow's Python steps run with: a venv (actions/setup-python's Python) and
    TINYGEN_PACKAGE naming a wheel of this checkout, installed with no index (no downloads in tests);
    the dependencies come from this environment, as in tests/test_wheel.py."""
    tmp = tmp_path_factory.mktemp("workflow")
    dist = tmp / "dist"
    res = subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist)],
                         cwd=REPO, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr[-2000:]
    wheel = next(dist.glob("tinygen-*.whl"))
    venv = tmp / "venv"
    subprocess.run([getattr(sys, "_base_executable", sys.executable), "-m", "venv", str(venv)], check=True)
    site = subprocess.run([str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    Path(site, "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(TINYGEN_PACKAGE=f"tinygen[pytest] @ {wheel.as_uri()}", PIP_NO_INDEX="1", PIP_NO_DEPS="1",
               PATH=f"{venv / 'bin'}{os.pathsep}{env['PATH']}")
    return {"venv": venv, "env": env}


def provisioned(step: dict, env: dict) -> bool:
    """Steps that install the toolchain or the simulator need root or the network: instead, what they
    install must be here already (True; False: it is not, the test is skipped; None: an ordinary step,
run it). Renode's step sets $RENODE: set here from tinygen's own search."""
    run = step["run"]
    if "apt-get install" in run:
        pkgs = run.split("--no-install-recommends")[1].split()
        assert all(installed(p) for p in pkgs), pkgs
        return True
    if "renode" in run and "curl" in run:
        from tinygen.device.simulators.renode import find_renode
        from tinygen.errors import ToolMissingError

        try:
            env["RENODE"] = str(find_renode())
        except ToolMissingError:
            return False
        return True
    if run.startswith("npm install"):
        from tinygen.device.simulators.rp2040js import rp2040js_dir

        assert "~/.cache/tinygen/rp2040js" in run  # where tinygen looks by default
        return (rp2040js_dir() / "node_modules" / "rp2040js" / "package.json").is_file()
    return None


@pytest.mark.slow
@pytest.mark.parametrize("board,simulator", [("mps2-an386", "qemu"), ("nucleo-f446re", "renode"),
                                             ("pico", "rp2040js")])
def test_the_workflows_commands_pass_in_a_fresh_project(tmp_path, installed_tinygen, board, simulator):
    from tinygen.codegen.project import generate_project

    fw = tmp_path / "project"
    generate_project(MODEL, board, fw)
    flow = yaml.safe_load((fw / WORKFLOW).read_text())
    env = dict(installed_tinygen["env"], **flow.get("env", {}))
    env["TINYGEN_PACKAGE"] = installed_tinygen["env"]["TINYGEN_PACKAGE"]
    env["TMPDIR"] = str(tmp_path)  # the simulators' folders: the leak check below sees only this test's
    ran = []
    for step in steps_of(flow):
        if "uses" in step:  # checkout: the project is here; setup-python: the venv; setup-node: node on PATH
            assert step["uses"].split("@")[0] in ("actions/checkout", "actions/setup-python", "actions/setup-node",
                                                 "antmicro/renode-test-action")
            continue
        ready = provisioned(step, env)
        if ready is False:
            pytest.skip(f"{simulator} is not installed ({step.get('name')})")
        if ready:
            continue
        res = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=fw, env=env, capture_output=True, text=True,
                             timeout=900)
        assert res.returncode == 0, f"{step.get('name')}: {res.stdout[-3000:]}{res.stderr[-3000:]}"
        ran.append((step["run"], res.stdout))
    assert [r for r, _ in ran] == ['python -m pip install "$TINYGEN_PACKAGE"', "make", TEST_RUN + simulator]
    out = ran[-1][1]
    assert "3 passed" in out, out
    where = subprocess.run([str(installed_tinygen["venv"] / "bin" / "python"), "-c",
                            "import tinygen; print(tinygen.__file__)"], cwd=fw, env=env, capture_output=True,
                           text=True, check=True).stdout
    assert str(installed_tinygen["venv"]) in where  # the installed wheel ran the test, not this checkout
    ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    assert not [line for line in ps.splitlines()
                if ("qemu-system-arm" in line or "Renode" in line or "rp2040js" in line)
                and (str(fw) in line or str(tmp_path) in line)]
