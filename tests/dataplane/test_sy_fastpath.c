/* SPDX-License-Identifier: MIT */
/*
 * test_sy_fastpath.c: src/sy_fastpath.h against the reference parsers,
 * differentially. The fast checks must accept only what sy_net_parse_udp +
 * sy_rtp_parse + sy_rfc4175_parse/validate accept, with the same fields;
 * and they must accept the common shape (else the fast path is useless).
 * Packets: valid RFC 4175 packets for several formats (1..3 SRDs, second
 * field, 4:2:0), then each mutated at random header bytes (200 000 cases,
 * fixed seed).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sy_bytes.h"
#include "sy_fastpath.h"
#include "sy_net.h"
#include "sy_rfc4175.h"
#include "sy_rtp.h"

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)rng;
}

/* A valid packet: n_srd segments of row data at random rows/offsets. */
static size_t build(uint8_t *b, const struct sy_video_format *fmt, unsigned n_srd)
{
	struct sy_pgroup pg;
	uint32_t row_pg, field_lines = fmt->height / (fmt->interlaced ? 2u : 1u);
	size_t off = 42 + 12 + 2 + 6u * n_srd, data = 0;

	sy_format_pgroup(fmt, &pg);
	row_pg = fmt->width / pg.pixels;
	memset(b, 0, 2048);
	b[12] = 0x08;
	b[14] = 0x45;
	b[23] = 17;
	sy_store_be32(b + 26, 0x0a000001);
	sy_store_be32(b + 30, 0xef010101);
	sy_store_be16(b + 34, 5004);
	sy_store_be16(b + 36, 5004);
	b[42] = 0x80;
	b[43] = 96;
	for (unsigned i = 0; i < n_srd; i++) {
		uint8_t *h = b + 42 + 12 + 2 + 6 * i;
		uint32_t start = rnd() % row_pg, cnt = 1 + rnd() % (row_pg - start);
		uint16_t row = (uint16_t)(rnd() % field_lines / pg.lines * pg.lines);

		if (cnt > 60)
			cnt = 60;
		sy_store_be16(h, (uint16_t)(cnt * pg.bytes));
		sy_store_be16(h + 2, (uint16_t)(row | (fmt->interlaced && (rnd() & 1) ? 0x8000 : 0)));
		sy_store_be16(h + 4, (uint16_t)(start * pg.pixels | (i + 1 < n_srd ? 0x8000 : 0)));
		data += cnt * pg.bytes;
	}
	size_t len = off + data;

	sy_store_be16(b + 16, (uint16_t)(len - 14));
	sy_store_be16(b + 38, (uint16_t)(len - 34));
	return len;
}

static void compare(const uint8_t *b, size_t len, const struct sy_video_format *fmt,
		    const struct sy_fastpath_video *g, unsigned *n_fast)
{
	struct sy_fastpath_udp fu;
	struct sy_fastpath_srd0 s0;
	struct sy_udp_view v;
	struct sy_rtp rtp;
	struct sy_rfc4175_pkt pk;

	if (!sy_fastpath_udp(b, len, &fu))
		return;
	assert_int_equal(sy_net_parse_udp(b, len, false, &v), 0);
	assert_int_equal(v.ip_offset, 14);
	assert_int_equal(v.udp_offset, 34);
	assert_memory_equal(&v.key, &fu.key, sizeof(fu.key));
	assert_ptr_equal(v.payload, fu.payload);
	assert_int_equal(v.payload_len, fu.payload_len);
	if (!sy_fastpath_rtp(fu.payload, fu.payload_len))
		return;
	assert_int_equal(sy_rtp_parse(fu.payload, fu.payload_len, &rtp), 0);
	assert_int_equal(rtp.header_bytes, 12);
	assert_int_equal(rtp.payload_len, fu.payload_len - 12u);
	if (!sy_fastpath_rfc4175(fu.payload + 12, fu.payload_len - 12u, g, &s0))
		return;
	assert_int_equal(sy_rfc4175_parse(fu.payload + 12, fu.payload_len - 12u, &pk), 0);
	assert_int_equal(sy_rfc4175_validate(&pk, fmt), 0);
	assert_int_equal(pk.srd[0].row, s0.row);
	assert_int_equal(pk.srd[0].offset_px, s0.offset_px);
	assert_int_equal(pk.srd[0].field, s0.field);
	(*n_fast)++;
}

static void run(const struct sy_video_format *fmt)
{
	static uint8_t b[2048], m[2048];
	struct sy_fastpath_video g;
	unsigned valid_fast = 0, mutated_fast = 0;

	assert_int_equal(sy_fastpath_video_init(fmt, &g), 0);
	for (unsigned i = 0; i < 40000; i++) {
		size_t len = build(b, fmt, 1 + rnd() % 3);

		compare(b, len, fmt, &g, &valid_fast);
		memcpy(m, b, len);
		/* 1..3 random bytes in the headers (0..79), or a length change */
		for (unsigned k = 1 + rnd() % 3; k > 0; k--)
			m[rnd() % 80] ^= (uint8_t)(1u << (rnd() % 8));
		size_t ml = (rnd() % 8) ? len : (size_t)(rnd() % (len + 8));

		compare(m, ml, fmt, &g, &mutated_fast);
	}
	assert_int_equal(valid_fast, 40000); /* the common shape is always fast */
	assert_true(mutated_fast > 0);
}

static void test_1080p(void **state)
{
	struct sy_video_format f = sy_format_make(1920, 1080, false, 50, 1, 10);

	(void)state;
	run(&f);
}

static void test_1080i(void **state)
{
	struct sy_video_format f = sy_format_make(1920, 1080, true, 25, 1, 10);

	(void)state;
	run(&f);
}

static void test_420_8bit(void **state)
{
	struct sy_video_format f = sy_format_make(1280, 720, false, 50, 1, 8);

	(void)state;
	f.sampling = SY_SAMPLING_YCBCR_420;
	run(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_1080p),
		cmocka_unit_test(test_1080i),
		cmocka_unit_test(test_420_8bit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
