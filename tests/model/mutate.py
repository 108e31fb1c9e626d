"""Seeded mutations of .tflite files and the judgement of what tinygen makes of them.

Used by tests/model/test_fuzz.py (a few hundred, in the suite) and scripts/fuzz_models.py (tens of
thousands, summarised by cause, optionally built under AddressSanitizer).

Mutations: byte flips, truncation, overwritten 32-bit integers, zeroed or duplicated chunks, and
structured edits through the flatbuffer object API (indices, shapes, types, scales, zero points,
buffers, options, operator order, weights shapes such as ad01's first FULLY_CONNECTED weights
changed to [128, 320]).
"""

from __future__ import annotations

import random
import re
import struct
import traceback

import flatbuffers
import numpy as np

INTERESTING = [0, 1, 2, -1, -2, 3, 7, 8, 16, 127, 128, 255, 256, 1024, 65535, 0x7FFFFFFF, -0x80000000, 0x40000000]


def _schema():
    from tflite_micro.tensorflow.lite.micro.python import schema_py_generated as s

    return s


def _pack(model) -> bytes:
    b = flatbuffers.Builder(1 << 16)
    b.Finish(model.Pack(b), file_identifier=b"TFL3")
    return bytes(b.Output())


# --- raw byte mutations --------------------------------------------------------------------------

def flip_bytes(buf: bytes, rng: random.Random) -> tuple[bytes, str]:
    b = bytearray(buf)
    for _ in range(rng.randint(1, 8)):
        b[rng.randrange(len(b))] ^= 1 << rng.randrange(8) if rng.random() < 0.5 else rng.randrange(1, 256)
    return bytes(b), "flip"


def truncate(buf: bytes, rng: random.Random) -> tuple[bytes, str]:
    return buf[:rng.randrange(len(buf))], "truncate"


def overwrite_int(buf: bytes, rng: random.Random) -> tuple[bytes, str]:
    b = bytearray(buf)
    # offsets and lengths sit in the first part of the file (tables before the big buffers) more often
    limit = len(b) - 4 if rng.random() < 0.3 else min(len(b) - 4, 4096)
    off = rng.randrange(0, limit) & ~3
    v = rng.choice(INTERESTING + [rng.randrange(-1000, 1000), len(buf)])
    struct.pack_into("<i" if v < 1 << 31 else "<I", b, off, v)
    return bytes(b), "int"


def zero_chunk(buf: bytes, rng: random.Random) -> tuple[bytes, str]:
    b = bytearray(buf)
    n = rng.randint(1, 256)
    off = rng.randrange(len(b))
    b[off:off + n] = bytes(len(b[off:off + n]))
    return bytes(b), "zero"


def duplicate_chunk(buf: bytes, rng: random.Random) -> tuple[bytes, str]:
    n = rng.randint(4, 256)
    src, dst = rng.randrange(len(buf)), rng.randrange(len(buf))
    chunk = buf[src:src + n]
    if rng.random() < 0.5:
        return buf[:dst] + chunk + buf[dst:], "dup-insert"
    return buf[:dst] + chunk + buf[dst + len(chunk):], "dup-over"


# --- structured mutations ------------------------------------------------------------------------

def structured(buf: bytes, rng: random.Random) -> tuple[bytes, str]:
    m = _schema().ModelT.InitFromPackedBuf(buf, 0)
    sg = m.subgraphs[0]
    kind = rng.choice(["shape", "shape", "type", "scale", "zero_point", "qdim", "buffer", "op_index", "op_index",
                       "opcode", "io_index", "order", "write_const", "write_input", "options", "options",
                       "bias", "weights", "data", "name", "drop_input"])
    for x in sg.operators:  # the object API hands out read-only views of the file
        x.inputs = None if x.inputs is None else np.array(x.inputs, np.int32)
        x.outputs = None if x.outputs is None else np.array(x.outputs, np.int32)
    sg.inputs, sg.outputs = np.array(sg.inputs, np.int32), np.array(sg.outputs, np.int32)
    t = rng.choice(sg.tensors)
    ops = sg.operators
    op = rng.choice(ops)
    if kind == "shape":
        shape = [int(d) for d in (t.shape if t.shape is not None else [])]
        how = rng.choice(["double", "halve", "plus", "zero", "neg", "add", "drop", "rank8", "huge"])
        if shape and how in ("double", "halve", "plus", "zero", "neg", "huge"):
            k = rng.randrange(len(shape))
            shape[k] = {"double": shape[k] * 2, "halve": max(shape[k] // 2, 1), "plus": shape[k] + 1, "zero": 0,
                        "neg": -1, "huge": 1 << 30}[how]
        elif how == "add":
            shape.insert(rng.randrange(len(shape) + 1), rng.choice([1, 2, 3]))
        elif how == "drop" and shape:
            shape.pop(rng.randrange(len(shape)))
        elif how == "rank8":
            shape = [1] * (8 - len(shape)) + shape
        t.shape = np.array(shape, dtype=np.int32)
        kind = f"shape-{how}"
    elif kind == "type":
        t.type = rng.choice([0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 13, 14, 17, 25, 99, -3])
    elif kind in ("scale", "zero_point", "qdim"):
        q = t.quantization or _schema().QuantizationParametersT()
        t.quantization = q
        if kind == "scale":
            v = rng.choice([float("nan"), float("inf"), 0.0, -1.0, 1e30, 1e-40, 1e-12, 3.0e38])
            n = rng.choice([1, 2, 3]) if q.scale is None or not len(q.scale) else len(q.scale)
            s = np.full(n, 0.1, np.float32) if q.scale is None or not len(q.scale) else np.array(q.scale, np.float32)
            s[rng.randrange(n)] = v
            q.scale = s
        elif kind == "zero_point":
            n = 1 if q.zeroPoint is None or not len(q.zeroPoint) else len(q.zeroPoint)
            q.zeroPoint = np.array([rng.choice([300, -1000, 128, -129, 2**40, 5])] * n, dtype=np.int64)
        else:
            q.quantizedDimension = rng.choice([-1, 1, 2, 3, 7, 100])
    elif kind == "buffer":
        t.buffer = rng.choice([0, len(m.buffers), len(m.buffers) + 5, 0xFFFFFFFF, rng.randrange(len(m.buffers))])
    elif kind == "op_index":
        vec = op.inputs if rng.random() < 0.6 else op.outputs
        if vec is not None and len(vec):
            vec[rng.randrange(len(vec))] = rng.choice([-1, -2, len(sg.tensors), len(sg.tensors) + 100,
                                                       rng.randrange(len(sg.tensors))])
    elif kind == "opcode":
        op.opcodeIndex = rng.choice([len(m.operatorCodes), 1000, rng.randrange(len(m.operatorCodes))])
        if rng.random() < 0.3:
            m.operatorCodes[rng.randrange(len(m.operatorCodes))].builtinCode = rng.randrange(0, 210)
    elif kind == "io_index":
        vec = sg.inputs if rng.random() < 0.5 else sg.outputs
        vec[rng.randrange(len(vec))] = rng.choice([-1, len(sg.tensors), rng.randrange(len(sg.tensors))])
    elif kind == "order":
        i, j = rng.randrange(len(ops)), rng.randrange(len(ops))
        ops[i], ops[j] = ops[j], ops[i]
    elif kind == "write_const":
        consts = [i for i, x in enumerate(sg.tensors) if x.buffer and m.buffers[x.buffer].data is not None]
        if consts:
            op.outputs[0] = rng.choice(consts)
    elif kind == "write_input":
        op.outputs[0] = int(sg.inputs[0])
    elif kind == "options":
        o = op.builtinOptions
        if o is not None:
            keys = [k for k, v in vars(o).items() if isinstance(v, (int, float, bool))]
            if keys:
                k = rng.choice(keys)
                setattr(o, k, rng.choice([0, -1, 5, 9, 100, 1 << 20, -(1 << 20), float("nan")]
                                         if isinstance(getattr(o, k), float) or rng.random() < 0.9 else [True]))
                kind = f"options-{k}"
    elif kind == "bias":
        cands = [x for x in ops if x.inputs is not None and len(x.inputs) > 2 and x.inputs[2] >= 0]
        if cands:
            b = sg.tensors[rng.choice(cands).inputs[2]]
            n = int(b.shape[0]) if b.shape is not None and len(b.shape) else 1
            new = rng.choice([n // 2 or 1, n + 1, n * 2])
            b.shape = np.array([new] if rng.random() < 0.7 else [1] * 7 + [new], np.int32)
            buf_obj = m.buffers[b.buffer]
            buf_obj.data = np.zeros(4 * new, np.uint8)
    elif kind == "weights":
        # e.g. ad01's first FULLY_CONNECTED weights [128, 640] -> [128, 320] with a matching buffer
        cands = [x for x in ops if x.inputs is not None and len(x.inputs) > 1 and x.inputs[1] >= 0]
        if cands:
            w = sg.tensors[rng.choice(cands[:2] if rng.random() < 0.5 else cands).inputs[1]]
            shape = [int(d) for d in w.shape]
            if shape:
                k = rng.randrange(len(shape))
                shape[k] = max(1, shape[k] // 2) if rng.random() < 0.6 else shape[k] * 2
                w.shape = np.array(shape, np.int32)
                m.buffers[w.buffer].data = np.zeros(int(np.prod(shape)), np.uint8)
    elif kind == "data":
        b = m.buffers[t.buffer] if 0 <= t.buffer < len(m.buffers) else None
        if b is not None and b.data is not None and len(b.data):
            b.data = b.data[: rng.randrange(len(b.data))] if rng.random() < 0.5 else np.concatenate(
                [b.data, np.zeros(rng.randint(1, 9), np.uint8)])
    elif kind == "name":
        t.name = bytes(rng.randrange(256) for _ in range(rng.choice([5, 80, 5000])))
    elif kind == "drop_input":
        if op.inputs is not None and len(op.inputs):
            op.inputs = op.inputs[:rng.randrange(len(op.inputs))]
    return _pack(m), f"struct-{kind}"


RAW = [flip_bytes, truncate, overwrite_int, zero_chunk, duplicate_chunk]


def mutate(buf: bytes, rng: random.Random) -> tuple[bytes, str]:
    if rng.random() < 0.55:
        try:
            return structured(buf, rng)
        except Exception as exc:  # the object API could not pack this edit: fall back to raw bytes
            if "pack" not in type(exc).__name__.lower() and not isinstance(exc, (struct.error, ValueError,
                                                                                  TypeError, OverflowError)):
                raise
    return rng.choice(RAW)(buf, rng)


# --- judgement -----------------------------------------------------------------------------------

CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
LIMIT = 300


def run_one(data: bytes, name: str = "mutant.tflite", board=None) -> tuple[str, str]:
    """('accepted' | 'rejected' | 'bad-error' | 'traceback', detail), in-process: parse, inspect
    (describe), then the project's files (render_project for the host board)."""
    from tinygen.boards.registry import load_board
    from tinygen.codegen.project import render_project
    from tinygen.errors import TinygenError
    from tinygen.model.graph import parse_graph
    from tinygen.passes.describe import describe

    try:
        g = parse_graph(data, name)
        g.path = name
        describe(g, with_plan=True)
        render_project(g, board or load_board("host"))
    except TinygenError as exc:
        msg = f"error: {exc}"
        if "\n" in msg or CONTROL.search(msg) or len(msg) >= LIMIT or "tinygen bug" in msg:
            return "bad-error", msg[:400]
        return "rejected", msg
    except Exception as exc:
        tb = traceback.extract_tb(exc.__traceback__)[-1]
        return "traceback", f"{type(exc).__name__} at {tb.filename.split('tinygen/')[-1]}:{tb.lineno}: {str(exc)[:120]}"
    return "accepted", ""


def cause(detail: str) -> str:
    """A message reduced to its kind: indices, numbers, names and paths taken out."""
    text = re.sub(r"^error: [^:]*: ", "", detail)
    text = re.sub(r"'[^']*'", "'…'", text)
    text = re.sub(r"\[[^\]]*\]", "[…]", text)
    text = re.sub(r"-?\d[\d.e+-]*", "N", text)
    return text[:90]
