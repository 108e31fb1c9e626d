/* STM32L4+ registers the tinygen port uses, named as in RM0432 (STM32L4R5/L4S5...): RCC (6.4.33
 * register map), PWR (5.4.26), FLASH (3.7.19). */
#ifndef TG_STM32L4_REGS_H
#define TG_STM32L4_REGS_H

#include <stdint.h>

typedef struct {
    volatile uint32_t CR, ICSCR, CFGR, PLLCFGR, PLLSAI1CFGR, PLLSAI2CFGR, CIER, CIFR, CICR, RESERVED0, AHB1RSTR,
        AHB2RSTR, AHB3RSTR, RESERVED1, APB1RSTR1, APB1RSTR2, APB2RSTR, RESERVED2, AHB1ENR, AHB2ENR, AHB3ENR,
        RESERVED3, APB1ENR1, APB1ENR2, APB2ENR, RESERVED4, AHB1SMENR, AHB2SMENR, AHB3SMENR, RESERVED5,
        APB1SMENR1, APB1SMENR2, APB2SMENR, RESERVED6, CCIPR;
} tg_rcc_regs;
TG_REG_AT(tg_rcc_regs, AHB2ENR, 0x4C);
TG_REG_AT(tg_rcc_regs, APB1ENR1, 0x58);
TG_REG_AT(tg_rcc_regs, CCIPR, 0x88);

typedef struct {
    volatile uint32_t CR1, CR2, CR3, CR4, SR1, SR2, SCR, RESERVED0, PxCR[24], CR5;
} tg_pwr_regs;
TG_REG_AT(tg_pwr_regs, CR5, 0x80);

typedef struct {
    volatile uint32_t ACR;
} tg_flash_regs;

#define RCC ((tg_rcc_regs *)0x40021000u)
#define PWR ((tg_pwr_regs *)0x40007000u)
#define FLASH ((tg_flash_regs *)0x40022000u)
#define TG_GPIO_BASE 0x48000000u

#define RCC_CR_HSION (1u << 8)
#define RCC_CR_HSIRDY (1u << 10)
#define RCC_CR_HSEON (1u << 16)
#define RCC_CR_HSERDY (1u << 17)
#define RCC_CR_HSEBYP (1u << 18)
#define RCC_CR_PLLON (1u << 24)
#define RCC_CR_PLLRDY (1u << 25)
#define RCC_CFGR_SW_Msk (3u << 0)
#define RCC_CFGR_SW_PLL (3u << 0)
#define RCC_CFGR_SWS_Msk (3u << 2)
#define RCC_CFGR_SWS_PLL (3u << 2)
#define RCC_CFGR_HPRE_Pos 4
#define RCC_CFGR_HPRE_Msk (0xFu << 4)
#define RCC_CFGR_PPRE1_Pos 8
#define RCC_CFGR_PPRE2_Pos 11
#define RCC_PLLCFGR_PLLSRC_HSI16 2u
#define RCC_PLLCFGR_PLLSRC_HSE 3u
#define RCC_PLLCFGR_PLLM_Pos 4 /* M - 1 */
#define RCC_PLLCFGR_PLLN_Pos 8
#define RCC_PLLCFGR_PLLREN (1u << 24)
#define RCC_PLLCFGR_PLLR_Pos 25 /* R / 2 - 1 */
#define RCC_AHB2ENR_GPIOAEN (1u << 0)
#define RCC_APB1ENR1_TIM2EN (1u << 0)
#define RCC_APB1ENR1_USART2EN (1u << 17)
#define RCC_APB1ENR1_USART3EN (1u << 18)
#define RCC_APB1ENR1_PWREN (1u << 28)
#define RCC_APB1ENR2_LPUART1EN (1u << 0)
#define RCC_APB2ENR_USART1EN (1u << 14)

#define PWR_CR1_VOS_Msk (3u << 9)
#define PWR_CR1_VOS_RANGE1 (1u << 9)
#define PWR_CR2_IOSV (1u << 9) /* VDDIO2 valid: ports PG2..PG15 are powered from it */
#define PWR_SR2_VOSF (1u << 10)
#define PWR_CR5_R1MODE (1u << 8) /* 0: Range 1 boost mode */

#define FLASH_ACR_LATENCY_Msk 0xFu
#define FLASH_ACR_PRFTEN (1u << 8)
#define FLASH_ACR_ICEN (1u << 9)
#define FLASH_ACR_DCEN (1u << 10)

#endif
