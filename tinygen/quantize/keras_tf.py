"""Float model -> full-integer int8 TFLite with TensorFlow's converter and representative data.

TensorFlow is an optional extra (tinygen[quantize]); it is imported only here, lazily.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np

from ..errors import InputError, ModelError, ToolMissingError


def _tf():
    """TensorFlow, imported once with its start-up chatter (CUDA probing, oneDNN notes) silenced."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    from ..quiet import captured_native_output

    try:
        with captured_native_output():
            import tensorflow as tf
            import keras  # noqa: F401  (Keras 3 logs on first import too)
    except ImportError:
        raise ToolMissingError("tensorflow is not installed (install: pip install 'tinygen[quantize]', "
                               "or run make setup)") from None
    return tf


def load_keras(source: str | Path):
    """A .keras / .h5 file or a SavedModel directory, loaded for inference."""
    tf = _tf()
    p = Path(source)
    if not p.exists():
        raise ModelError(f"{source}: no such file or directory")
    if p.is_dir():
        if not (p / "saved_model.pb").exists():
            raise ModelError(f"{source}: a directory but not a SavedModel (no saved_model.pb)")
        return SavedModelFunction(tf.saved_model.load(str(p)), str(source))
    import keras

    try:
        return keras.models.load_model(str(p), compile=False)
    except Exception as exc:
        raise ModelError(f"{source}: not a Keras model Keras can load ({type(exc).__name__}: "
                         f"{str(exc).splitlines()[0][:160]})") from None


class SavedModelFunction:
    """A SavedModel's serving signature, callable like a one-input Keras model."""

    def __init__(self, loaded, where: str):
        sigs = getattr(loaded, "signatures", {})
        if "serving_default" not in sigs:
            raise ModelError(f"{where}: the SavedModel has no serving_default signature")
        self.fn = sigs["serving_default"]
        inputs = self.fn.structured_input_signature[1]
        if len(inputs) != 1:
            raise ModelError(f"{where}: the SavedModel takes {len(inputs)} inputs; tinygen quantize takes one")
        (self.name, spec), = inputs.items()
        self.input_shape = tuple(spec.shape.as_list())
        self.loaded = loaded  # keeps the variables alive

    def __call__(self, t):
        out = self.fn(**{self.name: t})
        return out[sorted(out)[0]]

    def predict(self, x, verbose=0):
        import numpy as np

        return np.concatenate([np.asarray(self(x[i:i + 1])) for i in range(len(x))])


def _input_shape(model) -> tuple[int, ...]:
    shape = getattr(model, "input_shape", None)
    if isinstance(shape, list):
        raise ModelError("models with several inputs are not supported by tinygen quantize yet")
    if shape is None:
        raise ModelError("cannot tell the model's input shape")
    return tuple(shape)


def check_calibration(x: np.ndarray, model_shape: tuple, where: str) -> np.ndarray:
    if x.size == 0 or len(x) == 0:
        raise InputError(f"{where}: calibration data is empty")
    if x.dtype.kind not in "fiu":
        raise InputError(f"{where}: calibration data has dtype {x.dtype}; needs numbers")
    x = x.astype(np.float32)
    if not np.all(np.isfinite(x)):
        raise InputError(f"{where}: calibration data contains NaN or infinity")
    want = tuple(1 if d is None else d for d in model_shape[1:])
    if tuple(x.shape[1:]) != want:
        raise InputError(f"{where}: calibration data has shape {list(x.shape)} but the model input is "
                         f"{list(model_shape)} (first axis counts samples)")
    return x


def _concrete(model, sample_shape):
    tf = _tf()
    spec = tf.TensorSpec((1,) + tuple(sample_shape), tf.float32)
    return tf.function(lambda t: model(t)).get_concrete_function(spec)


def float_tflite(model, sample_shape) -> bytes:
    """The same graph converted without quantization: the float side of per-layer comparisons."""
    import logging

    from ..quiet import captured_native_output

    tf = _tf()
    logging.getLogger("absl").setLevel(logging.ERROR)
    conv = tf.lite.TFLiteConverter.from_concrete_functions([_concrete(model, sample_shape)], None)
    with captured_native_output():
        return bytes(conv.convert())


def quantize(model, calibration: np.ndarray, *, per_channel: bool = True, io_dtype: str = "int8",
             int16_activations: bool = False, where: str = "calibration", progress: bool = False) -> bytes:
    """A Keras model (object or path) -> int8 .tflite bytes. Deterministic for the same inputs."""
    if int16_activations:
        raise InputError("--int16-activations: the tinygen runtime runs int8 activations only (16x8 "
                         "models would be refused at tinygen project)")
    tf = _tf()
    if isinstance(model, (str, Path)):
        model = load_keras(model)
    shape = _input_shape(model)
    x = check_calibration(np.asarray(calibration), shape, where)
    concrete = _concrete(model, x.shape[1:])

    def representative():
        from tqdm import tqdm

        for i in tqdm(range(len(x)), desc="calibrating", unit="sample", file=sys.stderr, disable=not progress,
                      leave=False):
            yield [x[i:i + 1]]

    import logging

    logging.getLogger("absl").setLevel(logging.ERROR)  # a deprecation note about trackable_obj
    conv = tf.lite.TFLiteConverter.from_concrete_functions([concrete], None)
    conv.optimizations = [tf.lite.Optimize.DEFAULT]
    conv.representative_dataset = representative
    conv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    if io_dtype == "int8":
        conv.inference_input_type = tf.int8
        conv.inference_output_type = tf.int8
    if not per_channel:
        conv._experimental_disable_per_channel = True
    from ..quiet import captured_native_output

    try:
        with captured_native_output():
            return bytes(conv.convert())
    except Exception as exc:
        raise ModelError(f"the TensorFlow converter failed: {str(exc).splitlines()[0][:200]}") from None
