"""Regenerates the golden projects after an intended change to generated code; review the diff:

    python tests/golden/regenerate.py
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from tests.golden.cases import CASES, render_case  # noqa: E402

if __name__ == "__main__":
    for name in CASES:
        out = HERE / name
        shutil.rmtree(out, ignore_errors=True)
        for rel, text in render_case(name).items():
            (out / rel).parent.mkdir(parents=True, exist_ok=True)
            (out / rel).write_text(text)
        print(f"wrote {out.relative_to(HERE.parents[1])}")
