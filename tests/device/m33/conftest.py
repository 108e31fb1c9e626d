"""The firmware under test for the tests in this folder, through tinygen's pytest plugin (the `dut`
fixture, as users get it): each model below, generated for mps2-an505 and built once per session,
in place of the --tinygen-fw option. The plugin starts one QEMU per project and stops it at the end."""

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[3] / ".." / "shared" / "models"


@pytest.fixture(scope="session", params=["kws_ref_model.tflite", "ad01_int8.tflite"])
def tinygen_project(request, tmp_path_factory) -> dict:
    from tinygen.build.firmware import build_project
    from tinygen.codegen.project import generate_project, load_project

    if not (SHARED / request.param).is_file():
        pytest.skip("../shared/models is absent")
    fw = tmp_path_factory.mktemp("an505") / request.param.split(".")[0]
    generate_project(SHARED / request.param, "mps2-an505", fw)
    build_project(fw, extra_cflags="-Werror")
    return load_project(fw)
