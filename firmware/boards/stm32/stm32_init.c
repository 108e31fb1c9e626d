/* STM32 board bring-up, before the UART and timer drivers start: the clock tree, the Cortex-M7
 * caches, and the UART's clock gate and pins (TG_UART_* from tg_board.h). */
#include "stm32_common.h"

void tg_board_init(void);

static void pin_af(uint32_t port, uint32_t pin, uint32_t af)
{
    tg_gpio_regs *g = GPIO_PORT(port);
    TG_GPIO_CLOCK_ENABLE(port);
    (void)RCC->CR; /* a read after the clock gate, before touching the port */
    g->AFR[pin / 8u] = (g->AFR[pin / 8u] & ~(0xFu << (4u * (pin % 8u)))) | (af << (4u * (pin % 8u)));
    g->OSPEEDR = (g->OSPEEDR & ~(3u << (2u * pin))) | (GPIO_OSPEEDR_HIGH << (2u * pin));
    g->MODER = (g->MODER & ~(3u << (2u * pin))) | (GPIO_MODER_AF << (2u * pin));
}

void tg_board_init(void)
{
    (void)tg_stm32_clock_init();
#ifdef TG_HAS_M7_CACHES
    tg_m7_caches_enable();
#endif
#ifdef TG_STM32_L4
    /* RM0432 5.1.3: PG2..PG15 are supplied by VDDIO2, which must be declared valid. */
    if (TG_UART_TX_PORT == 6 || TG_UART_RX_PORT == 6) {
        RCC->APB1ENR1 |= RCC_APB1ENR1_PWREN;
        PWR->CR2 |= PWR_CR2_IOSV;
    }
#endif
    TG_UART_CLOCK_ENABLE();
    pin_af(TG_UART_TX_PORT, TG_UART_TX_PIN, TG_UART_AF);
    pin_af(TG_UART_RX_PORT, TG_UART_RX_PIN, TG_UART_AF);
}
