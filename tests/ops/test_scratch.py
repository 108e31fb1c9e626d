"""Kernel scratch sizes are stated twice, once for each language: tinygen/ops/scratch.py (what the
memory planner reserves) and the C runtime's `*_scratch_bytes()` beside each kernel. This compiles
the C ones on the host and checks that both agree on many parameter sets."""

from __future__ import annotations

import inspect
import re
import subprocess

import numpy as np
import pytest

from tinygen.ops import scratch
from tinygen.resources import firmware_dir

HEADERS = {
    "tg_conv_packed_": ("tg_conv_packed.h", "tg_conv_packed_params"),
    "tg_depthwise_packed_": ("tg_depthwise_packed.h", "tg_depthwise_packed_params"),
    "tg_average_pool2d_": ("tg_pool2d.h", "tg_pool2d_params"),
    "tg_mean_": ("tg_mean.h", "tg_mean_params"),
    "tg_svdf_": ("tg_svdf.h", "tg_svdf_params"),
    "tg_lstm_": ("tg_lstm.h", "tg_lstm_params"),
    "tg_transpose_conv_s16": ("tg_int16.h", "tg_transpose_conv_params"),
    "tg_transpose_conv_": ("tg_transpose_conv.h", "tg_transpose_conv_params"),
    "tg_fully_connected_": ("tg_fully_connected.h", "tg_fully_connected_params"),
}


def fields_of(fn) -> list[str]:
    return sorted(set(re.findall(r'p\["(\w+)"\]', inspect.getsource(fn))))


def cases(fields, rng, n=40):
    for i in range(n):
        d = {f: int(rng.integers(1, 40)) for f in fields}
        if i % 3 == 0:  # the in-place 1x1 convolution
            d.update({k: 1 for k in ("k_h", "k_w", "stride_h", "stride_w") if k in d})
            d.update({k: 0 for k in ("pad_top", "pad_left") if k in d})
            if "out_h" in d and "in_h" in d:
                d["out_h"], d["out_w"] = d["in_h"], d.get("in_w", 1)
        yield d


def test_every_kernel_with_scratch_has_a_c_size_function():
    assert set(HEADERS) == set(scratch.SCRATCH)


def test_python_and_c_sizes_agree(tmp_path):
    rng = np.random.default_rng(7)
    fw = firmware_dir()
    src, expected = ["#include <stdio.h>"], []
    body = []
    for prefix, (fn, c_fn) in scratch.SCRATCH.items():
        header, ptype = HEADERS[prefix]
        src.append(f'#include "{header}"')
        for d in cases(fields_of(fn), rng):
            init = ", ".join(f".{k} = {v}" for k, v in d.items())
            body.append(f"    {{ const {ptype} p = {{ {init} }}; printf(\"%ld\\n\", (long){c_fn}(&p)); }}")
            expected.append(fn(d))
    src += ["int main(void)", "{"] + body + ["    return 0;", "}"]
    (tmp_path / "check.c").write_text("\n".join(src) + "\n")
    sources = [str(fw / "runtime" / "src" / f) for f in
               ("tg_conv_packed.c", "tg_depthwise_packed.c", "tg_pool2d.c", "tg_mean.c", "tg_svdf.c",
                "tg_transpose_conv.c", "tg_lstm.c", "tg_sigmoid_s16.c", "tg_dot.c", "tg_fully_connected.c",
                "tg_int16_conv.c")]
    out = tmp_path / "check"
    cc = subprocess.run(["cc", "-std=c99", "-O1", "-I", str(fw / "runtime" / "include"), str(tmp_path / "check.c"),
                         *sources, "-o", str(out), "-lm"], capture_output=True, text=True)
    if cc.returncode:
        pytest.fail(cc.stderr[-3000:])
    got = [int(v) for v in subprocess.run([str(out)], capture_output=True, text=True, check=True).stdout.split()]
    assert got == expected
