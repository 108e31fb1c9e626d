#include "tg_mlperf.h"

#include "model.h"
#include "tg_board.h"
#include "tg_port.h"

#define CMD_SIZE 80
#define FW_VERSION "ULPMark for tinyML Firmware V0.0.1"

static const tg_mlperf_config *config;
/* db_size: the bytes the last accepted `db load` announced (0: none, or refused); db_pos: how many
 * have arrived. An input is complete when they are equal; anything refused empties the buffer, so
 * an inference never runs on half a window or on the last one. The arena reuses the input tensor's
 * memory during inference, so every inference converts the db buffer in afresh. */
static uint32_t db_size, db_pos;
static int have_results;  /* an inference ran on the current input */

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
static float db_float(uint32_t i)
{
    float v;
    uint8_t *b = (uint8_t *)&v;  /* FP32LE on the wire; Cortex-M is little-endian */
    b[0] = config->db[4 * i];
    b[1] = config->db[4 * i + 1];
    b[2] = config->db[4 * i + 2];
    b[3] = config->db[4 * i + 3];
    return v;
}

/* round(v / scale) + zero_point, clamped, as the reference's QuantizeFloatToInt8: round() halves
 * away from zero (written out, so no libm). */
static int8_t quantize(float v)
{
    const float x = v / config->input_scale;
    int32_t q;
    if (!(x > -1e6f && x < 1e6f)) {  /* far out of range (or NaN): clamps anyway */
        return x > 0 ? 127 : -128;
    }
    q = (int32_t)x;
    if (x - (float)q >= 0.5f) {
        ++q;
    } else if (x - (float)q <= -0.5f) {
        --q;
    }
    q += config->input_zero_point;
    return (int8_t)(q < -128 ? -128 : q > 127 ? 127 : q);
}

static const char *load_tensor_and_invoke(void)
{
    uint8_t *in = &tg_arena[tg_model_inputs[0].offset];
    uint32_t k;
    for (k = 0; k < tg_model_inputs[0].bytes; ++k) {
        if (config->input_kind == TG_MLPERF_FLOAT) {
            in[k] = (uint8_t)quantize(db_float(k));
        } else if (config->input_kind == TG_MLPERF_UINT8_RGB) {
            in[k] = (uint8_t)(config->db[k] - 128u);  /* uint8 - 128 as int8: the top bit flips */
        } else {
            in[k] = config->db[k];
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

/* "%0.3f" of a float, without printf. v * 1000 is exact in double (24 + 10 bits), and a float is
 * never exactly half way between thousandths, so this rounds as printf does. */
static void put_milli(float v)
{
    const double m = (double)v * 1000.0;
    int32_t q = (int32_t)m;
    const double frac = m - (double)q;
    uint32_t mag;
    if (frac >= 0.5) {
        ++q;
    } else if (frac <= -0.5) {
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

static float dequantized_output(uint32_t k)
{
    const int8_t q = (int8_t)tg_arena[tg_model_outputs[0].offset + k];
    return (float)(q - config->output_zero_point) * config->output_scale;
}

/* ad01's score: the mean of (dequantized output - input)^2 over the window, summed in order in
 * float as the reference does (-std=c99 keeps GCC from fusing it into FMAs). */
static float anomaly_score(void)
{
    float sum = 0.0f;
    uint32_t k;
    for (k = 0; k < tg_model_outputs[0].bytes; ++k) {
        const float d = dequantized_output(k) - db_float(k);
        sum += d * d;
    }
    return sum / (float)tg_model_outputs[0].bytes;
}

static void results(void)
{
    uint32_t k;
    put_str("m-results-[");
    if (config->input_kind == TG_MLPERF_FLOAT) {
        put_milli(anomaly_score());
    } else {
        for (k = 0; k < tg_model_outputs[0].bytes; ++k) {
            if (k) {
                put_str(",");
            }
            put_milli(dequantized_output(k));
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
    have_results = 1;
    put_str("m-infer-done\r\n");
    results();
}

static void refuse_db(const char *why)
{
    db_size = 0;
    db_pos = 0;
    have_results = 0;
    put_str("e-[");
    put_str(why);
    put_str("]\r\n");
}

static void db(char *const *tok, int ntok)
{
    int ok = 0;
    if (ntok < 2) {
        put_str("e-[Command 'db' requires a subcommand]\r\n");
    } else if (is(tok[1], "load")) {
        const uint32_t n = ntok == 3 ? to_u32(tok[2], &ok) : 0;
        have_results = 0;
        if (!ok || n != config->db_bytes) {
            db_size = 0;
            db_pos = 0;
            put_str("e-[Command 'db load' needs exactly ");
            put_u64(config->db_bytes);
            put_str(" bytes for ");
            put_str(config->model_version);
            put_str("]\r\n");
        } else {
            db_size = n;
            db_pos = 0;
            put_str("m-[Expecting ");
            put_u64(db_size);
            put_str(" bytes]\r\n");
        }
    } else if (is(tok[1], "print")) {
        uint32_t i;
        for (i = 0; i < db_pos; ++i) {
            const uint8_t b = config->db[i];
            if (i % 8u == 0) put_str("m-buffer-");
            tg_port_write((const uint8_t *)"0123456789abcdef" + (b >> 4), 1);
            tg_port_write((const uint8_t *)"0123456789abcdef" + (b & 15u), 1);
            put_str((i + 1) % 8u == 0 || i + 1 == db_pos ? "\r\n" : "-");
        }
    } else if (ntok > 2) {
        refuse_db("Command 'db' takes one string of hex digits");
    } else {
        /* a chunk is checked whole before a byte of it is stored */
        const char *h = tok[1];
        uint32_t n = 0;
        while (h[n]) {
            if (hex_digit(h[n]) < 0) {
                refuse_db("Invalid hex digit");
                return;
            }
            ++n;
        }
        if (n % 2u) {
            refuse_db("Insufficent number of hex digits");
        } else if (db_size == 0 || db_pos == db_size) {
            refuse_db("No db load in progress");
        } else if (n / 2u > db_size - db_pos) {
            refuse_db("More bytes than db load announced");
        } else {
            for (; *h; h += 2) {
                config->db[db_pos++] = (uint8_t)(hex_digit(h[0]) * 16 + hex_digit(h[1]));
            }
            if (db_pos == db_size) {
                put_str("m-load-done\r\n");
            }
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
        } else if (db_size == 0 || db_pos != db_size) {
            put_str("e-[No complete input: db load N, then N bytes]\r\n");
        } else {
            infer(n, w);
        }
    } else if (is(tok[0], "results")) {
        if (!have_results) {
            put_str("e-[No results: no inference on the current input]\r\n");
        } else {
            results();
        }
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
    int too_long = 0;
    const char *why = tg_model_init();
    config = cfg;
    /* At boot the buffer holds a complete all-zero input (as the reference's zeroed gp_buff), so an
     * `infer` before any `db load` runs, on zeros. */
    db_size = cfg->db_bytes;
    db_pos = cfg->db_bytes;
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
            if (too_long) {  /* cut short it could be half a db chunk: refused, with the input */
                refuse_db("Command longer than 80 characters");
                put_str("m-ready\r\n");
            } else {
                command(line);
            }
            n = 0;
            too_long = 0;
        } else if (c != '\r' && c != '\n') {
            if (n < CMD_SIZE) {
                line[n++] = (char)c;
            } else {
                too_long = 1;
            }
        }
    }
}
