/* Timer from SysTick: 24-bit down-counter on the core clock, extended to 64 bits by counting
 * wraps in the interrupt.  In QEMU with -icount shift=0 a tick is a fixed number of guest
 * instructions (tg_board.h: TG_TIMER_SCALE); in Renode, one instruction when the script sets the
 * SysTick frequency to the CPU's PerformanceInMips (tinygen/device/simulators/renode.py).
 * dwt.c also uses it, where a core's cycle counter does not count. */
#include <stdint.h>

#include "tg_port.h"
#include "tg_systick.h"

#define SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014u)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018u)
#define RELOAD 0x00FFFFFFu

static volatile uint32_t wraps;

void SysTick_Handler(void);
void SysTick_Handler(void) { ++wraps; }

void tg_systick_start(void)
{
    SYST_RVR = RELOAD;
    SYST_CVR = 0;
    SYST_CSR = 0x7; /* core clock, interrupt, enable */
}

uint64_t tg_systick_ticks(void)
{
    uint32_t w1, w2, v;
    do {
        w1 = wraps;
        v = SYST_CVR;
        w2 = wraps;
    } while (w1 != w2);
    return (uint64_t)w1 * (RELOAD + 1u) + (RELOAD - v);
}

/* The board's timer when its YAML says `driver: systick`; dwt.c defines its own (strong) pair. */
__attribute__((weak)) void tg_timer_init(void) { tg_systick_start(); }
__attribute__((weak)) uint64_t tg_port_timer_ticks(void) { return tg_systick_ticks(); }
