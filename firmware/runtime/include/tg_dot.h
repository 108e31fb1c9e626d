/* The int8 dot-product cores of FULLY_CONNECTED and the convolutions:
 * acc[r] += sum_d w[r][d] * x[d] for `rows` rows of `depth` weights.
 *
 * The weights are packed at generation time (tinygen/ops/packing.py), in one of two layouts:
 *
 * compact (int8, tg_dot_rows_s8): rows in blocks of four, each block interleaved in groups of four
 *   bytes (r0[0..3] r1[0..3] r2[0..3] r3[0..3] r0[4..7] ...), the block's depth % 4 tail bytes
 *   after it row-interleaved (r0[t] r1[t] r2[t] r3[t] ...); the last rows % 4 rows stay plain.
 *   A block of four rows starting at row r begins at byte r * depth (word aligned).
 *
 * wide (int16 pairs, tg_dot_rows_wide_s8; twice the flash, a third fewer instructions on cores
 *   with SMLAD): per block of four rows and group of four depth bytes, for each row two words
 *   (w[0] | w[2] << 16, w[1] | w[3] << 16) -- the lanes SXTB16 makes of input bytes 0,2 and 1,3;
 *   then the depth % 4 tail as in the compact layout, padded to a word. The last rows % 4 rows:
 *   each row's groups as two words, then its tail bytes padded to a word.
 *   A block of four rows starting at row r begins at word (r / 4) * tg_dot_wide_block_words(depth). */
#ifndef TG_DOT_H
#define TG_DOT_H

#include "tg_common.h"

void tg_dot_rows_s8(const int8_t *x, const uint32_t *w, int32_t depth, int32_t rows, int32_t *acc);
void tg_dot_rows_wide_s8(const int8_t *x, const uint32_t *w, int32_t depth, int32_t rows, int32_t *acc);

/* One block of four rows of the compact layout over `groups` whole groups of four (no tail), against
 * an input already widened to int32 (x[4g..4g+3] per group); acc[0..3] += the four dot products.
 * Returns the weights after the groups. On ARMv6-M the same hand-scheduled block as
 * tg_dot_rows_s8, with the input loaded by LDM. */
const uint32_t *tg_dot4_groups_x32(const int32_t *x, const uint32_t *w, int32_t groups, int32_t *acc);

/* Words per block of four rows in the wide layout. */
TG_INLINE int32_t tg_dot_wide_block_words(int32_t depth) { return 2 * (depth & ~3) + (depth & 3); }

#endif
