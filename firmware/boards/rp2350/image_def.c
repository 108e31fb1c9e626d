/* The IMAGE_DEF block the RP2350 boot ROM looks for in the first 4 kB of flash before it boots an
 * image (RP2350 datasheet, boot ROM chapter: "minimum viable image metadata"). Unlike the RP2040
 * there is no checksummed second stage: the ROM sets up XIP itself. One block whose loop points
 * back at itself; no VECTOR_TABLE item, so the ROM takes the vector table at the start of the image
 * (the linker puts this block right after it). No ENTRY_POINT item: SP and PC come from that table. */
#include <stdint.h>

#define BLOCK_MARKER_START 0xFFFFDED3u
#define BLOCK_MARKER_END 0xAB123579u
/* item IMAGE_TYPE (0x42), 1 word: EXE (1) | secure (2 << 4) | Arm CPU (0 << 8) | chip RP2350 (1 << 12) */
#define ITEM_IMAGE_TYPE (0x42u | (1u << 8) | ((1u | (2u << 4) | (0u << 8) | (1u << 12)) << 16))
/* item LAST (0xFF, two-byte size): the items before it total 1 word */
#define ITEM_LAST (0xFFu | (1u << 8))

__attribute__((section(".image_def"), used, aligned(4))) const uint32_t tg_image_def[5] = {
    BLOCK_MARKER_START,
    ITEM_IMAGE_TYPE,
    ITEM_LAST,
    0u, /* offset to the next block of the loop: 0, the loop is this block alone */
    BLOCK_MARKER_END,
};
