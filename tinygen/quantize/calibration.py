"""Calibration and evaluation data: .npy, .npz (x, optional y) or a folder of them."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..errors import InputError
from ..model.inputs import read_numpy
from ..model.validate import printable


def load_arrays(path: str | Path) -> tuple[np.ndarray, np.ndarray | None]:
    """(x, y or None). A folder concatenates its .npy/.npz files in name order."""
    p = Path(path)
    if p.is_dir():
        files = sorted(f for f in p.iterdir() if f.suffix in (".npy", ".npz"))
        if not files:
            raise InputError(f"{path}: no .npy or .npz files in this folder")
        parts = [load_arrays(f) for f in files]
        shapes = {a.shape[1:] for a, _ in parts}
        if len(shapes) > 1:
            raise InputError(f"{path}: the files hold samples of different shapes "
                             f"({', '.join(str(list(s)) for s in sorted(shapes)[:4])})")
        x = np.concatenate([a for a, _ in parts])
        ys = [b for _, b in parts]
        if all(b is not None for b in ys) and len({b.shape[1:] for b in ys}) > 1:
            raise InputError(f"{path}: the files hold labels of different shapes")
        y = np.concatenate(ys) if all(b is not None for b in ys) else None
        return x, y
    data = read_numpy(p)
    if isinstance(data, dict):
        if "x" not in data:
            raise InputError(f"{path}: an .npz needs an array named x (and optionally labels y); has "
                             f"{printable(', '.join(data), 80) or 'nothing'}")
        x, y = data["x"], data.get("y")
        if y is not None and len(y) != len(x):
            raise InputError(f"{path}: {len(x)} samples x but {len(y)} labels y")
        return x, y
    return data, None


def load_calibration(path: str | Path, samples: int | None = None, warn=None) -> np.ndarray:
    x, _ = load_arrays(path)
    if samples is not None:
        if samples < 1:
            raise InputError(f"--calibration-samples must be positive, not {samples}")
        x = x[:samples]
    if len(x) and len(x) < 100 and warn:
        warn(f"warning: {path}: only {len(x)} calibration samples; about 100 or more give steadier int8 ranges")
    return x
