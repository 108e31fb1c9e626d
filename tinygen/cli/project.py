from __future__ import annotations

import argparse

from ..codegen.pico_sdk import SDK_BOARDS, SDKS, STDIOS
from ..codegen.project import MLPERF_TASKS, MODES, PROTOCOLS, generate_project
from .common import add_board_arg, add_runtime_args


def register(sub) -> None:
    p = sub.add_parser("project", help="generate a firmware project for a board",
                       description="Generates a self-contained firmware project: the model as generated C calls "
                                   "into the tinygen int8 runtime with a static memory plan, board support "
                                   "(start-up, linker script, UART, timer) and a Makefile that needs only "
                                   "arm-none-eabi-gcc (or, with --runtime tflm, TensorFlow Lite Micro's interpreter "
                                   "and your TFLM tree). With --sdk pico-sdk (boards pico and pico2) the same model code and "
                                   "runtime come as a Raspberry Pi Pico SDK CMake project instead: CMakeLists.txt, "
                                   "pico_sdk_import.cmake and a board port on the SDK's stdio and timer. The "
                                   "directory is written whole or not at all.",
                       epilog="examples:\n  tinygen project model.tflite --board mps2-an386 -o fw/\n"
                              "  tinygen project model.tflite --board host -o fw-host/   # runs as a process\n"
                              "  tinygen project model.tflite --mode free-running -o fw-free/   # for tinygen monitor\n"
                              "  tinygen project model.tflite --runtime tflm --tflm-dir ~/tflm-tree -o fw-tflm/\n"
                              "  tinygen project model.tflite --board pico --sdk pico-sdk --stdio usb -o fw-sdk/\n"
                              "      then: cmake -B fw-sdk/build -S fw-sdk -DPICO_SDK_PATH=~/pico-sdk && "
                              "cmake --build fw-sdk/build",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("model", help="an int8 .tflite file")
    add_board_arg(p)
    p.add_argument("-o", "--out", required=True, help="project directory (replaced if it is a tinygen project)")
    add_runtime_args(p)
    p.add_argument("--mode", default="request", choices=MODES,
                   help="request: answer the host's inputs (tinygen sim/run/eval); free-running: infer forever on "
                        "built-in inputs (or your tg_app_sensor_input()) and stream results (tinygen monitor)")
    p.add_argument("--protocol", default="tinygen", choices=PROTOCOLS,
                   help="tinygen: the framed link of docs/protocol.md; mlperf: the MLPerf Tiny / EEMBC th_api text "
                        "protocol (name%%, db load N%%, infer N W%%, results%% ...) for the MLPerf Tiny runner")
    p.add_argument("--mlperf-task", choices=MLPERF_TASKS,
                   help="with --protocol mlperf: the benchmark whose input and result semantics the firmware "
                        "follows (ad01: FP32 windows quantized on the device, one anomaly score; vww01/ic01: "
                        "uint8 RGB; kws01: int8); default: from the model's file name")
    p.add_argument("--inputs", help="with --mode free-running: an .npy of built-in inputs (default: a few "
                                    "deterministic ones)")
    p.add_argument("--sdk", choices=SDKS,
                   help=f"pico-sdk: a CMake project on the Raspberry Pi Pico SDK (boards {', '.join(SDK_BOARDS)}): "
                        "the SDK's start-up, clocks and stdio in place of tinygen's register-level port; build it "
                        "with cmake -B build -DPICO_SDK_PATH=... && cmake --build build (README.md), flash "
                        "build/firmware.uf2")
    p.add_argument("--stdio", default="uart", choices=STDIOS,
                   help="with --sdk pico-sdk: the link over UART0 on GP0/GP1 (uart, the default; a Debug Probe) or "
                        "the Pico's USB port (usb); the CMake option TG_STDIO_USB changes it later")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..model.graph import load_graph

    from ..errors import TinygenError

    if args.stdio != "uart" and not args.sdk:
        raise TinygenError("--stdio applies to --sdk pico-sdk projects only (the others use the board's UART)")
    builtin = None
    g = load_graph(args.model)
    if args.inputs:
        import numpy as np

        from ..model.inputs import load_inputs
        from ..model.io_spec import io_spec

        runs = load_inputs(args.inputs, io_spec(g, g.inputs))
        builtin = [b"".join(np.ascontiguousarray(a).tobytes() for a in r) for r in runs]
    gen = generate_project(g, args.board, args.out, args.runtime, args.mode, builtin, args.protocol,
                           args.tflm_dir, args.tflm_arena, record_reference=True,
                           mlperf_task=args.mlperf_task, sdk=args.sdk, stdio=args.stdio)
    arena = f"TFLM arena {gen.meta['arena_bytes']} B" if args.runtime == "tflm" else f"arena {gen.plan.arena_bytes} B"
    print(f"wrote {args.out}: {len(gen.graph.operators)} operators, {arena}, board {gen.board.name}; "
          + (f"build it with: cmake -B {args.out}/build -S {args.out} -DPICO_SDK_PATH=<pico-sdk> && "
             f"cmake --build {args.out}/build" if args.sdk else f"build it with: tinygen build {args.out}"))
    if gen.needs is not None and gen.needs.compact_layers:
        print(f"note: {gen.needs.layout_text()}")
    return 0
