"""UF2 files: structure (magic words, family id, flash addresses, every block present) of synthetic
images, and of a real pico firmware built from KWS (slow)."""

import struct
from pathlib import Path

import pytest

from tinygen.build.uf2 import FAMILIES, MAGIC_END, MAGIC_START0, MAGIC_START1, elf_image, uf2_bytes

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "models"


def blocks(data: bytes) -> list[tuple]:
    assert len(data) % 512 == 0
    out = []
    for off in range(0, len(data), 512):
        m0, m1, flags, addr, size, n, count, family = struct.unpack_from("<8I", data, off)
        end, = struct.unpack_from("<I", data, off + 508)
        assert (m0, m1, end) == (MAGIC_START0, MAGIC_START1, MAGIC_END)
        assert flags & 0x2000
        out.append((addr, size, n, count, family, data[off + 32:off + 32 + size]))
    return out


def check_structure(data: bytes, image: bytes, base: int, family: int, flash_size: int) -> None:
    bl = blocks(data)
    assert len(bl) == (len(image) + 255) // 256
    assert [b[2] for b in bl] == list(range(len(bl)))  # every block, in order
    assert all(b[3] == len(bl) and b[4] == family and b[1] == 256 for b in bl)
    assert all(base <= b[0] and b[0] + 256 <= base + flash_size and b[0] % 256 == 0 for b in bl)
    assert [b[0] for b in bl] == [base + 256 * i for i in range(len(bl))]
    assert b"".join(b[5] for b in bl)[:len(image)] == image


def test_synthetic_image():
    image = bytes(range(256)) * 3 + b"\x01\x02\x03"
    data = uf2_bytes(image, 0x10000000, FAMILIES["rp2040"])
    check_structure(data, image, 0x10000000, 0xE48BFF56, 0x200000)
    assert len(data) == 4 * 512


def test_unaligned_base_is_refused():
    from tinygen.errors import BuildError

    with pytest.raises(BuildError, match="aligned"):
        uf2_bytes(b"x", 0x10000004, 0xE48BFF56)


@pytest.mark.slow
def test_pico_firmware_uf2(tmp_path):
    from tinygen.build.firmware import build_project
    from tinygen.codegen.project import generate_project

    gen = generate_project(SHARED / "kws_ref_model.tflite", "pico", tmp_path / "fw")
    res = build_project(tmp_path / "fw", meta=gen.meta)
    uf2 = Path(res.elf).with_suffix(".uf2")
    base, image = elf_image(Path(res.elf).read_bytes())
    assert base == 0x10000000
    data = uf2.read_bytes()
    check_structure(data, image, base, FAMILIES["rp2040"], 0x200000)
    # the second stage carries the boot ROM's CRC-32/MPEG-2 of its first 252 bytes
    import importlib.util

    spec = importlib.util.spec_from_file_location("ck", tmp_path / "fw" / "board" / "boot2_checksum.py")
    ck = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ck)
    assert int.from_bytes(image[252:256], "little") == ck.crc32_mpeg2(image[:252])
    assert ck.crc32_mpeg2(b"123456789") == 0x0376E6E7  # the CRC's check value
    # the vector table follows at 0x10000100: its reset vector is in flash
    sp, reset = struct.unpack_from("<II", image, 256)
    assert 0x20000000 < sp <= 0x20042000 and 0x10000100 < reset < 0x10000000 + len(image)
