"""The official MLPerf Tiny runner (mlcommons/tiny benchmark/runner, unmodified, fetched outside the
repository and named by MLPERF_TINY_RUNNER=<that runner folder>; skipped without it) in accuracy
mode, for every benchmark, against --protocol mlperf firmware in QEMU, reached through
`tinygen sim --pty` and the runner's own device lists, as docs/protocol.md describes (the runner
needs pyusb: tinygen[dev] has it). The datasets are small and written in the runner's formats
(y_labels.csv; kws01 int8, vww01/ic01 uint8 RGB, ad01 FP32LE frames cut by the runner into windows
of 2,560 bytes at a stride of 512); every result vector the runner records equals TFLM's with the
reference submission's pre- and post-processing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from tinygen.build.firmware import build_project
from tinygen.codegen.project import generate_project
from tinygen.device.mlperf import device_input, expected_results
from tinygen.model.graph import load_graph
from tinygen.model.reference import reference_outputs

RUNNER = os.environ.get("MLPERF_TINY_RUNNER")
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not RUNNER, reason="MLPERF_TINY_RUNNER (mlcommons/tiny benchmark/runner) is not set")]

MODELS = {"ad01": "ad01_int8.tflite", "kws01": "kws_ref_model.tflite", "vww01": "vww_96_int8.tflite",
          "ic01": "pretrainedResnet_quant.tflite"}
CLASSES = {"kws01": 12, "vww01": 2, "ic01": 10, "ad01": 2}  # ad01: normal 0, anomalous 1
AD_FRAME_BYTES = 128 * 4  # one log-mel frame; the runner's stride for ad01
AD_WINDOW_BYTES = 640 * 4
AD_FRAMES = 7  # three windows per file

# pyserial lists the pty as the reference DUT's ST-Link (the runner matches USB ids only)
SITECUSTOMIZE = textwrap.dedent('''
    import os
    from serial.tools import list_ports, list_ports_common

    _comports = list_ports.comports

    def comports(*args, **kwargs):
        info = list_ports_common.ListPortInfo(os.environ["TINYGEN_DUT"], skip_link_detection=True)
        info.vid, info.pid, info.description = 0x0483, 0x374B, "tinygen firmware in a simulator"
        return list(_comports(*args, **kwargs)) + [info]

    list_ports.comports = comports
''')
# the runner's own device lists; their l4r5zi entry (0x0483: 0x374B) is the DUT the pty is reported as
DEVICE_LISTS = {"ad01": "devices_ad.yaml"}  # the others: devices_kws_ic_vww.yaml


def write_dataset(task: str, elements: int, folder: Path) -> list[bytes]:
    """The benchmark's folder (dataset files and y_labels.csv) with one file per class; returns
    what the runner sends for each inference, in order (ad01: each file's windows)."""
    folder.mkdir(parents=True)
    rng = np.random.default_rng(1414)
    rows, sent = [], []
    for label in range(CLASSES[task]):
        name = f"{task}_{label:02d}.bin"
        if task == "ad01":
            data = rng.normal(-30.0 + 10 * label, 8.0, AD_FRAMES * 128).astype("<f4").tobytes()
            rows.append(f"{name},2,{label},{AD_WINDOW_BYTES},{AD_FRAME_BYTES}")
            sent += [data[s:s + AD_WINDOW_BYTES] for s in range(0, len(data) - AD_WINDOW_BYTES + 1, AD_FRAME_BYTES)]
        else:
            dtype = np.int8 if task == "kws01" else np.uint8
            info = np.iinfo(dtype)
            data = rng.integers(info.min, info.max + 1, elements, dtype=dtype).tobytes()
            rows.append(f"{name},{CLASSES[task]},{label}")
            sent.append(data)
        (folder / name).write_bytes(data)
    (folder / "y_labels.csv").write_text("\n".join(rows) + "\n")
    return sent


def reference_results(model: Path, task: str, wire: bytes) -> list[float]:
    g = load_graph(model)
    inp, out = g.input_tensors[0], g.output_tensors[0]
    x = device_input(task, wire, float(inp.scale[0]), int(inp.zero_point[0])).reshape(inp.shape)
    q = reference_outputs(str(model), [[x]])[0][0]
    return expected_results(task, wire, q, float(out.scale[0]), int(out.zero_point[0]))


def our_qemus(fw: Path) -> list[str]:
    ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    return [line for line in ps.splitlines() if "qemu-system-arm" in line and str(fw) in line]


@pytest.mark.parametrize("task", ["kws01", "vww01", "ic01", "ad01"])
def test_official_runner_accuracy_mode(shared_models, tmp_path, task):
    runner = Path(RUNNER).expanduser()
    assert (runner / "main.py").is_file(), f"MLPERF_TINY_RUNNER={RUNNER} has no main.py"
    model = shared_models / MODELS[task]
    fw = tmp_path / "fw"
    gen = generate_project(model, "mps2-an386", fw, protocol="mlperf")
    build_project(fw)
    sent = write_dataset(task, int(np.prod(gen.graph.input_tensors[0].shape)), tmp_path / "datasets" / task)
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE)
    devices = runner / DEVICE_LISTS.get(task, "devices_kws_ic_vww.yaml")
    assert "0x0483: 0x374B" in devices.read_text()  # the l4r5zi DUT the pty is reported as
    link = tmp_path / "dut"
    env = {k: v for k, v in os.environ.items()}
    env.update(TINYGEN_DUT=str(link), MPLBACKEND="Agg",
               PYTHONPATH=os.pathsep.join([str(site)] + [p for p in [os.environ.get("PYTHONPATH")] if p]))
    sim = subprocess.Popen([sys.executable, "-m", "tinygen", "sim", str(fw), "--pty", str(link)],
                           stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while not link.is_symlink():
            assert sim.poll() is None, sim.stderr.read()
            assert time.monotonic() < deadline, "tinygen sim --pty made no link in 30 s"
            time.sleep(0.1)
        run_dir = tmp_path / "run"  # the runner writes sessions/<time>/ under its working directory
        run_dir.mkdir()
        res = subprocess.run([sys.executable, str(runner / "main.py"), f"--dataset_path={tmp_path / 'datasets'}",
                              f"--test_script={runner / 'tests_accuracy.yaml'}",
                              f"--device_list={devices}", "--mode=a"],
                             cwd=run_dir, env=env, capture_output=True, text=True, timeout=1200)
    finally:
        sim.send_signal(signal.SIGTERM)
        try:
            sim.wait(30)
        except subprocess.TimeoutExpired:
            sim.kill()
            sim.wait()
    out = res.stdout + res.stderr
    assert res.returncode == 0, out[-4000:]
    (session,) = (run_dir / "sessions").iterdir()
    records = [r for r in json.loads((session / "results.json").read_text()) if "infer" in r]
    got = [r["infer"]["results"] for r in records]
    assert len(got) == len(sent), out[-4000:]
    assert got == [reference_results(model, task, w) for w in sent]
    assert all(r["infer"]["total_inferences"] == 1 for r in records)
    summary = (session / "results.txt").read_text()
    print(f"{task}: {len(got)} inferences; runner summary: {summary.strip()}")
    assert "ulp-mlperf: Top 1% =" in summary and "ulp-mlperf: AUC =" in summary, summary
    device_said = (fw / "pty.log").read_text(errors="replace").splitlines()  # all the firmware sent
    assert sum(line.startswith("m-results-[") for line in device_said) == len(sent)
    assert not [line for line in device_said if line.startswith("e-")]  # no command was refused
    assert not our_qemus(fw) and not link.exists()
