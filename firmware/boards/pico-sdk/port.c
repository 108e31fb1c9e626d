/* Board port for pico-sdk builds (`tinygen project --sdk pico-sdk`): the SDK's crt0, clocks, boot
 * stage and stdio stand in for firmware/boards/cortex-m and rp2040/rp2350. The byte stream is the
 * SDK's stdio (UART0 on GP0/GP1 or USB CDC, chosen in CMakeLists.txt), without its CR/LF translation
 * since the link is binary; the timer is the SDK's 1 MHz system timer (tg_board.h: ticks of 1000 ns).
 * Only documented SDK calls: stdio_init_all, stdio_usb_connected, putchar_raw, stdio_flush,
 * getchar_timeout_us, sleep_ms, time_us_64. */
#include "pico/stdlib.h"
#if defined(LIB_PICO_STDIO_USB) && LIB_PICO_STDIO_USB
#include "pico/stdio_usb.h"
#endif

#include "tg_board.h"
#include "tg_port.h"

void tg_port_init(void)
{
    stdio_init_all();
#if defined(LIB_PICO_STDIO_USB) && LIB_PICO_STDIO_USB
    /* over USB nothing is heard before the host opens the port: wait for it */
    while (!stdio_usb_connected()) {
        sleep_ms(10);
    }
#endif
}

void tg_port_write(const uint8_t *data, uint32_t len)
{
    uint32_t i;
    for (i = 0; i < len; ++i) {
        putchar_raw(data[i]);
    }
    stdio_flush();
}

int tg_port_read_byte(void)
{
    for (;;) {
        const int c = getchar_timeout_us(1000000u);
        if (c >= 0) {
            return c & 0xFF;
        }
    }
}

uint64_t tg_port_timer_ticks(void) { return time_us_64(); }
