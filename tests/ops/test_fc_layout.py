"""FULLY_CONNECTED's weight layouts and the flash budget that chooses between them (no build)."""

from __future__ import annotations

import numpy as np
import pytest

from tinygen.boards.registry import load_board
from tinygen.codegen.target import target_for
from tinygen.model.graph import load_graph
from tinygen.ops.fully_connected import ROWS, WIDE, COMPACT, layout_for, pack_fc_compact, pack_fc_rows, pack_fc_wide

AD01 = "../shared/models/ad01_int8.tflite"


def unpack_wide(words, rows, depth):
    """Inverse of pack_fc_wide, written from the header's description."""
    rp, dp = -(-rows // 4) * 4, -(-depth // 8) * 8
    lanes = words.view("<i2").reshape(rp // 4, dp // 4, 4, 2, 2)  # block, group, row, parity, lane
    w = np.zeros((rp, dp), np.int64)
    for blk in range(rp // 4):
        for g in range(dp // 4):
            for r in range(4):
                for parity in range(2):
                    w[4 * blk + r, 4 * g + parity] = lanes[blk, g, r, parity, 0]
                    w[4 * blk + r, 4 * g + parity + 2] = lanes[blk, g, r, parity, 1]
    return w[:rows, :depth]


def unpack_compact(words, rows, depth):
    rp, dp = -(-rows // 4) * 4, -(-depth // 8) * 8
    b = words.view(np.int8).reshape(rp // 4, dp // 4, 2, 2, 4)  # block, group, pair, parity, byte
    w = np.zeros((rp, dp), np.int64)
    for blk in range(rp // 4):
        for g in range(dp // 4):
            for pair in range(2):
                for parity in range(2):
                    a, c = 4 * blk + 2 * pair, 4 * blk + 2 * pair + 1
                    d = 4 * g + parity
                    w[a, d], w[c, d], w[a, d + 2], w[c, d + 2] = b[blk, g, pair, parity]
    return w[:rows, :depth]


def unpack_rows(words, rows, depth):
    """Inverse of pack_fc_rows, from tg_dot.h and tg_fully_connected.h: blocks of four rows by groups
    of four bytes, rows and depth zero-padded to multiples of four (so no tail)."""
    b = words.view(np.int8)
    rp, dp = -(-rows // 4) * 4, -(-depth // 4) * 4
    assert len(b) == rp * dp
    w = np.zeros((rp, dp), np.int64)
    for blk in range(rp // 4):
        for g in range(dp // 4):
            for r in range(4):
                at = blk * 4 * dp + 16 * g + 4 * r
                w[4 * blk + r, 4 * g:4 * g + 4] = b[at:at + 4]
    assert not w[rows:].any() and not w[:, depth:].any()
    return w[:rows, :depth]


@pytest.mark.parametrize("rows,depth", [(4, 8), (5, 3), (13, 27), (1, 1), (130, 128)])
def test_rows_layout_holds_every_weight_once(rows, depth):
    w = np.random.default_rng(rows * depth).integers(-128, 128, size=(rows, depth))
    assert (unpack_rows(pack_fc_rows(w), rows, depth) == w).all()


@pytest.mark.parametrize("rows,depth", [(4, 8), (5, 3), (13, 27), (1, 1), (130, 128)])
def test_layouts_hold_every_weight_once_and_pad_with_zeros(rows, depth):
    w = np.random.default_rng(rows * depth).integers(-128, 128, size=(rows, depth))
    wide, compact = pack_fc_wide(w), pack_fc_compact(w)
    rp, dp = -(-rows // 4) * 4, -(-depth // 8) * 8
    assert len(wide) == rp * dp // 2 and len(compact) == rp * dp // 4
    assert (unpack_wide(wide, rows, depth) == w).all()
    assert (unpack_compact(compact, rows, depth) == w).all()
    assert np.abs(wide.view("<i2")).sum() == np.abs(w).sum()  # the padding is zeros


def test_wide_weights_where_flash_allows(request):
    """The fit check keeps the wide layout where the board's flash holds it and moves only as many
    layers to the compact one as a short board needs."""
    from tinygen.boards.fit import choose_layout
    from tinygen.passes.fold import fold_constants

    path = request.config.rootpath / AD01
    if not path.exists():
        pytest.skip("../shared/models not present")
    g = fold_constants(load_graph(path))
    for board in ("mps2-an386", "nucleo-l4r5zi"):  # 4 MB, 2 MB: every layer wide
        target, _, _, needs = choose_layout(g, load_board(board))
        assert not target.compact_ops and needs.compact_layers == 0, board
    target, lowered, _, needs = choose_layout(g, load_board("nucleo-f446re"))  # 512 kB: ~540 kB of weights wide
    assert 0 < needs.compact_layers < needs.compact_layers + needs.wide_layers, needs
    assert needs.flash <= 512 * 1024
    layouts = [low.params.get("layout") for low in lowered if low.kernel.startswith("tg_fully_connected")]
    assert COMPACT in layouts and WIDE in layouts, layouts


def test_layout_per_core(request):
    path = request.config.rootpath / AD01
    if not path.exists():
        pytest.skip("../shared/models not present")
    g = load_graph(path)
    assert layout_for(g, target_for(load_board("pico"))) == ROWS  # Cortex-M0+: its hand-scheduled block
    assert layout_for(g, target_for(load_board("m0plus-an385"))) == ROWS
    assert layout_for(g, target_for(load_board("mps2-an386"))) == WIDE
    assert layout_for(g, target_for(load_board("mps2-an385"))) == COMPACT
