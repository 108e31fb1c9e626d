#include "tg_link.h"

#include "tg_port.h"

/* type + seq + payload + crc */
#define RAW_MAX (2 + TG_LINK_MAX_PAYLOAD + 2)
/* COBS adds one byte per 254 plus one; two delimiters. */
#define WIRE_MAX (RAW_MAX + RAW_MAX / 254 + 1 + 2)

uint16_t tg_crc16(const uint8_t *data, uint32_t len)
{
    uint16_t crc = 0xFFFF;
    uint32_t i;
    int b;
    for (i = 0; i < len; ++i) {
        crc ^= (uint16_t)data[i] << 8;
        for (b = 0; b < 8; ++b) {
            crc = (crc & 0x8000) ? (uint16_t)((crc << 1) ^ 0x1021) : (uint16_t)(crc << 1);
        }
    }
    return crc;
}

void tg_link_send(uint8_t type, uint8_t seq, const uint8_t *payload, uint32_t len)
{
    static uint8_t raw[RAW_MAX];
    static uint8_t wire[WIRE_MAX];
    uint32_t n = 0, i, w = 0, code_at;
    uint8_t code;
    uint16_t crc;
    if (len > TG_LINK_MAX_PAYLOAD) {
        len = TG_LINK_MAX_PAYLOAD;
    }
    raw[n++] = type;
    raw[n++] = seq;
    for (i = 0; i < len; ++i) {
        raw[n++] = payload[i];
    }
    crc = tg_crc16(raw, n);
    raw[n++] = (uint8_t)(crc & 0xFF);
    raw[n++] = (uint8_t)(crc >> 8);

    /* A leading delimiter ends any text printed before the frame. */
    wire[w++] = 0;
    code_at = w++;
    code = 1;
    for (i = 0; i < n; ++i) {
        if (raw[i] == 0) {
            wire[code_at] = code;
            code_at = w++;
            code = 1;
        } else {
            wire[w++] = raw[i];
            if (++code == 0xFF) {
                wire[code_at] = code;
                code_at = w++;
                code = 1;
            }
        }
    }
    wire[code_at] = code;
    wire[w++] = 0;
    tg_port_write(wire, w);
}

void tg_link_log(const char *text)
{
    uint32_t n = 0;
    while (text[n] && n < TG_LINK_MAX_PAYLOAD) {
        ++n;
    }
    tg_link_send(TG_MSG_LOG, 0, (const uint8_t *)text, n);
}

/* Decodes COBS in place; returns the decoded length or -1. */
static int cobs_decode(uint8_t *buf, uint32_t len)
{
    uint32_t r = 0, w = 0;
    while (r < len) {
        uint8_t code = buf[r++];
        uint8_t k;
        if (code == 0) {
            return -1;
        }
        for (k = 1; k < code; ++k) {
            if (r >= len) {
                return -1;
            }
            buf[w++] = buf[r++];
        }
        if (code != 0xFF && r < len) {
            buf[w++] = 0;
        }
    }
    return (int)w;
}

int tg_link_receive(tg_frame *frame)
{
    static uint8_t buf[WIRE_MAX];
    uint32_t n = 0;
    int overflow = 0;
    for (;;) {
        int c = tg_port_read_byte();
        if (c < 0) {
            return -1;
        }
        if (c != 0) {
            if (n < sizeof buf) {
                buf[n++] = (uint8_t)c;
            } else {
                overflow = 1;
            }
            continue;
        }
        if (n > 0 && !overflow) {
            int len = cobs_decode(buf, n);
            if (len >= 4) {
                uint16_t crc = (uint16_t)(buf[len - 2] | (buf[len - 1] << 8));
                if (crc == tg_crc16(buf, (uint32_t)len - 2) && len - 4 <= TG_LINK_MAX_PAYLOAD) {
                    int i;
                    frame->type = buf[0];
                    frame->seq = buf[1];
                    frame->len = (uint16_t)(len - 4);
                    for (i = 0; i < len - 4; ++i) {
                        frame->payload[i] = buf[2 + i];
                    }
                    return 0;
                }
            }
        }
        n = 0;
        overflow = 0;
    }
}
