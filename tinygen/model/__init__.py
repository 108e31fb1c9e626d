"""Model file -> graph: the .tflite reader, flatbuffer edits, I/O facts, inputs, the host TFLM reference."""
