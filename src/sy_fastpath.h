/* SPDX-License-Identifier: MIT */
/*
 * sy_fastpath.h: single-pass acceptance checks of the common ST 2110 packet
 * shape, for the dataplane's per-packet path (header-only, inline).
 *
 * Why: the reference parsers (sy_net_parse_udp, sy_rtp_parse,
 * sy_rfc4175_parse + sy_rfc4175_validate) fill general views and look the
 * pgroup up per call: ~300 instructions per packet, more than the whole
 * forwarding budget. These functions accept ONLY packets the reference
 * parsers accept, with identical fields, and return false for anything else
 * (an 802.1Q tag, IP options, RTP CSRC/extension/padding, a malformed
 * packet...), in which case the caller runs the reference parsers, which
 * decide and name the error. So the set of packets accepted, and every
 * error reason, is the reference parsers'. tests/dataplane/test_sy_fastpath.c
 * checks this differentially on mutated packets.
 *
 * Any thread; pure; no allocation.
 */
#ifndef SY_FASTPATH_H
#define SY_FASTPATH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sy_bytes.h"
#include "sy_err.h"
#include "sy_format.h"
#include "sy_net.h"
#include "sy_rfc4175.h"
#include "sy_rtp.h"

/* Untagged Ethernet, 20-byte IPv4 header, UDP: the fields the caller needs. */
struct sy_fastpath_udp {
	struct sy_flow_key key;
	uint16_t ip_total;      /* IPv4 total length (frame = 14 + ip_total) */
	const uint8_t *payload; /* UDP payload */
	uint16_t payload_len;
};

/*
 * True iff sy_net_parse_udp(frame, len, false, ...) returns 0 with
 * ip_offset 14 and udp_offset 34; *out then holds the same key and payload.
 * The IPv4 header checksum is not checked (the caller does, or trusts the
 * NIC).
 */
static inline bool sy_fastpath_udp(const uint8_t *f, size_t len, struct sy_fastpath_udp *out)
{
	uint16_t total, ulen;

	if (len < 42 || f[12] != 0x08 || f[13] != 0x00 || f[14] != 0x45)
		return false;
	total = sy_load_be16(f + 16);
	if (total < 28 || total > len - 14 || (sy_load_be16(f + 20) & 0x3fff) || f[23] != 17)
		return false;
	ulen = sy_load_be16(f + 38);
	if (ulen < 8 || ulen > total - 20)
		return false;
	out->key.src_ip = sy_load_be32(f + 26);
	out->key.dst_ip = sy_load_be32(f + 30);
	out->key.src_port = sy_load_be16(f + 34);
	out->key.dst_port = sy_load_be16(f + 36);
	out->ip_total = total;
	out->payload = f + 42;
	out->payload_len = (uint16_t)(ulen - 8);
	return true;
}

/* True iff sy_rtp_parse() accepts pkt with a bare 12-byte header (V=2, no
 * padding, extension or CSRC): the payload follows at pkt + 12. */
static inline bool sy_fastpath_rtp(const uint8_t *pkt, size_t len)
{
	return len >= SY_RTP_HDR_BYTES && pkt[0] == 0x80;
}

/* A video format's geometry, looked up once (sy_format_pgroup). */
struct sy_fastpath_video {
	uint16_t pg_bytes, pg_pixels, pg_lines;
	bool field_ok;        /* F bit allowed: interlaced or PsF */
	uint32_t field_lines; /* rows per field (frame if progressive) */
	uint32_t row_bytes;
};

/* 0, or -SY_E_FORMAT if the format has no pgroup (as sy_rfc4175_validate). */
static inline int sy_fastpath_video_init(const struct sy_video_format *fmt,
					 struct sy_fastpath_video *g)
{
	struct sy_pgroup pg;

	if (sy_format_pgroup(fmt, &pg) < 0 || pg.pixels == 0 || pg.bytes == 0 || pg.lines == 0)
		return -SY_E_FORMAT;
	g->pg_bytes = pg.bytes;
	g->pg_pixels = pg.pixels;
	g->pg_lines = pg.lines;
	g->field_ok = fmt->interlaced || fmt->segmented;
	g->field_lines = fmt->height / sy_format_fields(fmt);
	g->row_bytes = fmt->width / pg.pixels * pg.bytes;
	return 0;
}

/* The first SRD of an accepted packet (frame start / field detection). */
struct sy_fastpath_srd0 {
	uint16_t row;
	uint16_t offset_px;
	bool field;
};

/*
 * True iff sy_rfc4175_parse(payload, len) AND sy_rfc4175_validate(.., fmt)
 * both return 0 (g from sy_fastpath_video_init(fmt)); *first = its SRD 0.
 */
static inline bool sy_fastpath_rfc4175(const uint8_t *payload, size_t len,
				       const struct sy_fastpath_video *g,
				       struct sy_fastpath_srd0 *first)
{
	size_t off = SY_RFC4175_EXT_SEQ_BYTES;
	uint32_t sum = 0;
	unsigned n = 0;
	bool more = true;

	first->row = 0;
	first->offset_px = 0;
	first->field = false;
	if (len < SY_RFC4175_EXT_SEQ_BYTES + SY_RFC4175_SRD_BYTES)
		return false;
	while (more) {
		if (n == SY_RFC4175_MAX_SRD || off + SY_RFC4175_SRD_BYTES > len)
			return false;
		const uint8_t *h = payload + off;
		uint16_t l = sy_load_be16(h), row = sy_load_be16(h + 2), offs = sy_load_be16(h + 4);
		uint16_t r = row & 0x7fff, o = offs & 0x7fff;

		if (((row >> 15) && !g->field_ok) || r >= g->field_lines || r % g->pg_lines ||
		    l == 0 || l % g->pg_bytes || o % g->pg_pixels ||
		    (uint32_t)o / g->pg_pixels * g->pg_bytes + l > g->row_bytes)
			return false;
		if (n == 0) {
			first->row = r;
			first->offset_px = o;
			first->field = row >> 15;
		}
		more = offs >> 15;
		sum += l;
		off += SY_RFC4175_SRD_BYTES;
		n++;
	}
	return sum == len - off;
}

#endif
