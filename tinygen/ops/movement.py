"""SPACE_TO_DEPTH, DEPTH_TO_SPACE, SPACE_TO_BATCH_ND, BATCH_TO_SPACE_ND and GATHER on int8.

TFLM's reference kernels copy bytes without requantizing, and each of these operators copies runs of
contiguous bytes. All of them lower to one C kernel, tg_run_gather_s8: the output is laid out as
sets x rows x cols runs, and the input offset of every run is the sum of a row offset and a column
offset computed here, at generation time (a negative offset marks padding)."""

from __future__ import annotations

import numpy as np

from . import ConstArray, Kernel, Lowered, Ref, T
from ._common import tensor_type_problems, zp0


def _prod(dims) -> int:
    return int(np.prod([int(d) for d in dims], dtype=np.int64)) if len(dims) else 1


def _same_quant(a, b) -> bool:
    return float(a.scale[0]) == float(b.scale[0]) and int(a.zero_point[0]) == int(b.zero_point[0])


def _io_problems(graph, op, ranks: tuple[int, ...]) -> list[str]:
    """int8 in and out with equal quantization (TFLM copies bytes, so different parameters would
    change the real values), and an input rank TFLM accepts."""
    p = tensor_type_problems(graph, op, op.inputs[0], ("int8",), "input")
    p += tensor_type_problems(graph, op, op.outputs[0], ("int8",), "output")
    if p:
        return p
    inp, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
    if not _same_quant(inp, out):
        p.append("input and output are quantized differently; TFLM copies the bytes without requantizing, "
                 "so the output would not mean what its parameters say")
    if len(inp.shape) not in ranks:
        p.append(f"the input has {len(inp.shape)} dimensions; TFLM takes {' or '.join(map(str, ranks))}")
    return p


def _const_ints(graph, op, k: int) -> list[int] | None:
    """A constant int32 input's values (TFLM reads block shapes, paddings and crops as int32 data
    without checking their type, so int64 ones would be misread there)."""
    t = graph.tensor(op.inputs[k]) if len(op.inputs) > k else None
    if t is None or not t.is_constant or t.dtype != "int32":
        return None
    return [int(v) for v in np.asarray(t.data).reshape(-1)]


def _shape_problem(out, expected) -> list[str]:
    if tuple(out.shape) != tuple(expected):
        return [f"the output shape {list(out.shape)} is not the {list(expected)} the operator makes"]
    return []


def run_gather(inp, out, *, sets: int, rows: int, cols: int, run: int, row_offsets, col_offsets,
               pad_value: int = 0) -> Lowered:
    """The call of tg_run_gather_s8. An offset table of shape (rows,) or (cols,) is shared by every
    set; one of shape (sets, rows) or (sets, cols) gives each set its own."""
    row_offsets, col_offsets = np.asarray(row_offsets, np.int64), np.asarray(col_offsets, np.int64)
    assert sets * rows * cols * run == out.size, "the runs do not tile the output"
    assert row_offsets.shape in ((rows,), (sets, rows)) and col_offsets.shape in ((cols,), (sets, cols))
    _assert_in_bounds(row_offsets, col_offsets, run, inp.size)
    return Lowered(
        kernel="tg_run_gather_s8", header="tg_movement.h", params_type="tg_run_gather_params",
        params=dict(sets=sets, rows=rows, cols=cols, run=run, row_offsets=Ref("rows"), col_offsets=Ref("cols"),
                    row_set_stride=rows if row_offsets.ndim == 2 else 0,
                    col_set_stride=cols if col_offsets.ndim == 2 else 0, pad_value=int(pad_value)),
        args=[T(inp.index), T(out.index)],
        consts=[ConstArray("rows", "int32_t", row_offsets.reshape(-1)),
                ConstArray("cols", "int32_t", col_offsets.reshape(-1))],
    )


def _assert_in_bounds(row_offsets, col_offsets, run: int, size: int) -> None:
    """Every copied run lies inside the input: a generator bug must not become an out-of-bounds read."""
    r = row_offsets[row_offsets >= 0]
    c = col_offsets[col_offsets >= 0]
    if r.size and c.size:
        assert r.min() + c.min() >= 0 and r.max() + c.max() + run <= size, "a run leaves the input"


class SpaceToDepth(Kernel):
    opcode = "SPACE_TO_DEPTH"

    def check(self, graph, op):
        p = _io_problems(graph, op, (4,))
        bs = int(op.options.get("blockSize", 0))
        if p:
            return p
        if bs < 1:
            return [f"block size {bs}"]
        n, h, w, d = graph.tensors[op.inputs[0]].shape
        if h % bs or w % bs:
            return [f"height {h} and width {w} are not multiples of the block size {bs}"]
        return _shape_problem(graph.tensors[op.outputs[0]], (n, h // bs, w // bs, d * bs * bs))

    def lower(self, graph, op):
        inp, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        bs = int(op.options["blockSize"])
        n, h, w, d = inp.shape
        oh, ow = h // bs, w // bs
        # A run is one block row: bs input pixels side by side, bs * d bytes in both tensors.
        # Rows: (batch, output row); columns: (output column, row within the block).
        rows = [(b * h + y * bs) * w * d for b in range(n) for y in range(oh)]
        cols = [(by * w + x * bs) * d for x in range(ow) for by in range(bs)]
        return run_gather(inp, out, sets=1, rows=n * oh, cols=ow * bs, run=bs * d, row_offsets=rows, col_offsets=cols)


class DepthToSpace(Kernel):
    opcode = "DEPTH_TO_SPACE"

    def check(self, graph, op):
        p = _io_problems(graph, op, (4,))
        bs = int(op.options.get("blockSize", 0))
        if p:
            return p
        if bs < 1:
            return [f"block size {bs}"]
        n, h, w, d = graph.tensors[op.inputs[0]].shape
        if d % (bs * bs):
            return [f"depth {d} is not a multiple of the block size squared ({bs * bs})"]
        return _shape_problem(graph.tensors[op.outputs[0]], (n, h * bs, w * bs, d // (bs * bs)))

    def lower(self, graph, op):
        inp, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        bs = int(op.options["blockSize"])
        n, h, w, d = inp.shape
        od = d // (bs * bs)
        # A run is the bs output pixels one input pixel spreads across an output row: bs * od
        # bytes, contiguous in the input's channels too. Rows: (batch, output row); columns: input column.
        rows = [(b * h + y // bs) * w * d + (y % bs) * bs * od for b in range(n) for y in range(h * bs)]
        cols = [x * d for x in range(w)]
        return run_gather(inp, out, sets=1, rows=n * h * bs, cols=w, run=bs * od, row_offsets=rows, col_offsets=cols)


def _nhwc(shape) -> tuple[int, int, int, int]:
    """TFLM views a 3-D NHC tensor of the batch/space operators as NH1C."""
    return tuple(shape) if len(shape) == 4 else (shape[0], shape[1], 1, shape[2])


def _block_and_margins(graph, op) -> tuple[list[int], list[int]] | None:
    """(block_shape, paddings or crops flattened), padded to two spatial dimensions as TFLM reads
    them (width: block 1, margins 0 for 3-D tensors); None when they are not usable constants."""
    spatial = len(graph.tensors[op.inputs[0]].shape) - 2
    block, margins = _const_ints(graph, op, 1), _const_ints(graph, op, 2)
    if block is None or margins is None or len(block) != spatial or len(margins) != 2 * spatial:
        return None
    if spatial == 1:
        block, margins = block + [1], margins + [0, 0]
    return block, margins


def _batch_space_problems(graph, op, margin_name: str) -> list[str]:
    p = _io_problems(graph, op, (3, 4))
    if p:
        return p
    if len(graph.tensors[op.outputs[0]].shape) != len(graph.tensors[op.inputs[0]].shape):
        return ["input and output ranks differ"]
    bm = _block_and_margins(graph, op)
    if bm is None:
        return [f"the block shape and {margin_name} are not int32 constants with one entry per spatial dimension"]
    block, margins = bm
    if min(block) < 1 or min(margins) < 0:
        return [f"block shape {block} or {margin_name} {margins} out of range"]
    return []


class SpaceToBatchNd(Kernel):
    opcode = "SPACE_TO_BATCH_ND"

    def check(self, graph, op):
        p = _batch_space_problems(graph, op, "paddings")
        if p:
            return p
        (bh, bw), (pt, pb, pl, pr) = _block_and_margins(graph, op)
        inp, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        n, h, w, d = _nhwc(inp.shape)
        if (h + pt + pb) % bh or (w + pl + pr) % bw:
            return ["the padded height or width is not a multiple of the block shape"]
        if pt + pb + pl + pr and zp0(out) != 0:
            # Micro's kernel never sets SpaceToBatchParams.output_offset: it pads with whatever byte
            # its arena held (0 when fresh, anything after reuse), not with the zero point.
            return [f"padding with output zero point {zp0(out)}: TFLM pads with an uninitialized byte "
                    f"(SpaceToBatchParams.output_offset is never set), so no result can both be right "
                    f"and match it; only zero point 0 is defined"]
        expected = (n * bh * bw, (h + pt + pb) // bh, (w + pl + pr) // bw, d)
        return _shape_problem(out, expected if len(inp.shape) == 4 else expected[:2] + expected[3:])

    def lower(self, graph, op):
        inp, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        (bh, bw), (pt, _, pl, _) = _block_and_margins(graph, op)
        n, h, w, d = _nhwc(inp.shape)
        on, oh, ow, _ = _nhwc(out.shape)
        # Output batch ob takes input batch ob % n, shifted by (sy, sx) inside the block; a row or
        # column that falls in the padding is -1.
        rows = np.full((on, oh), -1, np.int64)
        cols = np.full((on, ow), -1, np.int64)
        for ob in range(on):
            b, sy, sx = ob % n, (ob // n) // bw, (ob // n) % bw
            for y in range(oh):
                src = y * bh + sy - pt
                if 0 <= src < h:
                    rows[ob, y] = (b * h + src) * w * d
            for x in range(ow):
                src = x * bw + sx - pl
                if 0 <= src < w:
                    cols[ob, x] = src * d
        return run_gather(inp, out, sets=on, rows=oh, cols=ow, run=d, row_offsets=rows, col_offsets=cols,
                          pad_value=zp0(out))


class BatchToSpaceNd(Kernel):
    opcode = "BATCH_TO_SPACE_ND"

    def check(self, graph, op):
        p = _batch_space_problems(graph, op, "crops")
        if p:
            return p
        (bh, bw), (ct, cb, cl, cr) = _block_and_margins(graph, op)
        inp, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        n, h, w, d = _nhwc(inp.shape)
        if n % (bh * bw):
            return [f"the input batch {n} is not a multiple of the block size {bh * bw}"]
        if ct + cb >= h * bh or cl + cr >= w * bw:
            return ["the crops leave nothing"]
        expected = (n // (bh * bw), h * bh - ct - cb, w * bw - cl - cr, d)
        return _shape_problem(out, expected if len(inp.shape) == 4 else expected[:2] + expected[3:])

    def lower(self, graph, op):
        inp, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        (bh, bw), (ct, _, cl, _) = _block_and_margins(graph, op)
        n, h, w, d = _nhwc(inp.shape)
        on, oh, ow, _ = _nhwc(out.shape)
        # Output pixel (b, y, x) comes from input batch (sy * bw + sx) * on + b at (iy, ix), where
        # (iy, sy) and (ix, sx) are the cropped coordinates divided by the block. The batch term
        # splits into a row part (b, sy) and a column part (sx), so the columns are shared.
        rows = [[((((y + ct) % bh) * bw * on + b) * h + (y + ct) // bh) * w * d for y in range(oh)]
                for b in range(on)]
        cols = [(((x + cl) % bw) * on * h * w + (x + cl) // bw) * d for x in range(ow)]
        return run_gather(inp, out, sets=on, rows=oh, cols=ow, run=d, row_offsets=rows, col_offsets=cols)


class Gather(Kernel):
    opcode = "GATHER"

    def _axes(self, graph, op) -> tuple[int, int]:
        rank = len(graph.tensors[op.inputs[0]].shape)
        coords_rank = len(graph.tensors[op.inputs[1]].shape)
        axis, bd = int(op.options.get("axis", 0)), int(op.options.get("batchDims", 0))
        return axis + rank if axis < 0 else axis, bd + coords_rank if bd < 0 else bd

    def check(self, graph, op):
        p = tensor_type_problems(graph, op, op.inputs[0], ("int8",), "input")
        p += tensor_type_problems(graph, op, op.outputs[0], ("int8",), "output")
        coords = graph.tensor(op.inputs[1]) if len(op.inputs) > 1 else None
        if coords is None or not coords.is_constant or coords.dtype != "int32":
            p.append("the indices are not a constant int32 tensor (TFLM takes int32 indices only)")
        if p:
            return p
        inp, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        if not _same_quant(inp, out):
            return ["input and output are quantized differently; TFLM copies the bytes without requantizing"]
        axis, bd = self._axes(graph, op)
        if not (0 <= bd <= axis < len(inp.shape) and bd <= len(coords.shape)):
            return [f"axis {axis} and batch_dims {bd} are out of range for input {list(inp.shape)} "
                    f"and indices {list(coords.shape)}"]
        if tuple(inp.shape[:bd]) != tuple(coords.shape[:bd]):
            return ["the batch dimensions of the input and the indices differ"]
        values = np.asarray(coords.data)
        if values.size and (values.min() < 0 or values.max() >= inp.shape[axis]):
            # TFLM does not check them (a debug-only assertion): it would read outside the input.
            return [f"indices outside [0, {inp.shape[axis]})"]
        expected = tuple(inp.shape[:axis]) + tuple(coords.shape[bd:]) + tuple(inp.shape[axis + 1:])
        return _shape_problem(out, expected)

    def lower(self, graph, op):
        inp, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        coords = graph.tensors[op.inputs[1]]
        axis, bd = self._axes(graph, op)
        batches, outer = _prod(inp.shape[:bd]), _prod(inp.shape[bd:axis])
        axis_size, inner = int(inp.shape[axis]), _prod(inp.shape[axis + 1:])
        index = np.asarray(coords.data, np.int64).reshape(batches, -1)
        # Output [batch][outer][index] runs of `inner` bytes; each batch has its own indices.
        rows = [o * axis_size * inner for o in range(outer)]
        cols = (np.arange(batches)[:, None] * outer * axis_size + index) * inner
        return run_gather(inp, out, sets=batches, rows=outer, cols=index.shape[1], run=inner,
                          row_offsets=rows, col_offsets=cols)
