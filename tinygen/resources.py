"""Where tinygen's data lives: templates/, firmware/ and boards/.

In a checkout they sit at the top of the repository; in an installed wheel they are packaged as
tinygen/_data/ (pyproject.toml force-includes them). Read them only through this module.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path


@lru_cache(maxsize=None)
def data_dir(name: str) -> Path:
    packaged = resources.files("tinygen") / "_data" / name
    if packaged.is_dir():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parent.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"tinygen data directory '{name}' is missing from this installation")


def templates_dir() -> Path:
    return data_dir("templates")


def firmware_dir() -> Path:
    return data_dir("firmware")


def boards_dir() -> Path:
    return data_dir("boards")
