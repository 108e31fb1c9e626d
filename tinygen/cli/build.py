from __future__ import annotations

import argparse

from ..build.firmware import build_project
from .common import print_json


def register(sub) -> None:
    p = sub.add_parser("build", help="compile a generated project; report flash and RAM from the ELF",
                       description="Runs make in the project; reports flash (.text+.rodata+.data image) and "
                                   "RAM (.data+.bss incl. the arena, and the stack) read from the ELF.",
                       epilog="example:\n  tinygen build fw/ --json",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("project", help="a directory made by tinygen project")
    p.add_argument("--cflags", default="", help="extra compiler flags, e.g. -Werror")
    p.add_argument("--json", action="store_true", help="print JSON only")
    p.set_defaults(func=run)


def run(args) -> int:
    res = build_project(args.project, extra_cflags=args.cflags)
    if args.json:
        print_json(res.to_dict())
    else:
        print(f"built {res.elf}")
        print(f"flash {res.flash_bytes:,} B   RAM {res.ram_bytes:,} B (arena {res.arena_bytes:,} B, "
              f"stack {res.stack_bytes:,} B)")
    return 0
