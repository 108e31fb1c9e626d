"""tinygen build compiles through ccache when it is installed: a second project of the same board
compiles only its own model, and TINYGEN_CCACHE=0 turns it off."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parents[1] / "golden"

pytestmark = pytest.mark.skipif(shutil.which("ccache") is None, reason="ccache is not installed")


def _stats(env) -> dict[str, int]:
    out = subprocess.run(["ccache", "--print-stats"], env=env, capture_output=True, text=True, check=True).stdout
    return {k: int(v) for k, v in re.findall(r"^(\w+)\t(\d+)$", out, re.M)}


def test_second_project_hits_the_cache(tmp_path, monkeypatch):
    from tinygen.build.firmware import build_project
    from tinygen.codegen.project import generate_project

    monkeypatch.setenv("CCACHE_DIR", str(tmp_path / "cache"))  # this test's own cache, empty
    monkeypatch.setenv("CCACHE_NOHASHDIR", "1")
    env = dict(os.environ)
    for name in ("a", "b"):
        generate_project(GOLDEN / "tiny_mlp.tflite", "host", tmp_path / name)
        build_project(tmp_path / name)
        stats = _stats(env)
        if name == "a":
            first_misses = stats["direct_cache_miss"]
            assert first_misses > 10 and stats["direct_cache_hit"] == 0, stats
    # the second project's sources are the same files: every compile is a hit
    assert stats["direct_cache_hit"] >= first_misses - 1, stats
    assert (tmp_path / "b" / "build" / "firmware").exists()


def test_turned_off(tmp_path, monkeypatch):
    from tinygen.build.firmware import ccache

    monkeypatch.setenv("TINYGEN_CCACHE", "0")
    assert ccache() is None
    monkeypatch.setenv("TINYGEN_CCACHE", "1")
    assert ccache() == shutil.which("ccache")
