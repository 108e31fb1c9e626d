/* What every STM32 family shares: GPIO port registers (identical on F4, F7, L4 and H7), bounded
 * waits on ready bits, the Cortex-M7 caches, and the entry points of the clock and board set-up.
 * The family header (TG_STM32_REGS, from tg_board.h) names the RCC, PWR and FLASH registers. */
#ifndef TG_STM32_COMMON_H
#define TG_STM32_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "tg_board.h"

/* Fails to compile when a register struct does not match the reference manual's offset. */
#define TG_REG_AT(type, member, offset) \
    typedef char tg_check_##type##_##member[(offsetof(type, member) == (offset)) ? 1 : -1]

#include TG_STM32_REGS

/* GPIO (RM0090 8.4.11, RM0385 6.4.11, RM0432 8.5.13, RM0433 11.4.12: the same map). */
typedef struct {
    volatile uint32_t MODER, OTYPER, OSPEEDR, PUPDR, IDR, ODR, BSRR, LCKR, AFR[2];
} tg_gpio_regs;
TG_REG_AT(tg_gpio_regs, AFR, 0x20);
#define GPIO_PORT(n) ((tg_gpio_regs *)(TG_GPIO_BASE + 0x400u * (uint32_t)(n)))
#define GPIO_MODER_AF 2u
#define GPIO_OSPEEDR_HIGH 2u

/* A ready bit gets this many polls (a few tens of ms at the reset clock; HSE start-up is at most
 * 2 ms and PLL lock 0.2 ms on these parts). A simulator that models no RCC (QEMU's
 * netduinoplus2) never sets them: the clock set-up then gives up and the part stays at its reset
 * clock, which the UART's TG_UART_BRR_RESET is computed for. */
#define TG_STM32_WAIT_POLLS 200000u

static inline int tg_wait_bits(volatile uint32_t *reg, uint32_t mask, uint32_t value)
{
    uint32_t n;
    for (n = 0; n < TG_STM32_WAIT_POLLS; ++n) {
        if ((*reg & mask) == value) {
            return 1;
        }
    }
    return 0;
}

static inline void tg_dsb_isb(void)
{
    __asm__ volatile("dsb\n\tisb" ::: "memory");
}

#ifdef TG_HAS_M7_CACHES
/* Cortex-M7 L1 caches: System Control Block (ARMv7-M ARM B2.2.7 and B3.2, Cortex-M7 TRM 4.8). */
#define SCB_CCR (*(volatile uint32_t *)0xE000ED14u)
#define SCB_CCSIDR (*(volatile uint32_t *)0xE000ED80u)
#define SCB_CSSELR (*(volatile uint32_t *)0xE000ED84u)
#define SCB_ICIALLU (*(volatile uint32_t *)0xE000EF50u)
#define SCB_DCISW (*(volatile uint32_t *)0xE000EF60u)
#define SCB_CCR_DC (1u << 16)
#define SCB_CCR_IC (1u << 17)

/* Invalidate both caches (the data cache set by set, way by way, as CCSIDR describes it), then
 * enable them. No DMA touches memory in this firmware, so no maintenance is needed later. */
static inline void tg_m7_caches_enable(void)
{
    uint32_t ccsidr, sets, ways, way_shift, line_shift, s, w;
    SCB_CSSELR = 0; /* level 1 data cache */
    tg_dsb_isb();
    ccsidr = SCB_CCSIDR;
    sets = (ccsidr >> 13) & 0x7FFFu;
    ways = (ccsidr >> 3) & 0x3FFu;
    line_shift = (ccsidr & 7u) + 4u;
    way_shift = ways ? (uint32_t)__builtin_clz(ways) : 0u;
    for (s = 0; s <= sets; ++s) {
        for (w = 0; w <= ways; ++w) {
            SCB_DCISW = (w << way_shift) | (s << line_shift);
        }
    }
    SCB_ICIALLU = 0;
    tg_dsb_isb();
    SCB_CCR |= SCB_CCR_IC | SCB_CCR_DC;
    tg_dsb_isb();
}
#endif

/* 1 once the clock tree runs at the rated frequency, 0 if it stayed at the reset clock. */
extern int tg_stm32_clock_ok;
int tg_stm32_clock_init(void);

#endif
