"""`tinygen quantize` as one call: float model + calibration data -> int8 .tflite on disk and a
report of what it cost (sizes, per-layer quantization, held-out agreement and SQNR)."""

from __future__ import annotations

from pathlib import Path


def quantize_model(args, warn) -> tuple[bytes, dict]:
    """The int8 model and its report for the `tinygen quantize` arguments; writes the model
    (atomically) to args.out. `warn` takes one-line notes for the user."""
    import numpy as np

    from .calibration import load_arrays, load_calibration
    from ..errors import UnsupportedError
    from ..fsutil import write_bytes_atomic
    from ..passes.fold import fold_constants
    from ..ops import check_graph
    from ..model.graph import parse_graph
    from .report import evaluate, layer_sqnr, layer_summary
    from .keras_tf import check_calibration, float_tflite, load_keras, quantize

    io_dtype = "float32" if args.float_io else "int8"
    if Path(args.model).suffix == ".tflite":
        from .float_tflite import (
            float_predictor,
            input_shape,
            int8_weights,
            quantize_tflite,
            read_float_tflite,
        )

        float_buf = read_float_tflite(args.model)
        if n := int8_weights(float_buf):
            warn(f"note: {args.model}: {n} weight tensors are int8 already (a dynamic-range export); "
                 f"they are kept with their own scales")
        x = check_calibration(load_calibration(args.calibration, args.calibration_samples, warn),
                              input_shape(float_buf), args.calibration)
        int8 = quantize_tflite(float_buf, x, per_channel=not args.per_tensor, io_dtype=io_dtype,
                               int16_activations=args.int16_activations, progress=not args.json,
                               where=args.model)
        predict = float_predictor(float_buf)
        float_model = lambda shape: float_buf  # noqa: E731
    else:
        x = load_calibration(args.calibration, args.calibration_samples, warn)
        model = load_keras(args.model)
        int8 = quantize(model, x, per_channel=not args.per_tensor, io_dtype=io_dtype,
                        int16_activations=args.int16_activations, where=args.calibration, progress=not args.json)
        predict = lambda d: model.predict(d, verbose=0)  # noqa: E731
        float_model = lambda shape: float_tflite(model, shape)  # noqa: E731
    problems = check_graph(fold_constants(parse_graph(int8, args.out)))
    if problems and not args.allow_unsupported:
        raise UnsupportedError(f"{args.model}: the quantized model would not run on the tinygen runtime: "
                               + "; ".join(problems) + " (--allow-unsupported writes it anyway)")
    write_bytes_atomic(args.out, int8)
    float_size = _float_size(args.model)
    report = {"model": args.model, "output": args.out, "float_bytes": float_size, "int8_bytes": len(int8),
              "calibration_samples": int(len(x)), "per_channel": not args.per_tensor,
              "layers": layer_summary(int8), "runtime_problems": problems}
    if args.eval:
        ex, ey = load_arrays(args.eval)
        ex = ex.astype(np.float32)
        report["eval"] = evaluate(predict, int8, ex, ey, args.eval)
        sqnr = layer_sqnr(float_model(ex.shape[1:]), int8, ex[:64],
                          progress=not args.json)
        from ..model.validate import printable

        by_printable = {printable(k): v for k, v in sqnr.items()}
        for row in report["layers"]:
            # the graph's names are made printable and cut (model/validate.py); the float side's are whole
            row["sqnr_db"] = sqnr.get(row["output"], by_printable.get(row["output"]))
    return int8, report


def _float_size(path: str) -> int:
    p = Path(path)
    if p.is_dir():
        return sum(f.stat().st_size for f in p.rglob("*") if f.is_file())
    return p.stat().st_size
