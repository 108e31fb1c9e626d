"""C literal helpers: identifiers, integer arrays, byte arrays.

>>> c_identifier("conv2d/Relu;1")
'conv2d_Relu_1'
>>> c_int_list([1, -2, 3])
'1, -2, 3'
>>> c_int(-2147483648)
'(-2147483647 - 1)'
"""

from __future__ import annotations

import re

import numpy as np


def c_identifier(name: str) -> str:
    s = re.sub(r"[^A-Za-z0-9_]", "_", name)
    if not s or s[0].isdigit():
        s = "_" + s
    return s


def c_int(v: int) -> str:
    v = int(v)
    if v == -(1 << 31):
        return "(-2147483647 - 1)"  # INT32_MIN cannot be written as a literal
    return str(v)


def c_number(v) -> str:
    """An int, or a float32 written so that it reads back bit for bit.

    >>> c_number(0.1)
    '0.100000001f'
    >>> c_number(1.0)
    '1.0f'
    """
    if isinstance(v, (float, np.floating)):
        text = format(np.float32(v), ".9g")
        return text + (".0f" if text.lstrip("-").isdigit() else "f")  # "1f" is not C
    return c_int(v)


def c_int_list(values, per_line: int = 0, indent: str = "    ") -> str:
    arr = np.asarray(values).reshape(-1)
    items = [c_int(v) for v in arr.tolist()]
    if not per_line:
        return ", ".join(items)
    lines = [", ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
    return (",\n" + indent).join(lines)


def c_string(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def c_byte_array(data: bytes, per_line: int = 16, indent: str = "    ") -> str:
    arr = np.frombuffer(data, dtype=np.uint8)
    hexes = [f"0x{b:02x}" for b in arr.tolist()]
    lines = [", ".join(hexes[i:i + per_line]) for i in range(0, len(hexes), per_line)]
    return indent + (",\n" + indent).join(lines)
