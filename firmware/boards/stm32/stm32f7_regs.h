/* STM32F7 registers the tinygen port uses, named as in RM0385 (STM32F74x/75x): RCC (5.3.27
 * register map; the PLL and bus fields are those of the F4), PWR (4.4), FLASH interface (3.7). */
#ifndef TG_STM32F7_REGS_H
#define TG_STM32F7_REGS_H

#include <stdint.h>

typedef struct {
    volatile uint32_t CR, PLLCFGR, CFGR, CIR, AHB1RSTR, AHB2RSTR, AHB3RSTR, RESERVED0, APB1RSTR, APB2RSTR,
        RESERVED1[2], AHB1ENR, AHB2ENR, AHB3ENR, RESERVED2, APB1ENR, APB2ENR, RESERVED3[2], AHB1LPENR,
        AHB2LPENR, AHB3LPENR, RESERVED4, APB1LPENR, APB2LPENR, RESERVED5[2], BDCR, CSR, RESERVED6[2], SSCGR,
        PLLI2SCFGR, PLLSAICFGR, DCKCFGR1, DCKCFGR2;
} tg_rcc_regs;
TG_REG_AT(tg_rcc_regs, AHB1ENR, 0x30);
TG_REG_AT(tg_rcc_regs, APB1ENR, 0x40);
TG_REG_AT(tg_rcc_regs, DCKCFGR2, 0x90);

typedef struct {
    volatile uint32_t CR1, CSR1, CR2, CSR2;
} tg_pwr_regs;

typedef struct {
    volatile uint32_t ACR, KEYR, OPTKEYR, SR, CR, OPTCR, OPTCR1;
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
#define RCC_PLLCFGR_PLLR_Pos 28 /* reserved on F74x/75x */
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

#define PWR_CR_VOS(v) ((uint32_t)(v) << 14) /* PWR_CR1.VOS: 3 = scale 1 */
#define PWR_CR_ODEN (1u << 16)
#define PWR_CR_ODSWEN (1u << 17)
#define PWR_CSR_VOSRDY (1u << 14)
#define PWR_CSR_ODRDY (1u << 16)
#define PWR_CSR_ODSWRDY (1u << 17)
#define PWR_CR1 CR1
#define PWR_CSR1 CSR1

#define FLASH_ACR_LATENCY_Msk 0xFu
#define FLASH_ACR_PRFTEN (1u << 8)
#define FLASH_ACR_ARTEN (1u << 9) /* ART accelerator (instruction fetches over ITCM) */
#define FLASH_ACR_ACCEL (FLASH_ACR_PRFTEN | FLASH_ACR_ARTEN)

/* Cortex-M7 with L1 instruction and data caches (stm32_common.h enables them). */
#define TG_HAS_M7_CACHES 1

#endif
