"""Pieces shared by several sub-commands."""

from __future__ import annotations

import json
import sys

from ..boards import board_names


def add_board_arg(p, default: str | None = "mps2-an386") -> None:
    p.add_argument("--board", default=default, metavar="NAME",
                   help=f"board name ({', '.join(board_names())}) or a board .yaml file (default: {default})")


def print_json(obj) -> None:
    json.dump(obj, sys.stdout, indent=2)
    sys.stdout.write("\n")


def progress_bar(total: int, desc: str, enabled: bool = True):
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit="inference", file=sys.stderr, disable=not enabled or None,
                leave=False)


def result_table(doc: dict) -> str:
    unit = doc.get("timer_unit", "instructions")
    rows = [f"{'#':>3}  {'match':5}  {unit:>14}  output (first 8)"]
    for r in doc["inferences"]:
        rows.append(f"{r['index']:>3}  {'yes' if r['match'] else 'NO':5}  {r.get(unit, 0):>14,}  {r['output'][:8]}")
    return "\n".join(rows)


def summary_lines(doc: dict) -> list[str]:
    unit = doc.get("timer_unit", "instructions")
    per = doc.get(f"{unit}_per_inference")
    n = len(doc["inferences"])
    ok = sum(r["match"] for r in doc["inferences"])
    lines = [f"outputs equal to the TFLM reference: {ok}/{n}" + ("" if doc["complete"] else " (incomplete)")]
    if per is not None:
        lines.append(f"{unit} per inference (median): {per:,}")
    if doc.get("flash_bytes") is not None:
        lines.append(f"flash {doc['flash_bytes']:,} B, RAM {doc['ram_bytes']:,} B (arena {doc['arena_bytes']:,} B)")
    return lines
