/* Timer from STM32 TIM2 (32-bit, free running at the timer clock), extended to 64 bits on every
 * read. In QEMU's STM32F4 model it advances once per guest instruction under -icount shift=0. */
#include <stdint.h>

#include "tg_board.h"
#include "tg_port.h"
#ifdef TG_STM32_REGS
#include "stm32_common.h" /* TG_TIM2_CLOCK_ENABLE() names the family's RCC register */
#endif

#define RCC_APB1ENR (*(volatile uint32_t *)0x40023840u)
#define TIM2_BASE 0x40000000u
#define TIM2_CR1 (*(volatile uint32_t *)(TIM2_BASE + 0x00u))
#define TIM2_EGR (*(volatile uint32_t *)(TIM2_BASE + 0x14u))
#define TIM2_CNT (*(volatile uint32_t *)(TIM2_BASE + 0x24u))
#define TIM2_PSC (*(volatile uint32_t *)(TIM2_BASE + 0x28u))
#define TIM2_ARR (*(volatile uint32_t *)(TIM2_BASE + 0x2Cu))

static uint32_t last, high;

void tg_timer_init(void);
void tg_timer_init(void)
{
#ifdef TG_TIM2_CLOCK_ENABLE
    TG_TIM2_CLOCK_ENABLE();
#else
    RCC_APB1ENR |= 1u; /* TIM2 clock (STM32F4) */
#endif
    TIM2_PSC = 0;
    TIM2_ARR = 0xFFFFFFFFu;
    TIM2_EGR = 1u; /* load the prescaler */
    TIM2_CR1 = 1u;
}

uint64_t tg_port_timer_ticks(void)
{
    uint32_t now = TIM2_CNT;
    if (now < last) {
        ++high;
    }
    last = now;
    return ((uint64_t)high << 32) | now;
}
