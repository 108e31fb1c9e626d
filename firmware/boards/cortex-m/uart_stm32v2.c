/* STM32 USART and LPUART with the later register layout (F0/F3/F7/L4/H7: CR1, BRR, ISR, RDR, TDR;
 * RM0385 31.8, RM0432 50.8 and 51.7, RM0433 48.7). LPUART differs only in BRR, which tinygen computes. */
#include <stdint.h>

#include "tg_board.h"
#include "tg_port.h"

#define USART_CR1 (*(volatile uint32_t *)(TG_UART_BASE + 0x00u))
#define USART_BRR (*(volatile uint32_t *)(TG_UART_BASE + 0x0Cu))
#define USART_ISR (*(volatile uint32_t *)(TG_UART_BASE + 0x1Cu))
#define USART_RDR (*(volatile uint32_t *)(TG_UART_BASE + 0x24u))
#define USART_TDR (*(volatile uint32_t *)(TG_UART_BASE + 0x28u))
#ifdef TG_UART_BRR
extern int tg_stm32_clock_ok;
#endif
#define ISR_RXNE (1u << 5)
#define ISR_TXE (1u << 7)

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
    USART_CR1 = (1u << 3) | (1u << 2) | (1u << 0); /* TE, RE, UE */
}

void tg_port_write(const uint8_t *data, uint32_t len)
{
    uint32_t i;
    for (i = 0; i < len; ++i) {
        while (!(USART_ISR & ISR_TXE)) {
        }
        USART_TDR = data[i];
    }
}

int tg_port_read_byte(void)
{
    while (!(USART_ISR & ISR_RXNE)) {
    }
    return (int)(USART_RDR & 0xFFu);
}
