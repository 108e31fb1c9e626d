from __future__ import annotations

import argparse

from ..project import RUNTIMES, generate_project
from ._shared import add_board_arg


def register(sub) -> None:
    p = sub.add_parser("project", help="generate a firmware project for a board",
                       description="Generates a self-contained firmware project: the model as generated C calls "
                                   "into the tinygen int8 runtime with a static memory plan, board support "
                                   "(start-up, linker script, UART, timer) and a Makefile that needs only "
                                   "arm-none-eabi-gcc. The directory is written whole or not at all.",
                       epilog="examples:\n  tinygen project model.tflite --board mps2-an386 -o fw/\n"
                              "  tinygen project model.tflite --board host -o fw-host/   # runs as a process",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("model", help="an int8 .tflite file")
    add_board_arg(p)
    p.add_argument("-o", "--out", required=True, help="project directory (replaced if it is a tinygen project)")
    p.add_argument("--runtime", default="tinygen", choices=RUNTIMES, help="inference runtime (default: tinygen)")
    p.set_defaults(func=run)


def run(args) -> int:
    gen = generate_project(args.model, args.board, args.out, args.runtime)
    print(f"wrote {args.out}: {len(gen.graph.operators)} operators, arena {gen.plan.arena_bytes} B, "
          f"board {gen.board.name}; build it with: tinygen build {args.out}")
    return 0
