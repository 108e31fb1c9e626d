/* STM32 USART (F1/F2/F4 register layout: SR, DR, BRR, CR1). */
#include <stdint.h>

#include "tg_board.h"
#include "tg_port.h"

#define USART_SR (*(volatile uint32_t *)(TG_UART_BASE + 0x00u))
#define USART_DR (*(volatile uint32_t *)(TG_UART_BASE + 0x04u))
#define USART_BRR (*(volatile uint32_t *)(TG_UART_BASE + 0x08u))
#define USART_CR1 (*(volatile uint32_t *)(TG_UART_BASE + 0x0Cu))
#ifdef TG_UART_BRR
extern int tg_stm32_clock_ok;
#endif
#define SR_RXNE (1u << 5)
#define SR_TXE (1u << 7)

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
    USART_CR1 = (1u << 13) | (1u << 3) | (1u << 2); /* UE, TE, RE */
}

void tg_port_write(const uint8_t *data, uint32_t len)
{
    uint32_t i;
    for (i = 0; i < len; ++i) {
        while (!(USART_SR & SR_TXE)) {
        }
        USART_DR = data[i];
    }
}

int tg_port_read_byte(void)
{
    while (!(USART_SR & SR_RXNE)) {
    }
    return (int)(USART_DR & 0xFFu);
}
