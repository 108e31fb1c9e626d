/* STM32 USART (F1/F2/F4 register layout: SR, DR, BRR, CR1). */
#include <stdint.h>

#include "tg_board.h"

#define USART_SR (*(volatile uint32_t *)(TG_UART_BASE + 0x00u))
#define USART_DR (*(volatile uint32_t *)(TG_UART_BASE + 0x04u))
#define USART_BRR (*(volatile uint32_t *)(TG_UART_BASE + 0x08u))
#define USART_CR1 (*(volatile uint32_t *)(TG_UART_BASE + 0x0Cu))
#define USART_STATUS USART_SR
#define USART_TX USART_DR
#define USART_RX USART_DR
#define USART_CR1_ENABLE ((1u << 13) | (1u << 3) | (1u << 2)) /* UE, TE, RE */

#include "uart_stm32_io.h"
