#include "tg_app.h"

#include "model.h"
#include "tg_board.h"
#include "tg_link.h"
#include "tg_port.h"

#define ERR_BAD_REQUEST 1
#define ERR_OUT_OF_RANGE 2
#define ERR_UNKNOWN_TYPE 3
#define ERR_MODEL_INIT 4
#define ERR_FAULT 5
#define ERR_INFERENCE 6

/* 'r' flags: run even when this tag was the last one run (the host resends the input first). */
#define RUN_AGAIN 1u
/* 'r' flags: after the result frame, also print it as a text line (for tests that see only text,
 * such as Renode's Robot tests). */
#define RUN_PRINT 2u

static void put_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static uint32_t get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

/* Maps an offset in the concatenation of all input (or output) tensors to arena memory. */
static uint8_t *io_byte(const tg_io_slot *slots, int count, uint32_t offset)
{
    int i;
    for (i = 0; i < count; ++i) {
        if (offset < slots[i].bytes) {
            return tg_arena + slots[i].offset + offset;
        }
        offset -= slots[i].bytes;
    }
    return 0;
}

static uint32_t append_str(uint8_t *p, uint32_t n, const char *s)
{
    while (*s && n < TG_LINK_MAX_PAYLOAD - 1) {
        p[n++] = (uint8_t)*s++;
    }
    p[n++] = 0;
    return n;
}

/* CRC-32 (IEEE 802.3, as zlib): an end-to-end check of the whole input and output, beyond the
 * per-frame CRC-16, so that a damaged transfer can never pass as a result. */
static uint32_t crc32_io(const tg_io_slot *slots, int count, uint32_t total)
{
    static const uint32_t nibble[16] = {
        0x00000000u, 0x1DB71064u, 0x3B6E20C8u, 0x26D930ACu, 0x76DC4190u, 0x6B6B51F4u, 0x4DB26158u, 0x5005713Cu,
        0xEDB88320u, 0xF00F9344u, 0xD6D6A3E8u, 0xCB61B38Cu, 0x9B64C2B0u, 0x86D3D2D4u, 0xA00AE278u, 0xBDBDF21Cu};
    uint32_t crc = 0xFFFFFFFFu, i;
    for (i = 0; i < total; ++i) {
        crc ^= *io_byte(slots, count, i);
        crc = (crc >> 4) ^ nibble[crc & 15u];
        crc = (crc >> 4) ^ nibble[crc & 15u];
    }
    return crc ^ 0xFFFFFFFFu;
}

/* Reads of the timer spent waiting for a tick edge at most: every timer tinygen uses ticks within
 * a few dozen instructions, and a timer that does not count must not hang the board. */
#define TICK_EDGE_SPINS 4096u

/* Invokes the model and returns what it took in the board's unit; *end gets the timer at the end.
 * The count starts on a tick edge so it does not depend on where in a tick the host's request
 * happened to arrive (coarse timers such as SysTick in QEMU). */
static uint64_t timed_invoke(uint64_t *end, const char **why)
{
    uint64_t t0 = tg_port_timer_ticks(), t1;
    uint32_t spins = 0;
    while ((t1 = tg_port_timer_ticks()) == t0 && ++spins < TICK_EDGE_SPINS) {
    }
    t0 = t1;
    *why = tg_model_invoke();
    t1 = tg_port_timer_ticks();
    *end = t1 * (uint64_t)TG_TIMER_SCALE;
    return (t1 - t0) * (uint64_t)TG_TIMER_SCALE;
}

static void put_text(const char *s)
{
    uint32_t n = 0;
    while (s[n]) {
        ++n;
    }
    tg_port_write((const uint8_t *)s, n);
}

static void put_decimal(uint64_t v)
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

/* One plain text line at boot, before the hello frame (whose leading 0x00 ends it for the host's
 * link, which keeps it as device log): what a terminal or a Renode Robot test can wait for. */
static void announce_ready(void)
{
    put_text("tinygen ready: " TG_BOARD_NAME ", " TG_RUNTIME_NAME " runtime\r\n");
}

static uint32_t hex_digits(char *dst, uint32_t v);

/* The text line a run request with the report flag asks for, after its result frame. */
static void report_inference(uint32_t tag, uint64_t elapsed, uint32_t output_crc)
{
    static const char *const units[3] = {" instructions", " cycles", " nanoseconds"};
    char hex[9];
    put_text("tinygen inference ");
    put_decimal(tag);
    put_text(" done: ");
    put_decimal(elapsed);
    put_text(units[TG_TIMER_UNIT]);
    put_text(", output crc32 ");
    hex_digits(hex, output_crc);
    hex[8] = 0;
    put_text(hex);
    put_text("\r\n");
}

static void send_hello(uint8_t seq)
{
    static uint8_t p[TG_LINK_MAX_PAYLOAD];
    uint32_t n = 0, i;
    p[n++] = TG_LINK_PROTOCOL_VERSION;
    p[n++] = TG_TIMER_UNIT;
    p[n++] = 0;
    p[n++] = 0;
    put_u32(p + n, TG_CLOCK_HZ);
    n += 4;
    put_u32(p + n, TG_INPUT_BYTES);
    n += 4;
    put_u32(p + n, TG_OUTPUT_BYTES);
    n += 4;
    put_u32(p + n, TG_ARENA_BYTES);
    n += 4;
    for (i = 0; i < 32; ++i) {
        p[n++] = tg_model_sha256[i];
    }
    n = append_str(p, n, TG_FIRMWARE_VERSION);
    n = append_str(p, n, TG_BOARD_NAME);
    n = append_str(p, n, TG_RUNTIME_NAME);
    tg_link_send(TG_MSG_HELLO, seq, p, n);
}

static void send_error(uint8_t seq, uint8_t code, const char *text)
{
    uint8_t p[TG_LINK_MAX_PAYLOAD];
    uint32_t n = 0;
    p[n++] = code;
    while (*text && n < sizeof p) {
        p[n++] = (uint8_t)*text++;
    }
    tg_link_send(TG_MSG_ERROR, seq, p, n);
}

static uint32_t hex_digits(char *dst, uint32_t v)
{
    uint32_t i;
    for (i = 0; i < 8; ++i) {
        dst[i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 0xfu];
    }
    return 8;
}

/* Called by the board's fault handler (firmware/boards/cortex-m/startup.c): one error frame, then
 * the board stops. */
void tg_fault_report(uint32_t pc, uint32_t status)
{
    static char text[48];
    uint32_t n = 0;
    const char *s = "fault at pc 0x";
    while (*s) text[n++] = *s++;
    n += hex_digits(text + n, pc);
    s = " status 0x";
    while (*s) text[n++] = *s++;
    n += hex_digits(text + n, status);
    text[n] = 0;
    send_error(0, ERR_FAULT, text);
}

/* Called by the board's _exit (abort() or exit() in the firmware): one error frame, then it stops. */
void tg_exit_report(int code, uint32_t caller)
{
    static char text[48];
    uint32_t n = 0;
    const char *s = "abort or exit(";
    while (*s) text[n++] = *s++;
    text[n++] = (char)('0' + (code & 7));
    s = ") from 0x";
    while (*s) text[n++] = *s++;
    n += hex_digits(text + n, caller);
    text[n] = 0;
    send_error(0, ERR_FAULT, text);
}

/* The model could not be prepared: say why at boot and to every request, never run. */
static void refuse_forever(const char *why)
{
    static tg_frame f;
    send_error(0, ERR_MODEL_INIT, why);
    while (tg_link_receive(&f) >= 0) {
        send_error(f.seq, ERR_MODEL_INIT, why);
    }
}

/* Prepares the model and puts its state to the initial value (a boot is a reset); NULL or why not. */
static const char *init_and_reset(void)
{
    const char *why = tg_model_init();
    return why ? why : tg_model_reset();
}

/* "inference failed: <why>" as the reply to a run request. */
static void send_inference_error(uint8_t seq, const char *why)
{
    static char text[TG_LINK_MAX_PAYLOAD];
    uint32_t n = 0;
    const char *s = "inference failed: ";
    while (*s) text[n++] = *s++;
    while (*why && n < sizeof text - 2) text[n++] = *why++;
    text[n] = 0;
    send_error(seq, ERR_INFERENCE, text);
}

void tg_app_run(void)
{
    static tg_frame f;
    static uint8_t out[TG_LINK_MAX_PAYLOAD];
    /* The last result, resent when the host repeats the run request of the same tag (its reply was
     * lost): the model's state advances once per inference, so a repeat must not invoke again. */
    static uint8_t last_result[32];
    uint32_t inference = 0, last_tag = 0;
    int have_last = 0;
    const char *why = init_and_reset();
    if (why) {
        refuse_forever(why);
        return;
    }
    announce_ready();
    send_hello(0);
    for (;;) {
        if (tg_link_receive(&f) < 0) {
            return;
        }
        switch (f.type) {
        case TG_MSG_HELLO_REQ:
            send_hello(f.seq);
            break;
        case TG_MSG_INPUT: {
            uint32_t offset, i;
            if (f.len < 4) {
                send_error(f.seq, ERR_BAD_REQUEST, "short input frame");
                break;
            }
            offset = get_u32(f.payload);
            if ((uint64_t)offset + (f.len - 4u) > TG_INPUT_BYTES) {
                send_error(f.seq, ERR_OUT_OF_RANGE, "input offset out of range");
                break;
            }
            for (i = 0; i < f.len - 4u; ++i) {
                *io_byte(tg_model_inputs, TG_NUM_INPUTS, offset + i) = f.payload[4 + i];
            }
            put_u32(out, offset);
            put_u32(out + 4, f.len - 4u);
            tg_link_send(TG_MSG_ACK, f.seq, out, 8);
            break;
        }
        case TG_MSG_RESET:
            have_last = 0;
            why = tg_model_reset();
            if (why) {
                send_error(f.seq, ERR_MODEL_INIT, why);
            } else {
                tg_link_send(TG_MSG_RESET_DONE, f.seq, out, 0);
            }
            break;
        case TG_MSG_RUN: {
            uint64_t t1, elapsed;
            uint32_t tag = f.len >= 4 ? get_u32(f.payload) : inference;
            const uint32_t flags = f.len >= 5 ? f.payload[4] : 0u;
            uint32_t input_crc, output_crc, i;
            if (have_last && tag == last_tag && !(flags & RUN_AGAIN)) {
                tg_link_send(TG_MSG_RESULT, f.seq, last_result, sizeof last_result);
                break;
            }
            /* before invoking: the arena reuses the input's memory during inference */
            input_crc = crc32_io(tg_model_inputs, TG_NUM_INPUTS, TG_INPUT_BYTES);
            have_last = 0;
            elapsed = timed_invoke(&t1, &why);
            ++inference;
            if (why) {
                send_inference_error(f.seq, why);
                break;
            }
            output_crc = crc32_io(tg_model_outputs, TG_NUM_OUTPUTS, TG_OUTPUT_BYTES);
            put_u32(out, tag);
            put_u32(out + 4, (uint32_t)elapsed);
            put_u32(out + 8, (uint32_t)(elapsed >> 32));
            put_u32(out + 12, TG_OUTPUT_BYTES);
            put_u32(out + 16, input_crc);
            put_u32(out + 20, output_crc);
            /* timestamp: the device's timer when the inference ended, in the hello's unit */
            put_u32(out + 24, (uint32_t)t1);
            put_u32(out + 28, (uint32_t)(t1 >> 32));
            for (i = 0; i < sizeof last_result; ++i) {
                last_result[i] = out[i];
            }
            last_tag = tag;
            have_last = 1;
            tg_link_send(TG_MSG_RESULT, f.seq, out, 32);
            if (flags & RUN_PRINT) {
                report_inference(tag, elapsed, output_crc);
            }
            break;
        }
        case TG_MSG_READ_OUTPUT: {
            uint32_t offset, len, i;
            if (f.len < 6) {
                send_error(f.seq, ERR_BAD_REQUEST, "short read frame");
                break;
            }
            offset = get_u32(f.payload);
            len = (uint32_t)f.payload[4] | ((uint32_t)f.payload[5] << 8);
            if (len > TG_LINK_MAX_PAYLOAD - 4 || (uint64_t)offset + len > TG_OUTPUT_BYTES) {
                send_error(f.seq, ERR_OUT_OF_RANGE, "output range out of bounds");
                break;
            }
            put_u32(out, offset);
            for (i = 0; i < len; ++i) {
                out[4 + i] = *io_byte(tg_model_outputs, TG_NUM_OUTPUTS, offset + i);
            }
            tg_link_send(TG_MSG_OUTPUT, f.seq, out, 4 + len);
            break;
        }
        default:
            send_error(f.seq, ERR_UNKNOWN_TYPE, "unknown message type");
            break;
        }
    }
}

/* Weak default: no sensor, use the built-in inputs. An application defines its own to feed
 * live data (return 1 when it filled `dst`). */
__attribute__((weak)) int tg_app_sensor_input(uint8_t *dst, uint32_t bytes)
{
    (void)dst;
    (void)bytes;
    return 0;
}

void tg_app_run_free(const int8_t *builtin_inputs, uint32_t builtin_count)
{
    static uint8_t staged[TG_INPUT_BYTES];
    static uint8_t out[TG_LINK_MAX_PAYLOAD];
    uint32_t counter = 0, i, n;
    const char *why = init_and_reset();
    if (why) {
        refuse_forever(why);
        return;
    }
    announce_ready();
    send_hello(0);
    for (;;) {
        const uint32_t which = builtin_count ? counter % builtin_count : 0;
        uint64_t end, elapsed;
        const int from_sensor = tg_app_sensor_input(staged, TG_INPUT_BYTES);
        for (i = 0; i < TG_INPUT_BYTES; ++i) {
            *io_byte(tg_model_inputs, TG_NUM_INPUTS, i) =
                from_sensor ? staged[i] : (uint8_t)builtin_inputs[which * TG_INPUT_BYTES + i];
        }
        elapsed = timed_invoke(&end, &why);
        if (why) {  /* no result frame: the monitor sees a gap in the counter, and this log says why */
            tg_link_log(why);
            ++counter;
            continue;
        }
        /* counter u32, source u16 (input index, 0xFFFF = sensor), elapsed u64, output CRC-32,
         * output length u32, then as much of the output as fits */
        put_u32(out, counter);
        out[4] = (uint8_t)(from_sensor ? 0xFF : which);
        out[5] = (uint8_t)(from_sensor ? 0xFF : which >> 8);
        put_u32(out + 6, (uint32_t)elapsed);
        put_u32(out + 10, (uint32_t)(elapsed >> 32));
        put_u32(out + 14, crc32_io(tg_model_outputs, TG_NUM_OUTPUTS, TG_OUTPUT_BYTES));
        put_u32(out + 18, TG_OUTPUT_BYTES);
        n = TG_OUTPUT_BYTES < TG_LINK_MAX_PAYLOAD - 22 ? TG_OUTPUT_BYTES : TG_LINK_MAX_PAYLOAD - 22;
        for (i = 0; i < n; ++i) {
            out[22 + i] = *io_byte(tg_model_outputs, TG_NUM_OUTPUTS, i);
        }
        tg_link_send(TG_MSG_FREE_RESULT, 0, out, 22 + n);
        ++counter;
    }
}
