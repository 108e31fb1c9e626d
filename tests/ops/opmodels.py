"""Single-operator int8 models made with TensorFlow, and the bit-exact check on the host target.

`int8_model(fn, input_shapes)` converts a tf.function over float inputs into a full-integer int8
TFLite flatbuffer (int8 input and output), calibrated on seeded random data.
`assert_host_bit_exact(model_bytes, tmp_path)` builds the model for the `host` board with
sanitizers, runs a few inputs (benchmark pattern, random, zero point) and asserts every output
equals the TFLM reference byte for byte.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

SANITIZE = "-Werror -fsanitize=address,undefined -fno-sanitize-recover=all"


def int8_model(fn, input_shapes, *, per_channel: bool = True, seed: int = 0, calib: int = 32,
               low: float = -1.0, high: float = 1.0) -> bytes:
    import tensorflow as tf

    specs = [tf.TensorSpec(s, tf.float32) for s in input_shapes]
    concrete = tf.function(fn).get_concrete_function(*specs)
    rng = np.random.default_rng(seed)

    def representative():
        for _ in range(calib):
            yield [rng.uniform(low, high, size=s).astype(np.float32) for s in input_shapes]

    conv = tf.lite.TFLiteConverter.from_concrete_functions([concrete], None)
    conv.optimizations = [tf.lite.Optimize.DEFAULT]
    conv.representative_dataset = representative
    conv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    conv.inference_input_type = tf.int8
    conv.inference_output_type = tf.int8
    if not per_channel:
        conv._experimental_disable_per_channel = True
    return conv.convert()


def assert_host_bit_exact(model: bytes | str | Path, tmp_path: Path, *, count: int = 3, board: str = "host",
                          extra_cflags: str = SANITIZE) -> dict:
    from tinygen.pipeline import run_model

    if isinstance(model, bytes):
        path = tmp_path / "model.tflite"
        path.write_bytes(model)
    else:
        path = Path(model)
    from tinygen.model.graph import load_graph
    from tinygen.model.inputs import default_inputs
    from tinygen.model.io_spec import io_spec

    g = load_graph(path)
    runs = default_inputs(io_spec(g, g.inputs), count=count)
    doc = run_model(path, board, inputs=runs, out_dir=tmp_path / "run", extra_cflags=extra_cflags, check=False)
    assert doc["complete"], doc.get("error")
    for r in doc["inferences"]:
        assert r["match"], f"inference {r['index']}: first mismatch at {r.get('first_mismatch')}"
    return doc


def stateful_reference(model_path, runs: list[list[np.ndarray]]) -> list[bytes]:
    """TFLM's outputs (all output tensors' bytes, concatenated) for the inferences in a row on ONE
    interpreter, reset once before the first: variable tensors keep their state between Invoke
    calls, as tinygen.model.reference runs every run."""
    from tinygen.model.graph import load_graph
    from tinygen.model.reference import reference_outputs

    outs = reference_outputs(str(model_path), runs, len(load_graph(model_path).outputs))
    return [b"".join(np.ascontiguousarray(o).tobytes() for o in r) for r in outs]


def device_output_bytes(doc: dict, output_specs: list[dict]) -> list[bytes]:
    """Each inference's outputs as bytes, from a results document (values in the outputs' common
    type, or int8 bytes when the types differ: see tinygen.device.session.output_dtype)."""
    from tinygen.device.session import output_dtype

    dt = output_dtype(output_specs)
    return [np.asarray(r["output"], dtype=dt).tobytes() for r in doc["inferences"]]


def assert_stateful_bit_exact(model: bytes | str | Path, tmp_path: Path, *, count: int = 10, board: str = "host",
                              extra_cflags: str = SANITIZE, seed: int = 0) -> dict:
    """`count` inferences in a row on one firmware (no reset between them) equal `count` Invoke
    calls in a row on one TFLM interpreter, byte for byte. Inputs: seeded random tensors."""
    from tinygen.model.io_spec import io_spec
    from tinygen.model.graph import load_graph
    from tinygen.pipeline import run_model

    if isinstance(model, bytes):
        path = tmp_path / "model.tflite"
        path.write_bytes(model)
    else:
        path = Path(model)
    g = load_graph(path)
    specs = io_spec(g, g.inputs)
    rng = np.random.default_rng(seed)
    runs = []
    for _ in range(count):
        run = []
        for s in specs:
            if s["dtype"] == "float32":
                run.append(rng.uniform(-2, 2, size=s["shape"]).astype(np.float32))
            else:
                info = np.iinfo(s["dtype"]) if s["dtype"] != "int32" else np.iinfo(np.int16)
                run.append(rng.integers(info.min, info.max + 1, size=s["shape"]).astype(s["dtype"]))
        runs.append(run)
    expected = stateful_reference(path, runs)
    doc = run_model(path, board, inputs=runs, out_dir=tmp_path / "run", extra_cflags=extra_cflags, check=False)
    assert doc["complete"], doc.get("error")
    got = device_output_bytes(doc, io_spec(g, g.outputs))
    assert len(got) == count
    for i, (a, b) in enumerate(zip(got, expected)):
        assert a == b, f"inference {i} of {count} in a row differs from TFLM's"
    return doc
