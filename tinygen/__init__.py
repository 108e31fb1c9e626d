"""tinygen: from a trained model to verified int8 microcontroller firmware."""

__version__ = "0.1.0"
