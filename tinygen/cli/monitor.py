from __future__ import annotations

import argparse
import json
import sys
import time


def register(sub) -> None:
    p = sub.add_parser("monitor", help="live view of a free-running firmware: rate, latency, top class, errors",
                       description="Watches a firmware built with `tinygen project --mode free-running` (built-in "
                                   "inputs or your tg_app_sensor_input()) stream its results: inferences per "
                                   "second, latency p50/p95/max, the latest top class, and link error counts. "
                                   "Each result is appended to a JSON-lines file as it arrives, so a kill loses at "
                                   "most the frame in flight. Ctrl-C prints a summary.",
                       epilog="examples:\n  tinygen monitor --port /dev/ttyACM0 --log results.jsonl\n"
                              "  tinygen monitor --sim fw-free/ --count 100 --json\n"
                              "  tinygen monitor --port socket://127.0.0.1:4444",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--port", help="pyserial URL (/dev/ttyACM0, socket://HOST:PORT, rfc2217://...) or auto")
    src.add_argument("--sim", metavar="PROJECT", help="start the simulator for this built free-running project")
    from .common import add_simulator_arg

    add_simulator_arg(p)
    p.add_argument("--baud", type=int, default=115200, help="baud rate for real serial ports (default 115200)")
    p.add_argument("--log", default="monitor.jsonl", help="JSON-lines file results are appended to "
                                                          "(default monitor.jsonl)")
    p.add_argument("--count", type=int, help="stop after this many results")
    p.add_argument("--duration", type=float, help="stop after this many seconds")
    p.add_argument("--json", action="store_true", help="print the summary as JSON only")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..device.stats import percentile
    from ..device.session import DeviceSession, open_device

    if args.sim:
        target = open_device(args.sim, simulator=args.simulator)
    else:
        target = open_device(port=args.port, baud=args.baud)
    from ..device.link import LinkStats

    times, count, lost, unverified, last = [], 0, 0, 0, None
    hello, stats = None, LinkStats()
    latest = None
    started = time.monotonic()
    shown = 0.0
    log = open(args.log, "a")
    try:
        with target as port:
            session = DeviceSession(port)
            stats = session.stats
            for rec in session.free_running():
                if args.count and count >= args.count or args.duration and time.monotonic() - started > args.duration:
                    break
                if rec is not None:
                    if last is not None and rec["counter"] != last + 1:
                        lost += max(0, rec["counter"] - last - 1)
                    last = rec["counter"]
                    count += 1
                    unverified += not rec["verified"]
                    times.append(rec["elapsed"])
                    latest = rec
                    rec["host_time"] = round(time.time(), 3)
                    log.write(json.dumps(rec) + "\n")
                    log.flush()
                hello = session.hello
                now = time.monotonic()
                if not args.json and now - shown > 0.5 and count:
                    shown = now
                    print("\r" + status_line(count, now - started, times, latest, stats, lost, hello), end="",
                          file=sys.stderr, flush=True)
    except KeyboardInterrupt:
        pass
    finally:
        log.close()
    elapsed = time.monotonic() - started
    unit = hello.timer_unit if hello else "instructions"
    summary = {"count": count, "seconds": round(elapsed, 2), "inferences_per_second": round(count / elapsed, 2),
               "timer_unit": unit, "latency": {"p50": percentile(times, 50), "p95": percentile(times, 95),
                                                "max": max(times) if times else None},
               "latest_top_class": top(latest), "lost_frames": lost, "unverified": unverified,
               "link": stats.to_dict(), "board": hello.board if hello else None, "log": args.log}
    if args.json:
        json.dump(summary, sys.stdout, indent=2)
        print()
    else:
        print(file=sys.stderr)
        print(f"{count} results in {summary['seconds']} s ({summary['inferences_per_second']}/s); {unit} p50 "
              f"{summary['latency']['p50']}, p95 {summary['latency']['p95']}, max {summary['latency']['max']}; "
              f"lost {lost}, CRC errors {stats.crc_errors}, resets {stats.resets}; appended to {args.log}")
    return 0


def top(rec) -> int | None:
    if not rec or not rec["output"]:
        return None
    out = rec["output"]
    return max(range(len(out)), key=out.__getitem__)


def status_line(count, seconds, times, latest, stats, lost, hello) -> str:
    from ..device.stats import percentile

    unit = hello.timer_unit if hello else ""
    return (f"{count} inferences  {count / max(seconds, 1e-9):.1f}/s  {unit} p50 {percentile(times, 50)} "
            f"p95 {percentile(times, 95)} max {max(times)}  top class {top(latest)}  "
            f"lost {lost}  crc errors {stats.crc_errors}  resets {stats.resets}   ")
