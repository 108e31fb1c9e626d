/* RP2350 bring-up: XOSC 12 MHz -> PLL_SYS 150 MHz (VCO 1500 MHz / 5 / 2) for clk_sys and clk_peri,
 * UART0 on GP0 (TX) / GP1 (RX) with the pads' isolation latches released. Called first by port.c
 * (tg_chip_init). Register offsets are those of the RP2350 datasheet; most blocks moved from the
 * RP2040's addresses, and reset bits were renumbered. */
#include <stdint.h>

#define REG(a) (*(volatile uint32_t *)(a))
#define RESETS_RESET REG(0x40020000u)
#define RESETS_CLR REG(0x40020000u + 0x3000u) /* atomic bit-clear alias */
#define RESETS_DONE REG(0x40020008u)
#define XOSC_CTRL REG(0x40048000u)
#define XOSC_STATUS REG(0x40048004u)
#define XOSC_STARTUP REG(0x4004800Cu)
#define CLK_REF_CTRL REG(0x40010030u)
#define CLK_REF_SELECTED REG(0x40010038u)
#define CLK_SYS_CTRL REG(0x4001003Cu)
#define CLK_SYS_SELECTED REG(0x40010044u)
#define CLK_PERI_CTRL REG(0x40010048u)
#define PLL_CS REG(0x40050000u)
#define PLL_PWR REG(0x40050004u)
#define PLL_FBDIV REG(0x40050008u)
#define PLL_PRIM REG(0x4005000Cu)
#define GPIO_CTRL(n) REG(0x40028004u + 8u * (n))
#define PADS_GPIO(n) REG(0x40038004u + 4u * (n))
#define SCB_VTOR REG(0xE000ED08u)

#define RST_IO_BANK0 (1u << 6)
#define RST_PADS_BANK0 (1u << 9)
#define RST_PLL_SYS (1u << 14)
#define RST_UART0 (1u << 26)
#define PAD_IE (1u << 6)
#define PAD_OD (1u << 7)
#define PAD_ISO (1u << 8) /* set at reset on the RP2350: the pad is cut off from its peripheral */

extern const uintptr_t tg_vectors[16];

static void unreset(uint32_t bits)
{
    RESETS_CLR = bits;
    while ((RESETS_DONE & bits) != bits) {
    }
}

static void uart_pin(uint32_t n)
{
    PADS_GPIO(n) = (PADS_GPIO(n) & ~PAD_OD) | PAD_IE;
    GPIO_CTRL(n) = 2u; /* function 2: UART0 TX on GP0, RX on GP1 */
    PADS_GPIO(n) &= ~PAD_ISO; /* only once the function is chosen, so the pin never glitches */
}

void tg_chip_init(void);
void tg_chip_init(void)
{
    /* The boot ROM runs its own code with a stack limit and vector table of its own: ours from here. */
    __asm volatile("msr msplim, %0" : : "r"(0u));
    SCB_VTOR = (uint32_t)(uintptr_t)tg_vectors;
    XOSC_CTRL = 0xAA0u; /* 1-15 MHz range */
    XOSC_STARTUP = 47u * 64u; /* ~64 ms at 12 MHz in units of 256 cycles: the Pico 2's crystal can start slowly */
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
    PLL_PRIM = (5u << 16) | (2u << 12); /* 1500 / 5 / 2 = 150 MHz */
    PLL_PWR &= ~(1u << 3); /* post dividers on */
    CLK_SYS_CTRL = 0u << 5; /* aux source: PLL_SYS */
    CLK_SYS_CTRL |= 1u; /* glitchless switch to the aux source */
    while (!(CLK_SYS_SELECTED & 2u)) {
    }
    CLK_PERI_CTRL = 1u << 11; /* enable, from clk_sys: UART0 runs at 150 MHz */
    unreset(RST_IO_BANK0 | RST_PADS_BANK0 | RST_UART0);
    uart_pin(0);
    uart_pin(1);
}
