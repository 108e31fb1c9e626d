/* Timer from the DWT cycle counter (real Cortex-M3/M4/M7/M33 boards; QEMU leaves it at 0),
 * extended to 64 bits on every read; reads must come at least once per 2^32 cycles. */
#include <stdint.h>

#include "tg_port.h"

#define DEMCR (*(volatile uint32_t *)0xE000EDFCu)
#define DWT_CTRL (*(volatile uint32_t *)0xE0001000u)
#define DWT_CYCCNT (*(volatile uint32_t *)0xE0001004u)
#define DWT_LAR (*(volatile uint32_t *)0xE0001FB0u)

static uint32_t last, high;

void tg_timer_init(void);
void tg_timer_init(void)
{
    DEMCR |= 1u << 24; /* TRCENA */
    DWT_LAR = 0xC5ACCE55u; /* unlock on cores that need it (M7) */
    DWT_CYCCNT = 0;
    DWT_CTRL |= 1u;
}

uint64_t tg_port_timer_ticks(void)
{
    uint32_t now = DWT_CYCCNT;
    if (now < last) {
        ++high;
    }
    last = now;
    return ((uint64_t)high << 32) | now;
}
