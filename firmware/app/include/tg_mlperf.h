/* The MLPerf Tiny / EEMBC benchmark UART protocol (the `th_api` text commands: name%, profile%,
 * timestamp%, db load N%, db HH..%, db print%, infer N W%, results%, help%; every reply ends with
 * m-ready), so the MLPerf Tiny host runner can drive a tinygen firmware. Selected with
 * `tinygen project --protocol mlperf`; written from the public specification. */
#ifndef TG_MLPERF_H
#define TG_MLPERF_H

#include <stdint.h>

/* What the benchmark sends and what the device does with it before the inference (as the reference
 * submission's th_load_tensor does). */
#define TG_MLPERF_INT8 0       /* kws01: int8 features, copied */
#define TG_MLPERF_UINT8_RGB 1  /* vww01, ic01: uint8 pixels, minus 128 */
#define TG_MLPERF_FLOAT 2      /* ad01: FP32LE window, quantized with the input's scale and zero point;
                                  the result is one anomaly score, the reconstruction's mean squared error */

typedef struct {
    const char *model_version;    /* m-model-[...]: kws01, vww01, ad01 or ic01 */
    int input_kind;               /* TG_MLPERF_* */
    uint8_t *db;                  /* the db buffer: db_bytes = the input tensor's elements, x4 for floats */
    uint32_t db_bytes;
    float input_scale;
    int32_t input_zero_point;
    float output_scale;           /* results are printed dequantized, as the reference firmware does */
    int32_t output_zero_point;
    uint32_t clock_hz;            /* converts timer units to microseconds for m-lap-us */
} tg_mlperf_config;

/* Never returns on a microcontroller (returns when the host stream ends). */
void tg_mlperf_run(const tg_mlperf_config *cfg);

#endif
