/* SPDX-License-Identifier: MIT */
/*
 * fuzz_rtp_rfc4175.c: libFuzzer target for the bytes a receiver sees from the
 * network: Ethernet/IPv4/UDP view, RTP header, RFC 4175 SRDs, validation and
 * placement into a frame. The first input byte picks the format.
 * Invariants trapped: views stay inside the input; a placed packet never
 * writes outside the frame; coverage never exceeds the total.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sy_format.h"
#include "sy_net.h"
#include "sy_rfc4175.h"
#include "sy_rtp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t frame_buf[64 * 32 * 3 + 64]; /* largest format: 5120 B */
static uint8_t cov_buf[1024];

static void check_inside(const uint8_t *base, size_t len, const uint8_t *p, size_t n)
{
	if (p < base || p + n > base + len)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sy_video_format fmts[4] = {
		sy_format_make(64, 32, false, 50, 1, 10),
		sy_format_make(64, 32, true, 25, 1, 10),
		sy_format_make(64, 32, false, 60000, 1001, 8),
		sy_format_make(64, 32, false, 50, 1, 10),
	};
	struct sy_udp_view v;
	struct sy_rtp r;
	struct sy_rfc4175_pkt pkt;
	struct sy_rfc4175_frame fr;

	if (size < 1)
		return 0;
	fmts[3].sampling = SY_SAMPLING_YCBCR_420;
	struct sy_video_format *f = &fmts[data[0] & 3];
	const uint8_t *p = data + 1;
	size_t len = size - 1;

	/* either a whole Ethernet frame or a bare RTP packet */
	if (data[0] & 4) {
		if (sy_net_parse_udp(p, len, true, &v) < 0)
			return 0;
		check_inside(p, len, v.payload, v.payload_len);
		p = v.payload;
		len = v.payload_len;
	}
	if (sy_rtp_parse(p, len, &r) < 0)
		return 0;
	check_inside(p, len, r.payload, r.payload_len);
	if (sy_rfc4175_parse(r.payload, r.payload_len, &pkt) < 0)
		return 0;
	for (uint8_t i = 0; i < pkt.n_srd; i++)
		check_inside(r.payload, r.payload_len, pkt.srd[i].data, pkt.srd[i].len_bytes);
	size_t fb = (size_t)sy_format_frame_bytes(f);
	if (sy_rfc4175_frame_init(&fr, f, frame_buf, fb, cov_buf, sizeof(cov_buf)) < 0)
		__builtin_trap();
	memset(frame_buf + fb, 0x5a, 64); /* guard right after the frame */
	int rc = sy_rfc4175_validate(&pkt, f);
	if (sy_rfc4175_frame_place(&fr, &pkt) != rc)
		__builtin_trap();
	for (int i = 0; i < 64; i++)
		if (frame_buf[fb + i] != 0x5a)
			__builtin_trap();
	if (fr.pgroups_covered > fr.pgroups_total)
		__builtin_trap();
	return 0;
}
