"""Float model -> int8 .tflite: the TensorFlow and ai-edge-quantizer front ends, calibration, report."""
