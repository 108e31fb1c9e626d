"""What a project whose board has a Renode platform gets: `renode.resc` (the one script: by hand,
from `tinygen sim --simulator renode` and from the Robot test) and `tests/firmware.robot` (boot and
one inference, for `renode-test`; the project's CI workflow, tinygen.codegen.workflow, runs it in
Antmicro's renode-test-action).

Timing: Renode's virtual time advances by instructions at the CPU's `PerformanceInMips`, and its
timers count virtual time at their `Frequency`. The script runs the CPU at about the board's clock
in MIPS (renode_mips) and sets the timer the firmware reads to tick once per `per_tick`
instructions, so a count is instructions (Renode models no pipeline, caches or wait states)."""

from __future__ import annotations

from .templates import render

# The Renode peripheral behind each timer driver of the board YAML (dwt: Renode 1.15 models no DWT,
# and the firmware falls back to SysTick, which is the NVIC's).
RENODE_TIMERS = {"systick": "nvic", "dwt": "nvic", "stm32-tim2": "sysbus.timer2"}
RENODE_VERSION = "1.15.3"
DEFAULT_PORT = 3456


def renode_mips(clock_hz: int) -> int:
    """The largest rate not above the board's clock whose instruction period is a whole number of
    nanoseconds: at 16 MIPS (62.5 ns) one KWS inference in four counted one instruction more than
    QEMU; at 8, 10 and 100 MIPS all equalled QEMU's counts (measured with Renode 1.15.3)."""
    mhz = max(1, clock_hz // 1_000_000)
    return max(d for d in range(1, min(mhz, 1000) + 1) if 1000 % d == 0)


def renode_timing(board) -> dict:
    """mips (the CPU's PerformanceInMips), the timer peripheral and the frequency that makes one tick
    `per_tick` instructions."""
    from ..errors import TinygenError

    spec = board.simulator["renode"]
    mips = renode_mips(board.clock_hz)
    per_tick = board.timer.get("per_tick", 1)
    timer = spec.get("timer") or RENODE_TIMERS.get(board.timer["driver"])
    if timer is None:
        raise TinygenError(f"{board.source or board.name}: no Renode timer for timer.driver "
                           f"'{board.timer['driver']}'; name it as simulator.renode.timer")
    if (mips * 1_000_000) % per_tick:
        raise TinygenError(f"{board.source or board.name}: timer.per_tick {per_tick} does not divide "
                           f"{mips} MIPS; Renode cannot count whole instructions with it")
    return {"mips": mips, "timer": timer, "timer_hz": mips * 1_000_000 // per_tick}


def run_frame(tag: int = 0, report: bool = True) -> bytes:
    """The wire bytes of a run request (seq 1) asking for the text report line too."""
    import struct

    from ..device.link import RUN_PRINT, encode_frame

    return encode_frame("r", 1, struct.pack("<IB", tag, RUN_PRINT if report else 0))


def robot_timeout(macs: int, mips: int) -> int:
    """Virtual seconds the Robot test waits for a line: boot plus a generous 20 instructions per MAC
    (the kernels take about 2). Virtual, not wall time: while the firmware polls its UART, Renode
    runs far slower than real time, so a failing wait is slow to fail."""
    return 10 + -(-20 * macs // (mips * 1_000_000))


def renode_files(*, board, mode: str = "request", protocol: str = "tinygen", macs: int = 0,
                 **common) -> dict[str, str]:
    """Relative path -> text, for a board with `simulator.renode` (common: version, runtime, sha256,
    model_name, as the project's other templates get them)."""
    spec = board.simulator["renode"]
    timing = renode_timing(board)
    ctx = dict(common, board=board, platform=spec["platform"], uart=spec["uart"], port=DEFAULT_PORT,
               renode_version=RENODE_VERSION, timeout=robot_timeout(macs, timing["mips"]), **timing)
    if protocol == "mlperf":
        check = {"kind": "mlperf"}
    elif mode == "free-running":
        check = {"kind": "ready"}
    else:
        check = {"kind": "tinygen", "run_bytes": list(run_frame())}
    return {
        "renode.resc": render("renode.resc.j2", **ctx),
        "tests/firmware.robot": render("firmware.robot.j2", check=check, **ctx),
    }
