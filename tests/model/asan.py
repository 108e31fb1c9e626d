"""Accepted models built for the host board under AddressSanitizer and run on deterministic inputs:
no generated code may read or write outside its buffers, whatever the model file said.

The runtime's objects are compiled once (a template project) and copied into each mutant's project
with their times, so make recompiles only what the model changes (model.c, main.c, the app)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np

ASAN = "-fsanitize=address -fno-omit-frame-pointer -fno-common"


class AsanBuilder:
    def __init__(self, work: Path):
        self.work = Path(work)
        self.work.mkdir(parents=True, exist_ok=True)
        self.template = None

    def _project(self, data: bytes, name: str) -> Path:
        from tinygen.boards.registry import load_board
        from tinygen.codegen.project import render_project, write_project
        from tinygen.model.graph import parse_graph

        src = self.work / f"{name}.tflite"
        src.write_bytes(data)
        g = parse_graph(data, str(src))
        out = self.work / ("template" if self.template is None else "mutant")
        write_project(render_project(g, load_board("host")), src, out)
        src.unlink()
        return out

    def check(self, data: bytes, name: str) -> tuple[bool, str]:
        """(clean, what happened)."""
        from tinygen.build.firmware import build_project
        from tinygen.errors import TinygenError

        if self.template is None:
            from tests.conftest import SHARED_MODELS

            self.template = self._project((SHARED_MODELS / "ad01_int8.tflite").read_bytes(), "template")
            build_project(self.template, extra_cflags=ASAN)
        try:
            proj = self._project(data, name)
        except TinygenError as exc:
            return False, f"accepted in-process but not by write_project: {exc}"
        shutil.copytree(self.template / "build" / "runtime", proj / "build" / "runtime", dirs_exist_ok=True)
        try:
            build_project(proj, extra_cflags=ASAN)
        except TinygenError as exc:
            return False, f"build failed: {exc}"
        return run_clean(proj)


def run_clean(proj: Path) -> tuple[bool, str]:
    """Runs the built host firmware on the default inputs; clean when every inference answers and
    the process log holds no sanitizer report."""
    from tinygen.codegen.project import load_project
    from tinygen.device.link import Link
    from tinygen.device.session import run_timeout
    from tinygen.device.simulators.host import HostProcess
    from tinygen.errors import TinygenError
    from tinygen.model.inputs import default_inputs

    meta = load_project(proj)
    log = proj / "asan.log"
    answered = 0
    error = ""
    try:
        with HostProcess(proj / meta["elf"], meta["board_spec"], log) as port:
            link = Link(port, timeout=5.0)
            link.hello(timeout=15.0)
            for i, run in enumerate(default_inputs(meta["inputs"], count=3)):
                link.infer(b"".join(np.ascontiguousarray(a).tobytes() for a in run), i, run_timeout(meta))
                answered += 1
    except TinygenError as exc:
        error = str(exc)
    text = log.read_text(errors="replace") if log.exists() else ""
    if "Sanitizer" in text or "runtime error" in text:
        line = next(l for l in text.splitlines() if "Sanitizer" in l or "runtime error" in l)
        return False, line.strip()[:200]
    if error:
        return False, f"after {answered} inference(s): {error[:200]}"
    return True, f"{answered} inferences"
