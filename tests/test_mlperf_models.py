"""The four MLPerf Tiny int8 models: bit-exact with TFLM on a Cortex-M4 (QEMU) and on the host
under AddressSanitizer and UndefinedBehaviorSanitizer; arenas no larger than TFLM's."""

import json

import numpy as np
import pytest

from tinygen.model.graph import load_graph
from tinygen.model.inputs import benchmark_pattern
from tinygen.pipeline import run_model

pytestmark = pytest.mark.slow
MODELS = ["ad01_int8", "kws_ref_model", "vww_96_int8", "pretrainedResnet_quant"]


def five_inputs(shape):
    rng = np.random.default_rng(2024)
    runs = [[benchmark_pattern(shape)]]
    runs += [[rng.integers(-128, 128, size=shape).astype(np.int8)] for _ in range(3)]
    runs.append([np.full(shape, 127, np.int8)])
    return runs


@pytest.mark.parametrize("name", MODELS)
def test_on_cortex_m4(shared_models, tmp_path, name):
    path = shared_models / f"{name}.tflite"
    doc = run_model(path, "mps2-an386", inputs=five_inputs(load_graph(path).input_tensors[0].shape),
                    out_dir=tmp_path, extra_cflags="-Werror")
    assert doc["all_match"] and len(doc["inferences"]) == 5
    baseline = json.loads((shared_models.parent / "baselines" / "tflm-qemu.json").read_text())["results"][name]
    assert doc["arena_bytes"] <= min(v["arena_used_bytes"] for v in baseline.values())
    print(f"{name}: {doc['instructions_per_inference']:,} instructions on M4 "
          f"(TFLM+CMSIS-NN {baseline['m4/cmsis_nn']['instructions_per_inference']:,})")


@pytest.mark.parametrize("name", MODELS)
def test_on_host_with_sanitizers(shared_models, tmp_path, name):
    path = shared_models / f"{name}.tflite"
    doc = run_model(path, "host", inputs=five_inputs(load_graph(path).input_tensors[0].shape)[:3], out_dir=tmp_path,
                    extra_cflags="-Werror -fsanitize=address,undefined -fno-sanitize-recover=all")
    assert doc["all_match"]
