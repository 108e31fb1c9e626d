from __future__ import annotations

import argparse
import sys
from pathlib import Path


from .common import add_simulator_arg


def register(sub) -> None:
    p = sub.add_parser("eval", help="push a data set through a board or the simulator; agreement, accuracy, latency",
                       description="Sends every input to the firmware over the serial link, collects each output and "
                                   "its timing, and compares them with the host TFLM reference (agreement) and with "
                                   "the labels (accuracy, confusion matrix). An inference the link could not deliver "
                                   "intact is reported as failed, never as a result. Float inputs are quantized with "
                                   "the model input's scale and zero point.",
                       epilog="examples:\n"
                              "  tinygen eval --sim fw/ --inputs data.npz --plot eval.png\n"
                              "  tinygen eval --port /dev/ttyACM0 --model model.tflite --inputs data.npz --json\n"
                              "  tinygen eval --port auto --model model.tflite --inputs x.npy --csv out.csv\n"
                              "  tinygen eval --port socket://127.0.0.1:4444 --model model.tflite --inputs x.npy",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--port", help="pyserial URL (/dev/ttyACM0, socket://HOST:PORT, rfc2217://..., loop://) or auto")
    src.add_argument("--sim", metavar="PROJECT", help="start the simulator (or host process) for this built project")
    add_simulator_arg(p)
    p.add_argument("--model", help="the .tflite the device runs (with --port; --sim takes the project's)")
    p.add_argument("--inputs", required=True, help=".npy (first axis counts inputs) or .npz with x and labels y")
    p.add_argument("--baud", type=int, default=115200, help="baud rate for real serial ports (default 115200)")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds one inference may take (default 60)")
    p.add_argument("--frame-timeout", type=float, default=0.3,
                   help="seconds to wait for the reply to one frame before retrying it (default 0.3)")
    p.add_argument("--json", action="store_true", help="print the evaluation as JSON only")
    p.add_argument("--csv", help="also write one row per inference to this CSV file")
    p.add_argument("--plot", help="also draw the latency histogram and confusion matrix to this PNG")
    p.set_defaults(func=run)


def run(args) -> int:
    import numpy as np

    from ..quantize.calibration import load_arrays
    from ..errors import InputError
    from ..device.stats import plot, summarize, write_csv
    from ..model.graph import load_graph
    from ..model.inputs import check_array, quantize_input
    from ..codegen.project import load_project
    from ..model.io_spec import io_spec
    from ..model.reference import reference_outputs
    from ..device.session import DeviceSession, open_device, output_dtype
    from .common import print_json, progress_bar

    if args.sim:
        meta = load_project(args.sim)
        model = str(Path(args.sim) / meta["model"])
        target = open_device(meta=meta, simulator=args.simulator)
    else:
        if not args.model:
            raise InputError("--port needs --model (the .tflite the device runs)")
        model = args.model
        target = open_device(port=args.port, baud=args.baud)
    graph = load_graph(model)
    specs = io_spec(graph, graph.inputs)
    if len(specs) != 1:
        raise InputError(f"{model}: eval supports single-input models; use tinygen sim for several inputs")
    x, y = load_arrays(args.inputs)
    if x.dtype.kind == "f" and specs[0]["dtype"] != "float32":
        x = np.stack([quantize_input(v, specs[0]) for v in x]) if len(x) else x.astype(np.int8)
    elif x.dtype.kind in "iu" and specs[0]["dtype"] == "float32":
        x = x.astype(np.float32)
    x = check_array(args.inputs, x, specs[0])
    if y is not None and len(y) != len(x):
        raise InputError(f"{args.inputs}: {len(x)} inputs but {len(y)} labels")
    runs = [[v] for v in x]
    refs = reference_outputs(model, runs, len(graph.outputs))
    out_dtype = output_dtype(io_spec(graph, graph.outputs))
    with target as port, progress_bar(len(runs), "eval", enabled=True) as bar:
        session = DeviceSession(port, model_sha256=graph.sha256, model_name=Path(model).name,
                                frame_timeout=args.frame_timeout, stateful=graph.keeps_state)
        hello = session.connect()
        unit = hello.timer_unit
        records = session.evaluate(runs, refs, out_dtype, args.timeout, progress=lambda i, r: bar.update(1))
    link = session.link
    doc = summarize(records, unit, y, link.stats.to_dict())
    doc.update(model=str(model), board=hello.board, firmware=hello.firmware_version)
    if args.csv:
        write_csv(doc, args.csv, y)
    if args.plot:
        plot(doc, args.plot)
    if args.json:
        print_json(doc)
    else:
        lat = doc["latency"]
        print(f"{doc['count']} inferences on {hello.board}: {doc['delivered']} delivered, {doc['failed']} failed")
        print(f"agreement with the TFLM reference: {doc['agreement']:.1%}")
        if doc["accuracy"] is not None:
            print(f"accuracy against the labels: {doc['accuracy']:.1%}")
        if lat["p50"] is not None:
            print(f"{unit} per inference: p50 {lat['p50']:,}  p95 {lat['p95']:,}  max {lat['max']:,}")
        print("link: " + ", ".join(f"{k} {v}" for k, v in doc["link"].items()))
    if doc["failed"] or doc["agreement"] < 1.0:
        if not args.json:
            print(f"error: {doc['count'] - round(doc['agreement'] * doc['count'])} of {doc['count']} inferences "
                  f"did not match the reference or were not delivered", file=sys.stderr)
        return 1
    return 0
