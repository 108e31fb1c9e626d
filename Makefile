# tinygen: `make demo` and `make test` set everything up first (idempotent; see scripts/setup.sh).
VENV ?= .venv
PY := $(VENV)/bin/python
PYTEST_ARGS ?=
# The suite runs on every core (pytest-xdist); tests that watch a simulator's processes share a group.
# The 30 slowest tests are printed at the end, so a CI log says where the time goes.
TEST_JOBS ?= auto

.PHONY: setup demo test test-quick bench clean golden

setup:
	@bash scripts/setup.sh

demo: setup
	$(VENV)/bin/tinygen demo

test: setup
	$(PY) -m pytest -n $(TEST_JOBS) --dist loadgroup --durations=30 $(PYTEST_ARGS)

# The fast loop: unit tests only (no TensorFlow conversion, no QEMU).
test-quick: setup
	$(PY) -m pytest -m "not slow" $(PYTEST_ARGS)

bench: setup
	$(PY) benchmarks/mlperf_tiny.py

clean:
	rm -rf tinygen-out build dist .pytest_cache

# After an intended change to generated code: rewrite tests/golden/*/ and review the diff.
golden: setup
	$(PY) tests/golden/regenerate.py
