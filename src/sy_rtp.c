/* SPDX-License-Identifier: MIT */
/*
 * sy_rtp.c: RTP fixed header parse/write (RFC 3550 section 5.1) and sequence
 * unwrapping. Any thread; pure; no allocation.
 *
 * Boundary cases handled here:
 * - CSRC list (CC up to 15) and header extension (X) are skipped, payload
 *   points after them; an extension longer than the packet is rejected.
 * - Padding (P): the last byte counts padding bytes including itself; zero or
 *   more than what is left after the header is rejected (RFC 3550 5.1).
 * - Sequence/timestamp comparisons are modular (sy_rtp.h).
 */
#include "sy_rtp.h"

#include "sy_bytes.h"
#include "sy_err.h"

int sy_rtp_parse(const uint8_t *pkt, size_t len, struct sy_rtp *out)
{
	size_t hdr;
	size_t pad = 0;

	if (len < SY_RTP_HDR_BYTES)
		return -SY_E_TRUNCATED;
	if ((pkt[0] >> 6) != 2)
		return -SY_E_RTP_VERSION;
	out->padding = (pkt[0] >> 5) & 1;
	out->extension = (pkt[0] >> 4) & 1;
	out->csrc_count = pkt[0] & 0x0f;
	out->marker = pkt[1] >> 7;
	out->pt = pkt[1] & 0x7f;
	out->seq = sy_load_be16(pkt + 2);
	out->ts = sy_load_be32(pkt + 4);
	out->ssrc = sy_load_be32(pkt + 8);
	hdr = SY_RTP_HDR_BYTES + 4u * out->csrc_count;
	if (len < hdr)
		return -SY_E_TRUNCATED;
	out->ext_profile = 0;
	out->ext_words = 0;
	if (out->extension) {
		if (len < hdr + 4)
			return -SY_E_RTP_EXTENSION;
		out->ext_profile = sy_load_be16(pkt + hdr);
		out->ext_words = sy_load_be16(pkt + hdr + 2);
		hdr += 4 + 4u * out->ext_words;
		if (len < hdr)
			return -SY_E_RTP_EXTENSION;
	}
	if (out->padding) {
		pad = pkt[len - 1];
		if (pad == 0 || pad > len - hdr)
			return -SY_E_RTP_PADDING;
	}
	out->header_bytes = (uint16_t)hdr;
	out->payload = pkt + hdr;
	out->payload_len = len - hdr - pad;
	return 0;
}

void sy_rtp_write(uint8_t *buf, bool marker, uint8_t pt, uint16_t seq, uint32_t ts,
		  uint32_t ssrc)
{
	buf[0] = 0x80;
	buf[1] = (uint8_t)((marker ? 0x80 : 0) | (pt & 0x7f));
	sy_store_be16(buf + 2, seq);
	sy_store_be32(buf + 4, ts);
	sy_store_be32(buf + 8, ssrc);
}

uint64_t sy_rtp_unwrap16(struct sy_rtp_unwrap *u, uint16_t seq)
{
	if (!u->started) {
		u->started = true;
		u->last = (uint64_t)1 << 32 | seq; /* headroom so backward steps stay >= 0 */
		return u->last;
	}
	int64_t v = (int64_t)u->last + sy_rtp_seq_diff(seq, (uint16_t)u->last);
	if (v > (int64_t)u->last)
		u->last = (uint64_t)v;
	return (uint64_t)v;
}

uint64_t sy_rtp_unwrap32(struct sy_rtp_unwrap *u, uint32_t ts)
{
	if (!u->started) {
		u->started = true;
		u->last = (uint64_t)1 << 40 | ts;
		return u->last;
	}
	int64_t v = (int64_t)u->last + sy_rtp_ts_diff(ts, (uint32_t)u->last);
	if (v > (int64_t)u->last)
		u->last = (uint64_t)v;
	return (uint64_t)v;
}
