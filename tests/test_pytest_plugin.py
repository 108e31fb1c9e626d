"""tinygen's pytest plugin (tinygen/pytest_plugin.py) on real firmware in QEMU: a passing test, a
failing expect whose report shows the device output, a hung firmware (timeout, simulator stopped,
no process left), and the tests/test_firmware.py that `tinygen project` generates, as generated."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.slow


def tinygen(*args):
    res = subprocess.run([sys.executable, "-m", "tinygen", *map(str, args)], capture_output=True, text=True,
                         timeout=600)
    assert res.returncode == 0, res.stderr
    return res


@pytest.fixture(scope="module")
def ad01_project(tmp_path_factory, request):
    models = request.config.rootpath.parent / "shared" / "models"
    if not (models / "ad01_int8.tflite").is_file():
        pytest.skip("../shared/models is absent")
    fw = tmp_path_factory.mktemp("plugin") / "fw"
    tinygen("project", models / "ad01_int8.tflite", "--board", "mps2-an386", "-o", fw)
    tinygen("build", fw)
    return fw


def qemu_running(elf) -> list[str]:
    ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    return [line for line in ps.splitlines() if "qemu-system-arm" in line and str(elf) in line]


def run_pytest(pytester, fw, *args, timeout=300):
    return pytester.runpytest_subprocess("-p", "no:pytest_embedded", "-p", "no:cacheprovider",
                                         f"--tinygen-fw={fw}", *args, timeout=timeout)


def test_a_passing_firmware_test(pytester, ad01_project):
    pytester.makepyfile(test_user=textwrap.dedent('''
        import numpy as np

        def test_anomaly_score(dut):
            result = dut.infer(np.zeros((1, 640), np.int8))
            assert result.output.shape == (1, 640) and result.output.dtype == np.int8
            assert result.instructions > 100_000 and result.instructions % 40 == 0
            assert result.cycles is None and 0 <= result.top1 < 640
            again = dut.infer(np.zeros((1, 640), np.float32))  # float data quantized like the input
            assert isinstance(again.top1, int)

        def test_same_simulator_for_the_session(dut):
            assert dut.hello.board == "mps2-an386"
            dut.expect("tinygen", timeout=5)  # pytest-embedded's expect, on the raw stream
    '''))
    res = run_pytest(pytester, ad01_project)
    res.assert_outcomes(passed=2)
    assert not qemu_running(ad01_project / "build" / "firmware.elf")


def test_a_failing_expect_reports_the_device_output(pytester, ad01_project):
    pytester.makepyfile(test_user=textwrap.dedent('''
        def test_waits_for_a_line_that_never_comes(dut):
            dut.expect("this text is never printed", timeout=2)
    '''))
    res = run_pytest(pytester, ad01_project)
    res.assert_outcomes(failed=1)
    out = res.stdout.str()
    assert "Not found" in out and "this text is never printed" in out
    assert "tinygen device output" in out and "device.log" in out and "mps2-an386" in out
    assert not qemu_running(ad01_project / "build" / "firmware.elf")


def test_a_hung_firmware_times_out_and_stops_the_simulator(pytester, tmp_path, shared_models):
    fw = tmp_path / "hung"
    tinygen("project", shared_models / "ad01_int8.tflite", "--board", "mps2-an386", "-o", fw)
    main = fw / "src" / "main.c"
    main.write_text(main.read_text().replace("    tg_port_init();\n", "    tg_port_init();\n    for (;;) {}\n"))
    tinygen("build", fw)
    pytester.makepyfile(test_user=textwrap.dedent('''
        import numpy as np

        def test_infer(dut):
            dut.infer(np.zeros((1, 640), np.int8))
    '''))
    res = run_pytest(pytester, fw, "--tinygen-timeout=3", timeout=120)
    res.assert_outcomes(failed=1)
    assert "device silent" in res.stdout.str() or "no reply" in res.stdout.str()
    assert not qemu_running(fw / "build" / "firmware.elf")


def test_the_generated_firmware_test_passes_as_generated(pytester, ad01_project):
    assert (ad01_project / "tests" / "reference.npz").is_file()  # recorded by tinygen project
    res = pytester.runpytest_subprocess("-p", "no:cacheprovider", str(ad01_project / "tests"), timeout=300)
    res.assert_outcomes(passed=3)
    assert not qemu_running(ad01_project / "build" / "firmware.elf")
