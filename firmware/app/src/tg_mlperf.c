#include "tg_mlperf.h"

#include "model.h"
#include "tg_board.h"
#include "tg_port.h"

#define CMD_SIZE 80
#define FW_VERSION "ULPMark for tinyML Firmware V0.0.1"

static const tg_mlperf_config *config;
static uint32_t db_size, db_pos;
/* The db buffer (the reference firmware's gp_buff): the arena reuses the input tensor's memory
 * during inference, so every inference copies the input in afresh. */
static uint8_t db_buffer[TG_INPUT_BYTES];

static void put_str(const char *s)
{
    uint32_t n = 0;
    while (s[n]) {
        ++n;
    }
    tg_port_write((const uint8_t *)s, n);
}

static void put_u64(uint64_t v)
{
    char digits[21];
    int n = 0;
    do {
        digits[n++] = (char)('0' + (int)(v % 10u));
        v /= 10u;
    } while (v);
    while (n) {
        tg_port_write((const uint8_t *)&digits[--n], 1);
    }
}

/* NULL when the inference ran, else why not. */
static const char *load_tensor_and_invoke(void)
{
    uint32_t off = 0, k;
    int i;
    for (i = 0; i < TG_NUM_INPUTS; ++i) {
        for (k = 0; k < tg_model_inputs[i].bytes; ++k) {
            tg_arena[tg_model_inputs[i].offset + k] = db_buffer[off++];
        }
    }
    return tg_model_invoke();
}

static void timestamp(void)
{
    const uint64_t units = tg_port_timer_ticks() * (uint64_t)TG_TIMER_SCALE;
    /* instruction and cycle counts become microseconds at the board's clock */
    const uint64_t us = TG_TIMER_UNIT == 2 ? units / 1000u : units / (config->clock_hz / 1000000u);
    put_str("m-lap-us-");
    put_u64(us);
    put_str("\r\n");
}

/* "%0.3f" of a dequantized output, without printf: rounded to thousandths, halves away from zero. */
static void put_milli(float v)
{
    const float m = v * 1000.0f;
    int32_t q = (int32_t)m;
    const float frac = m - (float)q;
    uint32_t mag;
    if (frac >= 0.5f) {
        ++q;
    } else if (frac <= -0.5f) {
        --q;
    }
    if (q < 0) {
        put_str("-");
    }
    mag = (uint32_t)(q < 0 ? -q : q);
    put_u64(mag / 1000u);
    put_str(".");
    tg_port_write((const uint8_t *)"0123456789" + (mag / 100u) % 10u, 1);
    tg_port_write((const uint8_t *)"0123456789" + (mag / 10u) % 10u, 1);
    tg_port_write((const uint8_t *)"0123456789" + mag % 10u, 1);
}

static void results(void)
{
    uint32_t i;
    int s;
    put_str("m-results-[");
    for (s = 0, i = 0; s < TG_NUM_OUTPUTS; ++s) {
        uint32_t k;
        for (k = 0; k < tg_model_outputs[s].bytes; ++k, ++i) {
            const int8_t q = (int8_t)tg_arena[tg_model_outputs[s].offset + k];
            if (i) {
                put_str(",");
            }
            put_milli((float)(q - config->output_zero_point) * config->output_scale);
        }
    }
    put_str("]\r\n");
}

static int is(const char *a, const char *b)
{
    while (*a && *a == *b) {
        ++a;
        ++b;
    }
    return *a == 0 && *b == 0;
}

static uint32_t to_u32(const char *s, int *ok)
{
    uint32_t v = 0;
    *ok = *s != 0;
    for (; *s; ++s) {
        if (*s < '0' || *s > '9') {
            *ok = 0;
            return 0;
        }
        v = v * 10u + (uint32_t)(*s - '0');
    }
    return v;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* th_api has no reset command: a model with state (LSTM, SVDF) starts from its reset state at boot
 * and every inference after that, warm-ups included, runs on from the state the last one left. */
static void infer(uint32_t n, uint32_t warmup)
{
    const char *why = NULL;
    put_str("m-warmup-start-");
    put_u64(warmup);
    put_str("\r\n");
    while (warmup-- && !why) {
        why = load_tensor_and_invoke();
    }
    put_str("m-warmup-done\r\nm-infer-start-");
    put_u64(n);
    put_str("\r\n");
    timestamp();
    while (n-- && !why) {
        why = load_tensor_and_invoke();
    }
    if (why) {  /* no results: they would be those of a failed inference */
        put_str("e-[inference failed: ");
        put_str(why);
        put_str("]\r\n");
        return;
    }
    timestamp();
    put_str("m-infer-done\r\n");
    results();
}

static void db(char *const *tok, int ntok)
{
    int ok;
    if (ntok < 2) {
        put_str("e-[Command 'db' requires a subcommand]\r\n");
    } else if (is(tok[1], "load")) {
        db_size = ntok > 2 ? to_u32(tok[2], &ok) : 0;
        db_pos = 0;
        if (!db_size || db_size > TG_INPUT_BYTES) {
            put_str("e-[Command 'db load' needs 1 to ");
            put_u64(TG_INPUT_BYTES);
            put_str(" bytes]\r\n");
            db_size = 0;
        } else {
            put_str("m-[Expecting ");
            put_u64(db_size);
            put_str(" bytes]\r\n");
        }
    } else if (is(tok[1], "print")) {
        uint32_t i;
        for (i = 0; i < db_pos; ++i) {
            const uint8_t b = db_buffer[i];
            if (i % 8u == 0) put_str("m-buffer-");
            tg_port_write((const uint8_t *)"0123456789abcdef" + (b >> 4), 1);
            tg_port_write((const uint8_t *)"0123456789abcdef" + (b & 15u), 1);
            put_str((i + 1) % 8u == 0 || i + 1 == db_pos ? "\r\n" : "-");
        }
    } else {
        const char *h = tok[1];
        while (h[0] && h[1] && db_pos < db_size) {
            const int hi = hex_digit(h[0]), lo = hex_digit(h[1]);
            if (hi < 0 || lo < 0) {
                put_str("e-[Invalid hex digit]\r\n");
                return;
            }
            db_buffer[db_pos++] = (uint8_t)(hi * 16 + lo);
            h += 2;
        }
        if (h[0] && !h[1]) {
            put_str("e-[Insufficent number of hex digits]\r\n");
        } else if (db_size && db_pos == db_size) {
            put_str("m-load-done\r\n");
        }
    }
}

static void command(char *line)
{
    char *tok[4];
    int ntok = 0, ok1 = 1, ok2 = 1;
    char *p = line;
    while (*p && ntok < 4) {
        while (*p == ' ') *p++ = 0;
        if (!*p) break;
        tok[ntok++] = p;
        while (*p && *p != ' ') ++p;
    }
    if (ntok == 0) {
        put_str("m-ready\r\n");
        return;
    }
    if (is(tok[0], "name")) {
        put_str("m-name-dut-[tinygen]\r\n");
    } else if (is(tok[0], "timestamp")) {
        timestamp();
    } else if (is(tok[0], "profile")) {
        put_str("m-profile-[" FW_VERSION "]\r\nm-model-[");
        put_str(config->model_version);
        put_str("]\r\n");
    } else if (is(tok[0], "help")) {
        put_str(FW_VERSION "\r\n\r\nhelp, name, timestamp, profile, db load N, db HH.., db print, "
                "infer N [W], results\r\n");
    } else if (is(tok[0], "db")) {
        db(tok, ntok);
    } else if (is(tok[0], "infer")) {
        const uint32_t n = ntok > 1 ? to_u32(tok[1], &ok1) : 1;
        const uint32_t w = ntok > 2 ? to_u32(tok[2], &ok2) : 10;
        if (!ok1 || !ok2 || n == 0) {
            put_str("e-[Inference iterations must be >0]\r\n");
        } else {
            infer(n, w);
        }
    } else if (is(tok[0], "results")) {
        results();
    } else {
        put_str("e-[Unknown command: ");
        put_str(tok[0]);
        put_str("]\r\n");
    }
    put_str("m-ready\r\n");
}

void tg_mlperf_run(const tg_mlperf_config *cfg)
{
    static char line[CMD_SIZE + 1];
    uint32_t n = 0;
    const char *why = tg_model_init();
    config = cfg;
    why = why ? why : tg_model_reset();
    if (why) {
        put_str("m-error: ");
        put_str(why);
        put_str("\r\n");
        return;
    }
    put_str("m-init-done\r\nm-ready\r\n");
    for (;;) {
        const int c = tg_port_read_byte();
        if (c < 0) {
            return;
        }
        if (c == '%') {
            line[n] = 0;
            command(line);
            n = 0;
        } else if (c != '\r' && c != '\n' && n < CMD_SIZE) {
            line[n++] = (char)c;
        }
    }
}
