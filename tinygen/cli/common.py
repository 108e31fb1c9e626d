"""Pieces shared by several sub-commands."""

from __future__ import annotations

import json
import sys

from ..boards.registry import board_names


def add_board_arg(p, default: str | None = "mps2-an386") -> None:
    p.add_argument("--board", default=default, metavar="NAME",
                   help=f"board name ({', '.join(board_names())}) or a board .yaml file (default: {default})")


def add_simulator_arg(p) -> None:
    from ..device.simulators import SIMULATORS

    p.add_argument("--simulator", choices=sorted(SIMULATORS), metavar="NAME",
                   help=f"which simulator runs the firmware ({', '.join(sorted(SIMULATORS))}; default: the first "
                        f"one the board's YAML lists; `tinygen boards` shows them)")


def add_runtime_args(p) -> None:
    from ..codegen.project import RUNTIMES

    p.add_argument("--runtime", default="tinygen", choices=RUNTIMES,
                   help="tinygen: generated calls into tinygen's int8 runtime, static memory plan, builds with the "
                        "compiler alone (default); tflm: TensorFlow Lite Micro's interpreter, for operators or "
                        "kernels (CMSIS-NN) of your TFLM tree; needs --tflm-dir or $TFLM_DIR")
    p.add_argument("--tflm-dir", metavar="DIR", help="with --runtime tflm: a tree made by tflite-micro's "
                                                   "create_tflm_tree.py (default: $TFLM_DIR)")
    p.add_argument("--tflm-arena", type=int, metavar="BYTES",
                   help="with --runtime tflm: tensor arena size (default: the board's RAM left after stack and "
                        "I/O; the firmware reports what TFLM used)")


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
        if r.get("failed"):
            rows.append(f"{r['index']:>3}  {'NO':5}  {'-':>14}  failed: {r['error']}")
            continue
        rows.append(f"{r['index']:>3}  {'yes' if r['match'] else 'NO':5}  {r.get(unit, 0):>14,}  {r['output'][:8]}")
    return "\n".join(rows)


def summary_lines(doc: dict) -> list[str]:
    unit = doc.get("timer_unit", "instructions")
    per = doc.get(f"{unit}_per_inference")
    n = len(doc["inferences"])
    ok = sum(r["match"] for r in doc["inferences"])
    failed = sum(bool(r.get("failed")) for r in doc["inferences"])
    lines = [f"outputs equal to the TFLM reference: {ok}/{n}" + ("" if doc["complete"] else " (incomplete)")
             + (f"; {failed} inference(s) failed on the device" if failed else "")]
    if doc.get("keeps_state"):
        lines.append("the model keeps state: the inferences ran as one stream, reset at its start")
    if per is not None:
        lines.append(f"{unit} per inference (median): {per:,}")
    if doc.get("compact_layers"):
        lines.append(f"compact int8 weight layout on {doc['compact_layers']} layer(s): the widened weights do not "
                     f"fit the flash")
    if doc.get("flash_bytes") is not None:
        lines.append(f"flash {doc['flash_bytes']:,} B, RAM {doc['ram_bytes']:,} B (arena {doc['arena_bytes']:,} B)")
    return lines
