"""Clock trees against the reference manuals' formulas and tables (tinygen/boards/stm32_clocks.py)."""

import pytest

from tinygen.boards.registry import BoardError, load_board, validate
from tinygen.boards.stm32_clocks import ClockError, clock_tree, usart_brr, wait_states, PARTS

MHZ = 1_000_000


@pytest.mark.parametrize("mcu,source,hz,sysclk,pll,ws", [
    # RM0390: VCO in 2 MHz (recommended), 360 MHz VCO, P 2; Table 5: 5 WS at 180 MHz
    ("STM32F446RE", "hse-bypass", 8 * MHZ, 180 * MHZ, (4, 180, 2, 8), 5),
    # RM0090: 8 MHz crystal, 336 MHz VCO, Q 7 gives exactly 48 MHz; Table 10: 5 WS at 168 MHz
    ("STM32F407VG", "hse", 8 * MHZ, 168 * MHZ, (4, 168, 2, 7), 5),
    # RM0385: 25 MHz / 25 * 432 / 2 = 216 MHz, Q 9 = 48 MHz; Table 5: 7 WS at 216 MHz
    ("STM32F746NG", "hse", 25 * MHZ, 216 * MHZ, (25, 432, 2, 9), 7),
    # RM0432: HSI16 / 1 * 15 / R 2 = 120 MHz (VCO 240 MHz); Table 12 boost: 5 WS at 120 MHz
    ("STM32L4R5ZI", "hsi", 0, 120 * MHZ, (1, 15, 2, 0), 5),
    # RM0433: 8 MHz / 1 * 120 = 960 MHz VCO, P 2 = 480 MHz; AXI 240 MHz: 4 WS (Table 17, VOS0)
    ("STM32H743ZI", "hse-bypass", 8 * MHZ, 480 * MHZ, (1, 120, 2, 4), 4),
])
def test_rated_clock_trees(mcu, source, hz, sysclk, pll, ws):
    t = clock_tree(mcu, source, hz, sysclk)
    m, n, p, q = pll
    assert (t.pll.m, t.pll.n, t.pll.p, t.pll.q) == (m, n, p, q)
    f_in = t.source_hz
    assert f_in * n // (m * p) == sysclk  # the RM's f(VCO) = f(in) * N / M, f(SYSCLK) = f(VCO) / P
    assert t.flash_latency == ws
    assert t.hclk <= t.part.max_hclk and t.apb1 <= t.part.max_apb1 and t.apb2 <= t.part.max_apb2


def test_bus_limits_and_voltage():
    f446 = clock_tree("STM32F446RE", "hse-bypass", 8 * MHZ, 180 * MHZ)
    assert (f446.apb1, f446.apb2, f446.overdrive) == (45 * MHZ, 90 * MHZ, True)
    assert not clock_tree("STM32F446RE", "hse-bypass", 8 * MHZ, 168 * MHZ).overdrive  # RM0390 5.1.4
    assert clock_tree("STM32F746NG", "hse", 25 * MHZ, 216 * MHZ).overdrive
    assert not clock_tree("STM32F746NG", "hse", 25 * MHZ, 180 * MHZ).overdrive
    h7 = clock_tree("STM32H743ZI", "hse-bypass", 8 * MHZ, 480 * MHZ)
    assert (h7.hclk, h7.apb1, h7.voltage, h7.extra["wrhighfreq"]) == (240 * MHZ, 120 * MHZ, "VOS0", 2)
    assert clock_tree("STM32L4R5ZI", "hsi", 0, 120 * MHZ).extra["boost"]


@pytest.mark.parametrize("part,edges", [
    ("STM32F407", [(30, 0), (31, 1), (150, 4), (151, 5), (168, 5)]),
    ("STM32F746", [(180, 5), (181, 6), (210, 6), (211, 7)]),
    ("STM32L4R5", [(20, 0), (21, 1), (80, 3), (81, 4), (120, 5)]),
])
def test_wait_state_table_edges(part, edges):
    for mhz, ws in edges:
        assert wait_states(PARTS[part], mhz * MHZ) == ws


@pytest.mark.parametrize("aclk,voltage,setting", [
    # RM0433 Table 17 (AXI clock): LATENCY and WRHIGHFREQ at the row edges
    (70, "VOS0", (0, 0)), (71, "VOS0", (1, 1)), (140, "VOS0", (1, 1)), (141, "VOS0", (2, 1)),
    (185, "VOS0", (2, 1)), (186, "VOS0", (2, 2)), (210, "VOS0", (2, 2)), (211, "VOS0", (3, 2)),
    (225, "VOS0", (3, 2)), (226, "VOS0", (4, 2)), (240, "VOS0", (4, 2)),
    (200, "VOS1", (2, 2)), (225, "VOS1", (3, 2)),
])
def test_h7_flash_table(aclk, voltage, setting):
    from tinygen.boards.stm32_clocks import h7_flash_setting

    assert h7_flash_setting(aclk * MHZ, voltage) == setting


def test_h7_flash_setting_follows_the_axi_clock_and_voltage():
    from tinygen.boards.stm32_clocks import h7_flash_setting

    with pytest.raises(ClockError, match="240 MHz in VOS1"):  # only VOS0 reaches 240 MHz
        h7_flash_setting(240 * MHZ, "VOS1")
    t = clock_tree("STM32H743ZI", "hse-bypass", 8 * MHZ, 400 * MHZ)  # VOS1, AXI 200 MHz: 2 WS, delay 2
    assert (t.voltage, t.hclk, t.flash_latency, t.extra["wrhighfreq"]) == ("VOS1", 200 * MHZ, 2, 2)


def test_brr_formulas():
    assert usart_brr(45 * MHZ, 115200) == 391  # 45e6 / 115200 = 390.6 (RM0390 25.4.4, OVER8 = 0)
    assert usart_brr(16 * MHZ, 115200) == 139
    assert usart_brr(120 * MHZ, 115200, lpuart=True) == 266667  # 256 * fck / baud (RM0432 51.4.6)
    with pytest.raises(ClockError):
        usart_brr(1 * MHZ, 115200)


def test_above_rated_and_impossible_are_one_line_errors():
    with pytest.raises(ClockError, match="above the rated 180 MHz"):
        clock_tree("STM32F446RE", "hse-bypass", 8 * MHZ, 200 * MHZ)
    with pytest.raises(ClockError, match="no PLL setting"):
        clock_tree("STM32F446RE", "hse", 8 * MHZ, 179_999_999)


def test_board_yaml_stm32_checks():
    raw = dict(load_board("nucleo-f446re").to_dict())
    raw["uart"] = dict(raw["uart"], instance="usart1")
    with pytest.raises(BoardError, match="uart.base 0x40004400 is not usart1's"):
        validate(raw, "b.yaml")
    raw = dict(load_board("nucleo-f446re").to_dict(), clock_hz=200_000_000)
    with pytest.raises(BoardError, match="above the rated"):
        validate(raw, "b.yaml")


def test_generated_defines_replace_the_hex_pokes():
    b = load_board("nucleo-f446re")
    d = {name: value for name, value, _ in b.generated_defines()}
    assert d["TG_CLK_PLL_N"] == "180u" and d["TG_CLK_FLASH_LATENCY"] == "5u" and d["TG_UART_BRR"] == "391u"
    assert d["TG_UART_CLOCK_ENABLE()"] == "(RCC->APB1ENR |= RCC_APB1ENR_USART2EN)"
    assert b.init is None


@pytest.mark.slow
def test_make_flash_says_how_to_install_a_tool(shared_models, tmp_path):
    import subprocess

    from tinygen.build.firmware import build_project
    from tinygen.codegen.project import generate_project

    generate_project(shared_models / "ad01_int8.tflite", "nucleo-f446re", tmp_path / "fw")
    build_project(tmp_path / "fw")
    res = subprocess.run(["make", "flash", "FLASH_TOOL="], cwd=tmp_path / "fw", capture_output=True, text=True)
    assert res.returncode != 0 and "apt-get install openocd" in res.stderr and "pip install pyocd" in res.stderr
    dry = subprocess.run(["make", "-n", "flash", "FLASH_TOOL=st-flash"], cwd=tmp_path / "fw", capture_output=True,
                         text=True)
    assert "st-flash --reset write build/firmware.bin 0x08000000" in dry.stdout


def test_generated_project_readme_says_build_flash_monitor(shared_models, tmp_path):
    from tinygen.codegen.project import generate_project

    generate_project(shared_models / "ad01_int8.tflite", "nucleo-l4r5zi", tmp_path / "fw")
    text = (tmp_path / "fw" / "README.md").read_text()
    assert "make flash" in text and "tinygen monitor --port auto" in text and "LPUART1 at 115200" in text
    header = (tmp_path / "fw" / "board" / "tg_board.h").read_text()
    assert "#define TG_CLK_BOOST 1" in header and "#define TG_UART_BRR 266667u" in header
