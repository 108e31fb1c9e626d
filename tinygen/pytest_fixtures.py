"""The fixtures of tinygen's pytest plugin (registered by tinygen.pytest_plugin at configure time,
after every entry-point plugin, so that its `dut` is the one tests get)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .pytest_plugin import _LOGS, TappedPort, make_dut


def _scope(fixture_name: str, config) -> str:
    return config.getoption("tinygen_scope") or "session"


@pytest.fixture(scope=_scope)
def tinygen_project(request) -> dict:
    from .codegen.project import load_project

    fw = request.config.getoption("tinygen_fw")
    if not fw:
        pytest.fail("the dut fixture needs --tinygen-fw DIR (a built tinygen project)", pytrace=False)
    meta = load_project(fw)
    board = request.config.getoption("tinygen_board")
    if board and board != meta["board"]:
        pytest.fail(f"{fw} was made for board {meta['board']}, not {board}", pytrace=False)
    if not (Path(fw) / meta["elf"]).is_file() and not request.config.getoption("tinygen_port"):
        pytest.fail(f"{fw}: firmware not built (run tinygen build {fw})", pytrace=False)
    return meta

@pytest.fixture(scope=_scope)
def tinygen_device(request, tinygen_project, tmp_path_factory):
    """The running firmware's tapped serial port; the simulator stops at teardown."""
    from .device.session import open_device

    cfg = request.config
    log_dir = tmp_path_factory.mktemp("tinygen-dut")
    log_path = log_dir / "device.log"
    log_path.touch()
    target = open_device(port=cfg.getoption("tinygen_port"), baud=cfg.getoption("tinygen_baud")) \
        if cfg.getoption("tinygen_port") else \
        open_device(meta=tinygen_project, simulator=cfg.getoption("tinygen_simulator"))
    with target as port:
        tapped = TappedPort(port, log_path)
        request.config.stash.setdefault(_LOGS, []).append(log_path)
        try:
            yield tapped, log_path
        finally:
            tapped.close()

@pytest.fixture(scope=_scope)
def dut(request, tinygen_device, tinygen_project):
    tapped, log_path = tinygen_device
    d = make_dut(tapped, tinygen_project, log_path, request.node.name or "tinygen",
                 request.config.getoption("tinygen_timeout"))
    try:
        yield d
    finally:
        d.close()
