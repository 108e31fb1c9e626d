/* The firmware's main loop: answer the host over the framed link (docs/protocol.md). */
#ifndef TG_APP_H
#define TG_APP_H

#include <stdint.h>

/* Returns only when the byte stream ends (host builds); never on a microcontroller. */
void tg_app_run(void);

/* Free-running mode: infer forever, streaming an unsolicited result frame after each inference.
 * Each input comes from tg_app_sensor_input() if the application provides it (a weak default
 * says "no"), else from the built-in inputs generated into the project. */
void tg_app_run_free(const int8_t *builtin_inputs, uint32_t builtin_count);
int tg_app_sensor_input(uint8_t *dst, uint32_t bytes);

#endif
