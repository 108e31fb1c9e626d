"""Input tensors for runs: loaded from .npy/.npz and checked against the model, or made up
deterministically (the MLPerf Tiny benchmark pattern among them)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..errors import InputError
from .validate import printable


def benchmark_pattern(shape, dtype: str = "int8") -> np.ndarray:
    """Input byte i = (int8)((i*7) % 256 - 128), as the TFLM baselines use."""
    n = int(np.prod(shape))
    return (((np.arange(n, dtype=np.int64) * 7) % 256) - 128).astype(dtype).reshape(shape)


def default_inputs(specs: list[dict], count: int = 4) -> list[list[np.ndarray]]:
    """The benchmark pattern, then seeded random tensors, then all zero points. Float inputs get the
    same, mapped onto the int8 grid the model quantizes them to; the random ones fall between grid
    points and a little beyond its ends, so rounding and clamping are exercised too."""
    runs = [[_pattern(s) for s in specs]]
    for seed in range(1, count - 1):
        rng = np.random.default_rng(seed)
        runs.append([_random(s, rng) for s in specs])
    if count > 2:
        runs.append([np.full(s["shape"], s["zero_point"][0] if s["zero_point"] else 0, dtype=s["dtype"])
                     for s in specs])
    return runs[:count]


def _grid(spec: dict) -> tuple[float, int]:
    g = spec.get("quantized_as") or {"scale": 1 / 32, "zero_point": 0}
    return g["scale"], g["zero_point"]


def _pattern(spec: dict) -> np.ndarray:
    if spec["dtype"] != "float32":
        return benchmark_pattern(spec["shape"], spec["dtype"])
    scale, zp = _grid(spec)
    return ((benchmark_pattern(spec["shape"], "int64") - zp) * scale).astype(np.float32)


def _random(spec: dict, rng) -> np.ndarray:
    if spec["dtype"] == "int16":  # int16 activations: the whole range, saturation included
        return rng.integers(-32768, 32768, size=spec["shape"]).astype(np.int16)
    if spec["dtype"] != "float32":
        return rng.integers(-128, 128, size=spec["shape"]).astype(spec["dtype"])
    scale, zp = _grid(spec)
    return rng.uniform((-131 - zp) * scale, (130 - zp) * scale, size=spec["shape"]).astype(np.float32)


def load_inputs(path: str | Path, specs: list[dict]) -> list[list[np.ndarray]]:
    """An .npy whose first axis counts inferences (single-input models), or an .npz with one
    array per model input (keys x, or input_0, input_1, ... in model order)."""
    data = read_numpy(path)
    if isinstance(data, dict):
        keys = list(data)
        if len(specs) == 1 and "x" in keys:
            arrays = [data["x"]]
        else:
            names = [f"input_{i}" for i in range(len(specs))]
            missing = [n for n in names if n not in keys]
            if missing:
                has = printable(", ".join(keys), 80) or "nothing"
                raise InputError(f"{path}: needs arrays {', '.join(names)[:80]} (or x for one input); has {has}")
            arrays = [data[n] for n in names]
    else:
        if len(specs) != 1:
            raise InputError(f"{path}: the model has {len(specs)} inputs; give an .npz with input_0 ... input_{len(specs) - 1}")
        arrays = [data]
    per_input = [check_array(path, a, s) for a, s in zip(arrays, specs)]
    counts = {len(a) for a in per_input}
    if len(counts) != 1:
        raise InputError(f"{path}: the input arrays count different numbers of inferences: {sorted(counts)}")
    n = counts.pop()
    if n == 0:
        raise InputError(f"{path}: holds no inferences (first axis is 0)")
    return [[a[i] for a in per_input] for i in range(n)]


def read_numpy(path: str | Path):
    """An .npy as an array or an .npz as a dict of arrays, read whole now (an .npz is read lazily,
    so a damaged member would otherwise fail later, far from here); only plain numeric arrays."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{path}: no such file")
    try:
        data = np.load(p, allow_pickle=False)
        if isinstance(data, np.lib.npyio.NpzFile):
            with data:
                arrays = {k: data[k] for k in data.keys()}
        else:
            arrays = data
    except Exception as exc:  # damaged zip, header or data; pickled objects (refused)
        raise InputError(f"{path}: not a readable NumPy .npy/.npz file ({type(exc).__name__}: "
                         f"{printable(exc, 80)})") from None
    for k, a in (arrays.items() if isinstance(arrays, dict) else [("", arrays)]):
        what = f"array '{printable(k, 40)}'" if k else "the array"
        if not isinstance(a, np.ndarray) or a.dtype.kind not in "biuf" or a.dtype.fields is not None:
            kind = printable(getattr(a, "dtype", type(a).__name__), 40)
            raise InputError(f"{path}: {what} is {kind}; needs plain numbers (int8 or float)")
        if a.dtype.kind == "f" and a.size and not np.all(np.isfinite(a)):
            raise InputError(f"{path}: {what} contains NaN or infinity")
        if a.ndim == 0:
            raise InputError(f"{path}: {what} is a single number; the first axis counts samples")
    return arrays


def check_array(path, a: np.ndarray, spec: dict) -> np.ndarray:
    shape = tuple(spec["shape"])
    if spec["dtype"] == "float32" and a.dtype.kind in "fiu" and a.dtype != np.float32:
        a = a.astype(np.float32)  # float64 .npy files are the common case
    if a.dtype != np.dtype(spec["dtype"]):
        hint = " (quantize float data with the input's scale and zero point first)" if a.dtype.kind == "f" else ""
        raise InputError(f"{path}: inputs are {a.dtype} but the model input '{printable(spec['name'])}' is "
                         f"{spec['dtype']}{hint}")
    item = a.shape[1:]
    if item == shape:
        return a
    if shape and shape[0] == 1 and item == shape[1:]:
        return a.reshape((a.shape[0],) + shape)
    raise InputError(f"{path}: each input has shape {list(item)[:8]} but the model input '{printable(spec['name'])}' "
                     f"is {list(shape)} (first axis counts inferences)")


def quantize_input(x: np.ndarray, spec: dict) -> np.ndarray:
    """Float data -> the model input's int8 (round half away from zero, as TFLM's Quantize)."""
    scale, zp = float(spec["scale"][0]), int(spec["zero_point"][0])
    q = np.floor(np.abs(x / scale) + 0.5) * np.sign(x / scale) + zp
    info = np.iinfo(spec["dtype"])
    return np.clip(q, info.min, info.max).astype(spec["dtype"])
