#include "tg_dot.h"

#include <string.h>

#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP
#include <arm_acle.h>
#define TG_DSP 1
#endif

TG_INLINE uint32_t load_u32(const int8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4); /* one unaligned LDR on ARMv7E-M */
    return v;
}

/* The depth % 4 tail of a compact or wide block: row-interleaved bytes. */
static const int8_t *tail4(const int8_t *x, const int8_t *w, int32_t n, int32_t *acc)
{
    int32_t k;
    for (k = 0; k < n; ++k) {
        const int32_t xv = x[k];
        acc[0] += w[0] * xv;
        acc[1] += w[1] * xv;
        acc[2] += w[2] * xv;
        acc[3] += w[3] * xv;
        w += 4;
    }
    return w;
}

#ifdef TG_DSP
/* SXTB16 of bytes 0 and 2, and of bytes 1 and 3 (with the rotate folded into the instruction,
 * which GCC does not do by itself). */
TG_INLINE int32_t sx_even(uint32_t v) { return (int32_t)__sxtb16(v); }
TG_INLINE int32_t sx_odd(uint32_t v)
{
    int32_t r;
    __asm__("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(v));
    return r;
}

/* One block of four rows: each group of four input bytes is widened once and used four times;
 * SMLAD pairs bytes (0,2) with (0,2) and (1,3) with (1,3), so no reordering inside a group. */
static const int8_t *dot4(const int8_t *x, const int8_t *wb, int32_t depth, int32_t *acc)
{
    int32_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
    const int8_t *end = x + (depth & ~3);
    const uint32_t *w32 = (const uint32_t *)(const void *)wb; /* word aligned: see the header */
    while (x != end) {
        const uint32_t xv = load_u32(x);
        const int32_t xe = sx_even(xv), xo = sx_odd(xv);
        const uint32_t w0 = w32[0], w1 = w32[1], w2 = w32[2], w3 = w32[3]; /* two LDRDs */
        x += 4;
        a0 = __smlad(sx_even(w0), xe, a0);
        a0 = __smlad(sx_odd(w0), xo, a0);
        a1 = __smlad(sx_even(w1), xe, a1);
        a1 = __smlad(sx_odd(w1), xo, a1);
        a2 = __smlad(sx_even(w2), xe, a2);
        a2 = __smlad(sx_odd(w2), xo, a2);
        a3 = __smlad(sx_even(w3), xe, a3);
        a3 = __smlad(sx_odd(w3), xo, a3);
        w32 += 4;
    }
    acc[0] = a0;
    acc[1] = a1;
    acc[2] = a2;
    acc[3] = a3;
    return tail4(x, (const int8_t *)w32, depth & 3, acc);
}

static int32_t dot1(const int8_t *x, const int8_t *w, int32_t depth, int32_t a)
{
    int32_t k;
    for (k = depth >> 2; k > 0; --k) {
        const uint32_t xv = load_u32(x), wv = load_u32(w);
        x += 4;
        w += 4;
        a = __smlad(sx_even(wv), sx_even(xv), a);
        a = __smlad(sx_odd(wv), sx_odd(xv), a);
    }
    for (k = depth & 3; k > 0; --k) {
        a += *w++ * *x++;
    }
    return a;
}

/* Wide layout: the weights are already int16 pairs, so a group costs one LDR and two SXTB16 for
 * the input, two LDMs for the 8 weight words and eight SMLADs. The LDMs need their registers in
 * ascending order, hence the explicit register variables. */
static const uint32_t *dot4_wide(const int8_t *x, const uint32_t *w, int32_t depth, int32_t *acc)
{
    int32_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
    const int8_t *end = x + (depth & ~3);
    while (x != end) {
        register uint32_t w0 __asm__("r4");
        register uint32_t w1 __asm__("r5");
        register uint32_t w2 __asm__("r6");
        register uint32_t w3 __asm__("r7");
        const uint32_t xv = load_u32(x);
        const int32_t xe = sx_even(xv), xo = sx_odd(xv);
        x += 4;
        __asm__ volatile("ldmia %4!, {%0, %1, %2, %3}" : "=r"(w0), "=r"(w1), "=r"(w2), "=r"(w3), "+r"(w) : : "memory");
        a0 = __smlad((int32_t)w0, xe, a0);
        a0 = __smlad((int32_t)w1, xo, a0);
        a1 = __smlad((int32_t)w2, xe, a1);
        a1 = __smlad((int32_t)w3, xo, a1);
        __asm__ volatile("ldmia %4!, {%0, %1, %2, %3}" : "=r"(w0), "=r"(w1), "=r"(w2), "=r"(w3), "+r"(w) : : "memory");
        a2 = __smlad((int32_t)w0, xe, a2);
        a2 = __smlad((int32_t)w1, xo, a2);
        a3 = __smlad((int32_t)w2, xe, a3);
        a3 = __smlad((int32_t)w3, xo, a3);
    }
    acc[0] = a0;
    acc[1] = a1;
    acc[2] = a2;
    acc[3] = a3;
    if (depth & 3) {
        tail4(x, (const int8_t *)w, depth & 3, acc);
    }
    return w + (depth & 3);
}

static const uint32_t *dot1_wide(const int8_t *x, const uint32_t *w, int32_t depth, int32_t *acc)
{
    int32_t a = *acc, k;
    const int8_t *wt;
    for (k = depth >> 2; k > 0; --k) {
        const uint32_t xv = load_u32(x);
        x += 4;
        a = __smlad((int32_t)w[0], sx_even(xv), a);
        a = __smlad((int32_t)w[1], sx_odd(xv), a);
        w += 2;
    }
    wt = (const int8_t *)w;
    for (k = 0; k < (depth & 3); ++k) {
        a += wt[k] * x[k];
    }
    *acc = a;
    return w + ((depth & 3) + 3) / 4;
}
#elif defined(__ARM_ARCH_6M__)
/* ARMv6-M (Cortex-M0+): no DSP, only eight low registers for MULS, and LDRSB without an immediate
 * offset, on which GCC's code for the portable loop spends about 15 cycles per MAC. This block of
 * four rows is hand-scheduled instead: per group of four depth bytes the inputs are loaded and
 * sign-extended once (r2-r5), then each row's four weights come in one LDR and are sign-extended by
 * shifts; the four accumulators live in r8-r11 (ADD reaches the high registers). 85 cycles per 16
 * MACs on a Cortex-M0+ with the single-cycle multiplier (the RP2040's). Returns the weights after the
 * groups; acc[0..3] are updated. */
#define TG_ROW(off, acc)               \
    "ldr r6, [r1, #" #off "]\n\t"      \
    "sxtb r7, r6\n\t"                  \
    "muls r7, r2, r7\n\t"              \
    "add " acc ", " acc ", r7\n\t"     \
    "lsls r7, r6, #16\n\t"             \
    "asrs r7, r7, #24\n\t"             \
    "muls r7, r3, r7\n\t"              \
    "add " acc ", " acc ", r7\n\t"     \
    "lsls r7, r6, #8\n\t"              \
    "asrs r7, r7, #24\n\t"             \
    "muls r7, r4, r7\n\t"              \
    "add " acc ", " acc ", r7\n\t"     \
    "asrs r7, r6, #24\n\t"             \
    "muls r7, r5, r7\n\t"              \
    "add " acc ", " acc ", r7\n\t"

/* The loop around TG_ROW, for inputs as int8 (XSHIFT 2: four bytes a group, loaded and sign-extended
 * in 13 cycles) or already widened to int32 (XSHIFT 4: one LDM of four words, 5 cycles; 77 cycles per
 * 16 MACs). r0 = x, r1 = w, r2 = groups, r3 = acc; returns the weights after the groups. */
#define TG_DOT4_GROUPS_ASM(XSHIFT, LOAD_X)                                                               \
    ".syntax unified\n\t"                                                                                \
    "push {r4, r5, r6, r7, lr}\n\t"                                                                      \
    "mov r4, r8\n\t"                                                                                     \
    "mov r5, r9\n\t"                                                                                     \
    "mov r6, r10\n\t"                                                                                    \
    "mov r7, r11\n\t"                                                                                    \
    "push {r3, r4, r5, r6, r7}\n\t" /* acc, then the callee-saved r8-r11 */                              \
    "lsls r2, r2, #" XSHIFT "\n\t"                                                                       \
    "adds r2, r0, r2\n\t"                                                                                \
    "mov r12, r2\n\t" /* end of x */                                                                     \
    "ldr r4, [r3, #0]\n\t"                                                                               \
    "mov r8, r4\n\t"                                                                                     \
    "ldr r4, [r3, #4]\n\t"                                                                               \
    "mov r9, r4\n\t"                                                                                     \
    "ldr r4, [r3, #8]\n\t"                                                                               \
    "mov r10, r4\n\t"                                                                                    \
    "ldr r4, [r3, #12]\n\t"                                                                              \
    "mov r11, r4\n\t"                                                                                    \
    "cmp r0, r12\n\t"                                                                                    \
    "beq 2f\n"                                                                                           \
    "1:\n\t" LOAD_X TG_ROW(0, "r8") TG_ROW(4, "r9") TG_ROW(8, "r10") TG_ROW(12, "r11")                    \
    "adds r1, r1, #16\n\t"                                                                               \
    "cmp r0, r12\n\t"                                                                                    \
    "bne 1b\n"                                                                                           \
    "2:\n\t"                                                                                             \
    "pop {r3}\n\t"                                                                                       \
    "mov r4, r8\n\t"                                                                                     \
    "str r4, [r3, #0]\n\t"                                                                               \
    "mov r4, r9\n\t"                                                                                     \
    "str r4, [r3, #4]\n\t"                                                                               \
    "mov r4, r10\n\t"                                                                                    \
    "str r4, [r3, #8]\n\t"                                                                               \
    "mov r4, r11\n\t"                                                                                    \
    "str r4, [r3, #12]\n\t"                                                                              \
    "movs r0, r1\n\t"                                                                                    \
    "pop {r4, r5, r6, r7}\n\t"                                                                           \
    "mov r8, r4\n\t"                                                                                     \
    "mov r9, r5\n\t"                                                                                     \
    "mov r10, r6\n\t"                                                                                    \
    "mov r11, r7\n\t"                                                                                    \
    "pop {r4, r5, r6, r7, pc}\n\t"                                                                       \
    ".syntax divided\n\t"

#define TG_ARG __attribute__((unused)) /* read by the assembly, in r0-r3 */
__attribute__((naked, noinline)) static const int8_t *dot4_groups(TG_ARG const int8_t *x, TG_ARG const int8_t *w,
                                                                 TG_ARG int32_t groups, TG_ARG int32_t *acc)
{
    __asm__ volatile(TG_DOT4_GROUPS_ASM("2", "ldrb r2, [r0, #0]\n\t"
                                             "ldrb r3, [r0, #1]\n\t"
                                             "ldrb r4, [r0, #2]\n\t"
                                             "ldrb r5, [r0, #3]\n\t"
                                             "sxtb r2, r2\n\t"
                                             "sxtb r3, r3\n\t"
                                             "sxtb r4, r4\n\t"
                                             "sxtb r5, r5\n\t"
                                             "adds r0, r0, #4\n\t"));
}

__attribute__((naked, noinline)) const uint32_t *tg_dot4_groups_x32(TG_ARG const int32_t *x, TG_ARG const uint32_t *w,
                                                                    TG_ARG int32_t groups, TG_ARG int32_t *acc)
{
    __asm__ volatile(TG_DOT4_GROUPS_ASM("4", "ldm r0!, {r2, r3, r4, r5}\n\t"));
}
#undef TG_ARG
#undef TG_ROW
#undef TG_DOT4_GROUPS_ASM

static const int8_t *dot4(const int8_t *x, const int8_t *w, int32_t depth, int32_t *acc)
{
    w = dot4_groups(x, w, depth >> 2, acc);
    return tail4(x + (depth & ~3), w, depth & 3, acc);
}

/* A plain row (the last rows % 4 rows): rare, left to the compiler. */
static int32_t dot1(const int8_t *x, const int8_t *w, int32_t depth, int32_t a)
{
    int32_t d;
    for (d = 0; d < depth; ++d) {
        a += w[d] * x[d];
    }
    return a;
}
#endif

#if !defined(TG_DSP) && !defined(__ARM_ARCH_6M__)
static const int8_t *dot4(const int8_t *x, const int8_t *w, int32_t depth, int32_t *acc)
{
    int32_t d, r;
    for (d = 0; d + 4 <= depth; d += 4) {
        for (r = 0; r < 4; ++r) {
            acc[r] += w[0] * x[d] + w[1] * x[d + 1] + w[2] * x[d + 2] + w[3] * x[d + 3];
            w += 4;
        }
    }
    return tail4(x + d, w, depth & 3, acc);
}

static int32_t dot1(const int8_t *x, const int8_t *w, int32_t depth, int32_t a)
{
    int32_t d;
    for (d = 0; d < depth; ++d) {
        a += w[d] * x[d];
    }
    return a;
}
#endif

#ifndef __ARM_ARCH_6M__
const uint32_t *tg_dot4_groups_x32(const int32_t *x, const uint32_t *w32, int32_t groups, int32_t *acc)
{
    const int8_t *w = (const int8_t *)w32;
    int32_t g, r;
    for (g = 0; g < groups; ++g, x += 4) {
        for (r = 0; r < 4; ++r, w += 4) {
            acc[r] += w[0] * x[0] + w[1] * x[1] + w[2] * x[2] + w[3] * x[3];
        }
    }
    return (const uint32_t *)(const void *)w;
}
#endif

#ifndef TG_DSP
/* Portable reading of the wide layout: each word holds two int16 weights. */
TG_INLINE int32_t lo16(uint32_t v) { return (int32_t)(int16_t)(v & 0xFFFFu); }
TG_INLINE int32_t hi16(uint32_t v) { return (int32_t)(int16_t)(v >> 16); }

static const uint32_t *dot4_wide(const int8_t *x, const uint32_t *w, int32_t depth, int32_t *acc)
{
    int32_t d, r;
    for (d = 0; d + 4 <= depth; d += 4) {
        for (r = 0; r < 4; ++r) {
            acc[r] += lo16(w[0]) * x[d] + hi16(w[0]) * x[d + 2] + lo16(w[1]) * x[d + 1] + hi16(w[1]) * x[d + 3];
            w += 2;
        }
    }
    tail4(x + d, (const int8_t *)w, depth & 3, acc);
    return w + (depth & 3);
}

static const uint32_t *dot1_wide(const int8_t *x, const uint32_t *w, int32_t depth, int32_t *acc)
{
    int32_t d, k;
    const int8_t *wt;
    for (d = 0; d + 4 <= depth; d += 4) {
        *acc += lo16(w[0]) * x[d] + hi16(w[0]) * x[d + 2] + lo16(w[1]) * x[d + 1] + hi16(w[1]) * x[d + 3];
        w += 2;
    }
    wt = (const int8_t *)w;
    for (k = 0; d + k < depth; ++k) {
        *acc += wt[k] * x[d + k];
    }
    return w + ((depth & 3) + 3) / 4;
}
#endif

void tg_dot_rows_s8(const int8_t *x, const uint32_t *w32, int32_t depth, int32_t rows, int32_t *acc)
{
    const int8_t *w = (const int8_t *)w32;
    int32_t r = 0;
    for (; r + 4 <= rows; r += 4) {
        w = dot4(x, w, depth, acc + r);
    }
    for (; r < rows; ++r) {
        acc[r] = dot1(x, w, depth, acc[r]);
        w += depth;
    }
}

void tg_dot_rows_wide_s8(const int8_t *x, const uint32_t *w, int32_t depth, int32_t rows, int32_t *acc)
{
    int32_t r = 0;
    for (; r + 4 <= rows; r += 4) {
        w = dot4_wide(x, w, depth, acc + r);
    }
    for (; r < rows; ++r) {
        w = dot1_wide(x, w, depth, acc + r);
    }
}
