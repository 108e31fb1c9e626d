"""Errors a user sees as one line: `error: <where>: <what>`.

Every failure that is the user's input or environment (not a tinygen bug) raises a TinygenError;
the CLI prints its message on one line and exits with `exit_code`.
"""


class TinygenError(Exception):
    exit_code = 2


class ModelError(TinygenError):
    """The model file is unreadable, malformed or not what the command needs."""


class UnsupportedError(ModelError):
    """The model uses something the runtime cannot run (listed in full)."""


class InputError(TinygenError):
    """Input tensors or calibration data of the wrong shape, dtype or content."""


class ToolMissingError(TinygenError):
    """An external program (compiler, simulator) is not installed."""


class BuildError(TinygenError):
    """The firmware did not compile or link."""


class FitError(TinygenError):
    """The model does not fit in the board's flash or RAM."""


class LinkError(TinygenError):
    """The serial link failed: timeout, garbled stream, device error."""


class SimulatorError(TinygenError):
    """The simulator could not start, or stopped answering."""


class MismatchError(TinygenError):
    """Device outputs differ from the host reference."""

    exit_code = 1
