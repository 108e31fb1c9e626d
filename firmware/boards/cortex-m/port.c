/* Cortex-M port: brings up the board, the UART and the timer chosen in tg_board.h. */
#include "tg_board.h"
#include "tg_port.h"

void tg_uart_init(void);
void tg_timer_init(void);
void tg_chip_init(void);
#ifdef TG_STM32_REGS
void tg_board_init(void); /* stm32_init.c: clock tree, caches, UART clock and pins */
#endif

void tg_port_init(void)
{
#ifdef TG_CHIP
    tg_chip_init(); /* clocks, resets, pins of the chip (firmware/boards/<chip>/clocks.c) */
#endif
#ifdef TG_STM32_REGS
    tg_board_init();
#endif
#ifdef TG_BOARD_INIT
    TG_BOARD_INIT();
#endif
    tg_uart_init();
    tg_timer_init();
}
