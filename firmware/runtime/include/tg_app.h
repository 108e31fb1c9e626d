/* The firmware's main loop: answer the host over the framed link (docs/protocol.md). */
#ifndef TG_APP_H
#define TG_APP_H

/* Returns only when the byte stream ends (host builds); never on a microcontroller. */
void tg_app_run(void);

#endif
