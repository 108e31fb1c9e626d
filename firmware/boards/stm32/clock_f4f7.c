/* Clock tree of the STM32F4 and STM32F7 (their RCC PLL and bus fields are the same): HSI or HSE
 * -> main PLL -> SYSCLK at the rated clock, with the values tinygen computed from the board file
 * (tinygen/boards/stm32_clocks.py) in tg_board.h. The order is that of RM0090 6.3.2 / RM0390 5.1.4
 * "Entering Over-drive mode" / RM0385 4.1.4: voltage scale, oscillator, PLL, over-drive, flash
 * wait states, prescalers, then the switch. Every wait is bounded: if a step never completes the
 * part stays at its 16 MHz HSI reset clock. */
#include "stm32_common.h"

int tg_stm32_clock_ok;

static int give_up(void)
{
    RCC->CFGR = 0; /* HSI, every prescaler at 1: the clock TG_UART_BRR_RESET is for */
    return 0;
}

int tg_stm32_clock_init(void)
{
    RCC->APB1ENR |= RCC_APB1ENR_PWREN;
    (void)RCC->APB1ENR; /* the clock reaches PWR before the next write */
    PWR->PWR_CR1 = (PWR->PWR_CR1 & ~PWR_CR_VOS(3u)) | PWR_CR_VOS(TG_CLK_VOS);
#if TG_CLK_SOURCE != 0
    RCC->CR |= (TG_CLK_SOURCE == 2 ? RCC_CR_HSEBYP : 0u);
    RCC->CR |= RCC_CR_HSEON;
    if (!tg_wait_bits(&RCC->CR, RCC_CR_HSERDY, RCC_CR_HSERDY)) {
        return give_up();
    }
#endif
    RCC->CR &= ~RCC_CR_PLLON;
    RCC->PLLCFGR = (TG_CLK_PLL_M << RCC_PLLCFGR_PLLM_Pos) | (TG_CLK_PLL_N << RCC_PLLCFGR_PLLN_Pos) |
                   ((TG_CLK_PLL_P / 2u - 1u) << RCC_PLLCFGR_PLLP_Pos) | (TG_CLK_PLL_Q << RCC_PLLCFGR_PLLQ_Pos) |
                   (TG_CLK_PLL_R << RCC_PLLCFGR_PLLR_Pos) | (TG_CLK_SOURCE != 0 ? RCC_PLLCFGR_PLLSRC_HSE : 0u);
    RCC->CR |= RCC_CR_PLLON;
#if TG_CLK_OVERDRIVE
    PWR->PWR_CR1 |= PWR_CR_ODEN;
    if (!tg_wait_bits(&PWR->PWR_CSR1, PWR_CSR_ODRDY, PWR_CSR_ODRDY)) {
        return give_up();
    }
    PWR->PWR_CR1 |= PWR_CR_ODSWEN;
    if (!tg_wait_bits(&PWR->PWR_CSR1, PWR_CSR_ODSWRDY, PWR_CSR_ODSWRDY)) {
        return give_up();
    }
#endif
    /* More wait states before a faster clock; the RM asks to read the latency back. */
    FLASH->ACR = TG_CLK_FLASH_LATENCY | FLASH_ACR_ACCEL;
    if (!tg_wait_bits(&FLASH->ACR, FLASH_ACR_LATENCY_Msk, TG_CLK_FLASH_LATENCY)) {
        return give_up();
    }
    RCC->CFGR = (TG_CLK_HPRE << RCC_CFGR_HPRE_Pos) | (TG_CLK_PPRE1 << RCC_CFGR_PPRE1_Pos) |
                (TG_CLK_PPRE2 << RCC_CFGR_PPRE2_Pos);
    if (!tg_wait_bits(&RCC->CR, RCC_CR_PLLRDY, RCC_CR_PLLRDY)) {
        return give_up();
    }
    RCC->CFGR = (RCC->CFGR & ~RCC_CFGR_SW_Msk) | RCC_CFGR_SW_PLL;
    if (!tg_wait_bits(&RCC->CFGR, RCC_CFGR_SWS_Msk, RCC_CFGR_SWS_PLL)) {
        return give_up();
    }
    tg_stm32_clock_ok = 1;
    return 1;
}
