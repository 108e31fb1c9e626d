from __future__ import annotations

import os
from pathlib import Path

import pytest

# Every test builds its project in a new tmp directory; without the directory in ccache's key, the
# kernels (a minute with sanitizers) compile once per run, not once per test.
os.environ.setdefault("CCACHE_NOHASHDIR", "1")

# tinygen.pytest_plugin: the `dut` fixture for the tests that use it (tests/device/m33); loaded
# by its entry point too when tinygen is installed
pytest_plugins = ["pytester", "tinygen.pytest_plugin"]

REPO = Path(__file__).resolve().parents[1]
SHARED_MODELS = REPO.parent / "shared" / "models"


def pytest_configure(config):
    # One simulator per test module here, not one per worker for the whole run: an idle firmware
    # polls its UART and QEMU runs that loop flat out, a core's worth for as long as it lives.
    if not any(str(a).startswith("--tinygen-scope") for a in config.invocation_params.args):
        config.option.tinygen_scope = "module"


@pytest.fixture
def shared_models() -> Path:
    if not SHARED_MODELS.is_dir():
        pytest.skip("../shared/models is absent (the MLPerf Tiny models live beside the repository)")
    return SHARED_MODELS
