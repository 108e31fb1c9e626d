"""KWS and AD on board pico in rp2040js: bit-exact with TFLM, cycles counted, the same on two runs;
no node process left behind."""

import subprocess
from pathlib import Path

import pytest

from tinygen.device.simulators.rp2040js import Rp2040js
from tinygen.errors import ToolMissingError

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "models"


def _available():
    try:
        Rp2040js("x", {}).check_available()
        return True
    except ToolMissingError:
        return False


def node_runners(under: Path) -> list[str]:
    """Our emulator runners whose firmware lies below `under` (other tests run theirs meanwhile)."""
    out = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    return [l for l in out.splitlines() if "rp2040js_runner.js" in l and str(under) in l]


@pytest.mark.slow
@pytest.mark.skipif(not _available(), reason="rp2040js not installed (make setup)")
@pytest.mark.parametrize("model", ["kws_ref_model.tflite", "ad01_int8.tflite"])
def test_pico_rp2040js_bit_exact_cycles(tmp_path, model):
    from tinygen.pipeline import run_model

    docs = []
    for n in range(2):
        docs.append(run_model(str(SHARED / model), "pico", out_dir=tmp_path / f"run{n}",
                                 simulator="rp2040js"))
    for doc in docs:
        assert doc["all_match"] and doc["complete"]
        assert doc["timer_unit"] == "cycles" and doc["simulator"].startswith("rp2040js")
        assert doc["cycles_per_inference"] > 100_000
        assert all(r["cycles"] > 0 for r in doc["inferences"])
    # The same counts on both runs, up to where SysTick's 2^24-cycle wrap interrupt falls: it depends on
    # when the host's bytes arrived (guest cycles spent waiting for the UART), and costs a few cycles.
    for a, b in zip(docs[0]["inferences"], docs[1]["inferences"]):
        assert abs(a["cycles"] - b["cycles"]) <= 32 * (a["cycles"] // (1 << 24) + 1)
    assert node_runners(tmp_path) == []
