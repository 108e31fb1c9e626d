"""ELF or flat image -> UF2 (the format a Pico's BOOTSEL drive and picotool take): 512-byte blocks,
each carrying 256 bytes of flash at its address, with the chip's family id.

RP2350-E10 (RP2350 datasheet errata: UF2 drag and drop does not work with partition tables): the boot
ROM picks where a UF2 goes from its first block's family. A first block of the "absolute" family, tagged
to be ignored, makes the ROM write the image where its addresses say whatever partitions the flash
holds; the ROM never writes that block itself. picotool adds the same block for RP2350 flash images."""

from __future__ import annotations

import struct
from pathlib import Path

from ..errors import BuildError

MAGIC_START0, MAGIC_START1, MAGIC_END = 0x0A324655, 0x9E5D5157, 0x0AB16F30
FLAG_FAMILY_ID = 0x00002000
FLAG_EXTENSION_TAGS = 0x00008000
ABSOLUTE_FAMILY = 0xE48BFF57
# extension tag after the payload: size 4, type 0x9957e3 (RP2 "ignore this block")
TAG_RP2_IGNORE_BLOCK = 0x9957E304
ABS_FILL = 0xEF
PAYLOAD = 256
FAMILIES = {"rp2040": 0xE48BFF56, "rp2350-arm-s": 0xE48BFF59}


def elf_image(elf: bytes) -> tuple[int, bytes]:
    """The loadable bytes of a little-endian ELF32 as one image from its lowest load address (gaps
    filled with 0xFF, as erased flash reads)."""
    if elf[:4] != b"\x7fELF" or elf[4] != 1 or elf[5] != 1:
        raise BuildError("not a little-endian 32-bit ELF file")
    phoff, = struct.unpack_from("<I", elf, 28)
    phentsize, phnum = struct.unpack_from("<HH", elf, 42)
    parts = []
    for i in range(phnum):
        p_type, p_offset, _vaddr, p_paddr, p_filesz = struct.unpack_from("<IIIII", elf, phoff + i * phentsize)
        if p_type == 1 and p_filesz:  # PT_LOAD with bytes in the file: at its load (physical) address
            parts.append((p_paddr, elf[p_offset:p_offset + p_filesz]))
    if not parts:
        raise BuildError("the ELF file has no loadable bytes")
    base = min(a for a, _ in parts)
    image = bytearray(b"\xff" * (max(a + len(d) for a, d in parts) - base))
    for addr, data in parts:
        image[addr - base:addr - base + len(data)] = data
    return base, bytes(image)


def abs_block(address: int) -> bytes:
    """The RP2350-E10 workaround block: family absolute, block 0 of 2, payload 0xEF, tagged ignore."""
    head = struct.pack("<8I", MAGIC_START0, MAGIC_START1, FLAG_FAMILY_ID | FLAG_EXTENSION_TAGS, address, PAYLOAD,
                       0, 2, ABSOLUTE_FAMILY)
    data = bytes([ABS_FILL]) * PAYLOAD + struct.pack("<I", TAG_RP2_IGNORE_BLOCK)
    return head + data.ljust(476, b"\0") + struct.pack("<I", MAGIC_END)


def uf2_bytes(image: bytes, base: int, family: int, abs_block_at: int | None = None) -> bytes:
    """UF2 blocks for `image` at flash address `base` (256-byte aligned), every block present; first
    the RP2350-E10 block when `abs_block_at` is given (it is not counted among the image's blocks)."""
    if base % PAYLOAD:
        raise BuildError(f"UF2: image address 0x{base:08x} is not 256-byte aligned")
    count = (len(image) + PAYLOAD - 1) // PAYLOAD
    out = bytearray(abs_block(abs_block_at) if abs_block_at is not None else b"")
    for n in range(count):
        chunk = image[n * PAYLOAD:(n + 1) * PAYLOAD].ljust(PAYLOAD, b"\0")
        out += struct.pack("<8I", MAGIC_START0, MAGIC_START1, FLAG_FAMILY_ID, base + n * PAYLOAD, PAYLOAD, n,
                           count, family)
        out += chunk.ljust(476, b"\0") + struct.pack("<I", MAGIC_END)
    return bytes(out)


def elf_to_uf2(elf_path: str | Path, family: int, abs_block_at: int | None = None) -> bytes:
    base, image = elf_image(Path(elf_path).read_bytes())
    return uf2_bytes(image, base, family, abs_block_at)
