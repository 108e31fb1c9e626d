"""Serial ports by pyserial URL (/dev/ttyACM0, /dev/pts/N, socket://host:port, rfc2217://..., loop://),
or `auto`: the one connected ST-LINK or Raspberry Pi Pico, found by USB vendor and product id."""

from __future__ import annotations

import sys

import serial

from ..errors import LinkError

# (vendor, product): what it is
KNOWN_PROBES = {
    (0x0483, 0x374B): "ST-LINK/V2-1", (0x0483, 0x374E): "STLINK-V3", (0x0483, 0x374F): "STLINK-V3",
    (0x0483, 0x3752): "ST-LINK/V2-1", (0x0483, 0x3753): "STLINK-V3", (0x0483, 0x3754): "STLINK-V3",
    (0x2E8A, 0x0005): "Raspberry Pi Pico (MicroPython)", (0x2E8A, 0x000A): "Raspberry Pi Pico (pico-sdk stdio)",
    (0x2E8A, 0x000C): "Raspberry Pi Debug Probe", (0x2E8A, 0x0009): "Raspberry Pi Pico 2",
}


def find_auto_port() -> tuple[str, str]:
    from serial.tools import list_ports

    found = [(p.device, KNOWN_PROBES[(p.vid, p.pid)]) for p in list_ports.comports()
             if p.vid is not None and (p.vid, p.pid) in KNOWN_PROBES]
    if not found:
        raise LinkError("--port auto: no ST-LINK or Raspberry Pi Pico is connected (give the port, e.g. "
                        "--port /dev/ttyACM0)")
    if len(found) > 1:
        raise LinkError("--port auto: several boards are connected (" + ", ".join(f"{d} {n}" for d, n in found)
                        + "); choose one with --port")
    return found[0]


def open_port(url: str, baud: int = 115200):
    if url == "auto":
        url, name = find_auto_port()
        print(f"using {url} ({name})", file=sys.stderr)
    try:
        return serial.serial_for_url(url, baudrate=baud, timeout=0.05)
    except (serial.SerialException, ValueError, OSError) as exc:
        raise LinkError(f"{url}: cannot open the port ({exc})") from None
