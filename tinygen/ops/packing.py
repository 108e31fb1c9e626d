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
