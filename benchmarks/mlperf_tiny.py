#!/usr/bin/env python3
"""MLPerf Tiny models on QEMU: tinygen's runtime against TFLM (reference kernels and CMSIS-NN).

Measures, with the same method as ../shared/baselines/tflm-qemu.json (QEMU -icount shift=0,
SysTick ticks x 40, the benchmark input pattern, median of the runs), instructions per inference,
arena, and flash from the ELF, and prints them beside TFLM's figures. Outputs are checked against
the host TFLM reference in every run.

    python benchmarks/mlperf_tiny.py [--models ad01_int8 ...] [--cores m4 m7 m33 pico] [--json out.json]

Cores: m4 = mps2-an386, m7 = mps2-an500, m33 = mps2-an505, m0plus = m0plus-an385 (QEMU
instructions); pico = the RP2040 in
rp2040js (Cortex-M0+ cycles: the emulator counts cycles, not instructions). Beside each model it prints
the best published MLPerf Tiny latency on the reference board (NUCLEO-L4R5ZI, Cortex-M4 at 120 MHz) in
cycles, and the issue's target (0.8x those cycles, in QEMU instructions on m4). Ours are instructions in
a simulator, a lower bound on silicon cycles (which add load latency, branch refills and wait states).

With --tflm-dir TREE (a create_tflm_tree.py tree, reference or CMSIS-NN kernels) it also builds
each model with tinygen's TFLM runtime and measures TFLM here, beside the recorded baseline.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
BOARDS = {"m4": "mps2-an386", "m7": "mps2-an500", "m33": "mps2-an505", "m0plus": "m0plus-an385", "pico": "pico"}
# TFLM's reference kernels on pico in rp2040js, cycles per inference (benchmark input pattern; measured
# with `--runtime tflm` from a tflite-micro @90b983c2 tree, -O2, outputs equal host TFLM; the baseline
# file has no Cortex-M0+ figures). Remeasure with --tflm-dir.
PICO_TFLM_REF = {"kws_ref_model": 394_999_717, "ad01_int8": 4_249_891}
# tinygen on pico in rp2040js, cycles per inference, as last measured with `--cores pico --runs 1` (the
# FULLY_CONNECTED rows layout on tg_dot's ARMv6-M block, int32 input row; docs/boards.md). Printed beside each new figure.
PICO_RECORDED = {"ad01_int8": 1_415_137, "kws_ref_model": 23_631_592, "vww_96_int8": 74_220_243,
                 "pretrainedResnet_quant": 82_396_083}
MODELS = ["ad01_int8", "kws_ref_model", "vww_96_int8", "pretrainedResnet_quant"]
# Best published MLPerf Tiny latencies on NUCLEO-L4R5ZI at 120 MHz, as cycles (ms x 120,000):
# X-CUBE-AI 9.0 (v1.2) for KWS, VWW, IC; Plumerai (v1.1) for AD.
LEADERS = {"kws_ref_model": ("X-CUBE-AI 9.0", 43.2), "vww_96_int8": ("X-CUBE-AI 9.0", 88.9),
           "pretrainedResnet_quant": ("X-CUBE-AI 9.0", 165.1), "ad01_int8": ("Plumerai", 4.05)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", nargs="+", default=MODELS)
    ap.add_argument("--cores", nargs="+", default=["m4", "m7"], choices=sorted(BOARDS))
    ap.add_argument("--runs", type=int, default=3, help="inferences per model (median is reported)")
    ap.add_argument("--json", help="also write the figures to this file")
    ap.add_argument("--profile", action="store_true",
                    help="also build with -DTG_PROFILE and print instructions by operator type beside TFLM's")
    ap.add_argument("--tflm-dir", action="append", default=[], metavar="TREE",
                    help="also measure TFLM built from this tree (repeatable: e.g. a reference and a CMSIS-NN tree)")
    args = ap.parse_args()

    sys.path.insert(0, str(REPO))
    from tinygen.errors import TinygenError
    from tinygen.model.graph import load_graph
    from tinygen.model.inputs import benchmark_pattern
    from tinygen.ops import check_graph
    from tinygen.pipeline import run_model

    baseline = json.loads((SHARED / "baselines" / "tflm-qemu.json").read_text())["results"]
    rows, out = [], {}
    header = (f"{'model':24s} {'core':4s} {'tinygen':>14s} {'TFLM ref':>13s} {'CMSIS-NN':>13s} "
              f"{'vs CMSIS-NN':>11s} {'arena':>8s} {'TFLM arena':>10s} {'flash':>9s} {'TFLM flash':>10s}")
    print(header)
    print("-" * len(header))
    for name in args.models:
        path = SHARED / "models" / f"{name}.tflite"
        graph = load_graph(path)
        problems = check_graph(graph)
        if problems:
            print(f"{name:24s} skipped: {problems[0]}{' …' if len(problems) > 1 else ''}")
            continue
        shape = graph.input_tensors[0].shape
        inputs = [[benchmark_pattern(shape)] for _ in range(args.runs)]
        for core in args.cores:
            with tempfile.TemporaryDirectory() as tmp:
                try:
                    doc = run_model(path, BOARDS[core], inputs=inputs, out_dir=tmp)
                except TinygenError as exc:
                    print(f"{name:24s} {core:4s} failed: {exc}")
                    continue
            base = baseline.get(name, {})
            ref, cm = base.get(f"{core}/ref", {}), base.get(f"{core}/cmsis_nn", {})
            unit = doc.get("timer_unit", "instructions")
            ours = doc.get("cycles_per_inference") if unit == "cycles" else doc["instructions_per_inference"]
            if core == "pico" and name in PICO_TFLM_REF:
                ref = {"instructions_per_inference": PICO_TFLM_REF[name]}  # cycles there, as ours
                print(f"    pico: {PICO_TFLM_REF[name] / ours:.1f}x fewer cycles than TFLM's reference kernels")
            if core == "pico" and name in PICO_RECORDED:
                print(f"    pico: recorded {PICO_RECORDED[name]:,} cycles ({ours / PICO_RECORDED[name]:.3f}x of it now)")
            ratio = cm.get("instructions_per_inference", 0) / ours if ours else 0
            tflm_arena = min(v["arena_used_bytes"] for v in base.values()) if base else None
            leader, leader_ms = LEADERS.get(name, ("", 0.0))
            leader_cycles = round(leader_ms * 120_000)
            instr = doc.get("instructions_per_inference")
            rec = {"instructions_per_inference": instr,
                   "instructions_per_mac": round(instr / doc["macs"], 3) if instr else None,
                   "timer_unit": unit, "leader": leader, "leader_cycles_l4r5": leader_cycles,
                   "target_instructions": round(0.8 * leader_cycles),
                   "macs": doc["macs"], "arena_bytes": doc["arena_bytes"], "flash_bytes": doc["flash_bytes"],
                   "ram_bytes": doc["ram_bytes"], "all_match": doc["all_match"],
                   "tflm_ref_instructions": ref.get("instructions_per_inference"),
                   "tflm_cmsis_nn_instructions": cm.get("instructions_per_inference"),
                   "speedup_vs_cmsis_nn": round(ratio, 3), "tflm_arena_bytes": tflm_arena,
                   "tflm_cmsis_nn_flash": cm.get("flash_text_rodata")}
            out.setdefault(name, {})[core] = rec
            if args.profile:
                with tempfile.TemporaryDirectory() as tmp:
                    prof = run_model(path, BOARDS[core], inputs=inputs[:1], out_dir=tmp,
                                     extra_cflags="-DTG_PROFILE").get("profile", [])
                by_type: dict[str, int] = {}
                for p in prof:
                    by_type[p["opcode"]] = by_type.get(p["opcode"], 0) + p.get("instructions", p.get("cycles", 0))
                rec["instructions_by_op_type"] = by_type
                cm_types = cm.get("instructions_by_op_type", {})
                print("    " + ", ".join(f"{k} {v:,} (CMSIS-NN {cm_types.get(k, 0):,})" for k, v in sorted(by_type.items())))
            for tree in args.tflm_dir:
                with tempfile.TemporaryDirectory() as tmp:
                    try:
                        t = run_model(path, BOARDS[core], inputs=inputs, out_dir=tmp, runtime="tflm", tflm_dir=tree)
                    except TinygenError as exc:
                        print(f"    TFLM {tree}: failed: {exc}")
                        continue
                rec.setdefault("tflm_measured", {})[tree] = {
                    k: t.get(k) for k in ("instructions_per_inference", "arena_used_bytes", "flash_bytes", "all_match")}
                print(f"    TFLM measured here ({Path(tree).name}): {t['instructions_per_inference']:,} instructions "
                      f"(tinygen {t['instructions_per_inference'] / ours:.2f}x faster), arena used "
                      f"{t.get('arena_used_bytes', 0):,} B, flash {t['flash_bytes']:,} B, outputs equal TFLM: "
                      f"{t['all_match']}")
            if unit == "cycles":
                rec["cycles_per_inference"] = ours
                rec["cycles_per_mac"] = round(ours / doc["macs"], 3)
            print(f"{name:24s} {core:4s} {ours:>14,} {ref.get('instructions_per_inference', 0):>13,} "
                  f"{cm.get('instructions_per_inference', 0):>13,} {ratio:>10.2f}x {doc['arena_bytes']:>8,} "
                  f"{tflm_arena or 0:>10,} {doc['flash_bytes']:>9,} {cm.get('flash_text_rodata', 0):>10,}")
            per_mac = f"{ours / doc['macs']:.2f} {'cycles' if unit == 'cycles' else 'instructions'}/MAC"
            if core == "m4" and leader:
                print(f"    {doc['macs']:,} MACs, {per_mac}; best published on L4R5 ({leader}): {leader_cycles:,} "
                      f"cycles; target 0.8x = {round(0.8 * leader_cycles):,} instructions: "
                      f"{'met' if ours <= 0.8 * leader_cycles else f'{ours / (0.8 * leader_cycles):.2f}x over'}")
            else:
                print(f"    {doc['macs']:,} MACs, {per_mac}")
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=2) + "\n")
    print("\ninstructions: QEMU -icount shift=0, SysTick ticks x 40 (resolution 40); pico: cycles counted by "
          "rp2040js (SysTick at the core clock); flash: .text+.rodata+.data of the ELF (TFLM: .text+.rodata incl. "
          "the flatbuffer); TFLM figures exist for m4 and m7 (and its reference kernels for kws and ad01 on pico; 0 elsewhere); every output checked against "
          "host TFLM.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
