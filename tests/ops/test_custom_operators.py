"""Custom operators (TFLM's signal library, the audio front end of micro_speech) are refused by name
with the reason, in one line, by both runtimes; `tinygen inspect` gives the same reason per operator."""

from __future__ import annotations

import pytest

from tests.ops.flatmodels import ModelBuilder
from tinygen.errors import UnsupportedError
from tinygen.model.graph import parse_graph
from tinygen.ops import require_supported


def _custom_model(*names: str) -> bytes:
    """int16 [1, 480] through a chain of custom operators (as audio_preprocessor_int8.tflite starts)."""
    m = ModelBuilder()
    t = x = m.tensor("audio", (1, 480), "int16")
    for k, name in enumerate(names):
        y = m.tensor(f"t{k}", (1, 480), "int16")
        m.op(m.s.BuiltinOperator.CUSTOM, [t], [y])
        m.model.operatorCodes[-1].customCode = name.encode()
        t = y
    return m.finish([x], [t])


def test_signal_library_operators_are_refused_by_name():
    g = parse_graph(_custom_model("SignalWindow"))
    assert [op.opcode for op in g.operators] == ["CUSTOM:SignalWindow"]
    with pytest.raises(UnsupportedError) as err:
        require_supported(g)
    text = str(err.value)
    assert "\n" not in text
    assert "custom operator SignalWindow (TFLM signal library, an audio front end) is not in tinygen's runtime" in text


def test_other_custom_operators_are_refused_by_name_and_inspect_says_why():
    from tinygen.passes.describe import describe

    doc = describe(parse_graph(_custom_model("MyOp")))
    assert not doc["supported"]
    (op,) = doc["operators"]
    assert op["reasons"] == ["custom operator MyOp is not in tinygen's runtime (it runs built-in operators)"]


def test_tflm_runtime_says_it_registers_no_custom_operators():
    from tinygen.codegen.tflm import resolver_methods

    with pytest.raises(UnsupportedError, match="operator 0 CUSTOM:SignalRfft.*not custom operators"):
        resolver_methods(parse_graph(_custom_model("SignalRfft")))
