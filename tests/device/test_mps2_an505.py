"""The Cortex-M33 code paths (the Pico 2's core: DSP and FPU) bit-exact on QEMU mps2-an505."""

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "models"


@pytest.mark.slow
@pytest.mark.parametrize("model", ["kws_ref_model.tflite", "ad01_int8.tflite"])
def test_m33_bit_exact_on_an505(tmp_path, model):
    from tinygen.pipeline import run_model

    doc = run_model(str(SHARED / model), "mps2-an505", out_dir=tmp_path / "run")
    assert doc["all_match"] and doc["complete"]
    assert doc["timer_unit"] == "instructions" and doc["instructions_per_inference"] > 100_000
