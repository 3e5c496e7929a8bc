/* SPDX-License-Identifier: MIT */
/*
 * sy_st2110_30.h: ST 2110-30 / AES67 linear PCM flows (L16, L24).
 *
 * Why: the audio receiver, the mixer and the SDP module need one definition
 * of "a -30 format" (encoding, rate, channels, packet time, channel-order),
 * of the packet geometry it implies and of how a sample is read and written.
 *
 * Payload (RFC 3190 / RFC 3551), big-endian two's complement, interleaved:
 *
 *   offset (bytes)            content
 *   0                         frame 0, channel 0    (B = 2 for L16, 3 for L24)
 *   B                         frame 0, channel 1
 *   ...                       ...
 *   B*(N-1)                   frame 0, channel N-1
 *   B*N                       frame 1, channel 0
 *   B*(N*i + c)               frame i, channel c
 *   payload_len = B * N * frames_per_packet
 *
 * Any thread; pure; no allocation. The sample accessors are inline and meant
 * for the audio worker's per-packet loop: they do NOT check bounds, the
 * caller validates the payload once with sy_st2110_30_payload_frames().
 */
#ifndef SY_ST2110_30_H
#define SY_ST2110_30_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum sy_st2110_30_encoding {
	SY_ST2110_30_L16, /* 16-bit, RFC 3551 */
	SY_ST2110_30_L24, /* 24-bit, RFC 3190 */
	SY_ST2110_30_ENCODING_MAX
};

#define SY_ST2110_30_MAX_CHANNELS 64u
/* Every group has >= 1 channel and the total is <= 64. */
#define SY_ST2110_30_MAX_GROUPS 64u
/* Longest channel-order text: "SMPTE2110.(" + 64 x "U01," - 1 + ")" + NUL. */
#define SY_ST2110_30_ORDER_TEXT_MAX 270u

/* ST 2110-30 table 1 channel grouping symbols. */
enum sy_st2110_30_group_kind {
	SY_ST2110_30_GROUP_M,    /* "M": mono, 1 */
	SY_ST2110_30_GROUP_DM,   /* "DM": dual mono, 2 */
	SY_ST2110_30_GROUP_ST,   /* "ST": stereo L R, 2 */
	SY_ST2110_30_GROUP_LTRT, /* "LtRt": matrix stereo, 2 */
	SY_ST2110_30_GROUP_51,   /* "51": L R C LFE Ls Rs, 6 */
	SY_ST2110_30_GROUP_71,   /* "71": L R C LFE Lss Rss Lrs Rrs, 8 */
	SY_ST2110_30_GROUP_222,  /* "222": ST 2036-2 22.2, 24 */
	SY_ST2110_30_GROUP_SGRP, /* "SGRP": one SDI audio group, 4 */
	SY_ST2110_30_GROUP_U,    /* "Unn": nn undefined channels, 01..64 */
	SY_ST2110_30_GROUP_KIND_MAX
};

struct sy_st2110_30_group {
	uint8_t kind;     /* enum sy_st2110_30_group_kind */
	uint8_t channels; /* channels of this group (nn for Unn) */
};

/* Parsed "SMPTE2110.(ST,51)". n_groups == 0: no channel-order (undefined). */
struct sy_st2110_30_order {
	uint8_t n_groups;
	struct sy_st2110_30_group groups[SY_ST2110_30_MAX_GROUPS];
};

struct sy_st2110_30_format {
	enum sy_st2110_30_encoding encoding;
	uint32_t rate_hz;  /* 48000, 96000 or 44100 */
	uint16_t channels; /* 1..64 */
	uint32_t ptime_ns; /* packet time: 1000000, 125000, 250000, 333000 (0.333 ms) ... */
	struct sy_st2110_30_order order;
};

/* 2 for L16, 3 for L24, 0 for an invalid encoding. */
static inline uint32_t sy_st2110_30_sample_bytes(enum sy_st2110_30_encoding enc)
{
	return enc == SY_ST2110_30_L16 ? 2u : enc == SY_ST2110_30_L24 ? 3u : 0u;
}

/* "L16" / "L24"; NULL if out of range. */
const char *sy_st2110_30_encoding_name(enum sy_st2110_30_encoding enc);
/* Case-insensitive "L16"/"L24" over len bytes: 0, or -SY_E_UNSUPPORTED. */
int sy_st2110_30_encoding_parse(const char *s, size_t len, enum sy_st2110_30_encoding *out);

/*
 * Sample frames per packet for rate_hz and ptime_ns, exact integer.
 * The packet duration frames/rate must lie within 1 us of ptime_ns, because
 * SDP writes ptime in ms with at most 3 decimals (0.333 ms = 16 frames at
 * 48 kHz); 125 us -> 6 and 1 ms -> 48 at 48 kHz are exact.
 * 0 and *frames set, or -SY_E_PTIME (0, more than 65535 frames, or not a
 * whole number of frames, e.g. 125 us at 44.1 kHz = 5.5125), -SY_E_RANGE
 * (rate 0).
 */
int sy_st2110_30_frames_per_packet(uint32_t rate_hz, uint32_t ptime_ns, uint32_t *frames);

/*
 * Check a format: encoding, rate (48000/96000/44100), channels 1..64,
 * ptime giving a whole number of frames, channel-order total <= channels.
 * 0 or -SY_E_UNSUPPORTED / -SY_E_AUDIO_CHANNELS / -SY_E_PTIME /
 * -SY_E_CHANNEL_ORDER.
 */
int sy_st2110_30_format_validate(const struct sy_st2110_30_format *fmt);

/* Bytes of one sample frame (all channels); 0 if the format is invalid. */
uint32_t sy_st2110_30_frame_bytes(const struct sy_st2110_30_format *fmt);

/* Expected payload bytes of one packet. 0 or the codes of format_validate. */
int sy_st2110_30_packet_bytes(const struct sy_st2110_30_format *fmt, uint32_t *bytes);

/*
 * Sample frames in a payload of len bytes: 0 and *frames, or
 * -SY_E_AUDIO_LEN if len is 0 or not a whole number of sample frames,
 * -SY_E_FORMAT if the format's encoding/channels are invalid.
 */
int sy_st2110_30_payload_frames(const struct sy_st2110_30_format *fmt, size_t len,
				uint32_t *frames);

/*
 * Full check of a received payload: whole frames AND exactly the count the
 * ptime implies. 0, -SY_E_AUDIO_LEN, or the codes of format_validate.
 */
int sy_st2110_30_check_payload(const struct sy_st2110_30_format *fmt, size_t len);

/* --- samples (unchecked: frame < frames, ch < channels) --- */

static inline const uint8_t *sy_st2110_30__at(const uint8_t *p, uint32_t sb, uint32_t channels,
					      uint32_t frame, uint32_t ch)
{
	return p + ((size_t)frame * channels + ch) * sb;
}

/* Native value, sign-extended: L16 in [-32768, 32767], L24 in [-2^23, 2^23-1]. */
static inline int32_t sy_st2110_30_read(const uint8_t *payload, enum sy_st2110_30_encoding enc,
					uint32_t channels, uint32_t frame, uint32_t ch)
{
	const uint8_t *p;
	uint32_t u;

	if (enc == SY_ST2110_30_L24) {
		p = sy_st2110_30__at(payload, 3, channels, frame, ch);
		u = (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
		/* flip the sign bit, then subtract the bias: no shift of a negative */
		return (int32_t)(u ^ 0x800000u) - 0x800000;
	}
	p = sy_st2110_30__at(payload, 2, channels, frame, ch);
	u = (uint32_t)p[0] << 8 | p[1];
	return (int32_t)(u ^ 0x8000u) - 0x8000;
}

/* Left-justified in 32 bits (L24 -> value * 2^8, L16 -> value * 2^16). */
static inline int32_t sy_st2110_30_read_s32(const uint8_t *payload,
					    enum sy_st2110_30_encoding enc, uint32_t channels,
					    uint32_t frame, uint32_t ch)
{
	int32_t v = sy_st2110_30_read(payload, enc, channels, frame, ch);

	/* multiplication of an in-range value: defined, unlike v << 8 for v < 0 */
	return enc == SY_ST2110_30_L24 ? v * 256 : v * 65536;
}

/* Write a native value; bits above the sample width are discarded. */
static inline void sy_st2110_30_write(uint8_t *payload, enum sy_st2110_30_encoding enc,
				      uint32_t channels, uint32_t frame, uint32_t ch, int32_t v)
{
	uint32_t u = (uint32_t)v;
	uint8_t *p;

	if (enc == SY_ST2110_30_L24) {
		p = payload + ((size_t)frame * channels + ch) * 3u;
		p[0] = (uint8_t)(u >> 16);
		p[1] = (uint8_t)(u >> 8);
		p[2] = (uint8_t)u;
		return;
	}
	p = payload + ((size_t)frame * channels + ch) * 2u;
	p[0] = (uint8_t)(u >> 8);
	p[1] = (uint8_t)u;
}

/* Write a left-justified 32-bit value: its top 16/24 bits (truncation). */
static inline void sy_st2110_30_write_s32(uint8_t *payload, enum sy_st2110_30_encoding enc,
					  uint32_t channels, uint32_t frame, uint32_t ch,
					  int32_t v)
{
	uint32_t u = (uint32_t)v; /* shift unsigned: >> of a negative int is impl.-defined */

	sy_st2110_30_write(payload, enc, channels, frame, ch,
			   (int32_t)(enc == SY_ST2110_30_L24 ? u >> 8 : u >> 16));
}

/* --- channel-order (ST 2110-30 section 6.2.2, RFC 3190 syntax) --- */

/*
 * Parse the value of the fmtp channel-order parameter, e.g.
 * "SMPTE2110.(ST,51)" or "SMPTE2110.(M,M,U02)", over len bytes (no NUL
 * needed). Symbols are case-sensitive as in the standard. 0, or
 * -SY_E_CHANNEL_ORDER (other convention, unknown symbol, U00/U65, empty
 * list, total > 64 channels, trailing bytes). *out is zeroed on error.
 */
int sy_st2110_30_order_parse(const char *s, size_t len, struct sy_st2110_30_order *out);

/* Total channels of all groups (0 when n_groups == 0). */
uint32_t sy_st2110_30_order_channels(const struct sy_st2110_30_order *o);

/*
 * Write "SMPTE2110.(...)" plus a NUL into buf. Returns the length without
 * the NUL, -SY_E_NOSPACE if cap is too small, -SY_E_CHANNEL_ORDER if o is
 * empty or holds an invalid group.
 */
int sy_st2110_30_order_emit(const struct sy_st2110_30_order *o, char *buf, size_t cap);

/*
 * Check a channel-order against the rtpmap channel count: the groups may
 * declare fewer channels than the stream (the rest are undefined) but never
 * more. 0 or -SY_E_CHANNEL_ORDER.
 */
int sy_st2110_30_order_check(const struct sy_st2110_30_order *o, uint32_t channels);

/* Symbol of a group kind ("ST", "51", "U"); NULL if out of range. */
const char *sy_st2110_30_group_name(enum sy_st2110_30_group_kind kind);

#endif
