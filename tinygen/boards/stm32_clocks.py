"""STM32 clock trees computed from a board's data: PLL factors, bus prescalers, voltage scaling,
flash wait states and the UART's baud-rate register, per family, from the reference manuals.

The C clock code (firmware/boards/stm32/clock_*.c) writes what this module computes, through
defines in the generated tg_board.h; nothing here is a magic number in a board YAML.

Reference manuals: RM0090 (STM32F405/407), RM0390 (STM32F446), RM0385 (STM32F74x), RM0432
(STM32L4+, L4R5) and RM0433 (STM32H742/743/753/750).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from ..errors import TinygenError

MHZ = MHz = 1_000_000


class ClockError(TinygenError):
    pass


@dataclass(frozen=True)
class Part:
    """What a part's reference manual allows, as far as the clock tree needs it."""

    family: str  # stm32f4, stm32f7, stm32l4, stm32h7
    rm: str
    max_sysclk: int
    max_hclk: int
    max_apb1: int
    max_apb2: int
    reset_hz: int  # the clock the part runs on out of reset (and falls back to)
    # flash wait states: upper HCLK bound (Hz) of 0, 1, 2 ... wait states, at the voltage set below
    wait_states: tuple[int, ...]
    overdrive_above: int | None = None  # F446/F7: Over-drive mode needed above this SYSCLK
    has_pllr: bool = False  # F446: PLLR field in RCC_PLLCFGR (kept at its reset value 2)


PARTS = {
    # RM0090 5.1.3 (scale 1 up to 168 MHz), 6.3.3 (APB1 <= 42 MHz, APB2 <= 84 MHz) and Table 10
    # "Number of wait states according to CPU clock (HCLK) frequency", 2.7 V - 3.6 V column.
    "STM32F405": Part("stm32f4", "RM0090", 168 * MHz, 168 * MHz, 42 * MHz, 84 * MHz, 16 * MHz,
                      (30 * MHz, 60 * MHz, 90 * MHz, 120 * MHz, 150 * MHz, 168 * MHz)),
    "STM32F407": Part("stm32f4", "RM0090", 168 * MHz, 168 * MHz, 42 * MHz, 84 * MHz, 16 * MHz,
                      (30 * MHz, 60 * MHz, 90 * MHz, 120 * MHz, 150 * MHz, 168 * MHz)),
    # RM0390 5.1.4 (Over-drive above 168 MHz in scale 1), 6.3.3 (APB1 <= 45, APB2 <= 90 MHz) and
    # Table 5 "Number of wait states according to CPU clock (HCLK) frequency", 2.7 V - 3.6 V.
    "STM32F446": Part("stm32f4", "RM0390", 180 * MHz, 180 * MHz, 45 * MHz, 90 * MHz, 16 * MHz,
                      (30 * MHz, 60 * MHz, 90 * MHz, 120 * MHz, 150 * MHz, 180 * MHz),
                      overdrive_above=168 * MHz, has_pllr=True),
    # RM0385 4.1.4 (Over-drive above 180 MHz), 5.3.3 (APB1 <= 54, APB2 <= 108 MHz) and Table 5
    # "Number of wait states according to CPU clock (HCLK) frequency", 2.7 V - 3.6 V.
    "STM32F746": Part("stm32f7", "RM0385", 216 * MHz, 216 * MHz, 54 * MHz, 108 * MHz, 16 * MHz,
                      (30 * MHz, 60 * MHz, 90 * MHz, 120 * MHz, 150 * MHz, 180 * MHz, 210 * MHz, 216 * MHz),
                      overdrive_above=180 * MHz),
    # RM0432 5.1.8 (Range 1 boost mode above 80 MHz), 6.2 (MSI 4 MHz at reset) and Table 12
    # "Number of wait states according to CPU clock (HCLK) frequency", Range 1 boost column.
    "STM32L4R5": Part("stm32l4", "RM0432", 120 * MHz, 120 * MHz, 120 * MHz, 120 * MHz, 4 * MHz,
                      (20 * MHz, 40 * MHz, 60 * MHz, 80 * MHz, 100 * MHz, 120 * MHz)),
    # RM0433 6.6.2 (VOS0 for rev V silicon up to 480 MHz), 8.5.6 (HSI 64 MHz at reset, AXI/AHB
    # <= 240 MHz, APBx <= 120 MHz); flash latency from H7_FLASH_TABLE below (the tuple here is its
    # VOS0 latency steps, for wait_states()).
    "STM32H743": Part("stm32h7", "RM0433", 480 * MHz, 240 * MHz, 120 * MHz, 120 * MHz, 64 * MHz,
                      (70 * MHz, 140 * MHz, 210 * MHz, 225 * MHz, 240 * MHz)),
}
# RM0433 Table 17 "FLASH recommended number of wait states and programming delay", against the AXI
# interface clock (ACLK = HCLK, not SYSCLK): rows (up to ACLK, LATENCY, WRHIGHFREQ) for VOS0 and VOS1
# (the rows are the same up to 225 MHz; only VOS0 reaches 240 MHz). Note the two 2-WS rows: above
# 185 MHz the latency stays 2 but the programming delay goes to 2.
H7_FLASH_TABLE = {
    "VOS1": ((70 * MHz, 0, 0), (140 * MHz, 1, 1), (185 * MHz, 2, 1), (210 * MHz, 2, 2), (225 * MHz, 3, 2)),
    "VOS0": ((70 * MHz, 0, 0), (140 * MHz, 1, 1), (185 * MHz, 2, 1), (210 * MHz, 2, 2), (225 * MHz, 3, 2),
             (240 * MHz, 4, 2)),
}


def h7_flash_setting(aclk: int, voltage: str) -> tuple[int, int]:
    """(FLASH_ACR.LATENCY, FLASH_ACR.WRHIGHFREQ) for the AXI clock at the voltage scale (RM0433 Table 17)."""
    for top, latency, delay in H7_FLASH_TABLE[voltage]:
        if aclk <= top:
            return latency, delay
    raise ClockError(f"RM0433: no flash setting for an AXI clock of {aclk / MHZ:g} MHz in {voltage}")


def part_for(mcu: str) -> Part:
    for prefix, part in PARTS.items():
        if mcu.upper().startswith(prefix):
            return part
    raise ClockError(f"mcu '{mcu}': no clock data (known parts: {', '.join(PARTS)})")


@dataclass(frozen=True)
class Pll:
    m: int
    n: int
    p: int  # SYSCLK divider (F4/F7, H7 DIVP1) or R (L4: PLLCLK = VCO / R)
    q: int
    r: int
    vco_in: int
    vco_out: int


@dataclass
class ClockTree:
    part: Part
    source: str  # hsi, hse, hse-bypass
    source_hz: int
    sysclk: int
    hclk: int
    apb1: int
    apb2: int
    pll: Pll
    ahb_div: int
    apb1_div: int
    apb2_div: int
    flash_latency: int
    voltage: str  # what the PWR registers are set to, in the RM's words
    overdrive: bool
    extra: dict = field(default_factory=dict)

    def summary(self) -> str:
        p = self.pll
        return (f"{self.source.upper()} {self.source_hz / MHZ:g} MHz / M {p.m} * N {p.n} / P {p.p} = "
                f"{self.sysclk / MHZ:g} MHz; AHB {self.hclk / MHZ:g}, APB1 {self.apb1 / MHZ:g}, "
                f"APB2 {self.apb2 / MHZ:g} MHz; {self.flash_latency} wait states; {self.voltage}"
                + ("; over-drive" if self.overdrive else ""))


def _pll_search(f_in: int, target: int, ms, vco_in: tuple[int, int], vco_out: tuple[int, int], ns, ps):
    """Every (M, N, P) with f_in / M * N / P == target exactly inside the RM's VCO ranges,
    best first: the highest VCO input frequency (least jitter, RM0090 6.3.2), then the smallest P."""
    found = []
    for m in ms:
        fin = Fraction(f_in, m)
        if not vco_in[0] <= fin <= vco_in[1]:
            continue
        for p in ps:
            n = Fraction(target * p) / fin
            if n.denominator != 1 or int(n) not in ns:
                continue
            vco = fin * int(n)
            if vco_out[0] <= vco <= vco_out[1]:
                found.append((-fin, p, m, int(n), int(vco)))
    if not found:
        raise ClockError(f"no PLL setting gives {target / MHZ:g} MHz from {f_in / MHZ:g} MHz")
    _, p, m, n, vco = min(found)
    return m, n, p, Fraction(f_in, m), vco


def _div_for(clock: int, limit: int, choices=(1, 2, 4, 8, 16)) -> int:
    for d in choices:
        if clock // d <= limit and clock % d == 0:
            return d
    raise ClockError(f"no prescaler brings {clock / MHZ:g} MHz under {limit / MHZ:g} MHz")


def wait_states(part: Part, hclk: int) -> int:
    for ws, top in enumerate(part.wait_states):
        if hclk <= top:
            return ws
    raise ClockError(f"{part.rm}: no wait-state setting for HCLK {hclk / MHZ:g} MHz")


def clock_tree(mcu: str, source: str, source_hz: int, sysclk: int) -> ClockTree:
    part = part_for(mcu)
    if sysclk > part.max_sysclk:
        raise ClockError(f"{mcu}: {sysclk / MHZ:g} MHz is above the rated {part.max_sysclk / MHZ:g} MHz ({part.rm})")
    if source not in ("hsi", "hse", "hse-bypass"):
        raise ClockError(f"clock source '{source}' is not one of hsi, hse, hse-bypass")
    if source == "hsi":
        source_hz = {"stm32h7": 64 * MHZ}.get(part.family, 16 * MHZ)
    return {"stm32f4": _tree_f4f7, "stm32f7": _tree_f4f7, "stm32l4": _tree_l4,
            "stm32h7": _tree_h7}[part.family](part, source, source_hz, sysclk)


def _tree_f4f7(part: Part, source: str, f_in: int, sysclk: int) -> ClockTree:
    # RM0090/RM0390/RM0385 "RCC PLL configuration register": VCO input 1-2 MHz (2 MHz
    # recommended), M 2..63, N 50..432 (F446/F7: 50..432), VCO output 100-432 MHz, P in 2, 4, 6, 8;
    # Q 2..15 gives the 48 MHz clock (USB OTG FS, SDIO), which must not exceed 48 MHz.
    m, n, p, _, vco = _pll_search(f_in, sysclk, range(2, 64), (1 * MHZ, 2 * MHZ), (100 * MHZ, 432 * MHZ),
                                  range(50, 433), (2, 4, 6, 8))
    q = next(q for q in range(2, 16) if vco // q <= 48 * MHZ)
    ahb = _div_for(sysclk, part.max_hclk)
    hclk = sysclk // ahb
    d1, d2 = _div_for(hclk, part.max_apb1), _div_for(hclk, part.max_apb2)
    overdrive = part.overdrive_above is not None and sysclk > part.overdrive_above
    # RM0090 5.4.1 PWR_CR.VOS is one bit on F405/407 (1 = scale 1); F446/F7 have VOS[1:0] (3 = scale 1).
    vos = 1 if part.rm == "RM0090" else 3
    return ClockTree(part, source, f_in, sysclk, hclk, hclk // d1, hclk // d2,
                     Pll(m, n, p, q, 2 if part.has_pllr else 0, f_in // m, vco), ahb, d1, d2,
                     wait_states(part, hclk), "voltage scale 1", overdrive, {"vos": vos})


def _tree_l4(part: Part, source: str, f_in: int, sysclk: int) -> ClockTree:
    # RM0432 6.4.4 "PLL configuration register": VCO input 2.66-16 MHz, M 1..16, N 8..127, VCO
    # output 64-344 MHz, PLLCLK = VCO / R with R in 2, 4, 6, 8 (PLLQ, PLLP left disabled).
    m, n, r, _, vco = _pll_search(f_in, sysclk, range(1, 17), (Fraction(266, 100) * MHZ, 16 * MHZ),
                                  (64 * MHZ, 344 * MHZ), range(8, 128), (2, 4, 6, 8))
    hclk = sysclk // _div_for(sysclk, part.max_hclk)
    d1, d2 = _div_for(hclk, part.max_apb1), _div_for(hclk, part.max_apb2)
    boost = sysclk > 80 * MHZ  # RM0432 5.1.8: Range 1 boost mode above 80 MHz
    return ClockTree(part, source, f_in, sysclk, hclk, hclk // d1, hclk // d2,
                     Pll(m, n, r, 0, r, f_in // m, vco), 1, d1, d2, wait_states(part, hclk),
                     "range 1 boost" if boost else "range 1", False, {"boost": boost})


def _tree_h7(part: Part, source: str, f_in: int, sysclk: int) -> ClockTree:
    # RM0433 8.7.12/8.7.13: DIVM1 1..63, ref_ck 1-16 MHz (PLL1RGE: 1-2, 2-4, 4-8, 8-16 MHz),
    # wide VCO (PLL1VCOSEL 0) 192-960 MHz, DIVN1 4..512, DIVP1 even 2..128.
    m, n, p, ref, vco = _pll_search(f_in, sysclk, range(1, 64), (2 * MHZ, 16 * MHZ), (192 * MHZ, 960 * MHZ),
                                    range(4, 513), range(2, 129, 2))
    rge = next(i for i, top in enumerate((2 * MHZ, 4 * MHZ, 8 * MHZ, 16 * MHZ)) if ref <= top)
    ahb = _div_for(sysclk, part.max_hclk)  # HPRE: the AXI/AHB clock is at most 240 MHz
    hclk = sysclk // ahb
    apb = _div_for(hclk, part.max_apb1)  # D1PPRE, D2PPRE1, D2PPRE2, D3PPRE alike
    vos0 = sysclk > 400 * MHZ  # RM0433 6.6.2: VOS1 up to 400 MHz, VOS0 above (rev V)
    ws, wrhighfreq = h7_flash_setting(hclk, "VOS0" if vos0 else "VOS1")
    q = next(q for q in range(1, 129) if vco // q <= 240 * MHZ)
    return ClockTree(part, source, f_in, sysclk, hclk, hclk // apb, hclk // apb,
                     Pll(m, n, p, q, 2, int(ref), vco), ahb, apb, apb, ws, "VOS0" if vos0 else "VOS1", False,
                     {"pll1rge": rge, "wrhighfreq": wrhighfreq, "vos0": vos0})


# Register encodings of the bus prescalers (RCC_CFGR HPRE / PPREx; H7 D1CFGR/D2CFGR/D3CFGR alike).
HPRE = {1: 0, 2: 8, 4: 9, 8: 10, 16: 11}
PPRE = {1: 0, 2: 4, 4: 5, 8: 6, 16: 7}


def usart_brr(kernel_hz: int, baud: int, lpuart: bool = False) -> int:
    """USART_BRR for oversampling by 16 (RM0090 30.3.4, RM0385 31.5.4: USARTDIV = fck / baud, BRR =
    USARTDIV rounded, >= 16); LPUART_BRR = 256 * fck / baud in 0x300..0xFFFFF (RM0432 51.4.6)."""
    if lpuart:
        brr = (256 * kernel_hz + baud // 2) // baud
        if not 0x300 <= brr <= 0xFFFFF:
            raise ClockError(f"LPUART at {kernel_hz / MHZ:g} MHz cannot make {baud} baud (BRR {brr})")
        return brr
    brr = (kernel_hz + baud // 2) // baud
    if brr < 16:
        raise ClockError(f"USART at {kernel_hz / MHZ:g} MHz cannot make {baud} baud")
    return brr
