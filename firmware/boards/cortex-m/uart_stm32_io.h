/* The STM32 USART driver both register layouts share (uart_stm32.c, uart_stm32v2.c): the including
 * file names its registers USART_BRR, USART_CR1, USART_STATUS, USART_TX, USART_RX and the CR1 enable bits
 * USART_CR1_ENABLE; everything else is the same on every family. */
#ifndef UART_STM32_IO_H
#define UART_STM32_IO_H

#include <stdint.h>

#include "tg_board.h"
#include "tg_port.h"

#ifdef TG_UART_BRR
extern int tg_stm32_clock_ok;
#endif
#define STATUS_RXNE (1u << 5)
#define STATUS_TXE (1u << 7)

void tg_uart_init(void);
void tg_uart_init(void)
{
    /* Clock gating and pin muxing are board specific (stm32_init.c or TG_BOARD_INIT). */
#ifdef TG_UART_BRR
    /* computed by tinygen for the kernel clock, or for the reset clock if the clock set-up gave up */
    USART_BRR = tg_stm32_clock_ok ? TG_UART_BRR : TG_UART_BRR_RESET;
#else
    USART_BRR = TG_UART_CLOCK_HZ / TG_UART_BAUD;
#endif
    USART_CR1 = USART_CR1_ENABLE;
}

void tg_port_write(const uint8_t *data, uint32_t len)
{
    uint32_t i;
    for (i = 0; i < len; ++i) {
        while (!(USART_STATUS & STATUS_TXE)) {
        }
        USART_TX = data[i];
    }
}

int tg_port_read_byte(void)
{
    while (!(USART_STATUS & STATUS_RXNE)) {
    }
    return (int)(USART_RX & 0xFFu);
}

#endif
