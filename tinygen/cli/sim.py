from __future__ import annotations

import argparse
from pathlib import Path

from ..model.inputs import default_inputs, load_inputs
from ..codegen.project import load_project
from ..device.session import simulate
from .common import add_simulator_arg, print_json, progress_bar, result_table, summary_lines


def register(sub) -> None:
    p = sub.add_parser("sim", help="run a built project in QEMU (or as a host process) and collect results",
                       description="Starts qemu-system-arm with -icount shift=0 (deterministic; instructions = "
                                   "SysTick ticks x 40 on mps2), talks to the guest UART over a TCP socket with "
                                   "pyserial, sends each input, reads back the output and the instructions it "
                                   "took, compares with the host TFLM reference, and writes results.json after "
                                   "every inference. QEMU is always stopped, also on error, timeout or Ctrl-C.",
                       epilog="examples:\n  tinygen sim fw/\n  tinygen sim fw/ --inputs x.npy -o results.json\n"
                              "  tinygen sim fw/ --serve 127.0.0.1:4444   # then: tinygen eval --port socket://127.0.0.1:4444 ...\n"
                              "  tinygen sim fw/ --pty ~/tinygen-dut      # a serial device path, e.g. for the MLPerf Tiny runner",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("project", help="a built project directory")
    p.add_argument("--inputs", help=".npy (first axis counts inferences) or .npz; default: a few deterministic "
                                    "inputs including the MLPerf benchmark pattern")
    p.add_argument("-o", "--results", help="results file (default: PROJECT/results.json)")
    p.add_argument("--timeout", type=float, help="seconds one inference may take before the simulator is "
                                                 "declared hung (default: from the model's MACs)")
    p.add_argument("--json", action="store_true", help="print results.json only")
    p.add_argument("--serve", metavar="HOST:PORT", help="only start the simulator and serve the firmware's UART on "
                                                        "this TCP port until stopped (connect any tool with "
                                                        "socket://HOST:PORT, e.g. tinygen eval --port)")
    p.add_argument("--pty", metavar="LINK", help="only start the simulator and make LINK a pseudo-terminal bridged to "
                                                 "the firmware's UART until stopped, for tools that open serial "
                                                 "devices by path (boot output before the tool's first byte is not "
                                                 "forwarded, as on a board powered before its port is opened)")
    add_simulator_arg(p)
    p.set_defaults(func=run)


def run(args) -> int:
    meta = load_project(args.project)
    if args.serve:
        return serve(args, meta)
    if args.pty:
        return serve_pty(args, meta)
    runs = load_inputs(args.inputs, meta["inputs"]) if args.inputs else default_inputs(meta["inputs"])
    results = args.results or str(Path(args.project) / "results.json")
    with progress_bar(len(runs), "sim") as bar:
        doc = simulate(args.project, runs, results, progress=lambda i, r: bar.update(1), timeout=args.timeout,
                       simulator=args.simulator)
    if args.json:
        print_json(doc)
    else:
        print(result_table(doc))
        print("\n".join(summary_lines(doc)))
        print(f"results: {results}")
    return 0 if doc["all_match"] else 1


def serve(args, meta) -> int:
    import sys

    from ..errors import InputError
    from ..device.simulators import open_simulator

    host, _, port = args.serve.rpartition(":")
    if not host or not port.isdigit():
        raise InputError(f"--serve {args.serve}: expected HOST:PORT, e.g. 127.0.0.1:4444")
    sim = open_simulator(meta["board_spec"], Path(args.project) / meta["elf"], Path(args.project) / "simulator.log",
                         args.simulator)
    print(f"serving the UART of {meta['board']} ({sim.describe()}) on socket://{host}:{port}; Ctrl-C stops it",
          file=sys.stderr, flush=True)
    try:
        return sim.serve(host, int(port))
    except KeyboardInterrupt:
        return 0


def serve_pty(args, meta) -> int:
    import signal
    import sys

    def stop(signum, frame):  # SIGTERM stops it as Ctrl-C does: the simulator stopped, the link removed
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)

    from ..device.pty_bridge import PtyBridge
    from ..device.session import open_device

    with open_device(meta=meta, simulator=args.simulator) as port, \
            open(Path(args.project) / "pty.log", "wb", buffering=0) as log, PtyBridge(port, args.pty, log) as bridge:
        print(f"the UART of {meta['board']} is on {bridge.link} ({bridge.device}); Ctrl-C stops it", file=sys.stderr,
              flush=True)
        try:
            bridge.wait()
        except KeyboardInterrupt:
            return 0
    if bridge.error is not None:
        from ..errors import SimulatorError

        raise SimulatorError(f"{args.project}: the simulator stopped: {bridge.error}")
    return 0
