/* STM32F4 registers the tinygen port uses, named as in RM0090 (STM32F405/407) and RM0390
 * (STM32F446): RCC (RM0090 6.3.26 register map), PWR (5.5), FLASH interface (3.9). */
#ifndef TG_STM32F4_REGS_H
#define TG_STM32F4_REGS_H

#include <stdint.h>

typedef struct {
    volatile uint32_t CR, PLLCFGR, CFGR, CIR, AHB1RSTR, AHB2RSTR, AHB3RSTR, RESERVED0, APB1RSTR, APB2RSTR,
        RESERVED1[2], AHB1ENR, AHB2ENR, AHB3ENR, RESERVED2, APB1ENR, APB2ENR, RESERVED3[2], AHB1LPENR,
        AHB2LPENR, AHB3LPENR, RESERVED4, APB1LPENR, APB2LPENR, RESERVED5[2], BDCR, CSR, RESERVED6[2], SSCGR,
        PLLI2SCFGR;
} tg_rcc_regs;
TG_REG_AT(tg_rcc_regs, AHB1ENR, 0x30);
TG_REG_AT(tg_rcc_regs, APB1ENR, 0x40);
TG_REG_AT(tg_rcc_regs, PLLI2SCFGR, 0x84);

typedef struct {
    volatile uint32_t CR, CSR;
} tg_pwr_regs;

typedef struct {
    volatile uint32_t ACR, KEYR, OPTKEYR, SR, CR, OPTCR;
} tg_flash_regs;

#define RCC ((tg_rcc_regs *)0x40023800u)
#define PWR ((tg_pwr_regs *)0x40007000u)
#define FLASH ((tg_flash_regs *)0x40023C00u)
#define TG_GPIO_BASE 0x40020000u

#define RCC_CR_HSION (1u << 0)
#define RCC_CR_HSIRDY (1u << 1)
#define RCC_CR_HSEON (1u << 16)
#define RCC_CR_HSERDY (1u << 17)
#define RCC_CR_HSEBYP (1u << 18)
#define RCC_CR_PLLON (1u << 24)
#define RCC_CR_PLLRDY (1u << 25)
#define RCC_PLLCFGR_PLLM_Pos 0
#define RCC_PLLCFGR_PLLN_Pos 6
#define RCC_PLLCFGR_PLLP_Pos 16 /* (P / 2) - 1 */
#define RCC_PLLCFGR_PLLSRC_HSE (1u << 22)
#define RCC_PLLCFGR_PLLQ_Pos 24
#define RCC_PLLCFGR_PLLR_Pos 28 /* STM32F446 only */
#define RCC_CFGR_SW_Msk (3u << 0)
#define RCC_CFGR_SW_PLL (2u << 0)
#define RCC_CFGR_SWS_Msk (3u << 2)
#define RCC_CFGR_SWS_PLL (2u << 2)
#define RCC_CFGR_HPRE_Pos 4
#define RCC_CFGR_PPRE1_Pos 10
#define RCC_CFGR_PPRE2_Pos 13
#define RCC_APB1ENR_TIM2EN (1u << 0)
#define RCC_APB1ENR_USART2EN (1u << 17)
#define RCC_APB1ENR_USART3EN (1u << 18)
#define RCC_APB1ENR_PWREN (1u << 28)
#define RCC_APB2ENR_USART1EN (1u << 4)
#define RCC_APB2ENR_USART6EN (1u << 5)

#define PWR_CR_VOS_Pos 14 /* one bit on F405/407 (1 = scale 1), two on F446 (3 = scale 1) */
#define PWR_CR_ODEN (1u << 16)
#define PWR_CR_ODSWEN (1u << 17)
#define PWR_CSR_VOSRDY (1u << 14)
#define PWR_CSR_ODRDY (1u << 16)
#define PWR_CSR_ODSWRDY (1u << 17)
#define PWR_CR_VOS(v) ((uint32_t)(v) << PWR_CR_VOS_Pos)
#define PWR_CR1 CR /* F7 spells them CR1/CSR1: one clock file serves both */
#define PWR_CSR1 CSR

#define FLASH_ACR_LATENCY_Msk 0xFu
#define FLASH_ACR_PRFTEN (1u << 8)
#define FLASH_ACR_ICEN (1u << 9) /* ART accelerator: instruction cache */
#define FLASH_ACR_DCEN (1u << 10) /* ART accelerator: data cache */
#define FLASH_ACR_ACCEL (FLASH_ACR_PRFTEN | FLASH_ACR_ICEN | FLASH_ACR_DCEN)

#endif
