from __future__ import annotations

from ..passes.describe import describe, format_text
from ..model.graph import load_graph
from .common import print_json


def register(sub) -> None:
    p = sub.add_parser("inspect", help="show what a .tflite holds and whether the runtime can run it",
                       description="Operators, tensors, shapes, quantization parameters, MACs, weight bytes, the "
                                   "planned arena, and which operators the tinygen runtime supports.",
                       epilog="examples:\n  tinygen inspect model.tflite\n  tinygen inspect model.tflite --plan\n"
                              "  tinygen inspect model.tflite --json | jq .arena_bytes",
                       formatter_class=__import__("argparse").RawDescriptionHelpFormatter)
    p.add_argument("model", help="an int8 .tflite file")
    p.add_argument("--plan", action="store_true", help="draw the memory plan (offset x operator)")
    p.add_argument("--json", action="store_true", help="print JSON only")
    p.set_defaults(func=run)


def run(args) -> int:
    doc = describe(load_graph(args.model), with_plan=args.plan)
    if args.json:
        print_json(doc)
    else:
        print(format_text(doc))
    return 0
