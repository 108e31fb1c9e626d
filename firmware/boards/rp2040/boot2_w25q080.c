/* Second-stage bootloader for the Pico's W25Q080 QSPI flash. The RP2040 boot ROM copies these 256
 * bytes to SRAM and runs them only when a CRC-32/MPEG-2 over the first 252 bytes equals the last
 * word (boot2_checksum.py writes it after a separate link). Position independent: one function, no
 * data, so it runs at 0x20041F00 unchanged. It puts the SSI in XIP with the serial 03h read, which
 * every W25Q part answers (no QE bit to set; quad EBh reads are a later speed-up), then enters the
 * firmware through the vector table that follows at 0x10000100. */
#include <stdint.h>

#define SSI ((volatile uint32_t *)0x18000000u)
#define CTRLR0 (0x00u / 4)
#define CTRLR1 (0x04u / 4)
#define SSIENR (0x08u / 4)
#define BAUDR (0x14u / 4)
#define SPI_CTRLR0 (0xF4u / 4)

void tg_boot2(void) __attribute__((section(".boot2"), used, noreturn));
void tg_boot2(void)
{
    const volatile uint32_t *vectors = (const volatile uint32_t *)0x10000100u;

    SSI[SSIENR] = 0;
    SSI[BAUDR] = 4; /* clk_sys / 4: 31 MHz at 125 MHz, within the 03h read's 50 MHz */
    SSI[CTRLR0] = (31u << 16) | (3u << 8); /* standard SPI, 32-bit frames, EEPROM read */
    SSI[CTRLR1] = 0;
    SSI[SPI_CTRLR0] = (0x03u << 24) | (6u << 2) | (2u << 8); /* XIP command 03h, 24-bit address, 8-bit cmd */
    SSI[SSIENR] = 1;
    *(volatile uint32_t *)0xE000ED08u = 0x10000100u; /* VTOR */
    __asm volatile("msr msp, %0\n\tbx %1" : : "r"(vectors[0]), "r"(vectors[1]));
    for (;;) {
    }
}
