"""Edit a .tflite with the schema's object API (tflite-micro's bindings): for models that TFLM
accepts but TensorFlow's tools would not make or would reject."""

from __future__ import annotations

import flatbuffers


def schema():
    from tflite_micro.tensorflow.lite.micro.python import schema_py_generated as s

    return s


def load(buf: bytes):
    return schema().ModelT.InitFromPackedBuf(buf, 0)


def save(model) -> bytes:
    b = flatbuffers.Builder(1024)
    b.Finish(model.Pack(b), file_identifier=b"TFL3")
    return bytes(b.Output())
