"""Broadcast geometry for element-wise binary kernels: 6-D output dims and per-input strides.

>>> broadcast_strides((2, 1, 3), (1, 4, 1))
([1, 1, 1, 2, 4, 3], [0, 0, 0, 3, 0, 1], [0, 0, 0, 0, 1, 0])
"""

from __future__ import annotations

import numpy as np


def broadcast_shape(a, b) -> tuple[int, ...]:
    return tuple(np.broadcast_shapes(tuple(a), tuple(b)))


def broadcast_strides(a, b, rank: int = 6):
    out = broadcast_shape(a, b)
    out6 = [1] * (rank - len(out)) + list(out)

    def strides(shape):
        s = [1] * (rank - len(shape)) + list(shape)
        st, acc = [0] * rank, 1
        for i in range(rank - 1, -1, -1):
            st[i] = 0 if s[i] == 1 else acc  # a size-1 dimension never advances
            acc *= s[i]
        return st

    return out6, strides(a), strides(b)
