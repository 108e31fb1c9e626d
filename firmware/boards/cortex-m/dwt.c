/* Timer from the DWT cycle counter (real Cortex-M3/M4/M7/M33 boards), extended to 64 bits on every
 * read; reads must come at least once per 2^32 cycles.
 * Simulators model no working DWT (QEMU and Renode 1.15 read CYCCNT as 0), and a core may lack the
 * counter (DWT_CTRL.NOCYCCNT): when CYCCNT does not move at init, SysTick times instead (systick.c;
 * on silicon it counts core cycles too), so nothing ever waits on a counter that does not count. */
#include <stdint.h>

#include "tg_port.h"
#include "tg_systick.h"

#define DEMCR (*(volatile uint32_t *)0xE000EDFCu)
#define DWT_CTRL (*(volatile uint32_t *)0xE0001000u)
#define DWT_CYCCNT (*(volatile uint32_t *)0xE0001004u)
#define DWT_LAR (*(volatile uint32_t *)0xE0001FB0u)

static uint32_t last, high;
static int use_systick;

void tg_timer_init(void)
{
    uint32_t before;
    int i;
    DEMCR |= 1u << 24; /* TRCENA */
    DWT_LAR = 0xC5ACCE55u; /* unlock on cores that need it (M7) */
    DWT_CYCCNT = 0;
    DWT_CTRL |= 1u;
    before = DWT_CYCCNT;
    for (i = 0; i < 8; ++i) {
        __asm volatile("nop");
    }
    if (DWT_CYCCNT == before) {
        use_systick = 1;
        tg_systick_start();
    }
}

uint64_t tg_port_timer_ticks(void)
{
    uint32_t now;
    if (use_systick) {
        return tg_systick_ticks();
    }
    now = DWT_CYCCNT;
    if (now < last) {
        ++high;
    }
    last = now;
    return ((uint64_t)high << 32) | now;
}
