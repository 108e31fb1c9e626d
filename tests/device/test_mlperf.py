"""A firmware built with --protocol mlperf, driven over its UART in QEMU with the th_api commands
(performance and accuracy style), its results checked against TFLM."""

import numpy as np
import pytest

from tinygen.build.firmware import build_project
from tinygen.errors import LinkError
from tinygen.model.inputs import benchmark_pattern
from tinygen.device.mlperf import MlperfDut
from tinygen.codegen.project import generate_project
from tinygen.model.reference import reference_outputs
from tinygen.device.session import open_device

pytestmark = pytest.mark.slow


def expected_results(model, x, out):
    """What the firmware prints: (q - zp) * scale in float32, in thousandths, halves away from 0."""
    q = reference_outputs(str(model), [[x]])[0][0].reshape(-1).astype(np.float32)
    v = (q - np.float32(out.zero_point[0])) * np.float32(out.scale[0]) * np.float32(1000)
    return [float(np.sign(m) * np.floor(abs(m) + np.float32(0.5))) / 1000 for m in v]


@pytest.mark.parametrize("board", ["mps2-an386", "mps2-an385"])
def test_th_api_in_qemu(shared_models, tmp_path, board):
    model = shared_models / "ad01_int8.tflite"
    gen = generate_project(model, board, tmp_path / "fw", protocol="mlperf")
    build_project(tmp_path / "fw", extra_cflags="-Werror")
    target = open_device(tmp_path / "fw")
    x = benchmark_pattern((1, 640))
    with target as port:
        dut = MlperfDut(port)
        assert "m-init-done" in dut.wait_ready()
        assert dut.name() == "m-name-dut-[tinygen]"
        assert dut.profile() == {"profile": "ULPMark for tinyML Firmware V0.0.1", "model": "ad01"}
        dut.load(x.tobytes())
        assert dut.command("db print")[0] == "m-buffer-80-87-8e-95-9c-a3-aa-b1"
        us, results = dut.infer(1, 0)  # accuracy mode: one inference, its results
        assert results == expected_results(model, x, gen.graph.output_tensors[0])
        us5, again = dut.infer(5, 1)  # performance mode: timed loop after a warm-up
        assert again == results and us5 > 0
        with pytest.raises(LinkError, match="Unknown command: bogus"):
            dut.command("bogus")
        assert dut.name().startswith("m-name-")  # still answering after an error
