"""The TensorFlow Lite Micro runtime option: what a generated project needs to run a model with
TFLM's interpreter instead of tinygen's generated calls.

The project carries the model as a C array, an op resolver holding exactly the model's operators,
and the same serial protocol, board port and timing as the tinygen runtime, so `tinygen sim`,
`tinygen eval` and `tinygen run` work on it unchanged. TFLM's sources are the user's: a tree made
by TFLM's `create_tflm_tree.py` (reference kernels, or OPTIMIZED_KERNEL_DIR=cmsis_nn for CMSIS-NN),
given as TFLM_DIR. CI has no TFLM tree (none is installable), so it generates these projects and
checks them but does not build them.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import TinygenError, UnsupportedError
from ..model.graph import Graph

# BuiltinOperator -> MicroMutableOpResolver method, for every builtin TFLM registers
# (tensorflow/lite/micro/micro_mutable_op_resolver.h).
_IRREGULAR = {"CONV_2D": "AddConv2D", "DEPTHWISE_CONV_2D": "AddDepthwiseConv2D", "AVERAGE_POOL_2D": "AddAveragePool2D",
              "MAX_POOL_2D": "AddMaxPool2D", "L2_POOL_2D": "AddL2Pool2D", "PADV2": "AddPadV2",
              "BATCH_MATMUL": "AddBatchMatMul", "CUMSUM": "AddCumSum", "ADD_N": "AddAddN",
              "UNIDIRECTIONAL_SEQUENCE_LSTM": "AddUnidirectionalSequenceLSTM"}
_REGULAR = """ABS ADD ARG_MAX ARG_MIN ASSIGN_VARIABLE BATCH_TO_SPACE_ND BROADCAST_ARGS BROADCAST_TO CALL_ONCE CAST
CEIL CONCATENATION COS DEPTH_TO_SPACE DEQUANTIZE DIV DYNAMIC_UPDATE_SLICE EMBEDDING_LOOKUP ELU EQUAL EXP EXPAND_DIMS
FILL FLOOR FLOOR_DIV FLOOR_MOD FULLY_CONNECTED GATHER GATHER_ND GREATER GREATER_EQUAL HARD_SWISH IF
L2_NORMALIZATION LEAKY_RELU LESS LESS_EQUAL LOG LOGICAL_AND LOGICAL_NOT LOGICAL_OR LOGISTIC LOG_SOFTMAX MAXIMUM
MIRROR_PAD MEAN MINIMUM MUL NEG NOT_EQUAL PACK PAD PRELU QUANTIZE READ_VARIABLE REDUCE_ALL REDUCE_MAX REDUCE_MIN
RELU RELU6 RESHAPE RESIZE_BILINEAR RESIZE_NEAREST_NEIGHBOR REVERSE_V2 ROUND RSQRT SELECT_V2 SHAPE SIN SLICE SOFTMAX
SPACE_TO_BATCH_ND SPACE_TO_DEPTH SPLIT SPLIT_V SQUEEZE SQRT SQUARE SQUARED_DIFFERENCE STRIDED_SLICE SUB SUM SVDF
TANH TRANSPOSE_CONV TRANSPOSE UNPACK VAR_HANDLE WHILE ZEROS_LIKE""".split()
TFLM_OPS = {**{n: "Add" + "".join(p[:1] + p[1:].lower() for p in n.split("_")) for n in _REGULAR}, **_IRREGULAR}

HOST_ARENA_BYTES = 16 << 20
# RAM kept back from the arena for TFLM's and the app's static data (.data/.bss besides the arena).
RAM_RESERVE_BYTES = 24 << 10


def subgraph_operators(graph: Graph) -> list[tuple[int, int, str]]:
    """(subgraph, operator index, opcode) of every operator of every subgraph: TFLM runs them all
    (CALL_ONCE, IF and WHILE call other subgraphs; resource variables are often made in CALL_ONCE's)."""
    ops = [(0, op.index, op.opcode) for op in graph.operators]
    if not graph.flatbuffer:
        return ops
    from ..model.graph import _builtin_names, _schema

    model = _schema().ModelT.InitFromPackedBuf(graph.flatbuffer, 0)
    names, codes = _builtin_names(), model.operatorCodes or []
    for s, sg in enumerate(model.subgraphs[1:], start=1):
        for i, op in enumerate(sg.operators or []):
            code = codes[op.opcodeIndex]
            name = names.get(max(int(code.builtinCode), int(code.deprecatedBuiltinCode)), "?")
            ops.append((s, i, "CUSTOM" if name == "CUSTOM" else name))
    return ops


def resource_variable_count(graph: Graph) -> int:
    """Slots for MicroResourceVariables: one per VAR_HANDLE in any subgraph (TFLM's Python interpreter
    counts distinct shared names; one per operator is never fewer)."""
    return sum(1 for _, _, opcode in subgraph_operators(graph) if opcode == "VAR_HANDLE")


def resolver_methods(graph: Graph) -> list[str]:
    """The op resolver's Add* calls for this model (all subgraphs), in first-use order; refuses what
    TFLM lacks."""
    methods, missing = [], []
    for s, i, opcode in subgraph_operators(graph):
        m = TFLM_OPS.get(opcode)
        if m is None:
            missing.append(f"operator {i} {opcode}" if s == 0 else f"subgraph {s} operator {i} {opcode}")
        elif m not in methods:
            methods.append(m)
    if missing:
        hint = ("; tinygen's TFLM project registers built-in kernels only, not custom operators such as "
                "TFLM's signal library's" if any("CUSTOM" in m for m in missing) else "")
        raise UnsupportedError(f"{graph.path}: TensorFlow Lite Micro has no built-in kernel for "
                               + ", ".join(missing) + hint)
    return methods


def arena_bytes(board, io_bytes: int, requested: int | None) -> int:
    """The tensor arena: what was asked for, else all RAM left after the stack, the I/O buffers and a
    reserve for static data (TFLM's real need is known only after AllocateTensors, which the
    firmware reports)."""
    if requested is not None:
        if requested < 1024:
            raise TinygenError(f"--tflm-arena {requested}: too small for any model (at least 1024 bytes)")
        return (requested + 15) // 16 * 16
    if board.is_host:
        return HOST_ARENA_BYTES
    left = board.memory["ram"]["size"] - board.stack_bytes - io_bytes - RAM_RESERVE_BYTES
    if left < 1024:
        raise TinygenError(f"{board.name}: no RAM left for a TFLM arena")
    return left // 16 * 16


def resolve_tflm_dir(given: str | None) -> str:
    """The TFLM tree to build against: --tflm-dir, else $TFLM_DIR, else empty (make asks for it)."""
    path = given or os.environ.get("TFLM_DIR", "")
    if not path:
        return ""
    p = Path(path).expanduser().resolve()
    if not (p / "tensorflow" / "lite" / "micro" / "micro_interpreter.h").is_file():
        raise TinygenError(f"{path}: not a TensorFlow Lite Micro tree (no tensorflow/lite/micro/micro_interpreter.h; "
                           f"make one with tflite-micro's tensorflow/lite/micro/tools/project_generation/"
                           f"create_tflm_tree.py)")
    return str(p)
