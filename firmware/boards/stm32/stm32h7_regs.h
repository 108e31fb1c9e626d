/* STM32H7 registers the tinygen port uses, named as in RM0433 (STM32H742/743/753/750): RCC (8.8
 * register map), PWR (6.8), SYSCFG (12.3), embedded flash (4.9). */
#ifndef TG_STM32H7_REGS_H
#define TG_STM32H7_REGS_H

#include <stdint.h>

typedef struct {
    volatile uint32_t CR, HSICFGR, CRRCR, CSICFGR, CFGR, RESERVED0, D1CFGR, D2CFGR, D3CFGR, RESERVED1, PLLCKSELR,
        PLLCFGR, PLL1DIVR, PLL1FRACR, PLL2DIVR, PLL2FRACR, PLL3DIVR, PLL3FRACR, RESERVED2, D1CCIPR, D2CCIP1R,
        D2CCIP2R, D3CCIPR, RESERVED3[30], AHB3ENR, AHB1ENR, AHB2ENR, AHB4ENR, APB3ENR, APB1LENR, APB1HENR,
        APB2ENR, APB4ENR;
} tg_rcc_regs;
TG_REG_AT(tg_rcc_regs, CFGR, 0x10);
TG_REG_AT(tg_rcc_regs, PLLCKSELR, 0x28);
TG_REG_AT(tg_rcc_regs, D3CCIPR, 0x58);
TG_REG_AT(tg_rcc_regs, AHB4ENR, 0xE0);
TG_REG_AT(tg_rcc_regs, APB4ENR, 0xF4);

typedef struct {
    volatile uint32_t CR1, CSR1, CR2, CR3, CPUCR, RESERVED0, D3CR;
} tg_pwr_regs;
TG_REG_AT(tg_pwr_regs, D3CR, 0x18);

typedef struct {
    volatile uint32_t RESERVED0[11], PWRCR;
} tg_syscfg_regs;
TG_REG_AT(tg_syscfg_regs, PWRCR, 0x2C);

typedef struct {
    volatile uint32_t ACR;
} tg_flash_regs;

#define RCC ((tg_rcc_regs *)0x58024400u)
#define PWR ((tg_pwr_regs *)0x58024800u)
#define SYSCFG ((tg_syscfg_regs *)0x58000400u)
#define FLASH ((tg_flash_regs *)0x52002000u)
#define TG_GPIO_BASE 0x58020000u

#define RCC_CR_HSION (1u << 0)
#define RCC_CR_HSIRDY (1u << 2)
#define RCC_CR_HSEON (1u << 16)
#define RCC_CR_HSERDY (1u << 17)
#define RCC_CR_HSEBYP (1u << 18)
#define RCC_CR_PLL1ON (1u << 24)
#define RCC_CR_PLL1RDY (1u << 25)
#define RCC_CFGR_SW_Msk (7u << 0)
#define RCC_CFGR_SW_PLL1 (3u << 0)
#define RCC_CFGR_SWS_Msk (7u << 3)
#define RCC_CFGR_SWS_PLL1 (3u << 3)
#define RCC_D1CFGR_HPRE_Pos 0
#define RCC_D1CFGR_D1PPRE_Pos 4
#define RCC_D1CFGR_D1CPRE_Pos 8
#define RCC_D2CFGR_D2PPRE1_Pos 4
#define RCC_D2CFGR_D2PPRE2_Pos 8
#define RCC_D3CFGR_D3PPRE_Pos 4
#define RCC_PLLCKSELR_PLLSRC_Msk 3u
#define RCC_PLLCKSELR_PLLSRC_HSI 0u
#define RCC_PLLCKSELR_PLLSRC_HSE 2u
#define RCC_PLLCKSELR_DIVM1_Pos 4
#define RCC_PLLCKSELR_DIVM1_Msk (0x3Fu << 4)
#define RCC_PLLCFGR_PLL1FRACEN (1u << 0)
#define RCC_PLLCFGR_PLL1VCOSEL (1u << 1) /* 0: wide VCO range, 192-960 MHz */
#define RCC_PLLCFGR_PLL1RGE_Pos 2
#define RCC_PLLCFGR_PLL1_Msk 0xFu
#define RCC_PLLCFGR_DIVP1EN (1u << 16)
#define RCC_PLLCFGR_DIVQ1EN (1u << 17)
#define RCC_PLLCFGR_DIVR1EN (1u << 18)
#define RCC_PLL1DIVR_DIVN1_Pos 0 /* N - 1; the other dividers too */
#define RCC_PLL1DIVR_DIVP1_Pos 9
#define RCC_PLL1DIVR_DIVQ1_Pos 16
#define RCC_PLL1DIVR_DIVR1_Pos 24
#define RCC_APB1LENR_TIM2EN (1u << 0)
#define RCC_APB1LENR_USART2EN (1u << 17)
#define RCC_APB1LENR_USART3EN (1u << 18)
#define RCC_APB2ENR_USART1EN (1u << 4)
#define RCC_APB2ENR_USART6EN (1u << 5)
#define RCC_APB4ENR_SYSCFGEN (1u << 1)

#define PWR_CSR1_ACTVOSRDY (1u << 13)
#define PWR_CR3_BYPASS (1u << 0)
#define PWR_CR3_LDOEN (1u << 1)
#define PWR_CR3_SCUEN (1u << 2)
#define PWR_D3CR_VOSRDY (1u << 13)
#define PWR_D3CR_VOS_Msk (3u << 14)
#define PWR_D3CR_VOS1 (3u << 14)
#define SYSCFG_PWRCR_ODEN (1u << 0) /* with VOS1: VOS0 */

#define FLASH_ACR_LATENCY_Msk 0xFu
#define FLASH_ACR_WRHIGHFREQ_Pos 4

#define TG_HAS_M7_CACHES 1

#endif
