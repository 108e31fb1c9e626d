from __future__ import annotations

import argparse
from pathlib import Path

from ..codegen.carray import model_data_files
from ..fsutil import write_text_atomic
from ..model.graph import load_graph


def register(sub) -> None:
    p = sub.add_parser("carray", help="write the model as a C array (model_data.c/.h)",
                       description="Writes OUT/model_data.c and OUT/model_data.h: a 16-byte aligned const array "
                                   "holding the .tflite and its length. Output is byte-identical across runs "
                                   "(the header names the tinygen version and the model's sha256, no timestamp).",
                       epilog="example:\n  tinygen carray model.tflite -o out/ --name g_model",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("model", help="a .tflite file")
    p.add_argument("-o", "--out", required=True, help="output directory")
    p.add_argument("--name", default="model_data", help="C symbol and file stem (default: model_data)")
    p.set_defaults(func=run)


def run(args) -> int:
    graph = load_graph(args.model)  # validates that it is a TFLite flatbuffer
    data = Path(args.model).read_bytes()
    files = model_data_files(data, args.name, Path(graph.path).name)
    for name, text in files.items():
        write_text_atomic(Path(args.out) / name, text)
    print(f"wrote {', '.join(str(Path(args.out) / n) for n in files)} ({len(data)} bytes)")
    return 0
