"""External programs: the C++ library that --runtime tflm needs, installed by setup and checked in one line."""

import re
import subprocess

import pytest

from tinygen import tools
from tinygen.boards.registry import load_board
from tinygen.errors import ToolMissingError

from .conftest import REPO

M4 = load_board("mps2-an386").cpu_flags


def test_setup_installs_the_arm_cxx_library():
    text = (REPO / "scripts" / "setup.sh").read_text()
    packages = re.search(r"APT_PACKAGES=\(([^)]*)\)", text).group(1).split()
    assert {"libstdc++-arm-none-eabi-newlib", "libstdc++-arm-none-eabi-dev", "g++"} <= set(packages)


def test_one_line_cxx_file_compiles_for_the_m4(tmp_path):
    src = tmp_path / "probe.cc"
    src.write_text("#include <cstddef>\nstd::size_t tg_probe = sizeof(std::max_align_t);\n")
    res = subprocess.run(["arm-none-eabi-g++", *M4, "-c", str(src), "-o", str(tmp_path / "probe.o")],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "probe.o").stat().st_size > 0
    tools.require_cxx_library("arm-none-eabi-g++", M4)  # the build's own check agrees


def test_missing_cxx_headers_are_one_line():
    # -nostdinc++ hides the C++ headers as a machine without libstdc++-arm-none-eabi-dev would
    with pytest.raises(ToolMissingError) as exc:
        tools.require_cxx_library("arm-none-eabi-g++", [*M4, "-nostdinc++"])
    msg = str(exc.value)
    assert "\n" not in msg and "<cstddef> not found" in msg
    assert "libstdc++-arm-none-eabi-newlib libstdc++-arm-none-eabi-dev" in msg and "make setup" in msg


def test_missing_compiler_is_one_line():
    with pytest.raises(ToolMissingError, match=r"^no-such-g\+\+ not found \(install: "):
        tools.require_cxx_library("no-such-g++", M4)
