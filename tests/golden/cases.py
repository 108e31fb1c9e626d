"""The golden projects: which model on which board, and what of the generated project is compared
(the files tinygen generates, not the runtime sources it copies)."""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent

CASES = {
    "tiny_cnn-mps2-an386": ("tiny_cnn.tflite", "mps2-an386"),
    "tiny_mlp-netduinoplus2": ("tiny_mlp.tflite", "netduinoplus2"),
}


def render_case(name: str) -> dict[str, str]:
    from tinygen.boards.registry import load_board
    from tinygen.codegen.project import render_project
    from tinygen.model.graph import load_graph

    model, board = CASES[name]
    graph = load_graph(HERE / model)
    graph.path = model  # generated files name the model; keep this machine's paths out of them
    return render_project(graph, load_board(board)).files
