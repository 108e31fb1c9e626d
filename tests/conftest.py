from __future__ import annotations

from pathlib import Path

import pytest

# tinygen.pytest_plugin: the `dut` fixture for the tests that use it (tests/device/m33); loaded
# by its entry point too when tinygen is installed
pytest_plugins = ["pytester", "tinygen.pytest_plugin"]

REPO = Path(__file__).resolve().parents[1]
SHARED_MODELS = REPO.parent / "shared" / "models"


@pytest.fixture
def shared_models() -> Path:
    if not SHARED_MODELS.is_dir():
        pytest.skip("../shared/models is absent (the MLPerf Tiny models live beside the repository)")
    return SHARED_MODELS
