from __future__ import annotations

from ..passes.describe import describe, format_text
from ..model.graph import load_graph
from .common import print_json


def register(sub) -> None:
    p = sub.add_parser("inspect", help="show what a .tflite holds and whether the runtime can run it",
                       description="Operators, tensors, shapes, quantization parameters, MACs, weight bytes, the "
                                   "planned arena, and which operators the tinygen runtime supports.",
                       epilog="examples:\n  tinygen inspect model.tflite\n  tinygen inspect model.tflite --plan\n"
                              "  tinygen inspect model.tflite --boards\n"
                              "  tinygen inspect model.tflite --json | jq .arena_bytes",
                       formatter_class=__import__("argparse").RawDescriptionHelpFormatter)
    p.add_argument("model", help="an int8 .tflite file")
    p.add_argument("--plan", action="store_true", help="draw the memory plan (offset x operator)")
    p.add_argument("--boards", nargs="*", metavar="BOARD",
                   help="whether the model fits, with the RAM and flash margins: on every board, or on the boards "
                        "(names or board YAML files) given")
    p.add_argument("--json", action="store_true", help="print JSON only")
    p.set_defaults(func=run)


def run(args) -> int:
    graph = load_graph(args.model)
    doc = describe(graph, with_plan=args.plan)
    if args.boards is not None:
        doc["boards"] = board_fits(graph, args.boards) if doc["supported"] else []
    if args.json:
        print_json(doc)
    else:
        print(format_text(doc))
        if args.boards is not None:
            print("\n" + format_boards(doc["boards"]) if doc["boards"] else
                  "\nboards: the runtime cannot run this model (see the problems above)")
    return 0


def board_fits(graph, names: list[str] | None = None) -> list[dict]:
    """Every board but the host (or the boards named): what the model needs of it (tinygen runtime, request mode), the margins
    in KB (negative: short) and whether the compact weight layout is needed."""
    from ..boards.fit import choose_layout, kb, margins
    from ..boards.registry import board_names, load_board
    from ..passes.fold import fold_constants

    folded = fold_constants(graph)
    rows = []
    for name in names or board_names():
        board = load_board(name)
        name = board.name
        if board.is_host:
            continue
        _, _, _, needs = choose_layout(folded, board, refuse=False)
        m = margins(needs, board)
        rows.append({"board": name, "fits": m["ram_margin"] >= 0 and m["flash_margin"] >= 0,
                     "ram_kb": kb(needs.ram), "ram_board_kb": board.memory["ram"]["size"] // 1024,
                     "ram_margin_kb": _kb_signed(m["ram_margin"]),
                     "flash_kb": kb(needs.flash), "flash_board_kb": board.memory["flash"]["size"] // 1024,
                     "flash_margin_kb": _kb_signed(m["flash_margin"]),
                     "compact_layers": needs.compact_layers,
                     "ram_bytes": needs.ram, "flash_bytes": needs.flash,
                     "ram_margin_bytes": m["ram_margin"], "flash_margin_bytes": m["flash_margin"]})
    return rows


def _kb_signed(n: int) -> int:
    """Margins rounded toward zero... except that a shortfall of any bytes shows as at least 1 KB short."""
    return n // 1024 if n >= 0 else -((-n + 1023) // 1024)


def format_boards(rows: list[dict]) -> str:
    lines = ["boards (tinygen runtime; RAM = arena + stack + I/O, flash = weights + code estimate):",
             f"  {'board':18s} {'fits':4s} {'RAM KB need/has':>16s} {'margin':>7s} {'flash KB need/has':>18s} {'margin':>7s}"]
    for r in rows:
        note = f"  compact weights on {r['compact_layers']} layer(s)" if r["compact_layers"] else ""
        lines.append(f"  {r['board']:18s} {'yes' if r['fits'] else 'NO':4s} "
                     f"{str(r['ram_kb']) + '/' + str(r['ram_board_kb']):>16s} {r['ram_margin_kb']:>7d} "
                     f"{str(r['flash_kb']) + '/' + str(r['flash_board_kb']):>18s} {r['flash_margin_kb']:>7d}{note}")
    fits = [r["board"] for r in rows if r["fits"]]
    lines.append(f"fits {len(fits)} of {len(rows)} boards" + (f": {', '.join(fits)}" if fits else ""))
    return "\n".join(lines)
