/* RP2040/RP2350 UART (an Arm PL011): 8N1 with FIFOs. Clocks, resets and pins: clocks.c. */
#include <stdint.h>

#include "tg_board.h"
#include "tg_port.h"

#define UART_DR (*(volatile uint32_t *)(TG_UART_BASE + 0x00u))
#define UART_FR (*(volatile uint32_t *)(TG_UART_BASE + 0x18u))
#define UART_IBRD (*(volatile uint32_t *)(TG_UART_BASE + 0x24u))
#define UART_FBRD (*(volatile uint32_t *)(TG_UART_BASE + 0x28u))
#define UART_LCR_H (*(volatile uint32_t *)(TG_UART_BASE + 0x2Cu))
#define UART_CR (*(volatile uint32_t *)(TG_UART_BASE + 0x30u))
#define FR_RXFE (1u << 4)
#define FR_TXFF (1u << 5)

void tg_uart_init(void);
void tg_uart_init(void)
{
    /* divisor in 1/64ths, rounded: 125 MHz / (16 * 115200) = 67 + 52/64 */
    uint32_t div = (8u * TG_UART_CLOCK_HZ / TG_UART_BAUD + 1u) / 2u;
    UART_IBRD = div >> 6;
    UART_FBRD = div & 63u;
    UART_LCR_H = (3u << 5) | (1u << 4); /* 8 bits, FIFOs on (also latches the divisor) */
    UART_CR = (1u << 9) | (1u << 8) | 1u; /* RXE, TXE, UARTEN */
}

void tg_port_write(const uint8_t *data, uint32_t len)
{
    uint32_t i;
    for (i = 0; i < len; ++i) {
        while (UART_FR & FR_TXFF) {
        }
        UART_DR = data[i];
    }
}

int tg_port_read_byte(void)
{
    while (UART_FR & FR_RXFE) {
    }
    return (int)(UART_DR & 0xFFu);
}
