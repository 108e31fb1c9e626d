"""Firmware on a simulator or a board: serial ports, the framed link, simulators, the device session."""
