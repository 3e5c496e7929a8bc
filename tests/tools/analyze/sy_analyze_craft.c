/* SPDX-License-Identifier: MIT */
/*
 * sy_analyze_craft.c: writes small ST 2110-20 captures whose every packet
 * time and picture the analyzer tests know exactly, with src/'s pattern,
 * stamp and RFC 4175 packetizer (test code; independent of sy-gen).
 *
 *   sy_analyze_craft OUT.pcap OUT.sdp BURST SPEC...
 *
 * Format 320x180p25 YCbCr-4:2:2 10-bit GPM, 400 sample octets per packet
 * (row layout: 2 packets per row, N = 360 per frame), destination
 * 239.1.1.1:5004, source 10.99.0.1:5004, PT 96, SSRC 0x11223344, sequence
 * from 0 (RFC 4175 extended sequence = the high half, 0 here).
 * Frame f (one per SPEC) starts at TAI T0 + f * 40 ms, T0 = 1700000000 s,
 * RTP timestamp = its 90 kHz tick count mod 2^32. Packets are sent in
 * bursts of BURST (which must divide 360): burst b of frame f, all packets
 * at the same time, arrives at
 *     T0 + f * 40 ms + ceil((4480000 + BURST * b * 320000) / 3) ns
 * i.e. at the ST 2110-21 read time of its first packet (TPR0 = frame start
 * + TRO_default 28/750 * 40 ms = 4480000/3 ns; T_RS = 320000/3 ns), so the
 * tests can compute Cinst and VRX by hand.
 * SPEC "S:C" is a frame stamped source S, counter C; "S:C/T:D" a torn frame:
 * rows 0..89 from a picture stamped S:C, rows 90..179 from one stamped T:D.
 * The capture clock is TAI (pcap time = TAI).
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sy_bytes.h"
#include "sy_net.h"
#include "sy_pattern.h"
#include "sy_rfc4175.h"
#include "sy_rtp.h"
#include "sy_sdp.h"
#include "sy_stamp.h"
#include "sy_time.h"

#define T0_NS 1700000000000000000ull
#define FRAME_NS 40000000ull
#define DST_IP 0xef010101u /* 239.1.1.1 */
#define SRC_IP 0x0a630001u /* 10.99.0.1 */
#define PORT 5004u
#define SSRC 0x11223344u
#define PT 96u

static int fail(const char *what)
{
	fprintf(stderr, "sy_analyze_craft: %s\n", what);
	return 2;
}

/* Ethernet + IPv4 + UDP headers for payload_len bytes of UDP payload. */
static size_t headers(uint8_t *b, size_t payload_len)
{
	uint8_t mac[6];
	size_t ip_len = SY_IPV4_HDR_BYTES + SY_UDP_HDR_BYTES + payload_len;

	sy_net_mcast_mac(DST_IP, mac);
	memcpy(b, mac, 6);
	memcpy(b + 6, (const uint8_t[]){ 0x02, 0, 0, 0, 0, 1 }, 6);
	sy_store_be16(b + 12, 0x0800);
	b += SY_ETH_HDR_BYTES;
	memset(b, 0, SY_IPV4_HDR_BYTES);
	b[0] = 0x45;
	sy_store_be16(b + 2, (uint16_t)ip_len);
	b[6] = 0x40; /* DF */
	b[8] = 1;    /* TTL */
	b[9] = 17;
	sy_store_be32(b + 12, SRC_IP);
	sy_store_be32(b + 16, DST_IP);
	sy_store_be16(b + 10, sy_net_ipv4_csum(b, SY_IPV4_HDR_BYTES));
	b += SY_IPV4_HDR_BYTES;
	sy_store_be16(b, PORT);
	sy_store_be16(b + 2, PORT);
	sy_store_be16(b + 4, (uint16_t)(SY_UDP_HDR_BYTES + payload_len));
	sy_store_be16(b + 6, 0); /* no UDP checksum (allowed on IPv4) */
	return SY_ETH_HDR_BYTES + SY_IPV4_HDR_BYTES + SY_UDP_HDR_BYTES;
}

static int picture(const struct sy_video_format *fmt, uint8_t *buf, size_t len, unsigned s,
		   unsigned c)
{
	struct sy_stamp st = { .source_id = (uint16_t)s, .frame_counter = c };

	if (sy_pattern_render(fmt, SY_PATTERN_MOVING, c, buf, len) < 0)
		return -1;
	return sy_stamp_write(fmt, buf, len, &st);
}

int main(int argc, char **argv)
{
	struct sy_video_format fmt = sy_format_make(320, 180, false, 25, 1, 10);
	size_t fb = (size_t)sy_format_frame_bytes(&fmt), row = sy_format_row_bytes(&fmt);
	uint8_t *a = malloc(fb), *b = malloc(fb);
	struct sy_rfc4175_packer pk;
	uint8_t pkt[2048];
	pcap_t *pd;
	pcap_dumper_t *dump;
	unsigned burst;
	uint32_t seq = 0, n;

	if (argc < 5)
		return fail("usage: sy_analyze_craft OUT.pcap OUT.sdp BURST SPEC...");
	burst = (unsigned)strtoul(argv[3], NULL, 10);
	if (!a || !b || sy_rfc4175_packer_init(&pk, &fmt, 400, SY_RFC4175_LAYOUT_ROW) < 0)
		return fail("setup");
	n = sy_rfc4175_packer_pkts_per_frame(&pk);
	if (!burst || n % burst)
		return fail("BURST must divide the 360 packets of a frame");
	pd = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, 65535, PCAP_TSTAMP_PRECISION_NANO);
	dump = pd ? pcap_dump_open(pd, argv[1]) : NULL;
	if (!dump)
		return fail("cannot write the capture");
	for (int f = 0; f + 4 < argc; f++) {
		unsigned s1, c1, s2, c2;
		const char *spec = argv[f + 4];
		uint64_t start = T0_NS + (uint64_t)f * FRAME_NS;
		uint32_t ts = sy_time_tai_to_rtp(start, SY_TIME_VIDEO_HZ);
		struct sy_rfc4175_plan plan;
		uint32_t j = 0;

		if (sscanf(spec, "%u:%u/%u:%u", &s1, &c1, &s2, &c2) == 4) {
			if (picture(&fmt, a, fb, s1, c1) < 0 || picture(&fmt, b, fb, s2, c2) < 0)
				return fail("picture");
			memcpy(a + 90 * row, b + 90 * row, fb - 90 * row);
		} else if (sscanf(spec, "%u:%u", &s1, &c1) == 2) {
			if (picture(&fmt, a, fb, s1, c1) < 0)
				return fail("picture");
		} else {
			return fail("SPEC is S:C or S:C/T:D");
		}
		sy_rfc4175_packer_reset(&pk);
		while (sy_rfc4175_packer_next(&pk, &plan)) {
			size_t h = headers(pkt, SY_RTP_HDR_BYTES + plan.payload_bytes);
			uint64_t x = 4480000ull + (uint64_t)burst * (j / burst) * 320000ull;
			struct pcap_pkthdr ph;
			uint64_t t = start + (x + 2) / 3;
			int w;

			sy_rtp_write(pkt + h, plan.marker, PT, (uint16_t)seq, ts, SSRC);
			w = sy_rfc4175_write(&plan, a, (uint16_t)(seq >> 16), pkt + h + SY_RTP_HDR_BYTES,
					     sizeof(pkt) - h - SY_RTP_HDR_BYTES);
			if (w < 0)
				return fail("packet");
			ph.ts.tv_sec = (time_t)(t / 1000000000u);
			ph.ts.tv_usec = (suseconds_t)(t % 1000000000u); /* ns: nano precision */
			ph.caplen = ph.len = (bpf_u_int32)(h + SY_RTP_HDR_BYTES + (size_t)w);
			pcap_dump((u_char *)dump, &ph, pkt);
			seq++;
			j++;
		}
	}
	pcap_dump_close(dump);
	pcap_close(pd);

	struct sy_sdp sdp;
	struct sy_sdp_transport tr = { .dst_ip = DST_IP, .src_ip = SRC_IP, .port = PORT, .ttl = 1,
				       .pt = PT };
	static char text[8192];
	FILE *o;

	sy_sdp_init(&sdp, "sy_analyze_craft", 1, SRC_IP);
	if (sy_sdp_add_video(&sdp, &tr, &fmt, SY_SDP_TP_N) < 0 ||
	    sy_sdp_set_ptp(&sdp, 0, (const uint8_t[8]){ 0x08, 0, 0x11, 0xff, 0xfe, 0x22, 0x33, 0x44 },
			   127) < 0 ||
	    sy_sdp_emit(&sdp, text, sizeof(text), SY_SDP_EOL_LF) < 0)
		return fail("sdp");
	o = fopen(argv[2], "w");
	if (!o || fputs(text, o) < 0 || fclose(o))
		return fail("cannot write the SDP");
	free(a);
	free(b);
	return 0;
}
