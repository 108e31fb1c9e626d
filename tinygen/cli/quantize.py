from __future__ import annotations

import argparse
import sys

from .common import print_json


def register(sub) -> None:
    p = sub.add_parser("quantize", help="Keras/SavedModel/float .tflite -> full-integer int8 .tflite, and what it "
                                        "cost",
                       description="Converts a float Keras model (.keras, legacy .h5) or a SavedModel directory to "
                                   "a full-integer int8 TFLite model with TensorFlow's converter, or a float .tflite "
                                   "with Google's ai-edge-quantizer (the converter cannot read a flatbuffer back), "
                                   "calibrated on representative samples; int8 input and output by default. "
                                   "Reports float size "
                                   "-> int8 size, the per-layer scales and zero points, and with --eval the top-1 "
                                   "agreement, error and accuracy of int8 (run by the TFLM reference) against float. "
                                   "Same inputs give the same bytes. Needs tinygen[quantize] (TensorFlow, ai-edge-quantizer).",
                       epilog="examples:\n  tinygen quantize model.keras --calibration samples.npy -o model.tflite\n"
                              "  tinygen quantize resnet.h5 --calibration calib/ --calibration-samples 300 \\\n"
                              "      --eval heldout.npz -o resnet_int8.tflite --json\n"
                              "  tinygen quantize kws_float32.tflite --calibration mfcc.npy -o kws_int8.tflite",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("model", help=".keras, .h5, a SavedModel directory or a float .tflite")
    p.add_argument("--calibration", required=True, help=".npy, .npz (array x) or a folder of them")
    p.add_argument("--calibration-samples", type=int, help="use the first N samples")
    p.add_argument("-o", "--out", required=True, help="output .tflite (written whole or not at all)")
    p.add_argument("--per-tensor", action="store_true", help="one weight scale per tensor (default: per channel)")
    p.add_argument("--float-io", action="store_true", help="float32 model input/output around the int8 body "
                                                           "(a QUANTIZE in, a DEQUANTIZE out)")
    p.add_argument("--int16-activations", action="store_true", help="16x8 quantization (refused: the runtime "
                                                                    "runs int8 activations)")
    p.add_argument("--allow-unsupported", action="store_true",
                   help="write the model even if the tinygen runtime cannot run all of its operators")
    p.add_argument("--eval", help=".npz with x (and labels y) or .npy held-out data for the report")
    p.add_argument("--json", action="store_true", help="print the report as JSON only")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..quantize.job import quantize_model

    int8, report = quantize_model(args, warn=lambda m: print(m, file=sys.stderr))
    float_size, problems = report["float_bytes"], report["runtime_problems"]
    if args.json:
        print_json(report)
        return 0
    print(f"wrote {args.out}: float {float_size:,} B -> int8 {len(int8):,} B "
          f"({len(int8) / float_size:.0%})" if float_size else f"wrote {args.out}: {len(int8):,} B")
    for row in report["layers"]:
        w = f" weights: {row['weight_scales']} scale(s)" if "weight_scales" in row else ""
        q = f"  SQNR {row['sqnr_db']} dB" if row.get("sqnr_db") is not None else ""
        out = (f"out scale {row['output_scale']:.6g} zp {row['output_zero_point']}"
               if row["output_scale"] is not None else f"out {row['output_dtype']}")
        print(f"  {row['index']:3d} {row['opcode']:18s} {out}{w}{q}")
    if "eval" in report:
        e = report["eval"]
        line = f"held-out ({e['samples']}): top-1 agreement float vs int8 {e['top1_agreement']:.1%}, " \
               f"mean abs error {e['mean_abs_error']:.4g}"
        if "int8_accuracy" in e:
            line += f", accuracy float {e['float_accuracy']:.1%} -> int8 {e['int8_accuracy']:.1%}"
        print(line)
        print("  (SQNR: float vs dequantized int8 activations per layer, on up to 64 held-out samples; "
              "where it drops, precision was lost)")
    if problems:
        print("note: the tinygen runtime cannot run this model yet: " + "; ".join(problems), file=sys.stderr)
    return 0


