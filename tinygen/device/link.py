"""Host side of the framed serial link (docs/protocol.md); the firmware side is tg_link.c/tg_app.c.

Frame: 0x00, COBS(type, seq, payload, crc16 little-endian), 0x00; CRC-16/CCITT-FALSE over type,
seq and payload. Anything between delimiters that does not decode with a good CRC is counted and
skipped (printable text is kept as device log), so the stream resynchronises by itself.
Requests carry a sequence number 1..255 that the reply echoes; unsolicited frames use 0.
"""

from __future__ import annotations

import struct
import time
import zlib
from dataclasses import dataclass

from ..errors import LinkError

PROTOCOL_VERSION = 3
ERR_INFERENCE = 6  # the device's reply to a run whose inference failed (no outputs)
RUN_AGAIN = 1  # run flag: invoke even if this tag was the last one run (the input was sent again)
RUN_PRINT = 2  # run flag: also print the result as a text line (for text-only tests: Renode's Robot)
MAX_PAYLOAD = 256
CHUNK = 240  # input bytes per frame (payload also holds a 4-byte offset)
MIN_CHUNK = 16
TIMER_UNITS = {0: "instructions", 1: "cycles", 2: "nanoseconds"}


def crc16(data: bytes) -> int:
    crc = 0xFFFF
    for b in data:
        crc ^= b << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) & 0xFFFF if crc & 0x8000 else (crc << 1) & 0xFFFF
    return crc


def cobs_encode(data: bytes) -> bytes:
    out = bytearray()
    block = bytearray()
    for b in data:
        if b == 0:
            out.append(len(block) + 1)
            out += block
            block.clear()
        else:
            block.append(b)
            if len(block) == 254:
                out.append(255)
                out += block
                block.clear()
    out.append(len(block) + 1)
    out += block
    return bytes(out)


def cobs_decode(data: bytes) -> bytes | None:
    out = bytearray()
    i = 0
    while i < len(data):
        code = data[i]
        if code == 0:
            return None
        i += 1
        chunk = data[i:i + code - 1]
        if len(chunk) != code - 1:
            return None
        out += chunk
        i += code - 1
        if code != 255 and i < len(data):
            out.append(0)
    return bytes(out)


def encode_frame(kind: str, seq: int, payload: bytes = b"") -> bytes:
    body = bytes([ord(kind), seq & 0xFF]) + payload
    body += struct.pack("<H", crc16(body))
    return b"\x00" + cobs_encode(body) + b"\x00"


@dataclass
class Frame:
    kind: str
    seq: int
    payload: bytes


@dataclass
class Hello:
    protocol_version: int
    timer_unit: str
    clock_hz: int
    input_bytes: int
    output_bytes: int
    arena_bytes: int
    model_sha256: str
    firmware_version: str
    board: str
    runtime: str

    @classmethod
    def parse(cls, p: bytes) -> "Hello":
        if len(p) < 52:
            raise LinkError(f"hello frame too short ({len(p)} bytes)")
        version, unit = p[0], p[1]
        clock, inb, outb, arena = struct.unpack_from("<IIII", p, 4)
        sha = p[20:52].hex()
        strings = p[52:].split(b"\x00")
        strings += [b""] * 3
        fw, board, runtime = (s.decode("utf-8", "replace") for s in strings[:3])
        return cls(version, TIMER_UNITS.get(unit, f"unit{unit}"), clock, inb, outb, arena, sha, fw, board, runtime)


@dataclass
class LinkStats:
    crc_errors: int = 0
    resyncs: int = 0
    retries: int = 0
    timeouts: int = 0
    resets: int = 0

    def to_dict(self) -> dict:
        return dict(self.__dict__)


class LinkTimeout(LinkError):
    """No intact reply in time (the request or the reply was lost or damaged)."""


class InferenceFailed(LinkError):
    """The device ran the inference and it failed (e.g. TFLM's Invoke returned an error): an error for
    that inference alone, with no outputs; the device keeps running."""


class DeviceReset(Exception):
    """The device sent an unsolicited hello: it restarted."""


class FrameReader:
    """Splits a byte stream into frames; keeps text between frames as log lines."""

    def __init__(self, stats: LinkStats, on_log=None):
        self.buf = bytearray()
        self.stats = stats
        self.on_log = on_log
        self.text = bytearray()

    def feed(self, data: bytes) -> list[Frame]:
        self.buf += data
        frames = []
        while True:
            end = self.buf.find(0)
            if end < 0:
                break
            chunk = bytes(self.buf[:end])
            del self.buf[:end + 1]
            if not chunk:
                continue
            frame = self._decode(chunk)
            if frame is not None:
                frames.append(frame)
            else:
                self._junk(chunk)
        return frames

    def _decode(self, chunk: bytes) -> Frame | None:
        body = cobs_decode(chunk)
        if body is None or len(body) < 4:
            return None
        if struct.unpack("<H", body[-2:])[0] != crc16(body[:-2]):
            return None
        return Frame(chr(body[0]), body[1], body[2:-2])

    def _junk(self, chunk: bytes) -> None:
        printable = all(32 <= b < 127 or b in (9, 10, 13) for b in chunk)
        if printable:
            self.text += chunk
            *lines, rest = bytes(self.text).split(b"\n")
            self.text = bytearray(rest)
            for line in lines:
                if self.on_log and line.strip():
                    self.on_log(line.decode().rstrip("\r"))
        else:
            self.stats.crc_errors += 1
            self.stats.resyncs += 1


class Link:
    """Request/response exchange with the firmware over any byte port.

    `port` needs read(n) honouring its `timeout` attribute, write(bytes), and close(); pyserial
    ports (serial_for_url: /dev/tty*, socket://, rfc2217://, loop://) qualify, and so does
    tinygen.device.simulators.host.PipePort.
    """

    def __init__(self, port, *, timeout: float = 5.0, retries: int = 3, on_log=None):
        self.port = port
        self.timeout = timeout
        self.retries = retries
        self.stats = LinkStats()
        self.reader = FrameReader(self.stats, on_log)
        self.pending: list[Frame] = []
        self.seq = 0
        self.hello_info: Hello | None = None
        self.chunk = CHUNK
        self.log: list[str] = []
        if on_log is None:
            self.reader.on_log = self.log.append

    # -- frames -------------------------------------------------------------------------
    def _next_seq(self) -> int:
        self.seq = self.seq % 255 + 1
        return self.seq

    def _read_frame(self, deadline: float) -> Frame | None:
        while not self.pending:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            self.port.timeout = min(left, 0.05)
            try:
                data = self.port.read(4096)
            except Exception as exc:  # a port that disappears
                raise LinkError(f"serial port failed: {exc}") from None
            if data:
                self.pending.extend(self.reader.feed(data))
        return self.pending.pop(0)

    def send(self, kind: str, payload: bytes = b"", seq: int | None = None) -> int:
        seq = self._next_seq() if seq is None else seq
        try:
            self.port.write(encode_frame(kind, seq, payload))
        except Exception as exc:
            raise LinkError(f"serial port failed: {exc}") from None
        return seq

    def request(self, kind: str, payload: bytes, expect: str, timeout: float | None = None,
                retries: int | None = None) -> Frame:
        attempts = 1 + (self.retries if retries is None else retries)
        timeout = self.timeout if timeout is None else timeout
        for attempt in range(attempts):
            if attempt:
                self.stats.retries += 1
            seq = self.send(kind, payload)
            deadline = time.monotonic() + timeout
            while True:
                f = self._read_frame(deadline)
                if f is None:
                    self.stats.timeouts += 1
                    break
                if f.kind == "L":
                    self.reader.on_log(f.payload.decode("utf-8", "replace"))
                    continue
                if f.kind == "H" and f.seq == 0:
                    self.stats.resets += 1
                    self.hello_info = Hello.parse(f.payload)
                    raise DeviceReset()
                if f.kind == "E" and f.seq == 0:  # unsolicited: the device faulted or cannot run the model
                    self._unsolicited(f)
                if f.seq != seq:
                    continue  # a late reply to an earlier request
                if f.kind == "E":
                    code = f.payload[0] if f.payload else 0
                    text = f.payload[1:].decode("utf-8", "replace")
                    raise (InferenceFailed if code == ERR_INFERENCE else LinkError)(f"device error {code}: {text}")
                if f.kind == expect:
                    return f
        raise LinkTimeout(f"no reply to '{kind}' after {attempts} attempt(s) of {timeout:.1f} s "
                        f"(device silent or link broken)")

    # -- operations ---------------------------------------------------------------------
    def hello(self, timeout: float | None = None) -> Hello:
        """Waits for the boot hello (or asks for one)."""
        deadline = time.monotonic() + (timeout or self.timeout)
        f = self._read_frame(min(deadline, time.monotonic() + 0.5))
        while f is not None and f.kind != "H":
            self._unsolicited(f)
            f = self._read_frame(min(deadline, time.monotonic() + 0.5))
        if f is None:
            left = max(0.5, deadline - time.monotonic())
            try:
                f = self.request("h", b"", "H", timeout=left / (1 + self.retries))
            except DeviceReset:
                return self.hello_info  # type: ignore[return-value]
        self.hello_info = Hello.parse(f.payload)
        if self.hello_info.protocol_version != PROTOCOL_VERSION:
            raise LinkError(f"device speaks protocol {self.hello_info.protocol_version}, "
                            f"tinygen {PROTOCOL_VERSION}: rebuild the firmware")
        return self.hello_info

    def _unsolicited(self, f: Frame) -> None:
        """Frames nobody asked for: logs are kept; an error (sequence 0) means the device will not run."""
        if f.kind == "L":
            self.reader.on_log(f.payload.decode("utf-8", "replace"))
        elif f.kind == "E":
            code = f.payload[0] if f.payload else 0
            raise LinkError(f"device error {code}: {f.payload[1:].decode('utf-8', 'replace')}")

    def _chunked(self, total: int, exchange) -> None:
        """Moves `total` bytes in chunks; a lost or damaged chunk is retried, and each failure halves
        the chunk size (down to MIN_CHUNK) since on a noisy line short frames survive more often."""
        off, failures, streak = 0, 0, 0
        while off < total:
            n = min(self.chunk, total - off)
            try:
                exchange(off, n)
            except LinkTimeout as exc:
                failures += 1
                streak = 0
                if failures > self.retries + 6:
                    raise LinkTimeout(f"{str(exc).split(' after ')[0]} after {failures} attempts, with frames down "
                                      f"to {self.chunk} bytes (device silent or link broken)") from None
                self.stats.retries += 1
                self.chunk = max(MIN_CHUNK, self.chunk // 2)
                continue
            off += n
            failures = 0
            streak += 1
            if streak % 8 == 0:  # the line got better: try longer frames again
                self.chunk = min(CHUNK, self.chunk * 2)

    def write_input(self, data: bytes) -> None:
        def send(off: int, n: int) -> None:
            f = self.request("i", struct.pack("<I", off) + data[off:off + n], "A", retries=0)
            got_off, got_len = struct.unpack("<II", f.payload[:8])
            if (got_off, got_len) != (off, n):
                raise LinkError(f"input ack for {got_off}+{got_len}, expected {off}+{n}")

        self._chunked(len(data), send)

    def reset_state(self) -> None:
        """Puts the model's state (variable tensors) back to its initial value, as TFLM's Reset()
        does; the device keeps it between inferences otherwise. Idempotent, so retried freely."""
        try:
            self.request("z", b"", "Z")
        except DeviceReset:
            pass  # it restarted: a boot resets the state too

    def run(self, tag: int, timeout: float, again: bool = False) -> tuple[int, int, int, int]:
        """(elapsed, output length, input CRC-32, output CRC-32). Retried on a timeout: the device
        answers a repeated tag with the result it already has, without invoking again (a model with
        state advances once per inference); `again` makes it invoke anyway (the input was resent)."""
        payload = struct.pack("<IB", tag, RUN_AGAIN if again else 0)
        f = self.request("r", payload, "R", timeout=timeout, retries=1)
        if len(f.payload) < 32:
            raise LinkError(f"result frame of {len(f.payload)} bytes (protocol {PROTOCOL_VERSION} sends 32)")
        got_tag, lo, hi, out_len, in_crc, out_crc = struct.unpack("<IIIIII", f.payload[:24])
        if got_tag != tag:
            raise LinkError(f"result for inference {got_tag}, expected {tag}")
        return (hi << 32) | lo, out_len, in_crc, out_crc

    def read_output(self, total: int) -> bytes:
        out = bytearray()

        def fetch(off: int, n: int) -> None:
            f = self.request("o", struct.pack("<IH", off, n), "O", retries=0)
            got_off = struct.unpack("<I", f.payload[:4])[0]
            if got_off != off or len(f.payload) - 4 != n:
                raise LinkError(f"output chunk {got_off}+{len(f.payload) - 4}, expected {off}+{n}")
            out.extend(f.payload[4:])

        self._chunked(total, fetch)
        return bytes(out)

    def infer(self, data: bytes, tag: int, run_timeout: float, attempts: int = 3,
              stateful: bool = False) -> tuple[bytes, int]:
        """Sends one input, runs it, reads the output. The device reports CRC-32s of the input it
        ran and of its output; a mismatch (damage that slipped past a frame CRC) or a device reset
        starts the inference again, so a result is either intact or an error, never wrong. For a
        model that keeps state (`stateful`) the inference cannot be run again, since the damaged one
        already moved the state on (and a reset lost it): that is an error, not a retry."""
        want_in = zlib.crc32(data)
        again = False
        for attempt in range(attempts):
            if attempt:
                self.stats.retries += 1
            try:
                self.write_input(data)
                elapsed, out_len, in_crc, out_crc = self.run(tag, run_timeout, again)
                if in_crc != want_in:
                    self.stats.crc_errors += 1
                    if stateful:
                        raise LinkError(f"inference {tag}: the device ran a damaged input, and the model keeps "
                                        f"state between inferences, so the state is now wrong: run again")
                    again = True
                    continue
                for _ in range(attempts):
                    out = self.read_output(out_len)
                    if zlib.crc32(out) == out_crc:
                        return out, elapsed
                    self.stats.crc_errors += 1
                    self.stats.retries += 1
            except DeviceReset:
                if stateful and tag > 0:  # (before the first inference the reboot's state is the reset one)
                    raise LinkError(f"inference {tag}: the device restarted and lost the state the model keeps "
                                    f"between inferences: run again") from None
                continue
        raise LinkError(f"inference {tag}: no intact result after {attempts} attempts")
