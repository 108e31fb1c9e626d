import hashlib
import re

from tinygen.cli.main import main


def test_carray_is_reproducible_and_complete(shared_models, tmp_path):
    model = shared_models / "ad01_int8.tflite"
    assert main(["carray", str(model), "-o", str(tmp_path / "a")]) == 0
    assert main(["carray", str(model), "-o", str(tmp_path / "b")]) == 0
    for name in ("model_data.c", "model_data.h"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    c = (tmp_path / "a" / "model_data.c").read_text()
    data = model.read_bytes()
    assert hashlib.sha256(data).hexdigest() in c
    assert "aligned(16)" in c and f"model_data_len = {len(data)}u" in c
    values = bytes(int(h, 16) for h in re.findall(r"0x([0-9a-f]{2})", c.split("= {", 1)[1]))
    assert values == data
    assert not re.search(r"20\d\d-\d\d-\d\d", c)  # no timestamp
