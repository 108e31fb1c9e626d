/* Framed serial link between the firmware and the host (docs/protocol.md).
 *
 * Frame on the wire: 0x00, COBS(type, seq, payload..., crc16 lo, crc16 hi), 0x00.
 * CRC-16/CCITT-FALSE over type, seq and payload.  Bytes between frames that do not decode
 * are ignored, so text and garbage never break the stream. Buffers are static and bounded. */
#ifndef TG_LINK_H
#define TG_LINK_H

#include <stdint.h>

#define TG_LINK_PROTOCOL_VERSION 3
#define TG_LINK_MAX_PAYLOAD 256

/* Message types: host -> device lower case, device -> host upper case. */
#define TG_MSG_HELLO_REQ 'h'
#define TG_MSG_INPUT 'i'
#define TG_MSG_RUN 'r'
#define TG_MSG_READ_OUTPUT 'o'
#define TG_MSG_RESET 'z' /* reset the model's state (variable tensors), as TFLM's MicroInterpreter::Reset() */
#define TG_MSG_HELLO 'H'
#define TG_MSG_ACK 'A'
#define TG_MSG_RESULT 'R'
#define TG_MSG_OUTPUT 'O'
#define TG_MSG_RESET_DONE 'Z'
#define TG_MSG_LOG 'L'
#define TG_MSG_ERROR 'E'
#define TG_MSG_FREE_RESULT 'F' /* free-running mode: unsolicited results */

typedef struct {
    uint8_t type;
    uint8_t seq;
    uint16_t len;
    uint8_t payload[TG_LINK_MAX_PAYLOAD];
} tg_frame;

uint16_t tg_crc16(const uint8_t *data, uint32_t len);
void tg_link_send(uint8_t type, uint8_t seq, const uint8_t *payload, uint32_t len);
void tg_link_log(const char *text);
/* Blocks until a valid frame arrives; returns 0, or -1 when the stream ended. */
int tg_link_receive(tg_frame *frame);

#endif
