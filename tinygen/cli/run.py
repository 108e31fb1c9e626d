from __future__ import annotations

import argparse

from ..errors import MismatchError
from ..pipeline import default_out_dir, run_model
from .common import add_board_arg, add_runtime_args, add_simulator_arg, print_json, progress_bar, result_table, summary_lines


def register(sub) -> None:
    p = sub.add_parser("run", help="project + build + sim + check against the host TFLM reference",
                       description="Generates the firmware, builds it, runs it in QEMU (or on the host board) "
                                   "and checks that every output equals, byte for byte, what the TFLM "
                                   "interpreter (tflite-micro pip package) computes on the host. A mismatch "
                                   "names the inference and the first differing index and exits 1.",
                       epilog="examples:\n  tinygen run model.tflite --board mps2-an386\n"
                              "  tinygen run model.tflite --inputs x.npy --json > results.json\n"
                              "  tinygen run model.tflite --board host      # no simulator, runs as a process",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("model", help="an int8 .tflite file")
    add_board_arg(p)
    p.add_argument("--inputs", help=".npy whose first axis counts inferences (items shaped like the model "
                                    "input, with or without its leading 1), or .npz; default: a few "
                                    "deterministic inputs including the MLPerf benchmark pattern")
    p.add_argument("-o", "--out", help="work directory for fw/ and results.json (default: tinygen-out/MODEL-BOARD)")
    p.add_argument("--cflags", default="", help="extra compiler flags")
    add_runtime_args(p)
    add_simulator_arg(p)
    p.add_argument("--json", action="store_true", help="print results.json on stdout and nothing else")
    p.set_defaults(func=run)


def run(args) -> int:
    out = args.out or str(default_out_dir(args.model, args.board))
    bar = progress_bar(0, "run", enabled=True)
    try:
        doc = run_model(args.model, args.board, args.inputs, out, extra_cflags=args.cflags,
                        progress=lambda i, r: bar.update(1), check=False, runtime=args.runtime,
                        tflm_dir=args.tflm_dir, tflm_arena=args.tflm_arena, simulator=args.simulator)
    finally:
        bar.close()
    if args.json:
        print_json(doc)
    else:
        print(result_table(doc))
        print("\n".join(summary_lines(doc)))
        print(f"results: {out}/results.json")
    if not doc["all_match"]:
        bad = next(r for r in doc["inferences"] if not r["match"])
        if bad.get("failed"):
            raise MismatchError(f"{args.model}: inference {bad['index']} failed on the device ({bad['error']})")
        i = bad.get("first_mismatch", 0)
        raise MismatchError(f"{args.model}: inference {bad['index']} differs from the TFLM reference at output "
                            f"index {i} (device {bad['output'][i]}, reference {bad['reference'][i]})")
    return 0
