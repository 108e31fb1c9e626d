/* STM32 USART and LPUART with the later register layout (F0/F3/F7/L4/H7: CR1, BRR, ISR, RDR, TDR;
 * RM0385 31.8, RM0432 50.8 and 51.7, RM0433 48.7). LPUART differs only in BRR, which tinygen computes. */
#include <stdint.h>

#include "tg_board.h"

#define USART_CR1 (*(volatile uint32_t *)(TG_UART_BASE + 0x00u))
#define USART_BRR (*(volatile uint32_t *)(TG_UART_BASE + 0x0Cu))
#define USART_ISR (*(volatile uint32_t *)(TG_UART_BASE + 0x1Cu))
#define USART_RDR (*(volatile uint32_t *)(TG_UART_BASE + 0x24u))
#define USART_TDR (*(volatile uint32_t *)(TG_UART_BASE + 0x28u))
#define USART_STATUS USART_ISR
#define USART_TX USART_TDR
#define USART_RX USART_RDR
#define USART_CR1_ENABLE ((1u << 3) | (1u << 2) | (1u << 0)) /* TE, RE, UE */

#include "uart_stm32_io.h"
