"""Calibration and evaluation data: .npy, .npz (x, optional y) or a folder of them."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..errors import InputError


def load_arrays(path: str | Path) -> tuple[np.ndarray, np.ndarray | None]:
    """(x, y or None). A folder concatenates its .npy/.npz files in name order."""
    p = Path(path)
    if p.is_dir():
        files = sorted(f for f in p.iterdir() if f.suffix in (".npy", ".npz"))
        if not files:
            raise InputError(f"{path}: no .npy or .npz files in this folder")
        parts = [load_arrays(f) for f in files]
        x = np.concatenate([a for a, _ in parts])
        ys = [b for _, b in parts]
        y = np.concatenate(ys) if all(b is not None for b in ys) else None
        return x, y
    if not p.is_file():
        raise InputError(f"{path}: no such file")
    try:
        data = np.load(p, allow_pickle=False)
    except Exception as exc:
        raise InputError(f"{path}: not a NumPy .npy/.npz file ({type(exc).__name__})") from None
    if isinstance(data, np.lib.npyio.NpzFile):
        if "x" not in data:
            raise InputError(f"{path}: an .npz needs an array named x (and optionally labels y); has "
                             f"{', '.join(data.keys()) or 'nothing'}")
        return data["x"], (data["y"] if "y" in data else None)
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
