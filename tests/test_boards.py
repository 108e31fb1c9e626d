import pytest

from tinygen.boards import BoardError, board_names, load_board, validate


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
