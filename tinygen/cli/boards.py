from __future__ import annotations

from ..boards.registry import board_names, load_board
from .common import print_json


def register(sub) -> None:
    p = sub.add_parser("boards", help="list the boards tinygen knows",
                       description="Boards are YAML files (schema: docs/boards.md); pass --board FILE.yaml for your own.")
    p.add_argument("--json", action="store_true", help="print JSON only")
    p.set_defaults(func=run)


def run(args) -> int:
    boards = [load_board(n) for n in board_names()]
    if args.json:
        print_json([b.to_dict() for b in boards])
    else:
        for b in boards:
            sims = ", ".join(b.simulator) if b.simulator else ("runs on the host" if b.is_host else "built only")
            print(f"{b.name:18s} {b.core:14s} {sims:22s} {b.description}")
    return 0
