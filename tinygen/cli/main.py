"""The `tinygen` command line.

Each sub-command lives in `tinygen/cli/<name>.py` and exposes
`register(subparsers)`, which adds its parser and sets `func(args) -> int`.
Errors the user can fix (TinygenError) print one line and exit with their code;
`-v` shows the traceback as well.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from .. import __version__
from ..errors import TinygenError

NOT_COMMANDS = {"main", "common"}

EPILOG = """\
The pipeline, one stage per command:
  quantize  Keras/SavedModel/float TFLite -> int8 TFLite
  inspect   what a .tflite holds and whether the runtime can run it
  carray    the model as a C array
  project   a firmware project for a board
  build     compile it; flash and RAM from the ELF
  sim       run it in QEMU, collect outputs and instruction counts
  run       project + build + sim + check against the host TFLM reference
  demo      the whole path on a bundled example

Start with `tinygen demo`, then `tinygen run model.tflite --board mps2-an386`.
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tinygen",
        description="From a trained model to verified int8 microcontroller firmware.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"tinygen {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="show tracebacks and external commands")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    package = __package__  # tinygen.cli: one module per sub-command, beside this one and common.py
    for info in sorted(pkgutil.iter_modules(sys.modules[package].__path__), key=lambda m: m.name):
        if info.name.startswith("_") or info.name in NOT_COMMANDS:
            continue
        module = importlib.import_module(f"{package}.{info.name}")
        module.register(sub)
    return parser


def _terminate(signum, frame):
    # SIGTERM unwinds like Ctrl-C, so every simulator and child process is stopped on the way out.
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    import signal

    if argv is None:  # the console entry point, not an in-process call from tests
        signal.signal(signal.SIGTERM, _terminate)
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    from .. import tools

    tools.VERBOSE = bool(args.verbose)
    try:
        return int(args.func(args) or 0)
    except TinygenError as exc:
        if args.verbose:
            import traceback

            traceback.print_exc()
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # stdout closed early (`tinygen boards --json | head -1`): the reader has what it wanted.
        _silence_stdout()
        return 0


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that the interpreter's final flush does not fail again."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


if __name__ == "__main__":
    sys.exit(main())
