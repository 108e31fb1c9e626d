"""Float .tflite -> full-integer int8 .tflite with Google's ai-edge-quantizer (static int8 weights and
activations, calibrated on representative samples).

TensorFlow's converter cannot take a flatbuffer back in; ai-edge-quantizer can, but drives the
model through its signature, so files from older converters get a `serving_default` signature
first (tflite_edit). The quantizer makes model inputs and outputs int8 in place; --float-io puts a
QUANTIZE/DEQUANTIZE pair back at the boundary. Imported lazily: it is part of tinygen[quantize].
"""

from __future__ import annotations

import contextlib
import io
import sys
from pathlib import Path

import numpy as np

from ..errors import InputError, ModelError, ToolMissingError
from ..model.graph import parse_graph
from ..model.flatbuffer_edit import load, with_float_io, with_serving_signature


def read_float_tflite(path: str | Path) -> bytes:
    """The file's bytes, checked to be a float single-input model this path can quantize."""
    p = Path(path)
    if not p.is_file():
        raise ModelError(f"{path}: no such file")
    buf = p.read_bytes()
    g = parse_graph(buf, str(path))
    if len(g.inputs) != 1:
        raise ModelError(f"{path}: the model takes {len(g.inputs)} inputs; tinygen quantize takes one")
    t = g.tensors[g.inputs[0]]
    if t.dtype != "float32":
        raise ModelError(f"{path}: the model input is already {t.dtype}; only float models are quantized "
                         f"(run it as it is with tinygen project/run)")
    return buf


def int8_weights(buf: bytes) -> int:
    """How many constant tensors are int8 already (dynamic-range "float" exports): the quantizer keeps
    them, scales and all, so they stay per-tensor if they were."""
    g = parse_graph(buf, "model")
    return sum(1 for t in g.tensors if t.is_constant and t.dtype == "int8")


def input_shape(buf: bytes) -> tuple:
    g = parse_graph(buf, "model")
    return (None,) + tuple(g.tensors[g.inputs[0]].shape[1:])


def _aeq():
    try:
        from ai_edge_quantizer import qtyping, quantizer, recipe_manager
    except ImportError:
        raise ToolMissingError("ai-edge-quantizer is not installed (install: pip install 'tinygen[quantize]', "
                               "or run make setup)") from None
    return qtyping, quantizer, recipe_manager


def quantize_tflite(buf: bytes, calibration: np.ndarray, *, per_channel: bool = True, io_dtype: str = "int8",
                    int16_activations: bool = False, progress: bool = False, where: str = "model") -> bytes:
    """A float .tflite's bytes -> int8 .tflite bytes. Deterministic: samples are fed in order to a
    single-threaded interpreter, so the same inputs give the same bytes."""
    if int16_activations:
        raise InputError("--int16-activations: the tinygen runtime runs int8 activations only (16x8 "
                         "models would be refused at tinygen project)")
    qtyping, quantizer, recipe_manager = _aeq()
    prepared = with_serving_signature(buf)
    sig = load(prepared).signatureDefs[0]
    key, name = sig.signatureKey.decode(), sig.inputs[0].name.decode()
    x = np.asarray(calibration, dtype=np.float32)

    rm = recipe_manager.RecipeManager()
    rm.add_static_config(
        regex=".*", operation_name=qtyping.TFLOperationName.ALL_SUPPORTED, activation_num_bits=8,
        weight_num_bits=8, weight_granularity=(qtyping.QuantGranularity.CHANNELWISE if per_channel
                                               else qtyping.QuantGranularity.TENSORWISE))
    from tqdm import tqdm

    bar = tqdm(total=len(x), desc="calibrating", unit="sample", file=sys.stderr, disable=not progress, leave=False)

    class Samples:
        """Re-iterable (the quantizer counts the samples in a first pass); the bar follows the last pass."""

        def __iter__(self):
            bar.reset()
            for i in range(len(x)):
                yield {name: x[i:i + 1]}
                bar.update(1)

    from ..quiet import captured_native_output

    chatter = io.StringIO()  # its own progress bar and size summary; ours is the bar above
    try:
        with contextlib.redirect_stdout(chatter), contextlib.redirect_stderr(chatter), captured_native_output():
            q = quantizer.Quantizer(prepared)
            q.load_quantization_recipe(rm.get_quantization_recipe())
            result = q.calibrate({key: Samples()}, num_threads=1)
            int8 = bytes(q.quantize(result, enable_progress_bar=False, enable_progress_report=False)
                         .quantized_model)
    except Exception as exc:
        raise ModelError(f"{where}: ai-edge-quantizer failed: {type(exc).__name__}: "
                         f"{str(exc).splitlines()[0][:200] if str(exc) else ''}") from None
    finally:
        bar.close()
    return with_float_io(int8) if io_dtype == "float32" else int8


def float_predictor(buf: bytes):
    """x (N, ...) float32 -> (N, outputs) float32, running the float .tflite in TensorFlow Lite."""
    import warnings

    from .keras_tf import _tf
    from ..quiet import captured_native_output

    tf = _tf()
    with warnings.catch_warnings(), captured_native_output():
        warnings.simplefilter("ignore")
        it = tf.lite.Interpreter(model_content=buf, num_threads=1)
        it.allocate_tensors()
    i_in, i_out = it.get_input_details()[0]["index"], it.get_output_details()[0]["index"]

    def predict(x: np.ndarray) -> np.ndarray:
        outs = []
        for xi in x:
            it.set_tensor(i_in, xi[None].astype(np.float32))
            it.invoke()
            outs.append(it.get_tensor(i_out).reshape(-1).copy())
        return np.stack(outs)

    return predict
