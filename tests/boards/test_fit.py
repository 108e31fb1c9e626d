"""The fit check: what a model needs of a board, refused or accepted at the right margins, the compact
weight layout when the widened one does not fit, and tinygen inspect --boards."""

import json
import re
import subprocess
import sys

import pytest

from tinygen.boards.fit import choose_layout, refusal
from tinygen.boards.registry import board_names, load_board
from tinygen.codegen.project import generate_project
from tinygen.errors import FitError
from tinygen.model.graph import load_graph
from tinygen.passes.fold import fold_constants


def _board(tmp_path, ram: int, flash: int, core: str = "cortex-m4", name: str = "small") -> str:
    p = tmp_path / f"{name}.yaml"
    p.write_text(f"""name: {name}
core: {core}
clock_hz: 84000000
memory:
  flash: {{origin: 0x08000000, size: {flash}}}
  ram: {{origin: 0x20000000, size: {ram}}}
stack_bytes: 8192
uart: {{driver: cmsdk, base: 0x40004000}}
timer: {{driver: systick, unit: instructions, per_tick: 40}}
""")
    return str(p)


def _needs(model, board):
    return choose_layout(fold_constants(load_graph(model)), load_board(board), refuse=False)[3]


def tinygen(*args):
    return subprocess.run([sys.executable, "-m", "tinygen", *map(str, args)], capture_output=True, text=True)


def test_ram_margin_is_exact_and_refusal_is_one_line(shared_models, tmp_path):
    model = shared_models / "kws_ref_model.tflite"
    need = _needs(model, "nucleo-f446re")
    assert 16_000 < need.arena < 22_772 and need.stack == 8192 and need.io == 2176  # plan (TFLM's: 22,772), board, link
    fits = _board(tmp_path, need.ram, 0x80000, name="exact")
    assert refusal(_needs(model, fits), load_board(fits), "m") is None
    short = _board(tmp_path, need.ram - 4, 0x80000, name="short")
    why = refusal(_needs(model, short), load_board(short), "m")
    assert re.fullmatch(rf"m: model needs {round(need.ram / 1024)} KB RAM \(arena {round(need.arena / 1024)} KB \+ "
                        rf"stack 8 KB \+ I/O \d KB\); board short has {(need.ram - 4) / 1024:g} KB: 1 KB short", why), why
    out = tmp_path / "fw"
    res = tinygen("project", model, "--board", short, "-o", out)
    errors = [l for l in res.stderr.splitlines() if l.startswith("error:")]
    assert res.returncode == 2 and len(errors) == 1 and "1 KB short" in errors[0], res.stderr
    assert not out.exists()  # nothing written


def test_compact_layout_when_wide_weights_do_not_fit(shared_models, tmp_path):
    model = shared_models / "vww_96_int8.tflite"
    wide = _needs(model, _board(tmp_path, 0x20000, 4 << 20, name="big"))  # every layer widened
    compact = _needs(model, _board(tmp_path, 0x20000, 1 << 20, core="cortex-m3", name="m3"))  # no DSP: all compact
    assert wide.compact_layers == 0 and compact.flash < wide.flash - 90_000  # widening costs ~200 KB here
    # a little short of the widened weights: a few layers go compact, the rest stay widened
    board = _board(tmp_path, 0x20000, wide.flash - 20_000, name="mid")
    need = _needs(model, board)
    assert 0 < need.compact_layers < need.compact_layers + need.wide_layers and need.flash <= wide.flash - 20_000
    out = tmp_path / "fw"
    res = tinygen("project", model, "--board", board, "-o", out)
    assert res.returncode == 0 and f"compact int8 weight layout on {need.compact_layers} layer(s)" in res.stdout
    meta = json.loads((out / "tinygen.json").read_text())
    assert meta["compact_layers"] == need.compact_layers
    # short of even the compact layout: refused, saying it was tried
    floor = _needs(model, _board(tmp_path, 0x20000, 1024, name="none"))  # every layer compact on the M4
    assert floor.wide_layers == 0 and floor.flash < wide.flash - 90_000
    tight = _board(tmp_path, 0x20000, floor.flash - 1024, name="tight")
    with pytest.raises(FitError, match=r"compact int8 weight layout on every layer.*flash: \d KB short"):
        generate_project(model, tight, tmp_path / "fw2")
    assert not (tmp_path / "fw2").exists()


def test_inspect_boards_lists_every_board_with_margins(shared_models, tmp_path):
    res = tinygen("inspect", shared_models / "ad01_int8.tflite", "--boards", "--json")
    assert res.returncode == 0, res.stderr
    rows = json.loads(res.stdout)["boards"]
    assert {r["board"] for r in rows} == set(board_names()) - {"host"}
    assert all(r["fits"] and r["ram_margin_kb"] > 0 and r["flash_margin_kb"] > 0 for r in rows)  # ad01 fits all
    f446 = next(r for r in rows if r["board"] == "nucleo-f446re")
    assert f446["ram_board_kb"] == 128 and f446["flash_board_kb"] == 512
    assert f446["ram_margin_bytes"] == 128 * 1024 - f446["ram_bytes"]
    small = _board(tmp_path, 0x10000, 0x40000, name="small-f4")
    res = tinygen("inspect", shared_models / "vww_96_int8.tflite", "--boards", "nucleo-f446re", small)
    assert res.returncode == 0, res.stderr
    lines = {l.split()[0]: l for l in res.stdout.splitlines() if l.startswith("  ") and len(l.split()) > 3}
    assert lines["nucleo-f446re"].split()[1] == "yes"
    assert lines["small-f4"].split()[1] == "NO" and int(lines["small-f4"].split()[3]) < 0  # RAM margin in KB
    assert res.stdout.rstrip().endswith("fits 1 of 2 boards: nucleo-f446re")


@pytest.mark.slow
def test_estimate_is_close_to_the_elf_and_elf_is_checked(shared_models, tmp_path):
    from tinygen.build.firmware import build_project

    model = shared_models / "kws_ref_model.tflite"
    gen = generate_project(model, "nucleo-f446re", tmp_path / "fw")
    built = build_project(tmp_path / "fw")
    assert built.ram_bytes <= gen.needs.ram <= built.ram_bytes + 1024
    assert built.flash_bytes <= gen.needs.flash <= built.flash_bytes * 1.15
    # the real sizes are checked against the regions too: a board spec smaller than the ELF
    meta = json.loads((tmp_path / "fw" / "tinygen.json").read_text())
    meta["board_spec"]["memory"]["ram"]["size"] = built.ram_bytes - 2048
    meta["dir"] = str(tmp_path / "fw")
    with pytest.raises(FitError, match=r"firmware needs \d+ KB RAM \(.bss \d+ KB \+ .stack \d+ KB\); board "
                                       r"nucleo-f446re has \d+ KB: 2 KB short"):
        build_project(tmp_path / "fw", meta=meta)


@pytest.mark.slow
def test_mixed_layouts_run_bit_exact_in_qemu(shared_models, tmp_path):
    """Some layers compact, the rest widened, on one Cortex-M4: outputs still equal TFLM's."""
    import yaml

    from tinygen.pipeline import run_model
    from tinygen.resources import boards_dir

    model = shared_models / "vww_96_int8.tflite"
    raw = yaml.safe_load((boards_dir() / "mps2-an386.yaml").read_text())
    wide = _needs(model, "mps2-an386")
    raw["name"], raw["memory"]["flash"]["size"] = "an386-small-flash", wide.flash - 20_000
    board = tmp_path / "an386-small-flash.yaml"
    board.write_text(yaml.safe_dump(raw))
    doc = run_model(model, str(board), out_dir=tmp_path / "out")
    assert doc["complete"] and doc["all_match"] and 0 < doc["compact_layers"] < 20
    assert doc["flash_bytes"] <= wide.flash - 20_000
