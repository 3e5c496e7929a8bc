/* SPDX-License-Identifier: MIT */
/* test_sy_rtp.c: RTP header view, wrap-safe arithmetic, unwrapping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sy_err.h"
#include "sy_rtp.h"

static void test_parse_plain(void **state)
{
	(void)state;
	uint8_t p[20];
	struct sy_rtp r;

	sy_rtp_write(p, true, 96, 0xfffe, 0xdeadbeef, 0x12345678);
	memset(p + 12, 0x55, 8);
	assert_int_equal(sy_rtp_parse(p, sizeof(p), &r), 0);
	assert_true(r.marker);
	assert_int_equal(r.pt, 96);
	assert_int_equal(r.seq, 0xfffe);
	assert_int_equal(r.ts, 0xdeadbeef);
	assert_int_equal(r.ssrc, 0x12345678);
	assert_int_equal(r.header_bytes, 12);
	assert_ptr_equal(r.payload, p + 12);
	assert_int_equal(r.payload_len, 8);
	p[1] = 127; /* marker off, PT 127 */
	assert_int_equal(sy_rtp_parse(p, sizeof(p), &r), 0);
	assert_false(r.marker);
	assert_int_equal(r.pt, 127);
}

static void test_parse_csrc_ext_padding(void **state)
{
	(void)state;
	uint8_t p[64] = { 0 };
	struct sy_rtp r;

	/* V=2 P=1 X=1 CC=2: 12 + 8 CSRC + 4 ext header + 2 words = 32; payload
	 * 20 bytes of which the last 4 are padding (count 4) -> 16 payload */
	p[0] = 0x80 | 0x20 | 0x10 | 2;
	p[1] = 96;
	p[20] = 0xbe;
	p[21] = 0xde;
	p[23] = 2;
	p[51] = 4;
	assert_int_equal(sy_rtp_parse(p, 52, &r), 0);
	assert_int_equal(r.csrc_count, 2);
	assert_true(r.extension);
	assert_int_equal(r.ext_profile, 0xbede);
	assert_int_equal(r.ext_words, 2);
	assert_int_equal(r.header_bytes, 32);
	assert_ptr_equal(r.payload, p + 32);
	assert_int_equal(r.payload_len, 16);
	/* padding count 0 and padding longer than the payload are invalid */
	p[51] = 0;
	assert_int_equal(sy_rtp_parse(p, 52, &r), -SY_E_RTP_PADDING);
	p[51] = 21;
	assert_int_equal(sy_rtp_parse(p, 52, &r), -SY_E_RTP_PADDING);
	p[51] = 20; /* exactly everything after the header: empty payload */
	assert_int_equal(sy_rtp_parse(p, 52, &r), 0);
	assert_int_equal(r.payload_len, 0);
	/* extension longer than the packet */
	p[23] = 200;
	assert_int_equal(sy_rtp_parse(p, 52, &r), -SY_E_RTP_EXTENSION);
	/* extension header itself cut off */
	p[23] = 2;
	assert_int_equal(sy_rtp_parse(p, 22, &r), -SY_E_RTP_EXTENSION);
	/* CSRC list cut off */
	assert_int_equal(sy_rtp_parse(p, 16, &r), -SY_E_TRUNCATED);
	assert_int_equal(sy_rtp_parse(p, 11, &r), -SY_E_TRUNCATED);
	/* version 1 and 3 */
	p[0] = 0x40;
	assert_int_equal(sy_rtp_parse(p, 52, &r), -SY_E_RTP_VERSION);
	p[0] = 0xc0;
	assert_int_equal(sy_rtp_parse(p, 52, &r), -SY_E_RTP_VERSION);
}

static void test_seq_wrap(void **state)
{
	(void)state;
	assert_int_equal(sy_rtp_seq_diff(0, 65535), 1);
	assert_int_equal(sy_rtp_seq_diff(65535, 0), -1);
	assert_true(sy_rtp_seq_lt(65535, 0));
	assert_false(sy_rtp_seq_lt(0, 65535));
	assert_int_equal(sy_rtp_seq_diff(100, 100), 0);
	assert_int_equal(sy_rtp_seq_diff(32767, 0), 32767);
	assert_int_equal(sy_rtp_seq_diff(32768, 0), -32768);
	/* timestamps across the 32-bit wrap */
	assert_int_equal(sy_rtp_ts_diff(0, 0xffffffffu), 1);
	assert_int_equal(sy_rtp_ts_diff(1501, 0xfffffa23u), 1501 + 0x5dd); /* 0x5dd = 2^32 - 0xfffffa23 */
	assert_true(sy_rtp_ts_lt(0xfffffff0u, 5));
	/* 32-bit sequence from RFC 4175 extended + RTP halves, wrap of the low half */
	assert_int_equal(sy_rtp_seq32(0x0001, 0xffff), 0x0001ffffu);
	assert_int_equal(sy_rtp_seq32(0x0002, 0x0000), 0x00020000u);
	assert_int_equal(sy_rtp_seq32_diff(sy_rtp_seq32(2, 0), sy_rtp_seq32(1, 0xffff)), 1);
	/* extended sequence wrap: 0xffff:0xffff -> 0:0 */
	assert_int_equal(sy_rtp_seq32_diff(sy_rtp_seq32(0, 0), sy_rtp_seq32(0xffff, 0xffff)), 1);
}

static void test_unwrap(void **state)
{
	(void)state;
	struct sy_rtp_unwrap u = { 0 };
	uint64_t a = sy_rtp_unwrap16(&u, 65534);

	assert_int_equal(sy_rtp_unwrap16(&u, 65535), a + 1);
	assert_int_equal(sy_rtp_unwrap16(&u, 0), a + 2);
	assert_int_equal(sy_rtp_unwrap16(&u, 1), a + 3);
	/* a reordered late packet maps backwards without moving the head */
	assert_int_equal(sy_rtp_unwrap16(&u, 65535), a + 1);
	assert_int_equal(sy_rtp_unwrap16(&u, 2), a + 4);
	/* three full wraps in steps of 30000 */
	uint16_t s = 2;
	for (int i = 0; i < 7; i++) {
		s = (uint16_t)(s + 30000);
		sy_rtp_unwrap16(&u, s);
	}
	assert_int_equal(u.last, a + 4 + 210000);

	struct sy_rtp_unwrap t = { 0 };
	uint64_t b = sy_rtp_unwrap32(&t, 0xfffff000u);
	assert_int_equal(sy_rtp_unwrap32(&t, 0x00000200u), b + 0x1200);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_plain),
		cmocka_unit_test(test_parse_csrc_ext_padding),
		cmocka_unit_test(test_seq_wrap),
		cmocka_unit_test(test_unwrap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
