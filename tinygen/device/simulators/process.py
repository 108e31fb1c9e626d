"""Child processes that never outlive tinygen: started with a parent-death signal (Linux), stopped
with terminate-then-kill, and their output sent to a log file."""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys

from ... import tools

_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:  # runs in the child between fork and exec
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


def start_process(cmd: list[str], log_path=None, stdin=subprocess.DEVNULL, stdout=None, env=None, cwd=None,
                  bufsize: int = -1, new_session: bool = False) -> subprocess.Popen:
    """Popen that logs the command (-v) and, on Linux, makes the kernel kill the child when tinygen dies
    (also on kill -9), so no simulator is left running reparented to init. `new_session`: for a
    launcher script that starts the simulator as its own child; stop_process then ends the group."""
    tools.log_command(cmd, cwd)
    log = open(log_path, "wb") if log_path else subprocess.DEVNULL
    try:
        proc = subprocess.Popen(cmd, stdin=stdin, stdout=stdout if stdout is not None else log,
                                stderr=subprocess.STDOUT if stdout is None else log, env=env, cwd=cwd,
                                bufsize=bufsize, start_new_session=new_session,
                                preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None)
        proc.tinygen_group = new_session
        return proc
    finally:
        if log_path:
            log.close()


def stop_process(proc: subprocess.Popen | None, grace: float = 2.0) -> None:
    if proc is None:
        return
    group = getattr(proc, "tinygen_group", False)
    if proc.poll() is not None:
        if group:
            _signal(proc, signal.SIGKILL, group)
        return
    try:
        if proc.stdin:
            proc.stdin.close()
    except OSError:
        pass
    _signal(proc, signal.SIGTERM, group)
    try:
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        _signal(proc, signal.SIGKILL, group)
        proc.wait()
    if group:  # the launcher has ended; its children must too
        _signal(proc, signal.SIGKILL, group)


def _signal(proc: subprocess.Popen, sig: int, group: bool) -> None:
    try:
        if group:
            os.killpg(proc.pid, sig)
        else:
            proc.send_signal(sig)
    except (ProcessLookupError, PermissionError):
        pass
