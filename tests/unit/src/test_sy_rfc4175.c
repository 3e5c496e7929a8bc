/* SPDX-License-Identifier: MIT */
/*
 * test_sy_rfc4175.c: SRD parsing and validation, packet counts, packetizer ->
 * depacketizer round trips, and the known-answer test against the GStreamer
 * and FFmpeg ST 2110-20 captures in ../shared/vectors (per-frame MD5s
 * published in its README).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sy_bytes.h"
#include "sy_err.h"
#include "sy_format.h"
#include "sy_rfc4175.h"
#include "sy_rtp.h"
#include "sy_test_pcap.h"

/* ext seq, then SRD headers: len, F|row, C|offset */
static size_t build(uint8_t *buf, uint16_t ext, const uint16_t (*srd)[4], int n, uint32_t extra)
{
	size_t off = 2, data = 0;

	sy_store_be16(buf, ext);
	for (int i = 0; i < n; i++) {
		sy_store_be16(buf + off, srd[i][0]);
		sy_store_be16(buf + off + 2, (uint16_t)(srd[i][1] ? 0x8000 : 0) | srd[i][2]);
		sy_store_be16(buf + off + 4, (uint16_t)((i + 1 < n) ? 0x8000 : 0) | srd[i][3]);
		off += 6;
		data += srd[i][0];
	}
	memset(buf + off, 0xab, data + extra);
	return off + data + extra;
}

static void test_parse_two_srds(void **state)
{
	(void)state;
	uint8_t buf[1500];
	/* {len, F, row, offset}: row 0 tail (pixels 1600..1919) and row 1 head */
	const uint16_t srd[2][4] = { { 800, 0, 0, 1600 }, { 400, 0, 1, 0 } };
	size_t len = build(buf, 7, srd, 2, 0);
	struct sy_rfc4175_pkt pkt;
	struct sy_video_format f = sy_format_make(1920, 1080, false, 60000, 1001, 10);

	assert_int_equal(len, 2 + 12 + 1200);
	assert_int_equal(sy_rfc4175_parse(buf, len, &pkt), 0);
	assert_int_equal(pkt.ext_seq, 7);
	assert_int_equal(pkt.n_srd, 2);
	assert_int_equal(pkt.srd[0].len_bytes, 800);
	assert_int_equal(pkt.srd[0].offset_px, 1600);
	assert_int_equal(pkt.srd[1].row, 1);
	assert_ptr_equal(pkt.srd[0].data, buf + 14);
	assert_ptr_equal(pkt.srd[1].data, buf + 14 + 800);
	assert_int_equal(pkt.data_bytes, 1200);
	assert_int_equal(sy_rfc4175_validate(&pkt, &f), 0);
}

static void test_parse_errors(void **state)
{
	(void)state;
	uint8_t buf[1500];
	struct sy_rfc4175_pkt pkt;
	const uint16_t one[1][4] = { { 1200, 0, 5, 0 } };
	size_t len = build(buf, 0, one, 1, 0);

	/* SRD lengths must sum to the payload: one byte more or less */
	assert_int_equal(sy_rfc4175_parse(buf, len + 1, &pkt), -SY_E_SRD_SUM);
	assert_int_equal(sy_rfc4175_parse(buf, len - 1, &pkt), -SY_E_SRD_SUM);
	/* too short for ext seq + one SRD header */
	assert_int_equal(sy_rfc4175_parse(buf, 1, &pkt), -SY_E_TRUNCATED);
	assert_int_equal(sy_rfc4175_parse(buf, 7, &pkt), -SY_E_SRD_NONE);
	/* continuation bit on the last header that fits: no read past the end */
	buf[6] |= 0x80;
	assert_int_equal(sy_rfc4175_parse(buf, 8, &pkt), -SY_E_TRUNCATED);
	/* 17 chained headers: more than SY_RFC4175_MAX_SRD */
	for (int i = 0; i < 17; i++) {
		sy_store_be16(buf + 2 + 6 * i, 5);
		sy_store_be16(buf + 4 + 6 * i, 0);
		sy_store_be16(buf + 6 + 6 * i, 0x8000);
	}
	assert_int_equal(sy_rfc4175_parse(buf, 2 + 6 * 17 + 85, &pkt), -SY_E_SRD_TOO_MANY);
	/* zero-length SRD with nothing after: empty */
	const uint16_t zero[1][4] = { { 0, 0, 0, 0 } };
	len = build(buf, 0, zero, 1, 0);
	assert_int_equal(sy_rfc4175_parse(buf, len, &pkt), -SY_E_SRD_NONE);
}

static int parse_validate(const uint16_t (*srd)[4], int n, const struct sy_video_format *f)
{
	uint8_t buf[1500];
	struct sy_rfc4175_pkt pkt;
	size_t len = build(buf, 0, srd, n, 0);
	int rc = sy_rfc4175_parse(buf, len, &pkt);

	return rc < 0 ? rc : sy_rfc4175_validate(&pkt, f);
}

static void test_validate_boundaries(void **state)
{
	(void)state;
	struct sy_video_format p = sy_format_make(1920, 1080, false, 60000, 1001, 10);
	struct sy_video_format i = sy_format_make(1920, 1080, true, 25, 1, 10);
	struct sy_video_format q = p;

	q.sampling = SY_SAMPLING_YCBCR_420;
	/* last row 1079 ok, 1080 beyond */
	assert_int_equal(parse_validate((const uint16_t[][4]){ { 1200, 0, 1079, 1440 } }, 1, &p), 0);
	assert_int_equal(parse_validate((const uint16_t[][4]){ { 1200, 0, 1080, 0 } }, 1, &p),
			 -SY_E_SRD_ROW);
	/* offset + length exactly at the end of the row (1920 px = 4800 B) ok, one pgroup over */
	assert_int_equal(parse_validate((const uint16_t[][4]){ { 5, 0, 0, 1918 } }, 1, &p), 0);
	assert_int_equal(parse_validate((const uint16_t[][4]){ { 10, 0, 0, 1918 } }, 1, &p),
			 -SY_E_SRD_OFFSET);
	/* length not whole pgroups (5 B per 2 px), offset not pgroup aligned */
	assert_int_equal(parse_validate((const uint16_t[][4]){ { 1201, 0, 0, 0 } }, 1, &p),
			 -SY_E_SRD_PGROUP);
	assert_int_equal(parse_validate((const uint16_t[][4]){ { 1200, 0, 0, 1 } }, 1, &p),
			 -SY_E_SRD_PGROUP);
	/* field bit: refused on progressive, fine on interlaced; field rows < 540 */
	assert_int_equal(parse_validate((const uint16_t[][4]){ { 1200, 1, 0, 0 } }, 1, &p),
			 -SY_E_SRD_FIELD);
	assert_int_equal(parse_validate((const uint16_t[][4]){ { 1200, 1, 539, 0 } }, 1, &i), 0);
	assert_int_equal(parse_validate((const uint16_t[][4]){ { 1200, 1, 540, 0 } }, 1, &i),
			 -SY_E_SRD_ROW);
	/* 4:2:0 10-bit: pgroup 15 B / 4 px / 2 lines: odd row refused */
	assert_int_equal(parse_validate((const uint16_t[][4]){ { 1200, 0, 2, 0 } }, 1, &q), 0);
	assert_int_equal(parse_validate((const uint16_t[][4]){ { 1200, 0, 3, 0 } }, 1, &q),
			 -SY_E_SRD_ROW);
	/* second SRD of two is the bad one */
	assert_int_equal(parse_validate((const uint16_t[][4]){ { 800, 0, 0, 1600 },
								{ 400, 0, 1080, 0 } },
					2, &p),
			 -SY_E_SRD_ROW);
}

static void test_pkt_counts(void **state)
{
	(void)state;
	struct sy_video_format f;

	/* worked values of ../shared/notes/st2110.md */
	f = sy_format_make(1920, 1080, false, 60000, 1001, 10);
	assert_int_equal(sy_rfc4175_pkts_per_row(&f, 1200), 4);
	assert_int_equal(sy_rfc4175_pkts_per_frame(&f, 1200, SY_RFC4175_LAYOUT_ROW), 4320);
	f.packing = SY_PACKING_BPM; /* ceil(5184000 / 1260) */
	assert_int_equal(sy_rfc4175_pkts_per_frame(&f, 1200, SY_RFC4175_LAYOUT_ROW), 4115);
	f = sy_format_make(3840, 2160, false, 60000, 1001, 10);
	assert_int_equal(sy_rfc4175_pkts_per_frame(&f, 1200, SY_RFC4175_LAYOUT_ROW), 17280);
	/* 8K: 7680 px = 19200 B per row = 16 packets, x 4320 rows */
	f = sy_format_make(7680, 4320, false, 50, 1, 10);
	assert_int_equal(sy_rfc4175_pkts_per_frame(&f, 1200, SY_RFC4175_LAYOUT_ROW), 69120);
	/* 720p: 3200 B per row -> 1200 + 1200 + 800 */
	f = sy_format_make(1280, 720, false, 50, 1, 10);
	assert_int_equal(sy_rfc4175_pkts_per_row(&f, 1200), 3);
	assert_int_equal(sy_rfc4175_pkts_per_frame(&f, 1200, SY_RFC4175_LAYOUT_ROW), 2160);
	/* 720p continuous: ceil(2304000 / 1200) = 1920 */
	assert_int_equal(sy_rfc4175_pkts_per_frame(&f, 1200, SY_RFC4175_LAYOUT_CONTINUOUS), 1920);
	/* 1080i: 540 rows per field, 4 per row, 2 fields */
	f = sy_format_make(1920, 1080, true, 25, 1, 10);
	assert_int_equal(sy_rfc4175_pkts_per_frame(&f, 1200, SY_RFC4175_LAYOUT_ROW), 4320);
	/* 8-bit 1080p: 3840 B per row, 1200 -> 4 packets (1200,1200,1200,240) */
	f = sy_format_make(1920, 1080, false, 50, 1, 8);
	assert_int_equal(sy_rfc4175_pkts_per_row(&f, 1200), 4);
	/* the vector raster: 320 px 10-bit = 800 B rows, GStreamer-like 1380 B continuous:
	 * 144000 B / 1380 = 104.3 -> 105 */
	f = sy_format_make(320, 180, false, 25, 1, 10);
	assert_int_equal(sy_rfc4175_pkts_per_frame(&f, 1380, SY_RFC4175_LAYOUT_CONTINUOUS), 105);
	/* UDP 8 + RTP 12 + ext 2 + SRD 6 + data <= 1460: data 1430 fits, 1435 not;
	 * continuous needs a second SRD header (6 more) */
	struct sy_rfc4175_packer pk;
	f = sy_format_make(1920, 1080, false, 50, 1, 10);
	assert_int_equal(sy_rfc4175_packer_init(&pk, &f, 1430, SY_RFC4175_LAYOUT_ROW), 0);
	assert_int_equal(sy_rfc4175_packer_init(&pk, &f, 1435, SY_RFC4175_LAYOUT_ROW),
			 -SY_E_RANGE);
	assert_int_equal(sy_rfc4175_packer_init(&pk, &f, 1425, SY_RFC4175_LAYOUT_CONTINUOUS), 0);
	assert_int_equal(sy_rfc4175_packer_init(&pk, &f, 1430, SY_RFC4175_LAYOUT_CONTINUOUS),
			 -SY_E_RANGE);
	assert_int_equal(sy_rfc4175_packer_init(&pk, &f, 4, SY_RFC4175_LAYOUT_ROW), -SY_E_RANGE);
}

/* Pack a random frame, parse every packet back, place it, compare. */
static void roundtrip(struct sy_video_format f, uint32_t data_max, enum sy_rfc4175_layout layout)
{
	struct sy_rfc4175_packer pk;
	struct sy_rfc4175_plan plan;
	struct sy_rfc4175_frame fr;
	struct sy_rfc4175_pkt pkt;
	size_t fb = (size_t)sy_format_frame_bytes(&f);
	size_t cb = sy_rfc4175_coverage_bytes(&f);
	uint8_t *src = malloc(fb), *dst = calloc(1, fb), *cov = malloc(cb);
	uint8_t buf[1500];
	uint32_t n = 0, markers = 0, seed = 12345;

	assert_non_null(src);
	for (size_t i = 0; i < fb; i++) {
		seed = seed * 1103515245u + 12345u;
		src[i] = (uint8_t)(seed >> 16);
	}
	assert_int_equal(sy_rfc4175_packer_init(&pk, &f, data_max, layout), 0);
	assert_int_equal(sy_rfc4175_frame_init(&fr, &f, dst, fb, cov, cb), 0);
	while (sy_rfc4175_packer_next(&pk, &plan)) {
		int len = sy_rfc4175_write(&plan, src, (uint16_t)n, buf, sizeof(buf));

		assert_true(len > 0);
		assert_int_equal(len, plan.payload_bytes);
		assert_true(len + 12 + 8 <= 1460);
		assert_int_equal(sy_rfc4175_parse(buf, (size_t)len, &pkt), 0);
		assert_int_equal(sy_rfc4175_validate(&pkt, &f), 0);
		assert_int_equal(sy_rfc4175_frame_place(&fr, &pkt), 0);
		markers += plan.marker;
		if (plan.marker && f.interlaced && markers == 1)
			assert_int_equal(sy_rfc4175_frame_rows_incomplete(&fr), fr.rows / 2);
		n++;
	}
	assert_int_equal(n, sy_rfc4175_packer_pkts_per_frame(&pk));
	assert_int_equal(markers, sy_format_fields(&f));
	assert_true(sy_rfc4175_frame_complete(&fr));
	assert_int_equal(fr.pgroups_repeated, 0);
	assert_int_equal(sy_rfc4175_frame_rows_incomplete(&fr), 0);
	assert_memory_equal(src, dst, fb);
	free(src);
	free(dst);
	free(cov);
}

static void test_roundtrips(void **state)
{
	(void)state;
	struct sy_video_format f;

	roundtrip(sy_format_make(1920, 1080, false, 60000, 1001, 10), 1200, SY_RFC4175_LAYOUT_ROW);
	roundtrip(sy_format_make(1920, 1080, true, 30000, 1001, 10), 1200, SY_RFC4175_LAYOUT_ROW);
	roundtrip(sy_format_make(1920, 1080, true, 25, 1, 10), 1200, SY_RFC4175_LAYOUT_CONTINUOUS);
	roundtrip(sy_format_make(1280, 720, false, 50, 1, 8), 1200, SY_RFC4175_LAYOUT_CONTINUOUS);
	roundtrip(sy_format_make(320, 180, false, 25, 1, 10), 1380, SY_RFC4175_LAYOUT_CONTINUOUS);
	f = sy_format_make(1920, 1080, false, 60000, 1001, 10);
	f.packing = SY_PACKING_BPM;
	roundtrip(f, 0, SY_RFC4175_LAYOUT_ROW);
	f = sy_format_make(1920, 1080, false, 50, 1, 10);
	f.sampling = SY_SAMPLING_YCBCR_420;
	roundtrip(f, 1200, SY_RFC4175_LAYOUT_CONTINUOUS);
	f = sy_format_make(1920, 1080, false, 50, 1, 8);
	f.sampling = SY_SAMPLING_RGB;
	roundtrip(f, 1200, SY_RFC4175_LAYOUT_ROW);
	f = sy_format_make(3840, 2160, false, 50, 1, 12);
	f.sampling = SY_SAMPLING_YCBCR_444;
	roundtrip(f, 1404, SY_RFC4175_LAYOUT_CONTINUOUS);
	/* very narrow raster: the SRD cap ends packets */
	roundtrip(sy_format_make(16, 16, false, 25, 1, 10), 1200, SY_RFC4175_LAYOUT_CONTINUOUS);
}

static void test_depkt_coverage_and_dups(void **state)
{
	(void)state;
	struct sy_video_format f = sy_format_make(320, 180, false, 25, 1, 10);
	static uint8_t fb[144000], cov[4000];
	uint8_t buf[1500];
	struct sy_rfc4175_frame fr;
	struct sy_rfc4175_pkt pkt;
	size_t len;

	assert_int_equal(sy_rfc4175_frame_init(&fr, &f, fb, sizeof(fb), cov, sizeof(cov)), 0);
	assert_int_equal(fr.pgroups_total, 160 * 180);
	assert_int_equal(sy_rfc4175_frame_init(&fr, &f, fb, 100, cov, sizeof(cov)), -SY_E_NOSPACE);
	assert_int_equal(sy_rfc4175_frame_init(&fr, &f, fb, sizeof(fb), cov, sizeof(cov)), 0);
	len = build(buf, 0, (const uint16_t[][4]){ { 400, 0, 7, 160 } }, 1, 0);
	assert_int_equal(sy_rfc4175_parse(buf, len, &pkt), 0);
	assert_int_equal(sy_rfc4175_frame_place(&fr, &pkt), 0);
	assert_int_equal(fr.pgroups_covered, 80);
	assert_false(sy_rfc4175_frame_row_complete(&fr, 7));
	assert_int_equal(sy_rfc4175_frame_place(&fr, &pkt), 0); /* duplicate */
	assert_int_equal(fr.pgroups_covered, 80);
	assert_int_equal(fr.pgroups_repeated, 80);
	len = build(buf, 0, (const uint16_t[][4]){ { 400, 0, 7, 0 } }, 1, 0);
	assert_int_equal(sy_rfc4175_parse(buf, len, &pkt), 0);
	assert_int_equal(sy_rfc4175_frame_place(&fr, &pkt), 0);
	assert_true(sy_rfc4175_frame_row_complete(&fr, 7));
	assert_int_equal(sy_rfc4175_frame_rows_incomplete(&fr), 179);
	assert_memory_equal(fb + 7 * 800, (uint8_t[800]){ [0 ... 799] = 0xab }, 800);
	/* a packet that does not fit the format writes nothing */
	len = build(buf, 0, (const uint16_t[][4]){ { 400, 0, 180, 0 } }, 1, 0);
	assert_int_equal(sy_rfc4175_parse(buf, len, &pkt), 0);
	assert_int_equal(sy_rfc4175_frame_place(&fr, &pkt), -SY_E_SRD_ROW);
	assert_int_equal(fr.pgroups_covered, 160);
	sy_rfc4175_frame_reset(&fr);
	assert_int_equal(fr.pgroups_covered, 0);
	assert_false(sy_rfc4175_frame_row_complete(&fr, 7));
}

/* ---- known answers from third-party captures -------------------------- */

struct vec_ctx {
	struct sy_video_format fmt;
	struct sy_rfc4175_frame fr;
	uint8_t *fb, *cov;
	uint16_t port;
	char md5[16][33];
	int frames;
	int packets;
	int srd_max;
	bool have_ts;
	uint32_t ts;
	uint16_t last_seq;
	int errors;
};

static void finish_frame(struct vec_ctx *c)
{
	assert_true(sy_rfc4175_frame_complete(&c->fr));
	assert_true(c->frames < 16);
	sy_test_md5_hex(c->fb, (size_t)sy_format_frame_bytes(&c->fmt), c->md5[c->frames++]);
	sy_rfc4175_frame_reset(&c->fr);
}

static int on_vec_pkt(const struct sy_test_pkt *p, void *arg)
{
	struct vec_ctx *c = arg;
	struct sy_rtp rtp;
	struct sy_rfc4175_pkt pkt;

	if (p->udp_rc || p->udp.key.dst_port != c->port)
		return 0;
	assert_int_equal(sy_rtp_parse(p->udp.payload, p->udp.payload_len, &rtp), 0);
	assert_int_equal(rtp.pt, 96);
	if (c->packets)
		assert_int_equal(rtp.seq, (uint16_t)(c->last_seq + 1));
	c->last_seq = rtp.seq;
	assert_int_equal(sy_rfc4175_parse(rtp.payload, rtp.payload_len, &pkt), 0);
	assert_int_equal(pkt.ext_seq, 0); /* real senders write 0 */
	assert_int_equal(sy_rfc4175_validate(&pkt, &c->fmt), 0);
	if (c->have_ts && rtp.ts != c->ts && c->fr.pgroups_covered)
		finish_frame(c); /* timestamp change without a marker */
	c->have_ts = true;
	c->ts = rtp.ts;
	assert_int_equal(sy_rfc4175_frame_place(&c->fr, &pkt), 0);
	if (pkt.n_srd > c->srd_max)
		c->srd_max = pkt.n_srd;
	c->packets++;
	if (rtp.marker)
		finish_frame(c);
	return 0;
}

static void check_vector(const char *name, uint16_t port, const char *const md5[10])
{
	struct vec_ctx c = { .port = port };

	c.fmt = sy_format_make(320, 180, false, 25, 1, 10);
	c.fb = malloc((size_t)sy_format_frame_bytes(&c.fmt));
	c.cov = malloc(sy_rfc4175_coverage_bytes(&c.fmt));
	assert_int_equal(sy_rfc4175_frame_init(&c.fr, &c.fmt, c.fb, 144000, c.cov,
					       sy_rfc4175_coverage_bytes(&c.fmt)),
			 0);
	assert_int_equal(sy_test_pcap_foreach(sy_test_vector(name), on_vec_pkt, &c), 0);
	assert_int_equal(c.packets, 1060);
	assert_int_equal(c.frames, 10);
	assert_int_equal(c.srd_max, 3); /* README: up to 3 SRD headers per packet */
	for (int i = 0; i < 10; i++)
		assert_string_equal(c.md5[i], md5[i]);
	free(c.fb);
	free(c.cov);
}

static void test_vector_gstreamer(void **state)
{
	(void)state;
	static const char *const md5[10] = {
		"1d813d77070d026e3544e26dd9f2287e", "cc2a94c48021e2bbcff4739e9dcac935",
		"d0317a48055d3404be16a034391e19bd", "1be400266c81dd40f2e3a5e52cfa2440",
		"fa7e17c0ad166d9fa2baa0ca8b73fbda", "ddc306228b4014c4615df5ffbe445c67",
		"ab52ffcf5c543323ede282ec7ebd3922", "3c7b67b789535a7624504f93dde19bc2",
		"9ef24b692dceb5ad424f330cd6bc7610", "6ba7e606b677d5c6a7151ef58969f31f",
	};
	check_vector("st2110-20_gst_320x180p25_ycbcr422_10bit_10f.pcap", 5004, md5);
}

static void test_vector_ffmpeg(void **state)
{
	(void)state;
	static const char *const md5[10] = {
		[0 ... 9] = "e58b1f73d576bc64a2e553dc767f8867",
	};
	check_vector("st2110-20_ffmpeg_320x180p25_ycbcr422_10bit_10f.pcap", 5006, md5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_two_srds),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_validate_boundaries),
		cmocka_unit_test(test_pkt_counts),
		cmocka_unit_test(test_roundtrips),
		cmocka_unit_test(test_depkt_coverage_and_dups),
		cmocka_unit_test(test_vector_gstreamer),
		cmocka_unit_test(test_vector_ffmpeg),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
