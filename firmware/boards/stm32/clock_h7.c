/* Clock tree of the STM32H7 (RM0433): HSI or HSE -> PLL1 (DIVP1) -> sys_ck at the rated clock,
 * with the values tinygen computed (tg_board.h). Order of RM0433 6.4.1 / 6.6.2: the supply
 * (LDO) first, then VOS1, then VOS0 through SYSCFG_PWRCR.ODEN (480 MHz needs rev V silicon),
 * then oscillator, PLL1, flash wait states and programming delay, the domain prescalers and the
 * switch. Every wait is bounded: if a step never completes the part stays on its 64 MHz HSI
 * reset clock. */
#include "stm32_common.h"

int tg_stm32_clock_ok;

static int give_up(void)
{
    RCC->CFGR = 0; /* HSI */
    RCC->D1CFGR = 0; /* every prescaler at 1: the clock TG_UART_BRR_RESET is for */
    RCC->D2CFGR = 0;
    RCC->D3CFGR = 0;
    return 0;
}

int tg_stm32_clock_init(void)
{
    /* The supply configuration can be written once after reset: LDO, as the Nucleo is wired. */
    PWR->CR3 = (PWR->CR3 & ~(PWR_CR3_SCUEN | PWR_CR3_BYPASS)) | PWR_CR3_LDOEN;
    if (!tg_wait_bits(&PWR->CSR1, PWR_CSR1_ACTVOSRDY, PWR_CSR1_ACTVOSRDY)) {
        return give_up();
    }
    PWR->D3CR = (PWR->D3CR & ~PWR_D3CR_VOS_Msk) | PWR_D3CR_VOS1;
    if (!tg_wait_bits(&PWR->D3CR, PWR_D3CR_VOSRDY, PWR_D3CR_VOSRDY)) {
        return give_up();
    }
#if TG_CLK_VOS0
    RCC->APB4ENR |= RCC_APB4ENR_SYSCFGEN;
    (void)RCC->APB4ENR;
    SYSCFG->PWRCR |= SYSCFG_PWRCR_ODEN;
    if (!tg_wait_bits(&PWR->D3CR, PWR_D3CR_VOSRDY, PWR_D3CR_VOSRDY)) {
        return give_up();
    }
#endif
#if TG_CLK_SOURCE != 0
    RCC->CR |= (TG_CLK_SOURCE == 2 ? RCC_CR_HSEBYP : 0u);
    RCC->CR |= RCC_CR_HSEON;
    if (!tg_wait_bits(&RCC->CR, RCC_CR_HSERDY, RCC_CR_HSERDY)) {
        return give_up();
    }
#endif
    RCC->CR &= ~RCC_CR_PLL1ON;
    RCC->PLLCKSELR = (RCC->PLLCKSELR & ~(RCC_PLLCKSELR_DIVM1_Msk | RCC_PLLCKSELR_PLLSRC_Msk)) |
                     (TG_CLK_PLL_M << RCC_PLLCKSELR_DIVM1_Pos) |
                     (TG_CLK_SOURCE != 0 ? RCC_PLLCKSELR_PLLSRC_HSE : RCC_PLLCKSELR_PLLSRC_HSI);
    RCC->PLL1DIVR = ((TG_CLK_PLL_N - 1u) << RCC_PLL1DIVR_DIVN1_Pos) | ((TG_CLK_PLL_P - 1u) << RCC_PLL1DIVR_DIVP1_Pos) |
                    ((TG_CLK_PLL_Q - 1u) << RCC_PLL1DIVR_DIVQ1_Pos) | ((TG_CLK_PLL_R - 1u) << RCC_PLL1DIVR_DIVR1_Pos);
    RCC->PLLCFGR = (RCC->PLLCFGR & ~RCC_PLLCFGR_PLL1_Msk) | (TG_CLK_PLL1RGE << RCC_PLLCFGR_PLL1RGE_Pos) |
                   RCC_PLLCFGR_DIVP1EN | RCC_PLLCFGR_DIVQ1EN | RCC_PLLCFGR_DIVR1EN;
    RCC->CR |= RCC_CR_PLL1ON;
    if (!tg_wait_bits(&RCC->CR, RCC_CR_PLL1RDY, RCC_CR_PLL1RDY)) {
        return give_up();
    }
    FLASH->ACR = TG_CLK_FLASH_LATENCY | (TG_CLK_WRHIGHFREQ << FLASH_ACR_WRHIGHFREQ_Pos);
    if (!tg_wait_bits(&FLASH->ACR, FLASH_ACR_LATENCY_Msk, TG_CLK_FLASH_LATENCY)) {
        return give_up();
    }
    RCC->D1CFGR = (TG_CLK_HPRE << RCC_D1CFGR_HPRE_Pos) | (TG_CLK_PPRE1 << RCC_D1CFGR_D1PPRE_Pos);
    RCC->D2CFGR = (TG_CLK_PPRE1 << RCC_D2CFGR_D2PPRE1_Pos) | (TG_CLK_PPRE2 << RCC_D2CFGR_D2PPRE2_Pos);
    RCC->D3CFGR = TG_CLK_PPRE1 << RCC_D3CFGR_D3PPRE_Pos;
    RCC->CFGR = (RCC->CFGR & ~RCC_CFGR_SW_Msk) | RCC_CFGR_SW_PLL1;
    if (!tg_wait_bits(&RCC->CFGR, RCC_CFGR_SWS_Msk, RCC_CFGR_SWS_PLL1)) {
        return give_up();
    }
    tg_stm32_clock_ok = 1;
    return 1;
}
