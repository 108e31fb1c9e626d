"""Board pico2 (RP2350): the firmware builds with -Werror; its UF2 is the RP2350-E10 block then every
block of the image (family rp2350-arm-s, addresses in the 4 MB flash); the IMAGE_DEF block the boot
ROM needs is found, by a parser written here from the datasheet's block format, in the first 4 kB;
the vector table it implies (the start of the image) points into SRAM and flash. No simulator models
the RP2350: the core's kernels run on mps2-an505 (tests/device/test_mps2_an505.py)."""

import struct
from pathlib import Path

import pytest

from tinygen.boards.registry import load_board
from tinygen.build.uf2 import (ABSOLUTE_FAMILY, MAGIC_END, MAGIC_START0, MAGIC_START1, TAG_RP2_IGNORE_BLOCK,
                               abs_block, elf_image)

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "models"
FLASH, FLASH_SIZE, SRAM, SRAM_SIZE = 0x10000000, 0x400000, 0x20000000, 0x82000
RP2350_ARM_S = 0xE48BFF59
START, END = 0xFFFFDED3, 0xAB123579


def parse_blocks(image: bytes, limit: int = 4096) -> list[dict]:
    """Every well-formed block (start marker, items up to LAST whose size is the items' total, end
    marker) whose start marker lies in the first `limit` bytes, word aligned."""
    found = []
    for off in range(0, min(limit, len(image) - 4), 4):
        if struct.unpack_from("<I", image, off)[0] != START:
            continue
        items, pos = [], off + 4
        while pos + 4 <= len(image):
            head = image[pos]
            if head & 0x7F == 0x7F:  # LAST: a two-byte size in words of all items before it
                size, = struct.unpack_from("<H", image, pos + 1)
                break
            size_words = image[pos + 1] if not head & 0x80 else struct.unpack_from("<H", image, pos + 1)[0]
            items.append((head, image[pos:pos + 4 * size_words]))
            pos += 4 * size_words
        else:
            continue
        if size != sum(len(body) for _, body in items) // 4:
            continue
        link, end = struct.unpack_from("<iI", image, pos + 4)
        if end == END:
            found.append({"offset": off, "items": items, "link": link})
    return found


def image_type(block: dict) -> dict | None:
    for head, body in block["items"]:
        if head == 0x42:  # IMAGE_TYPE, one-byte size
            flags, = struct.unpack_from("<H", body, 2)
            return {"type": flags & 0xF, "security": (flags >> 4) & 3, "cpu": (flags >> 8) & 7,
                    "chip": (flags >> 12) & 7, "tbyb": flags >> 15}
    return None


def test_board_and_abs_block():
    board = load_board("pico2")
    assert board.chip == "rp2350" and board.image_def and not board.boot2 and not board.simulator
    assert board.uf2_family == RP2350_ARM_S and board.core == "cortex-m33" and board.clock_hz == 150_000_000
    blk = abs_block(0x10FFFF00)
    assert len(blk) == 512
    m0, m1, flags, addr, size, n, count, family = struct.unpack_from("<8I", blk)
    assert (m0, m1, struct.unpack_from("<I", blk, 508)[0]) == (MAGIC_START0, MAGIC_START1, MAGIC_END)
    assert (flags, addr, size, n, count, family) == (0xA000, 0x10FFFF00, 256, 0, 2, ABSOLUTE_FAMILY)
    assert blk[32:288] == b"\xef" * 256 and struct.unpack_from("<I", blk, 288)[0] == TAG_RP2_IGNORE_BLOCK


def test_parser_finds_the_minimum_image_def_and_refuses_damage():
    minimum = struct.pack("<5I", START, 0x10210142, 0x000001FF, 0, END)
    image = b"\0" * 64 + minimum
    blocks = parse_blocks(image)
    assert [b["offset"] for b in blocks] == [64] and blocks[0]["link"] == 0
    assert image_type(blocks[0]) == {"type": 1, "security": 2, "cpu": 0, "chip": 1, "tbyb": 0}
    assert parse_blocks(image[:-4] + b"\0\0\0\0") == []  # no end marker
    assert parse_blocks(b"\0" * 64 + struct.pack("<5I", START, 0x10210142, 0x000002FF, 0, END)) == []  # size
    assert parse_blocks(b"\0" * 4096 + minimum) == []  # beyond the first 4 kB


@pytest.mark.slow
def test_pico2_firmware_builds_with_image_def_and_uf2(tmp_path):
    from tinygen.build.firmware import build_project
    from tinygen.codegen.project import generate_project

    gen = generate_project(SHARED / "kws_ref_model.tflite", "pico2", tmp_path / "fw")
    res = build_project(tmp_path / "fw", extra_cflags="-Werror", meta=gen.meta)
    base, image = elf_image(Path(res.elf).read_bytes())
    assert base == FLASH and len(image) < FLASH_SIZE

    blocks = parse_blocks(image)
    assert len(blocks) == 1 and blocks[0]["link"] == 0  # one block, its loop closed on itself
    assert image_type(blocks[0]) == {"type": 1, "security": 2, "cpu": 0, "chip": 1, "tbyb": 0}  # EXE, S, Arm, RP2350
    sp, reset = struct.unpack_from("<II", image, 0)  # the vector table at the start of the image
    assert SRAM < sp <= SRAM + SRAM_SIZE and sp % 8 == 0
    assert reset & 1 and FLASH + blocks[0]["offset"] < reset < FLASH + len(image)

    data = Path(res.elf).with_suffix(".uf2").read_bytes()
    assert len(data) % 512 == 0
    heads = [struct.unpack_from("<8I", data, off) + struct.unpack_from("<I", data, off + 508)
             for off in range(0, len(data), 512)]
    assert all((h[0], h[1], h[8]) == (MAGIC_START0, MAGIC_START1, MAGIC_END) for h in heads)
    assert data[:512] == abs_block(0x10FFFF00)  # RP2350-E10 first
    body = heads[1:]
    count = (len(image) + 255) // 256
    assert [h[5] for h in body] == list(range(count))  # every block of the image, in order
    assert all(h[2] == 0x2000 and h[4] == 256 and h[6] == count and h[7] == RP2350_ARM_S for h in body)
    assert [h[3] for h in body] == [FLASH + 256 * i for i in range(count)]
    assert all(FLASH <= h[3] and h[3] + 256 <= FLASH + FLASH_SIZE for h in body)
    payload = b"".join(data[off + 32:off + 288] for off in range(512, len(data), 512))
    assert payload[:len(image)] == image

    readme = (tmp_path / "fw" / "README.md").read_text()
    assert "No simulator here models the RP2350" in readme and "mps2-an505" in readme
    assert "0xe48bff59" in readme
