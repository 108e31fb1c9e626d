"""Weight layouts the optimized kernels read (see tg_dot_rows_s8 in tg_fully_connected.h).

>>> import numpy as np
>>> w = np.arange(4 * 6).reshape(4, 6)
>>> pack_rows_s8(w).tolist()[:20]
[0, 1, 2, 3, 6, 7, 8, 9, 12, 13, 14, 15, 18, 19, 20, 21, 4, 10, 16, 22]
"""

from __future__ import annotations

import numpy as np


def pack_rows_s8(w: np.ndarray) -> np.ndarray:
    """[rows, depth] -> flat: blocks of four rows interleaved by groups of four bytes; the depth%4
    tail of a block row-interleaved after it; the last rows%4 rows plain. Any block of 4 rows
    starting at a multiple of 4 occupies exactly rows*depth bytes, so row r starts at r*depth."""
    rows, depth = w.shape
    full = rows // 4 * 4
    d4 = depth // 4 * 4
    parts = []
    for r in range(0, full, 4):
        block = w[r:r + 4]
        head = block[:, :d4].reshape(4, d4 // 4, 4).transpose(1, 0, 2).reshape(-1)
        tail = block[:, d4:].T.reshape(-1)
        parts += [head, tail]
    parts.append(w[full:].reshape(-1))
    return np.concatenate(parts).astype(w.dtype) if parts else w.reshape(-1)


def pack_rows_wide(w: np.ndarray) -> np.ndarray:
    """[rows, depth] int8 -> uint32 words of the wide layout (see firmware/runtime/include/tg_dot.h).

    >>> w = np.arange(1, 1 + 4 * 5).reshape(4, 5).astype(np.int8)
    >>> [hex(v) for v in pack_rows_wide(w)[:2]]
    ['0x30001', '0x40002']
    >>> len(pack_rows_wide(w)) == 2 * 4 + 1
    True
    """
    rows, depth = w.shape
    d4 = depth // 4 * 4
    w16 = w.astype(np.int16).astype(np.uint16).astype(np.uint32)

    def groups(block):  # [n, d4] -> per row per group the two words
        g = block[:, :d4].reshape(block.shape[0], d4 // 4, 4)
        even = g[..., 0] | (g[..., 2] << 16)
        odd = g[..., 1] | (g[..., 3] << 16)
        return np.stack([even, odd], axis=-1)  # [n, groups, 2]

    def tail_words(tail_bytes: np.ndarray) -> np.ndarray:
        b = np.concatenate([tail_bytes.astype(np.int8), np.zeros(-len(tail_bytes) % 4, np.int8)])
        return b.view("<u4").astype(np.uint32)

    parts = []
    full = rows // 4 * 4
    for r in range(0, full, 4):
        parts.append(groups(w16[r:r + 4]).transpose(1, 0, 2).reshape(-1))
        parts.append(tail_words(w[r:r + 4, d4:].T.reshape(-1)))
    for r in range(full, rows):
        parts.append(groups(w16[r:r + 1]).reshape(-1))
        parts.append(tail_words(w[r, d4:]))
    return np.concatenate(parts).astype(np.uint32) if parts else np.zeros(0, np.uint32)
