"""Writes the RP2040 boot ROM's check word into a second-stage bootloader: bytes 252..255 of the
256-byte block become the CRC-32/MPEG-2 (poly 0x04C11DB7, init 0xFFFFFFFF, not reflected, no final
xor) of bytes 0..251, little endian. Usage: python3 boot2_checksum.py boot2.bin boot2_crc.bin"""
import sys


def crc32_mpeg2(data: bytes) -> int:
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte << 24
        for _ in range(8):
            crc = ((crc << 1) ^ 0x04C11DB7) if crc & 0x80000000 else (crc << 1)
            crc &= 0xFFFFFFFF
    return crc


def main(src: str, dst: str) -> int:
    code = open(src, "rb").read()
    if len(code) > 252:
        print(f"error: {src}: the second-stage bootloader is {len(code)} bytes, more than 252", file=sys.stderr)
        return 1
    code = code.ljust(252, b"\0")
    with open(dst, "wb") as f:
        f.write(code + crc32_mpeg2(code).to_bytes(4, "little"))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
