/* The MLPerf Tiny / EEMBC benchmark UART protocol (the `th_api` text commands: name%, profile%,
 * timestamp%, db load N%, db HH..%, db print%, infer N W%, results%, help%; every reply ends with
 * m-ready), so the MLPerf Tiny host runner can drive a tinygen firmware. Selected with
 * `tinygen project --protocol mlperf`; written from the public specification. */
#ifndef TG_MLPERF_H
#define TG_MLPERF_H

#include <stdint.h>

typedef struct {
    const char *model_version;    /* m-model-[...]: kws01, vww01, ad01, ic01 or the model's name */
    float output_scale;           /* results are printed dequantized, as the reference firmware does */
    int32_t output_zero_point;
    uint32_t clock_hz;            /* converts timer units to microseconds for m-lap-us */
} tg_mlperf_config;

/* Never returns on a microcontroller (returns when the host stream ends). */
void tg_mlperf_run(const tg_mlperf_config *cfg);

#endif
