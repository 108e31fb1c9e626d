/* RP2040 bring-up: XOSC 12 MHz -> PLL_SYS 125 MHz (VCO 1500 MHz / 6 / 2) for clk_sys and clk_peri,
 * and UART0 on GP0 (TX) / GP1 (RX). Called first by port.c (tg_chip_init). */
#include <stdint.h>

#define REG(a) (*(volatile uint32_t *)(a))
#define RESETS_RESET REG(0x4000C000u)
#define RESETS_CLR REG(0x4000C000u + 0x3000u) /* atomic bit-clear alias */
#define RESETS_DONE REG(0x4000C008u)
#define XOSC_CTRL REG(0x40024000u)
#define XOSC_STATUS REG(0x40024004u)
#define XOSC_STARTUP REG(0x4002400Cu)
#define CLK_REF_CTRL REG(0x40008030u)
#define CLK_REF_SELECTED REG(0x40008038u)
#define CLK_SYS_CTRL REG(0x4000803Cu)
#define CLK_SYS_SELECTED REG(0x40008044u)
#define CLK_PERI_CTRL REG(0x40008048u)
#define PLL_CS REG(0x40028000u)
#define PLL_PWR REG(0x40028004u)
#define PLL_FBDIV REG(0x40028008u)
#define PLL_PRIM REG(0x4002800Cu)
#define GPIO_CTRL(n) REG(0x40014004u + 8u * (n))

#define RST_IO_BANK0 (1u << 5)
#define RST_PADS_BANK0 (1u << 8)
#define RST_PLL_SYS (1u << 12)
#define RST_UART0 (1u << 22)

static void unreset(uint32_t bits)
{
    RESETS_CLR = bits;
    while ((RESETS_DONE & bits) != bits) {
    }
}

void tg_chip_init(void);
void tg_chip_init(void)
{
    XOSC_CTRL = 0xAA0u; /* 1-15 MHz range */
    XOSC_STARTUP = 47u; /* ~1 ms at 12 MHz, in units of 256 cycles */
    XOSC_CTRL |= 0xFABu << 12; /* enable */
    while (!(XOSC_STATUS & (1u << 31))) { /* stable */
    }
    CLK_REF_CTRL = 2u; /* clk_ref from XOSC */
    while (!(CLK_REF_SELECTED & (1u << 2))) {
    }
    CLK_SYS_CTRL = 0u; /* clk_sys from clk_ref while the PLL starts */
    while (!(CLK_SYS_SELECTED & 1u)) {
    }
    RESETS_RESET |= RST_PLL_SYS;
    unreset(RST_PLL_SYS);
    PLL_CS = 1u; /* REFDIV 1 */
    PLL_FBDIV = 125u; /* VCO 1500 MHz */
    PLL_PWR &= ~((1u << 0) | (1u << 5)); /* power up the PLL and its VCO */
    while (!(PLL_CS & (1u << 31))) { /* lock */
    }
    PLL_PRIM = (6u << 16) | (2u << 12);
    PLL_PWR &= ~(1u << 3); /* post dividers on */
    CLK_SYS_CTRL = 0u << 5; /* aux source: PLL_SYS */
    CLK_SYS_CTRL |= 1u; /* glitchless switch to the aux source */
    while (!(CLK_SYS_SELECTED & 2u)) {
    }
    CLK_PERI_CTRL = 1u << 11; /* enable, from clk_sys: UART0 runs at 125 MHz */
    unreset(RST_IO_BANK0 | RST_PADS_BANK0 | RST_UART0);
    GPIO_CTRL(0) = 2u; /* UART0 TX */
    GPIO_CTRL(1) = 2u; /* UART0 RX */
}
