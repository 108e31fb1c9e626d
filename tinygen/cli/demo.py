from __future__ import annotations

import argparse
import sys

from ..demo.run import check_demo, format_demo, run_demo
from .common import add_board_arg, print_json, progress_bar


def register(sub) -> None:
    p = sub.add_parser("demo", help="the whole path on a bundled example (digits -> int8 -> Cortex-M4 in QEMU)",
                       description="Trains a small float Keras model deterministically on scikit-learn's bundled "
                                   "8x8 handwritten digits (no downloads), quantizes it to int8, runs it on a "
                                   "simulated Cortex-M4 (mps2-an386 in QEMU) on held-out samples and checks every "
                                   "output against the host TFLM reference. Exits non-zero if anything failed.",
                       epilog="examples:\n  tinygen demo\n  tinygen demo --samples 20 --json",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    add_board_arg(p)
    p.add_argument("--samples", type=int, default=10, help="held-out samples to run on the device (default: 10)")
    p.add_argument("-o", "--out", default="tinygen-out/demo", help="work directory (default: tinygen-out/demo)")
    p.add_argument("--json", action="store_true", help="print the summary as JSON only")
    p.set_defaults(func=run)


def run(args) -> int:
    log = (lambda *a: print(*a, file=sys.stderr)) if args.json else print
    with progress_bar(args.samples, "device") as bar:
        s = run_demo(args.board, args.samples, args.out, log=log, progress=lambda i, r: bar.update(1))
    if args.json:
        print_json(s)
    else:
        print()
        print(format_demo(s))
    check_demo(s)
    return 0
