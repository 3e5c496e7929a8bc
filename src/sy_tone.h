/* SPDX-License-Identifier: MIT */
/*
 * sy_tone.h: line-up tone source (EBU R 68 alignment: 1 kHz at -18 dBFS),
 * per-channel identification tones and silence, in integers.
 *
 * Why: a switcher's internal audio sources. The generator lcore fills one
 * ST 2110-30 payload per packet from tables computed once at init; the
 * tables hold whole periods so packets join without a phase step.
 *
 * Arithmetic: NO libm and no floating point anywhere, also not at init.
 * Sine: quadrant symmetry, then a Taylor series of sin or cos on [0, pi/4]
 * in Q30 fixed point (uint64 products), error < 4e-9 of full scale.
 * Level: 10^(dB/20) = e^(-y) with y = -dB * ln(10) / 20, reduced by ln 2
 * (e^(-y) = e^(-r) / 2^k, r in [0, ln 2)) and a Taylor series in Q30. So
 * the amplitude is round(FS * 10^(level/20)) (within 1 LSB; exact for
 * -18 dBFS: 1056063 at L24, 4125 at L16) and each sample is
 * round(A * sin(2 pi n cycles / frames)) within 1 LSB, exactly A at the
 * peaks (where the table has a sample at a quarter period) and exactly
 * antisymmetric, so the mean over a period is 0.
 * Full scale FS = 2^(bits-1) - 1 (8388607 L24, 32767 L16): 0 dBFS is the
 * sine whose peak reaches the largest code (AES17), so it never clips.
 *
 * Periods: a table holds rate / gcd(rate, freq) samples = freq / gcd
 * cycles, e.g. 1 kHz at 48 kHz: 48 samples, 1 cycle; 3 kHz: 16 samples;
 * 440 Hz: 1200 samples, 11 cycles. Frequencies must be below rate / 2.
 *
 * Context: sy_tone_init/set at config time (any thread); sy_tone_write per
 * packet on the generator lcore (no allocation, no division per sample).
 */
#ifndef SY_TONE_H
#define SY_TONE_H

#include <stddef.h>
#include <stdint.h>

#include "sy_st2110_30.h"

/* Samples of all the distinct tables of one source (32 KiB). */
#define SY_TONE_POOL_FRAMES 8192u
/* Largest single table sy_tone_table computes (frames). */
#define SY_TONE_MAX_TABLE_FRAMES (1u << 20)
/* EBU R 68 alignment level, millidecibels relative to full scale. */
#define SY_TONE_ALIGN_MDB (-18000)
#define SY_TONE_ALIGN_HZ 1000u

struct sy_tone_channel {
	uint32_t freq_hz;  /* 0: silence */
	int32_t level_mdb;
	uint32_t offset;   /* first sample in pool */
	uint32_t frames;   /* table length; 0: silence */
};

struct sy_tone {
	enum sy_st2110_30_encoding encoding;
	uint32_t rate_hz;
	uint16_t channels;
	uint32_t pool_used;
	struct sy_tone_channel ch[SY_ST2110_30_MAX_CHANNELS];
	int32_t pool[SY_TONE_POOL_FRAMES];
};

/* Largest code of the encoding: 32767 (L16), 8388607 (L24); 0 if invalid. */
int32_t sy_tone_full_scale(enum sy_st2110_30_encoding enc);

/*
 * Peak amplitude round(FS * 10^(level_mdb / 20000)) for level_mdb <= 0
 * (millidecibels: -18000 = -18 dBFS); 0 below about -190 dB; -SY_E_RANGE
 * for level_mdb > 0 or an invalid encoding.
 */
int32_t sy_tone_amplitude(enum sy_st2110_30_encoding enc, int32_t level_mdb);

/*
 * Table geometry: *frames = rate / gcd(rate, freq), *cycles = freq / gcd.
 * 0, or -SY_E_RANGE (freq 0, rate 0, freq >= rate / 2, frames above
 * SY_TONE_MAX_TABLE_FRAMES).
 */
int sy_tone_period(uint32_t rate_hz, uint32_t freq_hz, uint32_t *frames, uint32_t *cycles);

/*
 * Fill table[0..frames) with whole periods of a sine of freq_hz at
 * level_mdb, native values of enc (L16 or L24 range, as int32). Sample n is
 * round(A * sin(2 pi n cycles / frames)). Returns frames, or -SY_E_RANGE
 * (see period and amplitude), -SY_E_NOSPACE (cap < frames).
 */
int sy_tone_table(uint32_t rate_hz, uint32_t freq_hz, int32_t level_mdb,
		  enum sy_st2110_30_encoding enc, int32_t *table, size_t cap);

/*
 * Start a source for fmt's encoding, rate and channels (ptime and
 * channel-order are not used): every channel silent. 0, or
 * -SY_E_UNSUPPORTED (encoding, rate 0), -SY_E_AUDIO_CHANNELS.
 */
int sy_tone_init(struct sy_tone *t, const struct sy_st2110_30_format *fmt);

/*
 * Channel ch plays freq_hz at level_mdb (freq_hz 0: silence). Tables are
 * shared between channels with the same tone. 0, or -SY_E_AUDIO_CHANNELS
 * (ch), -SY_E_RANGE (frequency, level), -SY_E_NOSPACE (pool full; the
 * channel is then silent).
 */
int sy_tone_set(struct sy_tone *t, uint32_t ch, uint32_t freq_hz, int32_t level_mdb);

/* Identification frequency of channel ch (0-based): (ch % 16 + 1) kHz, so
 * channels 1..16 play 1..16 kHz and the pattern repeats every 16 channels. */
uint32_t sy_tone_ident_hz(uint32_t ch);

/* Every channel at its identification frequency and level_mdb. */
int sy_tone_set_ident(struct sy_tone *t, int32_t level_mdb);

/*
 * Write frames sample frames into payload (interleaved, all channels),
 * frame i being the source's sample sample_idx + i: consecutive packets
 * with sample_idx advancing by frames are continuous. The caller sizes
 * payload (frames * channels * sample bytes). One 64-bit modulo per channel
 * per call, none per sample.
 */
void sy_tone_write(const struct sy_tone *t, uint8_t *payload, uint32_t frames,
		   uint64_t sample_idx);

#endif
