import pytest

from tinygen.boards.registry import BoardError, board_names, load_board, validate


def test_every_shipped_board_validates():
    names = board_names()
    assert {"mps2-an386", "host"} <= set(names)
    for n in names:
        b = load_board(n)
        assert b.name == n
        assert b.port_sources()


def test_unknown_board_lists_known():
    with pytest.raises(BoardError, match="known: .*mps2-an386"):
        load_board("nucleo-nonexistent")


@pytest.mark.parametrize("raw,msg", [
    ({"name": "x"}, "missing 'core'"),
    ({"name": "x", "core": "cortex-z9", "clock_hz": 1, "timer": {}}, "core 'cortex-z9'"),
    ({"name": "x", "core": "cortex-m4", "clock_hz": 1, "timer": {"driver": "systick", "unit": "instructions"},
      "memory": {"flash": {"origin": 0, "size": 1}}}, "missing 'ram'"),
    ({"name": "x", "core": "host", "clock_hz": 1, "timer": {"driver": "clock", "unit": "ns"}}, "timer.unit"),
    ({"name": "x", "colour": "red"}, "unknown key"),
])
def test_schema_errors_name_the_problem(raw, msg):
    with pytest.raises(BoardError, match=msg):
        validate(raw, "b.yaml")


@pytest.mark.slow
@pytest.mark.parametrize("name", [n for n in board_names() if n != "host"])
def test_every_board_builds_warning_free_and_simulated_ones_run(name, shared_models, tmp_path):
    from tinygen.build.firmware import build_project
    from tinygen.codegen.project import generate_project
    from tinygen.pipeline import run_model

    board = load_board(name)
    model = shared_models / "ad01_int8.tflite"
    if board.simulator.get("qemu"):
        doc = run_model(model, name, out_dir=tmp_path, extra_cflags="-Werror")
        assert doc["all_match"] and doc["instructions_per_inference"] > 0
    elif board.simulator.get("renode") and _renode_here():  # boards only Renode models run there
        doc = run_model(model, name, out_dir=tmp_path, extra_cflags="-Werror", simulator="renode")
        assert doc["all_match"] and doc["instructions_per_inference"] > 0
    else:
        generate_project(model, name, tmp_path / "fw")
        res = build_project(tmp_path / "fw", extra_cflags="-Werror")
        assert res.flash_bytes > 270_000
    if board.simulator.get("renode"):
        resc = (tmp_path / "fw" / "renode.resc").read_text()
        assert "$elf?=@build/firmware.elf" in resc and "sysbus LoadELF $elf" in resc


def _renode_here() -> bool:
    from tinygen.device.simulators.renode import find_renode
    from tinygen.errors import ToolMissingError

    try:
        return bool(find_renode())
    except ToolMissingError:
        return False


def _tiny_board(tmp_path, ram: int, stack: int):
    p = tmp_path / "tiny.yaml"
    p.write_text(f"""name: tiny
core: cortex-m3
clock_hz: 8000000
memory:
  flash: {{origin: 0x0, size: 0x400000}}
  ram: {{origin: 0x20000000, size: {ram}}}
stack_bytes: {stack}
uart: {{driver: cmsdk, base: 0x40004000}}
timer: {{driver: systick, unit: instructions, per_tick: 40}}
""")
    return str(p)


def test_model_that_does_not_fit_is_refused_before_writing(shared_models, tmp_path):
    import subprocess
    import sys

    out = tmp_path / "fw"
    res = subprocess.run([sys.executable, "-m", "tinygen", "project", str(shared_models / "ad01_int8.tflite"),
                          "--board", _tiny_board(tmp_path, 1536, 1024), "-o", str(out)], capture_output=True, text=True)
    assert res.returncode == 2 and "board tiny has 1.5 KB: " in res.stderr and "KB RAM (arena " in res.stderr
    assert not out.exists()


@pytest.mark.slow
def test_linker_overflow_is_a_fit_error(shared_models, tmp_path):
    """What the estimate cannot see (here: a linker script made smaller by hand) the linker stops, in one line."""
    from tinygen.build.firmware import build_project
    from tinygen.errors import FitError
    from tinygen.codegen.project import generate_project

    generate_project(shared_models / "ad01_int8.tflite", load_board(_tiny_board(tmp_path, 0x8000, 1024)), tmp_path / "fw")
    ld = tmp_path / "fw" / "board" / "linker.ld"
    ld.write_text(ld.read_text().replace(f"LENGTH = {0x8000}", "LENGTH = 2048"))
    with pytest.raises(FitError, match="RAM overflowed"):
        build_project(tmp_path / "fw")
