"""The Cortex-M33 code paths (the Pico 2's core: DSP and FPU) bit-exact on QEMU mps2-an505, each
model's firmware driven with the plugin's `dut` (conftest.py builds it)."""

from pathlib import Path

import numpy as np
import pytest

from tinygen.model.inputs import default_inputs
from tinygen.model.reference import reference_outputs

pytestmark = pytest.mark.slow


def test_boots_on_the_m33(dut, tinygen_project):
    assert dut.hello.board == "mps2-an505" and dut.hello.model_sha256 == tinygen_project["model_sha256"]
    assert dut.hello.timer_unit == "instructions"


def test_m33_bit_exact_on_an505(dut, tinygen_project):
    runs = default_inputs(tinygen_project["inputs"])
    model = str(Path(tinygen_project["dir"]) / tinygen_project["model"])
    expected = reference_outputs(model, runs, len(tinygen_project["outputs"]))
    assert len(runs) >= 4
    for inputs, outputs in zip(runs, expected):
        result = dut.infer(*inputs)
        assert result.raw == b"".join(np.ascontiguousarray(o).tobytes() for o in outputs)
        assert result.instructions > 100_000 and result.instructions % 50 == 0  # SysTick x 50 on an505
