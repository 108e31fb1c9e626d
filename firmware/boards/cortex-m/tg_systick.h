/* SysTick as a 64-bit tick count (systick.c): the timer of boards that name it, and the fallback of
 * dwt.c on cores whose cycle counter does not count. */
#ifndef TG_SYSTICK_H
#define TG_SYSTICK_H

#include <stdint.h>

void tg_systick_start(void);
uint64_t tg_systick_ticks(void);
void tg_timer_init(void);

#endif
