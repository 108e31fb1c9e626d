/* The porting surface of the tinygen runtime: a byte stream and a timer.
 * Each board provides these (firmware/boards/...); nothing else is board specific. */
#ifndef TG_PORT_H
#define TG_PORT_H

#include <stdint.h>

void tg_port_init(void);
void tg_port_write(const uint8_t *data, uint32_t len);
/* Blocks until a byte arrives; returns it (0..255), or -1 when the stream has ended. */
int tg_port_read_byte(void);
/* Free-running timer in board ticks; tg_board.h says what a tick is worth. */
uint64_t tg_port_timer_ticks(void);

#endif
