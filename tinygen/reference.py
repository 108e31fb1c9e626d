"""The host reference: TensorFlow Lite Micro's own interpreter (the tflite-micro pip package)."""

from __future__ import annotations

import numpy as np

from .errors import ModelError


def reference_outputs(model_path: str, inputs: list[list[np.ndarray]], n_outputs: int = 1) -> list[list[np.ndarray]]:
    """For each inference (a list of input arrays), the list of output arrays TFLM computes."""
    from tflite_micro.python.tflite_micro import runtime

    try:
        interp = runtime.Interpreter.from_file(str(model_path))
    except Exception as exc:
        raise ModelError(f"{model_path}: the TFLM reference interpreter rejected the model ({exc})") from None
    results = []
    for arrays in inputs:
        interp.reset()
        for i, a in enumerate(arrays):
            shape = tuple(interp.get_input_details(i)["shape"])
            interp.set_input(np.ascontiguousarray(a).reshape(shape), i)
        interp.invoke()
        results.append([np.array(interp.get_output(i)) for i in range(n_outputs)])
    return results

