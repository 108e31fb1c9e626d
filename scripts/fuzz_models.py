#!/usr/bin/env python3
"""Fuzz tinygen with damaged copies of the shared MLPerf Tiny models and summarise by cause.

    scripts/fuzz_models.py -n 20000 --seed 1            # inspect + project generation, in-process
    scripts/fuzz_models.py -n 3000 --asan 500           # and build 500 accepted mutants for the host
                                                        # board under AddressSanitizer, run them

Exit status 1 if any mutant ends in a traceback or a bad error (several lines, control characters,
300 characters or more, or a tinygen-bug line), or an ASan run is not clean.
"""

from __future__ import annotations

import argparse
import collections
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.model.mutate import cause, mutate, run_one  # noqa: E402

MODELS = ["ad01_int8.tflite", "kws_ref_model.tflite", "vww_96_int8.tflite", "pretrainedResnet_quant.tflite"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=10000, help="mutants (default 10000)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--models", default=str(REPO.parent / "shared" / "models"), help="folder of the MLPerf models")
    ap.add_argument("--asan", type=int, default=0, metavar="N", help="build and run N accepted mutants under ASan")
    ap.add_argument("--work", default=str(Path.home() / ".cache" / "tinygen" / "fuzz"), help="ASan build folder")
    ap.add_argument("--show", type=int, default=3, help="examples shown per failing cause")
    args = ap.parse_args()

    sources = {m: (Path(args.models) / m).read_bytes() for m in MODELS}
    rng = random.Random(args.seed)
    counts = collections.Counter()
    causes = collections.Counter()
    failures = collections.defaultdict(list)
    accepted = []
    started = time.monotonic()
    for k in range(args.n):
        model = rng.choice(MODELS)
        data, how = mutate(sources[model], rng)
        outcome, detail = run_one(data, f"{Path(model).stem}-{k}.tflite")
        counts[outcome] += 1
        if outcome == "rejected":
            causes[cause(detail)] += 1
        elif outcome == "accepted":
            if data not in (sources[model],):
                accepted.append((k, model, how, data))
        else:
            failures[(outcome, detail.split(":")[0] if outcome == "traceback" else cause(detail))].append(
                (k, model, how, detail))
        if (k + 1) % 1000 == 0:
            print(f"  {k + 1} mutants, {time.monotonic() - started:.0f} s: {dict(counts)}", file=sys.stderr)
    print(f"{args.n} mutants (seed {args.seed}) in {time.monotonic() - started:.0f} s: " +
          ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    print("rejections by cause (most common 40):")
    for c, n in causes.most_common(40):
        print(f"  {n:6d}  {c}")
    print(f"{len(causes)} distinct causes")
    for (outcome, key), items in sorted(failures.items(), key=lambda kv: -len(kv[1])):
        print(f"FAIL {outcome} x{len(items)}: {key}")
        for k, model, how, detail in items[:args.show]:
            print(f"    #{k} {model} {how}: {detail[:300]}")
    bad = sum(len(v) for v in failures.values())
    if args.asan:
        bad += asan_runs(accepted, args.asan, Path(args.work), rng)
    return 1 if bad else 0


def asan_runs(accepted, n: int, work: Path, rng: random.Random) -> int:
    """Builds up to n distinct accepted mutants for the host board with -fsanitize=address and runs
    each on the deterministic inputs; returns how many were not clean."""
    from tests.model.asan import AsanBuilder

    unique = list({data: (k, model, how, data) for k, model, how, data in accepted}.values())
    rng.shuffle(unique)
    builder = AsanBuilder(work)
    dirty = 0
    started = time.monotonic()
    for j, (k, model, how, data) in enumerate(unique[:n]):
        ok, detail = builder.check(data, f"{Path(model).stem}-{k}")
        if not ok:
            dirty += 1
            print(f"ASAN FAIL #{k} {model} {how}: {detail}")
        if (j + 1) % 25 == 0:
            print(f"  asan {j + 1}/{min(n, len(unique))}, {time.monotonic() - started:.0f} s, not clean {dirty}",
                  file=sys.stderr)
    print(f"ASan: {min(n, len(unique))} accepted mutants built and run for the host board, {dirty} not clean")
    return dirty


if __name__ == "__main__":
    sys.exit(main())
