"""The projects generated for two small models, compared byte for byte with the copies kept in
tests/golden/ (nanopb's habit): a change to generated code shows up in review as a diff. After an
intended change, regenerate them with `python tests/golden/regenerate.py` (or `make golden`)."""

from __future__ import annotations

import pytest

from tests.golden.cases import CASES, HERE, render_case


@pytest.mark.parametrize("name", sorted(CASES))
def test_generated_project_equals_golden(name):
    files = render_case(name)
    kept = sorted(p.relative_to(HERE / name).as_posix() for p in (HERE / name).rglob("*") if p.is_file())
    assert sorted(files) == kept, "files generated differ from the golden set; run python tests/golden/regenerate.py"
    for rel, text in files.items():
        golden = (HERE / name / rel).read_text()
        assert text == golden, f"{name}/{rel} differs from the golden copy; if intended, run python tests/golden/regenerate.py"


def test_golden_projects_name_no_path_of_this_machine():
    for p in HERE.rglob("*"):
        if p.is_file() and p.suffix != ".tflite":
            assert "/home/" not in p.read_text() and "/tmp/" not in p.read_text(), p
