"""Graph -> plan -> generated firmware project on disk.

`generate_project` writes a self-contained directory: the generated model code, the tinygen C
runtime, the board port, a linker script and a Makefile that needs only the compiler.
"""

from __future__ import annotations

import json
import math
import shutil
from dataclasses import dataclass, field
from types import SimpleNamespace
from pathlib import Path

from .. import __version__
from ..boards.fit import choose_layout
from ..boards.registry import TIMER_UNITS, Board, load_board
from .model_code import header_comment, model_code
from ..errors import FitError, ModelError, TinygenError
from ..passes.fold import fold_constants
from ..fsutil import staged_directory
from ..model.graph import Graph, load_graph
from ..model.io_spec import io_spec
from ..model.validate import printable
from ..ops import lower_graph
from ..passes.memory_plan import Plan, plan_memory
from .renode import renode_files
from .workflow import workflow_file
from .templates import render
from ..resources import firmware_dir
from .target import target_for

PROJECT_FILE = "tinygen.json"
RUNTIMES = ("tinygen", "tflm")


@dataclass
class Generated:
    graph: Graph
    board: Board
    plan: Plan
    files: dict[str, str]  # relative path -> text
    meta: dict
    binary_files: dict[str, bytes] = field(default_factory=dict)  # relative path -> bytes
    needs: object = None  # tinygen.boards.fit.Needs (tinygen runtime): what the model takes of the board
    port_sources: list[str] | None = None  # files of firmware/boards/ for board/ (None: the board's own)




def render_board_header(graph: Graph, board: Board, common: dict) -> str:
    summary = ""
    if board.family:
        from ..boards.stm32 import board_tree

        summary = board_tree(board).summary()
    return render("tg_board.h.j2", header_comment=header_comment(graph, f"Board facts for {board.name}."),
                  timer_unit=TIMER_UNITS[board.timer_unit], generated_defines=board.generated_defines(),
                  clock_summary=summary, **common)


MODES = ("request", "free-running")
PROTOCOLS = ("tinygen", "mlperf")
MLPERF_MODEL_VERSIONS = {"ad01": "ad01", "kws": "kws01", "vww": "vww01", "resnet": "ic01", "ic": "ic01"}


def render_project(graph: Graph, board: Board, runtime: str = "tinygen", mode: str = "request",
                   builtin_inputs: list[bytes] | None = None, protocol: str = "tinygen",
                   tflm_dir: str = "", tflm_arena: int | None = None,
                   mlperf_task: str | None = None, sdk: str | None = None, stdio: str = "uart") -> Generated:
    """sdk: None (a Makefile project with tinygen's own start-up) or "pico-sdk" (a CMake project on the
    Raspberry Pi Pico SDK: the same model code and runtime, the SDK's start-up, stdio and timer)."""
    if runtime not in RUNTIMES:
        raise TinygenError(f"runtime '{runtime}' is not available; choose one of {', '.join(RUNTIMES)}")
    if sdk is not None:
        from .pico_sdk import check_sdk, sdk_board

        check_sdk(sdk, board, runtime, stdio)
        board = sdk_board(board)
    if runtime == "tflm":
        return render_tflm_project(graph, board, mode, builtin_inputs, protocol, tflm_dir, tflm_arena, mlperf_task)
    graph = fold_constants(graph)
    # What the model needs against the board's regions, before anything is written; the compact
    # weight layout on as many layers as it takes when the widened one does not fit the flash.
    in_bytes = sum(graph.tensors[i].nbytes for i in graph.inputs)
    builtin_bytes = sum(len(b) for b in builtin_inputs) if builtin_inputs else 4 * in_bytes
    mlperf_bytes = 0
    if protocol == "mlperf":  # main.c's input buffer: ad01's window arrives as FP32
        mlperf_bytes = in_bytes * (4 if mlperf_task_of(graph, mlperf_task) == "ad01" else 1)
    _, lowered, plan, needs = choose_layout(graph, board, mode, protocol, builtin_bytes, mlperf_bytes)
    m = model_code(graph, lowered, plan)
    files = {
        "src/model.h": render("model.h.j2", m=m, runtime_version=1,
                              input_bytes=sum(b for _, b in m.inputs), output_bytes=sum(b for _, b in m.outputs)),
        "src/model.c": render("model.c.j2", m=m, sha256_bytes=", ".join(
            f"0x{b:02x}" for b in bytes.fromhex(graph.sha256))),
        "src/main.c": render_main(graph, board, mode, builtin_inputs, protocol, mlperf_task),
        **(sdk_project_files(graph, board, stdio) if sdk else board_files(graph, board, runtime, mode, protocol, m.macs)),
    }
    meta = project_meta(graph, board, runtime, mode, protocol, arena_bytes=plan.arena_bytes, macs=m.macs,
                        operators=m.op_names,
                        **({"compact_layers": needs.compact_layers} if needs.compact_layers else {}),
                        **({"sdk": sdk, "stdio": stdio} if sdk else {}))
    files[PROJECT_FILE] = json.dumps(meta, indent=2) + "\n"
    port = None
    if sdk:
        from .pico_sdk import PORT_SOURCES as port
    return Generated(graph, board, plan, files, meta, needs=needs, port_sources=port)


def sdk_project_files(graph: Graph, board: Board, stdio: str) -> dict[str, str]:
    """A pico-sdk project's board facts and build files, in place of board_files' Makefile and linker script."""
    from .pico_sdk import sdk_files

    common = dict(version=__version__, board=board, runtime="tinygen", sha256=graph.sha256,
                  model_name=Path(graph.path).name)
    return {"board/tg_board.h": render_board_header(graph, board, common), **sdk_files(board, stdio, common)}


def board_files(graph: Graph, board: Board, runtime: str, mode: str, protocol: str, macs: int,
                tflm_dir: str = "") -> dict[str, str]:
    """The files every project has whatever its runtime: board facts, Makefile, linker script, scripts
    for the simulators that model the board."""
    common = dict(version=__version__, board=board, runtime=runtime, sha256=graph.sha256,
                  model_name=Path(graph.path).name)
    files = {
        "board/tg_board.h": render_board_header(graph, board, common),
        "Makefile": render("Makefile.j2", target="firmware" if board.is_host else "firmware.elf", tflm_dir=tflm_dir,
                           **common),
    }
    if not board.is_host:
        files["board/linker.ld"] = render("linker.ld.j2", **common)
        files["README.md"] = render("README.md.j2", **common)
        files.update(workflow_file(tests=protocol == "tinygen" and mode == "request", **common))
    if board.simulator.get("renode"):
        files.update(renode_files(mode=mode, protocol=protocol, macs=macs, **common))
    if board.uf2_family:  # flashed as a UF2: how to, and how to watch it
        files["README.md"] = render("README_pico.md.j2", **common)
    files["tests/conftest.py"] = render("conftest.py.j2", **common)
    files["tests/test_firmware.py"] = render("test_firmware.py.j2", n_inputs=len(graph.inputs),
                                             n_outputs=len(graph.outputs), timer_unit=board.timer_unit, **common)
    return files


def reference_file(graph: Graph) -> bytes | None:
    """tests/reference.npz: the first default input and what the host TFLM computes for it, for the
    generated firmware test. None when the reference cannot run the model."""
    import io

    import numpy as np

    from ..model.inputs import default_inputs
    from ..model.reference import reference_outputs

    inputs = default_inputs(io_spec(graph, graph.inputs), count=1)[0]
    try:
        outputs = reference_outputs(graph.path, [inputs], len(graph.outputs))[0]
    except TinygenError:
        return None
    buf = io.BytesIO()
    np.savez(buf, **{f"input{i}": a for i, a in enumerate(inputs)}, **{f"output{i}": a for i, a in enumerate(outputs)})
    return buf.getvalue()


def project_meta(graph: Graph, board: Board, runtime: str, mode: str, protocol: str, **facts) -> dict:
    """tinygen.json: what `tinygen build`, `sim` and `eval` need to know about a project on disk."""
    return {
        "tinygen_version": __version__,
        "model": "model.tflite",
        "model_source": Path(graph.path).name,
        "model_sha256": graph.sha256,
        "board": board.name,
        "board_spec": board.to_dict(),
        "runtime": runtime,
        "mode": mode,
        "protocol": protocol,
        **facts,
        "keeps_state": graph.keeps_state,  # inferences are a stream, reset at the start of a run
        "inputs": io_spec(graph, graph.inputs),
        "outputs": io_spec(graph, graph.outputs),
        "elf": "build/firmware" if board.is_host else "build/firmware.elf",
    }


def render_tflm_project(graph: Graph, board: Board, mode: str, builtin_inputs: list[bytes] | None,
                        protocol: str, tflm_dir: str, tflm_arena: int | None,
                        mlperf_task: str | None = None) -> Generated:
    """The same project around TensorFlow Lite Micro's interpreter (see tinygen.codegen.tflm)."""
    from .carray import model_data_files
    from ..errors import UnsupportedError
    from .tflm import arena_bytes, resolver_methods, resource_variable_count

    methods = resolver_methods(graph)
    ins, outs = io_spec(graph, graph.inputs), io_spec(graph, graph.outputs)
    slots, off = [], 0
    for spec in ins + outs:  # inputs then outputs, packed in the I/O buffer
        slots.append((off, spec["bytes"]))
        off += (spec["bytes"] + 15) // 16 * 16
    in_bytes, out_bytes = sum(s["bytes"] for s in ins), sum(s["bytes"] for s in outs)
    arena = arena_bytes(board, off, tflm_arena)
    if not board.is_host:  # the flatbuffer itself is in flash; TFLM's code is known after the build (check_elf)
        from ..boards.fit import Needs, refusal

        needs = Needs(arena=arena, stack=board.stack_bytes, io=off, weights=graph.size_bytes, code=0,
                      weights_label="the model")
        why = refusal(needs, board, graph.path)
        if why:
            raise FitError(why)
    try:
        macs = sum(low.macs for low in lower_graph(fold_constants(graph), target_for(board)))
    except UnsupportedError:  # TFLM runs operators tinygen's runtime lacks; count only for the timeout
        macs = 200 * sum(t.nbytes for t in graph.tensors if t.is_constant)
    comment = header_comment(graph, f"{Path(graph.path).name} on TensorFlow Lite Micro.")
    m = SimpleNamespace(header_comment=comment, arena_bytes=arena, inputs=slots[:len(ins)],
                        outputs=slots[len(ins):], sha256=graph.sha256)
    data = model_data_files(graph.flatbuffer, "model_data", Path(graph.path).name)
    files = {
        "src/model.h": render("model.h.j2", m=m, runtime_version=1, input_bytes=in_bytes, output_bytes=out_bytes),
        "src/model_tflm.cc": render("model_tflm.cc.j2", m=m, methods=methods, inputs=m.inputs, outputs=m.outputs,
                                    resource_variables=resource_variable_count(graph),
                                    sha256_bytes=", ".join(f"0x{b:02x}" for b in bytes.fromhex(graph.sha256))),
        "src/model_data.h": data["model_data.h"],
        "src/model_data.c": data["model_data.c"],
        "src/main.c": render_main(graph, board, mode, builtin_inputs, protocol, mlperf_task),
        **board_files(graph, board, "tflm", mode, protocol, macs, tflm_dir),
    }
    meta = project_meta(graph, board, "tflm", mode, protocol, arena_bytes=arena, macs=macs,
                        operators=[op.opcode for op in graph.operators], tflm_resolver=methods)
    files[PROJECT_FILE] = json.dumps(meta, indent=2) + "\n"
    return Generated(graph, board, None, files, meta)


MLPERF_TASKS = ("kws01", "vww01", "ic01", "ad01")
# What each benchmark's reference submission (mlcommons/tiny benchmark/reference_submissions) puts on the
# wire and what its th_load_tensor does with it: 0 int8 as is, 1 uint8 RGB minus 128, 2 FP32LE
# quantized on the device. The C side is tg_mlperf.c (TG_MLPERF_*).
MLPERF_INPUT_KINDS = {"kws01": 0, "vww01": 1, "ic01": 1, "ad01": 2}


def mlperf_model_version(graph: Graph) -> str:
    stem = Path(graph.path).stem.lower()
    return next((v for k, v in MLPERF_MODEL_VERSIONS.items() if k in stem), stem[:32] or "tinygen")


def mlperf_task_of(graph: Graph, task: str | None) -> str:
    """The benchmark whose semantics the firmware follows: --mlperf-task, else the model file's name."""
    import numpy as np

    # The harness's own int8 contract comes first: no task name makes a float model fit it.
    if any(t.dtype != "int8" for t in graph.input_tensors + graph.output_tensors):
        raise TinygenError(f"{graph.path}: --protocol mlperf needs int8 model input and output (the harness "
                           f"dequantizes the int8 output itself)")
    if task is None:
        task = mlperf_model_version(graph)
        if task not in MLPERF_TASKS:
            raise TinygenError(f"{graph.path}: cannot tell the MLPerf Tiny benchmark from the file name; "
                               f"give --mlperf-task ({', '.join(MLPERF_TASKS)})")
    if task not in MLPERF_TASKS:
        raise TinygenError(f"MLPerf task '{task}' is not one of {', '.join(MLPERF_TASKS)}")
    if len(graph.input_tensors) != 1 or len(graph.output_tensors) != 1:
        raise TinygenError(f"{graph.path}: --protocol mlperf needs one input and one output tensor")
    if task == "ad01" and int(np.prod(graph.input_tensors[0].shape)) != int(np.prod(graph.output_tensors[0].shape)):
        raise TinygenError(f"{graph.path}: ad01's anomaly score compares the output with the input window; "
                           f"their sizes differ")
    return task


def render_main(graph: Graph, board: Board, mode: str, builtin_inputs: list[bytes] | None,
                protocol: str = "tinygen", mlperf_task: str | None = None) -> str:
    from .c_literals import c_int_list, c_number
    from ..model.inputs import default_inputs

    if mode not in MODES:
        raise TinygenError(f"mode '{mode}' is not one of {', '.join(MODES)}")
    if protocol not in PROTOCOLS:
        raise TinygenError(f"protocol '{protocol}' is not one of {', '.join(PROTOCOLS)}")
    comment = header_comment(graph, "Firmware entry point.")
    if protocol == "mlperf":
        import numpy as np

        task = mlperf_task_of(graph, mlperf_task)
        out, inp = graph.output_tensors[0], graph.input_tensors[0]
        cfg = dict(model_version=task, input_kind=MLPERF_INPUT_KINDS[task],
                   db_bytes=int(np.prod(inp.shape)) * (4 if task == "ad01" else 1),
                   input_scale=c_number(float(inp.scale[0]) if inp.scale.size else 1.0),
                   input_zero_point=int(inp.zero_point[0]) if inp.zero_point.size else 0,
                   output_scale=c_number(float(out.scale[0]) if out.scale.size else 1.0),
                   output_zero_point=int(out.zero_point[0]) if out.zero_point.size else 0, clock_hz=board.clock_hz)
        return render("main.c.j2", header_comment=comment, free_running=False, mlperf=cfg)
    if mode == "request":
        return render("main.c.j2", header_comment=comment, free_running=False, mlperf=None)
    if not builtin_inputs:
        import numpy as np

        runs = default_inputs(io_spec(graph, graph.inputs))
        builtin_inputs = [b"".join(np.ascontiguousarray(a).tobytes() for a in r) for r in runs]
    import numpy as np

    values = np.frombuffer(b"".join(builtin_inputs), dtype=np.int8)
    return render("main.c.j2", header_comment=comment, free_running=True, mlperf=None,
                  builtin_count=len(builtin_inputs),
                  builtin_values=c_int_list(values, per_line=24, indent="    "))


def generate_project(model: str | Path | Graph, board: str | Board, out_dir: str | Path, runtime: str = "tinygen",
                     mode: str = "request", builtin_inputs: list[bytes] | None = None,
                     protocol: str = "tinygen", tflm_dir: str | None = None,
                     tflm_arena: int | None = None, record_reference: bool = False,
                     mlperf_task: str | None = None, sdk: str | None = None, stdio: str = "uart") -> Generated:
    """Renders the project in memory and writes it to out_dir; the returned Generated (with
    `meta["dir"]` set) is what build and the device session take, so nothing is read back."""
    graph = model if isinstance(model, Graph) else load_graph(model)
    board = load_board(board) if isinstance(board, str) else board
    if runtime == "tflm":
        from .tflm import resolve_tflm_dir

        tflm_dir = resolve_tflm_dir(tflm_dir)
    gen = render_project(graph, board, runtime, mode, builtin_inputs, protocol, tflm_dir or "", tflm_arena,
                         mlperf_task, sdk, stdio)
    if record_reference and not sdk:  # for tests/ (`tinygen run` checks against TFLM anyway); none in SDK projects
        ref = reference_file(graph)
        if ref is not None:
            gen.binary_files["tests/reference.npz"] = ref
    write_project(gen, Path(out_dir))
    gen.meta["dir"] = str(Path(out_dir))
    return gen


def write_project(gen: Generated, out_dir: Path) -> None:
    fw = firmware_dir()
    with staged_directory(out_dir, PROJECT_FILE) as stage:
        for rel, text in gen.files.items():
            p = stage / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(text)
        for rel, data in gen.binary_files.items():
            (stage / rel).parent.mkdir(parents=True, exist_ok=True)
            (stage / rel).write_bytes(data)
        shutil.copytree(fw / "runtime", stage / "runtime")  # the kernels
        shutil.copytree(fw / "app", stage / "app")  # the app, the serial link and the MLPerf harness
        for rel in gen.port_sources if gen.port_sources is not None else gen.board.port_sources():
            shutil.copy2(fw / "boards" / rel, stage / "board" / Path(rel).name)
        (stage / "model.tflite").write_bytes(gen.graph.flatbuffer)


def load_project(path: str | Path) -> dict:
    p = Path(path) / PROJECT_FILE
    if not p.is_file():
        raise TinygenError(f"{path}: not a tinygen project (no {PROJECT_FILE}; create one with tinygen project)")
    try:
        meta = json.loads(p.read_bytes())
    except (ValueError, RecursionError) as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise ModelError(f"{p}: unreadable ({printable(exc, 100)})") from None
    problem = project_problem(meta)
    if problem:
        raise ModelError(f"{p}: {problem} (regenerate the project with tinygen project)")
    meta["dir"] = str(Path(path))
    return meta


def project_problem(meta) -> str | None:
    """What is wrong with a tinygen.json (hand-edited or damaged), or None: the fields the build and
    run stages read, with their types, and the board spec validated as a board file is."""
    from ..boards.registry import validate
    from ..model.validate import ITEMSIZE

    if not isinstance(meta, dict):
        return "not a JSON object"
    need = {"model": str, "model_sha256": str, "board": str, "board_spec": dict, "runtime": str, "elf": str,
            "arena_bytes": int, "inputs": list, "outputs": list, "model_source": str}
    for key, typ in need.items():
        if not isinstance(meta.get(key), typ) or isinstance(meta.get(key), bool):
            return f"'{key}' is missing or not a {typ.__name__}"
    if meta["runtime"] not in RUNTIMES:
        return f"runtime '{printable(meta['runtime'], 30)}' is not one of {', '.join(RUNTIMES)}"
    if len(meta["model_sha256"]) != 64 or any(c not in "0123456789abcdef" for c in meta["model_sha256"]):
        return "model_sha256 is not a sha256"
    for key in ("model", "elf"):
        rel = Path(meta[key])
        if rel.is_absolute() or ".." in rel.parts or not meta[key]:
            return f"'{key}' must be a path inside the project"
    if not 0 <= meta["arena_bytes"] < 1 << 32 or not isinstance(meta.get("macs", 0), int):
        return "arena_bytes or macs out of range"
    try:
        validate(dict(meta["board_spec"], timer=dict(meta["board_spec"].get("timer") or {})), "board_spec")
    except TinygenError as exc:
        return printable(exc, 120)
    for kind in ("inputs", "outputs"):
        if not meta[kind]:
            return f"no {kind}"
        for k, spec in enumerate(meta[kind]):
            if not isinstance(spec, dict):
                return f"{kind}[{k}] is not an object"
            shape, dtype = spec.get("shape"), spec.get("dtype")
            if (not isinstance(shape, list) or len(shape) > 6
                    or not all(isinstance(d, int) and not isinstance(d, bool) and 0 < d < 1 << 31 for d in shape)):
                return f"{kind}[{k}]: shape is not a list of positive integers"
            if not isinstance(dtype, str) or not ITEMSIZE.get(dtype):
                return f"{kind}[{k}]: dtype '{printable(dtype, 20)}' is not a tensor type"
            if spec.get("bytes") != math.prod(shape) * ITEMSIZE[dtype]:
                return f"{kind}[{k}]: bytes do not match its shape and dtype"
            if not isinstance(spec.get("name", ""), str):
                return f"{kind}[{k}]: name is not a string"
            scale, zp = spec.get("scale", []), spec.get("zero_point", [])
            if (not isinstance(scale, list) or not isinstance(zp, list)
                    or not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) and v > 0
                               for v in scale)
                    or not all(isinstance(v, int) and not isinstance(v, bool) for v in zp)):
                return f"{kind}[{k}]: scale and zero_point must be lists of positive numbers and integers"
    return None
