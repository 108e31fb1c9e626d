"""`.github/workflows/firmware.yml`: the CI workflow of a generated project. It builds the firmware
and, when a simulator models the board, installs that simulator and tinygen and runs the generated
`tests/test_firmware.py` against the built firmware there (pytest with tinygen's `dut` fixture).
Boards no simulator models (and firmware that does not speak tinygen's protocol on request)
get a workflow that only builds. Projects whose board Renode models also
keep their Robot test, in Antmicro's renode-test-action."""

from __future__ import annotations

from .templates import render
from .renode import RENODE_VERSION

# The Debian packages each job needs, beyond the compiler: the simulator tinygen starts.
SIMULATOR_APT = {"qemu": ["qemu-system-arm"], "renode": [], "rp2040js": []}
TOOLCHAIN_APT = ["gcc-arm-none-eabi", "libnewlib-arm-none-eabi", "make"]
RP2040JS_VERSION = "1.4.1"  # the version scripts/setup.sh installs and tinygen's runner is tested with
WORKFLOW = ".github/workflows/firmware.yml"


def workflow_file(*, board, runtime: str = "tinygen", tests: bool = True, **common) -> dict[str, str]:
    """{WORKFLOW: text} for a board that is not the host (the host board has no firmware to flash).
    tests: whether tests/test_firmware.py can talk to the firmware (tinygen's protocol, request
    mode); projects built for the MLPerf protocol or free-running are only built."""
    simulator = (board.simulated_by() or [None])[0] if tests else None
    apt = TOOLCHAIN_APT + (["libstdc++-arm-none-eabi-newlib"] if runtime == "tflm" else []) + \
        SIMULATOR_APT.get(simulator, [])
    return {WORKFLOW: render("firmware.yml.j2", board=board, runtime=runtime, simulator=simulator, apt=apt,
                            tests=tests, robot=bool(board.simulator.get("renode")), renode_version=RENODE_VERSION,
                            rp2040js_version=RP2040JS_VERSION, **common)}
