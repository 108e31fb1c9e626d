/* Host port: the serial link is stdin/stdout, the timer is CLOCK_MONOTONIC in nanoseconds.
 * Lets the same generated model code run as a process for fast numerical checks. */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <time.h>

#include "tg_port.h"

void tg_port_init(void)
{
    setvbuf(stdout, NULL, _IOFBF, 1 << 16);
}

void tg_port_write(const uint8_t *data, uint32_t len)
{
    fwrite(data, 1, len, stdout);
    /* A frame ends with 0x00: flush there so the host never waits on a buffered reply. */
    if (len && data[len - 1] == 0) {
        fflush(stdout);
    }
}

int tg_port_read_byte(void)
{
    int c = getchar();
    return c == EOF ? -1 : c;
}

uint64_t tg_port_timer_ticks(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}
