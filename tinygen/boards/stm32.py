"""An STM32 board's YAML facts -> the defines its generated tg_board.h gives the register-level C
in firmware/boards/stm32/ (clock tree, UART clock gate, pins and baud-rate register, TIM2 gate).

Register and bit names are those of the family header (stm32f4_regs.h, ...), which follow the
reference manuals' names; this module only picks which ones a board uses.
"""

from __future__ import annotations

import re

from .stm32_clocks import HPRE, PPRE, ClockError, ClockTree, clock_tree, part_for, usart_brr

FAMILIES = ("stm32f4", "stm32f7", "stm32l4", "stm32h7")
# family: (register header, clock init source, UART register layout)
FAMILY_FILES = {
    "stm32f4": ("stm32f4_regs.h", "clock_f4f7.c"),
    "stm32f7": ("stm32f7_regs.h", "clock_f4f7.c"),
    "stm32l4": ("stm32l4_regs.h", "clock_l4.c"),
    "stm32h7": ("stm32h7_regs.h", "clock_h7.c"),
}
# UART instance -> (bus it is clocked from, enable register, enable bit name), per family.
# RM0090 6.3.13/6.3.14, RM0385 5.3.13/5.3.14, RM0432 6.4.19-6.4.21, RM0433 8.7.45-8.7.47.
_F4F7_UARTS = {"usart1": ("apb2", "APB2ENR", "USART1EN"), "usart6": ("apb2", "APB2ENR", "USART6EN"),
               "usart2": ("apb1", "APB1ENR", "USART2EN"), "usart3": ("apb1", "APB1ENR", "USART3EN")}
UARTS = {
    "stm32f4": _F4F7_UARTS,
    "stm32f7": _F4F7_UARTS,
    "stm32l4": {"usart1": ("apb2", "APB2ENR", "USART1EN"), "usart2": ("apb1", "APB1ENR1", "USART2EN"),
                "usart3": ("apb1", "APB1ENR1", "USART3EN"), "lpuart1": ("apb1", "APB1ENR2", "LPUART1EN")},
    "stm32h7": {"usart1": ("apb2", "APB2ENR", "USART1EN"), "usart6": ("apb2", "APB2ENR", "USART6EN"),
                "usart2": ("apb1", "APB1LENR", "USART2EN"), "usart3": ("apb1", "APB1LENR", "USART3EN")},
}
UART_BASES = {
    "stm32f4": {"usart1": 0x40011000, "usart2": 0x40004400, "usart3": 0x40004800, "usart6": 0x40011400},
    "stm32l4": {"usart1": 0x40013800, "usart2": 0x40004400, "usart3": 0x40004800, "lpuart1": 0x40008000},
    "stm32h7": {"usart1": 0x40011000, "usart2": 0x40004400, "usart3": 0x40004800, "usart6": 0x40011400},
}
UART_BASES["stm32f7"] = UART_BASES["stm32f4"]
# The register that gates the GPIO ports (bit n = port A + n) and TIM2, per family.
GPIO_ENR = {"stm32f4": "AHB1ENR", "stm32f7": "AHB1ENR", "stm32l4": "AHB2ENR", "stm32h7": "AHB4ENR"}
TIM2_ENR = {"stm32f4": "APB1ENR", "stm32f7": "APB1ENR", "stm32l4": "APB1ENR1", "stm32h7": "APB1LENR"}
# The UART register layout: SR/DR (F4) or ISR/RDR/TDR (F7, L4, H7, LPUART).
UART_DRIVER = {"stm32f4": "stm32", "stm32f7": "stm32-v2", "stm32l4": "stm32-v2", "stm32h7": "stm32-v2"}
SOURCES = {"hsi": 0, "hse": 1, "hse-bypass": 2}


def parse_pin(pin: str) -> tuple[int, int]:
    m = re.fullmatch(r"P([A-K])(\d{1,2})", str(pin).upper())
    if not m or int(m.group(2)) > 15:
        raise ClockError(f"pin '{pin}' is not a GPIO pin name like PA2")
    return ord(m.group(1)) - ord("A"), int(m.group(2))


def board_tree(board) -> ClockTree:
    c = board.clock
    return clock_tree(board.mcu, c["source"], c.get("source_hz", 0), board.clock_hz)


def check(board, where: str) -> None:
    """Validation that needs the family tables; raises ClockError (one line) on a mismatch."""
    fam = board.family
    inst = board.uart.get("instance", "")
    if inst not in UARTS[fam]:
        raise ClockError(f"{where}: uart.instance '{inst}' is not one of {', '.join(UARTS[fam])} for {fam}")
    if board.uart["base"] != UART_BASES[fam][inst]:
        raise ClockError(f"{where}: uart.base 0x{board.uart['base']:08X} is not {inst}'s "
                         f"0x{UART_BASES[fam][inst]:08X} on {fam}")
    if board.uart["driver"] != UART_DRIVER[fam]:
        raise ClockError(f"{where}: uart.driver must be {UART_DRIVER[fam]} on {fam}")
    if part_for(board.mcu).family != fam:
        raise ClockError(f"{where}: mcu {board.mcu} is not in family {fam}")
    for key in ("tx", "rx"):
        parse_pin(board.uart.get(key, ""))
    if not isinstance(board.uart.get("af"), int) or not 0 <= board.uart["af"] <= 15:
        raise ClockError(f"{where}: uart.af must be an alternate function number 0..15")
    try:
        board_tree(board)
    except ClockError as exc:
        raise ClockError(f"{where}: {exc}") from None


def defines(board) -> list[tuple[str, str, str]]:
    """(name, value, comment) for tg_board.h."""
    fam = board.family
    t = board_tree(board)
    p = t.pll
    inst = board.uart["instance"]
    bus, enr, bit = UARTS[fam][inst]
    lpuart = inst.startswith("lpuart")
    kernel = t.apb1 if bus == "apb1" else t.apb2
    baud = board.uart["baud"]
    tx, rx = parse_pin(board.uart["tx"]), parse_pin(board.uart["rx"])
    header, _ = FAMILY_FILES[fam]
    d = [
        ("TG_STM32_REGS", f'"{header}"', f"{board.mcu}: {t.part.rm}"),
        ("TG_STM32_" + fam[5:].upper(), "1", "family"),
        ("TG_CLK_SOURCE", str(SOURCES[t.source]), f"{t.source} (0 HSI, 1 HSE crystal, 2 HSE bypass)"),
        ("TG_CLK_SOURCE_HZ", f"{t.source_hz}u", ""),
        ("TG_CLK_PLL_M", f"{p.m}u", f"VCO input {p.vco_in / 1e6:g} MHz"),
        ("TG_CLK_PLL_N", f"{p.n}u", f"VCO output {p.vco_out / 1e6:g} MHz"),
        ("TG_CLK_PLL_P", f"{p.p}u", f"SYSCLK {t.sysclk / 1e6:g} MHz" if fam != "stm32l4" else "PLLR"),
        ("TG_CLK_PLL_Q", f"{p.q}u", ""),
        ("TG_CLK_PLL_R", f"{p.r}u", ""),
        ("TG_CLK_HPRE", f"{HPRE[t.ahb_div]}u", f"AHB /{t.ahb_div}: HCLK {t.hclk / 1e6:g} MHz"),
        ("TG_CLK_PPRE1", f"{PPRE[t.apb1_div]}u", f"APB1 /{t.apb1_div}: {t.apb1 / 1e6:g} MHz"),
        ("TG_CLK_PPRE2", f"{PPRE[t.apb2_div]}u", f"APB2 /{t.apb2_div}: {t.apb2 / 1e6:g} MHz"),
        ("TG_CLK_FLASH_LATENCY", f"{t.flash_latency}u", "wait states"),
        ("TG_CLK_OVERDRIVE", "1" if t.overdrive else "0", t.voltage),
    ]
    for k, v in t.extra.items():
        d.append((f"TG_CLK_{k.upper()}", str(int(v)), ""))
    d += [
        ("TG_UART_KERNEL_HZ", f"{kernel}u", f"{inst} on {bus.upper()}"),
        ("TG_UART_BRR", f"{usart_brr(kernel, baud, lpuart)}u", f"{baud} baud"),
        # If the clock set-up gives up (a ready bit that never comes, as in QEMU), the part stays at
        # its reset clock with every prescaler at 1: the UART then needs this divider.
        ("TG_UART_BRR_RESET", f"{usart_brr(t.part.reset_hz, baud, lpuart)}u",
         f"at the {t.part.reset_hz / 1e6:g} MHz reset clock"),
        ("TG_UART_CLOCK_ENABLE()", f"(RCC->{enr} |= RCC_{enr}_{bit})", ""),
        ("TG_GPIO_CLOCK_ENABLE(port)", f"(RCC->{GPIO_ENR[fam]} |= 1u << (port))", "port 0 = GPIOA"),
        ("TG_UART_TX_PORT", str(tx[0]), board.uart["tx"].upper()),
        ("TG_UART_TX_PIN", str(tx[1]), ""),
        ("TG_UART_RX_PORT", str(rx[0]), board.uart["rx"].upper()),
        ("TG_UART_RX_PIN", str(rx[1]), ""),
        ("TG_UART_AF", str(board.uart["af"]), ""),
        ("TG_TIM2_CLOCK_ENABLE()", f"(RCC->{TIM2_ENR[fam]} |= RCC_{TIM2_ENR[fam]}_TIM2EN)", ""),
    ]
    return d


def port_sources(board) -> list[str]:
    header, clock = FAMILY_FILES[board.family]
    files = ["stm32/" + header, "stm32/stm32_common.h", "stm32/" + clock, "stm32/stm32_init.c"]
    return files
