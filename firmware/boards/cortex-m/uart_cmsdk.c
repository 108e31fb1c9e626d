/* Arm CMSDK APB UART (MPS2/MPS3 boards and their QEMU models). */
#include <stdint.h>

#include "tg_board.h"
#include "tg_port.h"

#define UART_DATA (*(volatile uint32_t *)(TG_UART_BASE + 0x0u))
#define UART_STATE (*(volatile uint32_t *)(TG_UART_BASE + 0x4u))
#define UART_CTRL (*(volatile uint32_t *)(TG_UART_BASE + 0x8u))
#define UART_BAUDDIV (*(volatile uint32_t *)(TG_UART_BASE + 0x10u))
#define STATE_TX_FULL 1u
#define STATE_RX_FULL 2u

void tg_uart_init(void);
void tg_uart_init(void)
{
    UART_BAUDDIV = TG_CLOCK_HZ / TG_UART_BAUD;
    UART_CTRL = 0x3; /* TX and RX enable */
}

void tg_port_write(const uint8_t *data, uint32_t len)
{
    uint32_t i;
    for (i = 0; i < len; ++i) {
        while (UART_STATE & STATE_TX_FULL) {
        }
        UART_DATA = data[i];
    }
}

int tg_port_read_byte(void)
{
    while (!(UART_STATE & STATE_RX_FULL)) {
    }
    return (int)(UART_DATA & 0xFFu);
}
