/* SPDX-License-Identifier: MIT */
/*
 * sy_rtp.h: RTP (RFC 3550) fixed header view and wrap-safe arithmetic.
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|X|  CC   |M|     PT      |       sequence number         |  0
 * |                           timestamp                           |  4
 * |                             SSRC                              |  8
 * |            CSRC list (CC x 32 bit)                            | 12
 * | ext profile (16)              | ext length in words (16)      |  if X
 * | ext words ...                                                 |
 * | payload ...                   | padding ... | pad count (8)   |  if P
 *
 * The view does not copy: payload points into the caller's buffer.
 * Any thread; pure; no allocation.
 */
#ifndef SY_RTP_H
#define SY_RTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SY_RTP_HDR_BYTES 12u

struct sy_rtp {
	bool marker;
	bool padding;
	bool extension;
	uint8_t csrc_count;
	uint8_t pt;
	uint16_t seq;
	uint32_t ts;
	uint32_t ssrc;
	uint16_t ext_profile;   /* if extension */
	uint16_t ext_words;     /* if extension */
	uint16_t header_bytes;  /* fixed + CSRC + extension */
	const uint8_t *payload; /* after header, before padding */
	size_t payload_len;
};

/* Parse pkt[0..len). 0 or -SY_E_TRUNCATED / -SY_E_RTP_VERSION /
 * -SY_E_RTP_PADDING / -SY_E_RTP_EXTENSION. */
int sy_rtp_parse(const uint8_t *pkt, size_t len, struct sy_rtp *out);

/* Write a 12-byte header (V=2, no P/X/CSRC) into buf. */
void sy_rtp_write(uint8_t *buf, bool marker, uint8_t pt, uint16_t seq, uint32_t ts,
		  uint32_t ssrc);

/* Wrap-safe comparisons (serial number arithmetic, RFC 1982 style). */
static inline int16_t sy_rtp_seq_diff(uint16_t a, uint16_t b)
{
	return (int16_t)(uint16_t)(a - b); /* a - b in [-32768, 32767] */
}

static inline bool sy_rtp_seq_lt(uint16_t a, uint16_t b)
{
	return sy_rtp_seq_diff(a, b) < 0;
}

static inline int32_t sy_rtp_ts_diff(uint32_t a, uint32_t b)
{
	return (int32_t)(uint32_t)(a - b);
}

static inline bool sy_rtp_ts_lt(uint32_t a, uint32_t b)
{
	return sy_rtp_ts_diff(a, b) < 0;
}

static inline int32_t sy_rtp_seq32_diff(uint32_t a, uint32_t b)
{
	return (int32_t)(uint32_t)(a - b);
}

/* The 32-bit sequence of RFC 4175: extended (high) and RTP (low) halves. */
static inline uint32_t sy_rtp_seq32(uint16_t ext_seq, uint16_t seq)
{
	return (uint32_t)ext_seq << 16 | seq;
}

/*
 * Sequence unwrapping for receivers whose sender writes no (or a zero)
 * extended sequence: keeps a 64-bit count from successive 16-bit values.
 * A jump of more than half the space is taken as reordering backwards.
 */
struct sy_rtp_unwrap {
	uint64_t last;
	bool started;
};

uint64_t sy_rtp_unwrap16(struct sy_rtp_unwrap *u, uint16_t seq);
uint64_t sy_rtp_unwrap32(struct sy_rtp_unwrap *u, uint32_t ts);

#endif
