"""Simulators behind one interface (start, serial endpoint, stop): QEMU and the host process."""
