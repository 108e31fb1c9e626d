/* Clock tree of the STM32L4+ (RM0432): HSI16 or HSE -> main PLL (PLLCLK = VCO / R) -> SYSCLK at
 * the rated clock, with the values tinygen computed (tg_board.h). Above 80 MHz the core needs
 * Range 1 boost mode, and RM0432 6.2.9 asks for the AHB prescaler at 2 during the switch to the
 * fast clock, for at least 1 us, before going to 1. Every wait is bounded: if a step never
 * completes the part stays on its 4 MHz MSI reset clock. */
#include "stm32_common.h"

int tg_stm32_clock_ok;

static int give_up(void)
{
    RCC->CFGR = 0; /* MSI, every prescaler at 1: the clock TG_UART_BRR_RESET is for */
    return 0;
}

int tg_stm32_clock_init(void)
{
    volatile uint32_t spin;
    RCC->APB1ENR1 |= RCC_APB1ENR1_PWREN;
    (void)RCC->APB1ENR1;
    PWR->CR1 = (PWR->CR1 & ~PWR_CR1_VOS_Msk) | PWR_CR1_VOS_RANGE1;
    if (!tg_wait_bits(&PWR->SR2, PWR_SR2_VOSF, 0u)) {
        return give_up();
    }
#if TG_CLK_BOOST
    PWR->CR5 &= ~PWR_CR5_R1MODE;
#endif
#if TG_CLK_SOURCE == 0
    RCC->CR |= RCC_CR_HSION;
    if (!tg_wait_bits(&RCC->CR, RCC_CR_HSIRDY, RCC_CR_HSIRDY)) {
        return give_up();
    }
#else
    RCC->CR |= (TG_CLK_SOURCE == 2 ? RCC_CR_HSEBYP : 0u);
    RCC->CR |= RCC_CR_HSEON;
    if (!tg_wait_bits(&RCC->CR, RCC_CR_HSERDY, RCC_CR_HSERDY)) {
        return give_up();
    }
#endif
    RCC->CR &= ~RCC_CR_PLLON;
    RCC->PLLCFGR = (TG_CLK_SOURCE == 0 ? RCC_PLLCFGR_PLLSRC_HSI16 : RCC_PLLCFGR_PLLSRC_HSE) |
                   ((TG_CLK_PLL_M - 1u) << RCC_PLLCFGR_PLLM_Pos) | (TG_CLK_PLL_N << RCC_PLLCFGR_PLLN_Pos) |
                   ((TG_CLK_PLL_R / 2u - 1u) << RCC_PLLCFGR_PLLR_Pos) | RCC_PLLCFGR_PLLREN;
    RCC->CR |= RCC_CR_PLLON;
    FLASH->ACR = TG_CLK_FLASH_LATENCY | FLASH_ACR_PRFTEN | FLASH_ACR_ICEN | FLASH_ACR_DCEN;
    if (!tg_wait_bits(&FLASH->ACR, FLASH_ACR_LATENCY_Msk, TG_CLK_FLASH_LATENCY)) {
        return give_up();
    }
    if (!tg_wait_bits(&RCC->CR, RCC_CR_PLLRDY, RCC_CR_PLLRDY)) {
        return give_up();
    }
    /* AHB at SYSCLK / 2 across the switch (8 = /2), then the computed prescalers. */
    RCC->CFGR = (8u << RCC_CFGR_HPRE_Pos) | (TG_CLK_PPRE1 << RCC_CFGR_PPRE1_Pos) |
                (TG_CLK_PPRE2 << RCC_CFGR_PPRE2_Pos) | RCC_CFGR_SW_PLL;
    if (!tg_wait_bits(&RCC->CFGR, RCC_CFGR_SWS_Msk, RCC_CFGR_SWS_PLL)) {
        return give_up();
    }
    for (spin = 0; spin < TG_CLOCK_HZ / 2000000u + 1u; ++spin) { /* >= 1 us at HCLK / 2 */
    }
    RCC->CFGR = (RCC->CFGR & ~RCC_CFGR_HPRE_Msk) | (TG_CLK_HPRE << RCC_CFGR_HPRE_Pos);
    tg_stm32_clock_ok = 1;
    return 1;
}
