import os
import struct

import pytest
import serial

from tinygen.device.link import (
    FrameReader,
    Hello,
    Link,
    LinkStats,
    cobs_decode,
    cobs_encode,
    crc16,
    encode_frame,
)


@pytest.mark.parametrize("n", [0, 1, 2, 253, 254, 255, 300, 600])
def test_cobs_roundtrip(n):
    for data in (bytes(n), os.urandom(n), b"\x01" * n):
        enc = cobs_encode(data)
        assert 0 not in enc
        assert cobs_decode(enc) == data


def test_crc16_ccitt_false_check_value():
    assert crc16(b"123456789") == 0x29B1


def test_reader_skips_garbage_and_keeps_text():
    logs = []
    stats = LinkStats()
    r = FrameReader(stats, logs.append)
    stream = b"boot text\n" + encode_frame("A", 3, b"xy") + b"\xff\xfe\x00" + encode_frame("R", 4, b"\x00" * 5)
    frames = r.feed(stream[:7]) + r.feed(stream[7:])
    assert [(f.kind, f.seq, f.payload) for f in frames] == [("A", 3, b"xy"), ("R", 4, b"\x00" * 5)]
    assert logs == ["boot text"]
    assert stats.crc_errors == 1


def test_reader_rejects_a_flipped_bit():
    stats = LinkStats()
    frame = bytearray(encode_frame("O", 9, b"payload"))
    frame[4] ^= 0x10
    assert FrameReader(stats).feed(bytes(frame)) == []
    assert stats.crc_errors == 1


def test_hello_parse():
    p = bytes([1, 0, 0, 0]) + struct.pack("<IIII", 25_000_000, 640, 640, 768) + bytes(range(32))
    p += b"tinygen 0.1.0\x00mps2-an386\x00tinygen\x00"
    h = Hello.parse(p)
    assert (h.timer_unit, h.clock_hz, h.input_bytes, h.board) == ("instructions", 25_000_000, 640, "mps2-an386")
    assert h.model_sha256 == bytes(range(32)).hex()


def test_silent_device_times_out_with_clear_error():
    port = serial.serial_for_url("loop://", timeout=0.05)
    link = Link(port, timeout=0.2, retries=1)
    # loop:// echoes our own request back; it is not a reply with the right type, so we time out
    with pytest.raises(Exception, match="no reply to 'i' after 8 attempts"):
        link.write_input(b"abc")
    assert link.stats.timeouts == 8 and link.stats.retries == 7
