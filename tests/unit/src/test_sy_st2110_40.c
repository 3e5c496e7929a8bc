/* SPDX-License-Identifier: MIT */
/*
 * test_sy_st2110_40.c: RFC 8331 ANC payload parse/build and ST 12-2 ATC.
 * Known-answer vectors are computed by hand in the comments.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sy_err.h"
#include "sy_st2110_40.h"

/*
 * One CEA-708 style packet: C=0, line 9, hoffset 0, S=0, stream 0,
 * DID 0x61, SDID 0x01, DC 2, UDWs 0x96 0x69.
 *
 * Header word: line 9 << 20 = 0x00900000 -> 00 90 00 00.
 * DID  0x61 = 0110 0001, 3 ones (odd): b8=1 b9=0 -> 0x161
 * SDID 0x01, 1 one:                    b8=1 b9=0 -> 0x101
 * DC   0x02, 1 one:                    b8=1 b9=0 -> 0x102
 * UDW  0x96 = 1001 0110, 4 ones (even): b8=0 b9=1 -> 0x296
 * UDW  0x69 = 0110 1001, 4 ones:                  -> 0x269
 * Checksum: 0x161 + 0x101 + 0x102 + 0x096 + 0x069 = 0x463; & 0x1FF = 0x063;
 *   b8 = 0 -> b9 = 1 -> 0x263.
 * 32 + 6 * 10 = 92 bits -> 96 (3 words, 12 octets), 4 zero align bits.
 * Bit string after the header word:
 *   0101100001 0100000001 0100000010 1010010110 1001101001 1001100011 0000
 *   = 01011000 01010000 00010100 00001010 10010110 10011010 01100110 00110000
 *   = 58 50 14 0A 96 9A 66 30
 * Payload header: ext seq 0x0000, Length 12, ANC_Count 1, F 00, reserved 0.
 */
static const uint8_t known[20] = {
	0x00, 0x00, 0x00, 0x0C, 0x01, 0x00, 0x00, 0x00,
	0x00, 0x90, 0x00, 0x00, 0x58, 0x50, 0x14, 0x0A, 0x96, 0x9A, 0x66, 0x30,
};

static void test_word_parity(void **state)
{
	(void)state;
	assert_int_equal(sy_st2110_40_word(0x00), 0x200); /* 0 ones: b8 0, b9 1 */
	assert_int_equal(sy_st2110_40_word(0x01), 0x101);
	assert_int_equal(sy_st2110_40_word(0x60), 0x260); /* 2 ones */
	assert_int_equal(sy_st2110_40_word(0xFF), 0x2FF); /* 8 ones */
	assert_int_equal(sy_st2110_40_word(0xFE), 0x1FE); /* 7 ones */
	assert_true(sy_st2110_40_word_ok(0x161));
	assert_false(sy_st2110_40_word_ok(0x061));
	assert_false(sy_st2110_40_word_ok(0x361)); /* b9 must be NOT b8 */
	assert_int_equal(sy_st2110_40_pkt_bytes(0), 12);   /* 72 bits -> 96 */
	assert_int_equal(sy_st2110_40_pkt_bytes(2), 12);   /* 92 -> 96 */
	assert_int_equal(sy_st2110_40_pkt_bytes(3), 16);   /* 102 -> 128 */
	assert_int_equal(sy_st2110_40_pkt_bytes(16), 32);  /* 232 -> 256 */
	assert_int_equal(sy_st2110_40_pkt_bytes(255), 328); /* 2622 -> 2624 */
}

static void test_parse_known(void **state)
{
	(void)state;
	struct sy_st2110_40_view v;
	assert_int_equal(sy_st2110_40_parse(known, sizeof(known), &v), 0);
	assert_int_equal(v.ext_seq, 0);
	assert_int_equal(v.length_bytes, 12);
	assert_int_equal(v.anc_count, 1);
	assert_int_equal(v.field, SY_ST2110_40_F_PROGRESSIVE);

	struct sy_st2110_40_iter it;
	struct sy_st2110_40_anc a;
	sy_st2110_40_iter_init(&v, &it);
	assert_true(sy_st2110_40_next(&it, &a));
	assert_false(a.c);
	assert_int_equal(a.line, 9);
	assert_int_equal(a.hoffset, 0);
	assert_false(a.s);
	assert_int_equal(a.stream_num, 0);
	assert_int_equal(a.did, SY_ST2110_40_DID_CEA708);
	assert_int_equal(a.sdid, SY_ST2110_40_SDID_CEA708);
	assert_int_equal(a.data_count, 2);
	assert_int_equal(a.checksum10, 0x263);
	assert_int_equal(a.raw_bytes, 12);
	assert_int_equal(sy_st2110_40_udw10(&a, 0), 0x296);
	assert_int_equal(sy_st2110_40_udw10(&a, 1), 0x269);
	assert_int_equal(sy_st2110_40_udw8(&a, 0), 0x96);
	assert_int_equal(sy_st2110_40_udw8(&a, 1), 0x69);
	assert_int_equal(sy_st2110_40_udw10(&a, 2), 0); /* out of range */
	assert_false(sy_st2110_40_next(&it, &a));
}

static void test_build_known(void **state)
{
	(void)state;
	const uint8_t udw[2] = { 0x96, 0x69 };
	struct sy_st2110_40_pkt p = {
		.line = 9, .did = 0x61, .sdid = 0x01, .data_count = 2, .udw8 = udw,
	};
	uint8_t buf[64];
	size_t len = 0;
	memset(buf, 0xAA, sizeof(buf));
	assert_int_equal(sy_st2110_40_build(buf, sizeof(buf), 0, SY_ST2110_40_F_PROGRESSIVE,
					    &p, 1, &len), 0);
	assert_int_equal(len, sizeof(known));
	assert_memory_equal(buf, known, sizeof(known));
	assert_int_equal(buf[20], 0xAA); /* nothing written past len */

	/* Exactly big enough, then one octet short. */
	assert_int_equal(sy_st2110_40_build(buf, 20, 0, SY_ST2110_40_F_PROGRESSIVE, &p, 1, &len),
			 0);
	assert_int_equal(sy_st2110_40_build(buf, 19, 0, SY_ST2110_40_F_PROGRESSIVE, &p, 1, &len),
			 -SY_E_NOSPACE);
	assert_int_equal(sy_st2110_40_build(buf, 7, 0, SY_ST2110_40_F_PROGRESSIVE, NULL, 0, &len),
			 -SY_E_NOSPACE);
	/* Range checks. */
	assert_int_equal(sy_st2110_40_build(buf, sizeof(buf), 0, SY_ST2110_40_F_INVALID, &p, 1,
					    &len), -SY_E_RANGE);
	struct sy_st2110_40_pkt bad = p;
	bad.line = 0x800;
	assert_int_equal(sy_st2110_40_build(buf, sizeof(buf), 0, 0, &bad, 1, &len), -SY_E_RANGE);
	bad = p;
	bad.hoffset = 0x1000;
	assert_int_equal(sy_st2110_40_build(buf, sizeof(buf), 0, 0, &bad, 1, &len), -SY_E_RANGE);
	bad = p;
	bad.stream_num = 0x80;
	assert_int_equal(sy_st2110_40_build(buf, sizeof(buf), 0, 0, &bad, 1, &len), -SY_E_RANGE);
	bad = p;
	bad.udw8 = NULL;
	assert_int_equal(sy_st2110_40_build(buf, sizeof(buf), 0, 0, &bad, 1, &len), -SY_E_RANGE);
}

static void test_header_fields(void **state)
{
	(void)state;
	/* All placement fields at their maxima, F = field 2, ext seq 0xBEEF:
	 * header word C=1 | 0x7FF << 20 | 0xFFF << 8 | S=1 << 7 | 0x7F = 0xFFFFFFFF. */
	struct sy_st2110_40_pkt p = {
		.c = true, .line = 0x7FF, .hoffset = 0xFFF, .s = true, .stream_num = 0x7F,
		.did = 0x41, .sdid = 0x05, .data_count = 0,
	};
	uint8_t buf[32];
	size_t len;
	assert_int_equal(sy_st2110_40_build(buf, sizeof(buf), 0xBEEF, SY_ST2110_40_F_FIELD2, &p, 1,
					    &len), 0);
	assert_int_equal(len, 20);
	assert_int_equal(buf[0], 0xBE);
	assert_int_equal(buf[1], 0xEF);
	assert_int_equal(buf[5], 0xC0); /* F = 11, reserved 0 */
	assert_int_equal(buf[8], 0xFF);
	assert_int_equal(buf[11], 0xFF);

	struct sy_st2110_40_view v;
	struct sy_st2110_40_iter it;
	struct sy_st2110_40_anc a;
	assert_int_equal(sy_st2110_40_parse(buf, len, &v), 0);
	assert_int_equal(v.ext_seq, 0xBEEF);
	assert_int_equal(v.field, SY_ST2110_40_F_FIELD2);
	sy_st2110_40_iter_init(&v, &it);
	assert_true(sy_st2110_40_next(&it, &a));
	assert_true(a.c);
	assert_int_equal(a.line, 0x7FF);
	assert_int_equal(a.hoffset, 0xFFF);
	assert_true(a.s);
	assert_int_equal(a.stream_num, 0x7F);
	assert_int_equal(a.did, 0x41);
	assert_int_equal(a.sdid, 0x05);
	assert_int_equal(a.data_count, 0);

	/* Field 1 = 10. */
	assert_int_equal(sy_st2110_40_build(buf, sizeof(buf), 0, SY_ST2110_40_F_FIELD1, &p, 1,
					    &len), 0);
	assert_int_equal(buf[5], 0x80);
	assert_int_equal(sy_st2110_40_parse(buf, len, &v), 0);
	assert_int_equal(v.field, SY_ST2110_40_F_FIELD1);
}

static void test_empty_payload(void **state)
{
	(void)state;
	/* ANC_Count 0, Length 0: valid, only 8 header octets. */
	uint8_t buf[8];
	size_t len;
	assert_int_equal(sy_st2110_40_build(buf, sizeof(buf), 7, SY_ST2110_40_F_FIELD1, NULL, 0,
					    &len), 0);
	assert_int_equal(len, 8);
	const uint8_t want[8] = { 0x00, 0x07, 0x00, 0x00, 0x00, 0x80, 0x00, 0x00 };
	assert_memory_equal(buf, want, 8);
	struct sy_st2110_40_view v;
	assert_int_equal(sy_st2110_40_parse(buf, len, &v), 0);
	assert_int_equal(v.anc_count, 0);
	struct sy_st2110_40_iter it;
	struct sy_st2110_40_anc a;
	sy_st2110_40_iter_init(&v, &it);
	assert_false(sy_st2110_40_next(&it, &a));
}

static void test_reject_reasons(void **state)
{
	(void)state;
	uint8_t b[sizeof(known)];
	struct sy_st2110_40_view v;

	/* Header shorter than 8 octets. */
	assert_int_equal(sy_st2110_40_parse(known, 7, &v), -SY_E_TRUNCATED);
	assert_int_equal(sy_st2110_40_parse(known, 0, &v), -SY_E_TRUNCATED);

	/* F = 01 (byte 5 = 0x40). */
	memcpy(b, known, sizeof(b));
	b[5] = 0x40;
	assert_int_equal(sy_st2110_40_parse(b, sizeof(b), &v), -SY_E_ANC_FIELD);

	/* Length 13: 8 + 13 != 20. */
	memcpy(b, known, sizeof(b));
	b[3] = 0x0D;
	assert_int_equal(sy_st2110_40_parse(b, sizeof(b), &v), -SY_E_ANC_LEN);
	/* Length 11: short of the payload too. */
	b[3] = 0x0B;
	assert_int_equal(sy_st2110_40_parse(b, sizeof(b), &v), -SY_E_ANC_LEN);
	/* Payload 4 octets longer than Length says. */
	assert_int_equal(sy_st2110_40_parse(known, 16, &v), -SY_E_ANC_LEN);

	/* ANC_Count 2 with one packet's content. */
	memcpy(b, known, sizeof(b));
	b[4] = 2;
	assert_int_equal(sy_st2110_40_parse(b, sizeof(b), &v), -SY_E_ANC_COUNT);
	/* ANC_Count 0 with 12 octets of content. */
	b[4] = 0;
	assert_int_equal(sy_st2110_40_parse(b, sizeof(b), &v), -SY_E_ANC_COUNT);

	/* DID parity: DID b0 is bit 41 of the packet = byte 13 mask 0x40;
	 * 0x50 -> 0x10 makes DID 0x160 (3 ones with b8 = 1: odd). */
	memcpy(b, known, sizeof(b));
	b[13] = 0x10;
	assert_int_equal(sy_st2110_40_parse(b, sizeof(b), &v), -SY_E_ANC_PARITY);
	/* SDID b9: bit 42 = byte 13 mask 0x20; 0x50 -> 0x70 makes SDID 0x301. */
	memcpy(b, known, sizeof(b));
	b[13] = 0x70;
	assert_int_equal(sy_st2110_40_parse(b, sizeof(b), &v), -SY_E_ANC_PARITY);
	/* DC b1: DC is bits 52..61, b1 = bit 60 = byte 15 mask 0x08;
	 * 0x0A -> 0x02 makes DC 0x100 (parity wrong; count would be 0). */
	memcpy(b, known, sizeof(b));
	b[15] = 0x02;
	assert_int_equal(sy_st2110_40_parse(b, sizeof(b), &v), -SY_E_ANC_PARITY);

	/* UDW0 b0 (bit 71 = byte 16 mask 0x01): 0x96 -> 0x97, UDW0 0x297.
	 * UDW parity is not checked; the checksum catches it. */
	memcpy(b, known, sizeof(b));
	b[16] = 0x97;
	assert_int_equal(sy_st2110_40_parse(b, sizeof(b), &v), -SY_E_ANC_CHECKSUM);
	/* Checksum b9 alone (bit 82 = byte 18 mask 0x20): 0x66 -> 0x46,
	 * checksum 0x063: sum right, b9 wrong. */
	memcpy(b, known, sizeof(b));
	b[18] = 0x46;
	assert_int_equal(sy_st2110_40_parse(b, sizeof(b), &v), -SY_E_ANC_CHECKSUM);

	/* Packet cut inside its words: drop the last word, Length 8
	 * (consistent with the payload), DC 2 needs 12 octets. */
	memcpy(b, known, sizeof(b));
	b[3] = 8;
	assert_int_equal(sy_st2110_40_parse(b, 16, &v), -SY_E_TRUNCATED);
	/* Cut inside the header (before DC): Length 4. */
	b[3] = 4;
	assert_int_equal(sy_st2110_40_parse(b, 12, &v), -SY_E_TRUNCATED);

	/* Non-zero reserved and word_align bits are tolerated. */
	memcpy(b, known, sizeof(b));
	b[7] = 0x01;
	b[19] = 0x3F; /* the low 4 bits are word_align */
	assert_int_equal(sy_st2110_40_parse(b, sizeof(b), &v), 0);
}

static void test_two_packets_aligned(void **state)
{
	(void)state;
	/* Packet 1: DC 3 (102 bits -> 128, 26 align bits), packet 2: DC 0
	 * (72 -> 96, 24 align bits). Length = 16 + 12 = 28, payload 36. */
	const uint16_t u1[3] = { 0x3FF, 0x000, 0x155 }; /* raw 10-bit words */
	struct sy_st2110_40_pkt p[2] = {
		{ .line = 10, .hoffset = 100, .did = 0x45, .sdid = 0x01, .data_count = 3,
		  .udw10 = u1 },
		{ .c = true, .line = 11, .did = 0x41, .sdid = 0x07, .data_count = 0 },
	};
	uint8_t buf[64];
	size_t len;
	memset(buf, 0xEE, sizeof(buf));
	assert_int_equal(sy_st2110_40_build(buf, sizeof(buf), 0x1234, 0, p, 2, &len), 0);
	assert_int_equal(len, 36);
	assert_int_equal(buf[3], 28);
	assert_int_equal(buf[4], 2);
	/* Packet 1 occupies octets 8..23; its checksum ends at bit 102 of the
	 * packet, so bits 102..127 are zero: byte 20 (bits 96..103) keeps only
	 * its top 6 bits, bytes 21..23 are zero. */
	assert_int_equal(buf[20] & 0x03, 0);
	assert_int_equal(buf[21], 0);
	assert_int_equal(buf[22], 0);
	assert_int_equal(buf[23], 0);
	/* Packet 2 starts on the 32-bit boundary at octet 24: C=1, line 11. */
	assert_int_equal(buf[24], 0x80);
	assert_int_equal(buf[25], 0xB0);
	assert_int_equal(buf[36], 0xEE);

	struct sy_st2110_40_view v;
	struct sy_st2110_40_iter it;
	struct sy_st2110_40_anc a;
	assert_int_equal(sy_st2110_40_parse(buf, len, &v), 0);
	assert_int_equal(v.anc_count, 2);
	sy_st2110_40_iter_init(&v, &it);
	assert_true(sy_st2110_40_next(&it, &a));
	assert_int_equal(a.line, 10);
	assert_int_equal(a.hoffset, 100);
	assert_int_equal(a.did, 0x45);
	assert_int_equal(a.data_count, 3);
	assert_int_equal(a.raw_bytes, 16);
	assert_int_equal(sy_st2110_40_udw10(&a, 0), 0x3FF);
	assert_int_equal(sy_st2110_40_udw10(&a, 1), 0x000);
	assert_int_equal(sy_st2110_40_udw10(&a, 2), 0x155);
	/* checksum: DID 0x45 (3 ones) -> 0x145, SDID 0x101, DC 3 (2 ones) -> 0x203:
	 * b0-8 sum 0x145 + 0x101 + 0x003 = 0x249;
	 * UDWs b0-8: 0x1FF + 0x000 + 0x155 = 0x354; total 0x59D & 0x1FF = 0x19D;
	 * b8 = 1 -> b9 = 0 -> 0x19D. */
	assert_int_equal(a.checksum10, 0x19D);
	assert_true(sy_st2110_40_next(&it, &a));
	assert_true(a.c);
	assert_int_equal(a.line, 11);
	assert_int_equal(a.did, 0x41);
	assert_int_equal(a.sdid, 0x07);
	assert_int_equal(a.data_count, 0);
	assert_ptr_equal(a.raw, buf + 24);
	assert_false(sy_st2110_40_next(&it, &a));
}

/* Build -> parse round trip with n UDWs of a pattern. */
static void round_trip_dc(unsigned n)
{
	uint8_t udw[255];
	for (unsigned i = 0; i < n; i++)
		udw[i] = (uint8_t)(i * 37 + 5);
	struct sy_st2110_40_pkt p = {
		.line = 20, .hoffset = 7, .s = true, .stream_num = 3, .did = 0x50, .sdid = 0x22,
		.data_count = (uint8_t)n, .udw8 = udw,
	};
	uint8_t buf[400];
	size_t len;
	assert_int_equal(sy_st2110_40_build(buf, sizeof(buf), 1, 0, &p, 1, &len), 0);
	assert_int_equal(len, 8 + sy_st2110_40_pkt_bytes(n));

	struct sy_st2110_40_view v;
	struct sy_st2110_40_iter it;
	struct sy_st2110_40_anc a;
	assert_int_equal(sy_st2110_40_parse(buf, len, &v), 0);
	sy_st2110_40_iter_init(&v, &it);
	assert_true(sy_st2110_40_next(&it, &a));
	assert_int_equal(a.data_count, n);
	assert_int_equal(a.line, 20);
	assert_int_equal(a.hoffset, 7);
	assert_true(a.s);
	assert_int_equal(a.stream_num, 3);
	for (unsigned i = 0; i < n; i++) {
		assert_int_equal(sy_st2110_40_udw8(&a, i), udw[i]);
		assert_true(sy_st2110_40_word_ok(sy_st2110_40_udw10(&a, i)));
	}
	assert_false(sy_st2110_40_next(&it, &a));
}

static void test_round_trip_dc0(void **state)
{
	(void)state;
	round_trip_dc(0);
}

static void test_round_trip_dc255(void **state)
{
	(void)state;
	round_trip_dc(255);
	/* DC 255 = 0xFF: 8 ones -> word 0x2FF; payload 8 + 328. */
	uint8_t udw[255] = { 0 };
	struct sy_st2110_40_pkt p = { .did = 1, .sdid = 1, .data_count = 255, .udw8 = udw };
	uint8_t buf[336];
	size_t len;
	assert_int_equal(sy_st2110_40_build(buf, sizeof(buf), 0, 0, &p, 1, &len), 0);
	assert_int_equal(len, 336);
	assert_int_equal(sy_st2110_40_build(buf, 335, 0, 0, &p, 1, &len), -SY_E_NOSPACE);
}

static void test_round_trip_all_dc(void **state)
{
	(void)state;
	for (unsigned n = 0; n <= 255; n++)
		round_trip_dc(n);
}

static void test_max_count(void **state)
{
	(void)state;
	/* 255 packets of DC 0: Length 255 * 12 = 3060. 256 packets: RANGE. */
	static struct sy_st2110_40_pkt p[256];
	for (unsigned i = 0; i < 256; i++)
		p[i] = (struct sy_st2110_40_pkt){ .line = (uint16_t)i, .did = 0x60, .sdid = 0x60 };
	static uint8_t buf[4096];
	size_t len;
	assert_int_equal(sy_st2110_40_build(buf, sizeof(buf), 0, 0, p, 256, &len), -SY_E_RANGE);
	assert_int_equal(sy_st2110_40_build(buf, sizeof(buf), 0, 0, p, 255, &len), 0);
	assert_int_equal(len, 8 + 3060);
	struct sy_st2110_40_view v;
	assert_int_equal(sy_st2110_40_parse(buf, len, &v), 0);
	assert_int_equal(v.anc_count, 255);
	struct sy_st2110_40_iter it;
	struct sy_st2110_40_anc a;
	unsigned n = 0;
	sy_st2110_40_iter_init(&v, &it);
	while (sy_st2110_40_next(&it, &a)) {
		assert_int_equal(a.line, n);
		n++;
	}
	assert_int_equal(n, 255);
}

/*
 * ATC 23:59:59:24, LTC (DBB1 0), no flags, binary groups 0:
 *  UDW0 frame units 4  -> 0x40 (1 one)  -> 0x140
 *  UDW2 frame tens 2   -> 0x20 (1 one)  -> 0x120
 *  UDW4 sec units 9    -> 0x90 (2 ones) -> 0x290
 *  UDW6 sec tens 5     -> 0x50 (2 ones) -> 0x250
 *  UDW8 min units 9    -> 0x290, UDW10 min tens 5 -> 0x250
 *  UDW12 hour units 3  -> 0x30 (2 ones) -> 0x230
 *  UDW14 hour tens 2   -> 0x120
 *  odd UDWs (binary groups 0) -> 0x00 -> 0x200
 */
static void test_atc_known(void **state)
{
	(void)state;
	static const uint16_t want[16] = {
		0x140, 0x200, 0x120, 0x200, 0x290, 0x200, 0x250, 0x200,
		0x290, 0x200, 0x250, 0x200, 0x230, 0x200, 0x120, 0x200,
	};
	struct sy_st2110_40_atc tc = { .hours = 23, .minutes = 59, .seconds = 59, .frames = 24 };
	uint16_t udw[16];
	assert_int_equal(sy_st2110_40_atc_encode(&tc, udw), 0);
	assert_memory_equal(udw, want, sizeof(want));

	/* VITC1 (DBB1 = 1): bit 3 of UDW0 -> 0x48 (2 ones) -> 0x248. */
	tc.dbb1 = SY_ST2110_40_ATC_VITC1;
	assert_int_equal(sy_st2110_40_atc_encode(&tc, udw), 0);
	assert_int_equal(udw[0], 0x248);
	assert_int_equal(udw[1], 0x200);
	/* VITC2 (DBB1 = 2): bit 3 of UDW1 -> 0x08 (1 one) -> 0x108. */
	tc.dbb1 = SY_ST2110_40_ATC_VITC2;
	assert_int_equal(sy_st2110_40_atc_encode(&tc, udw), 0);
	assert_int_equal(udw[0], 0x140);
	assert_int_equal(udw[1], 0x108);
	/* DBB2 b0 -> UDW8 bit 3: 0x98 (3 ones) -> 0x198. */
	tc.dbb2 = 0x01;
	assert_int_equal(sy_st2110_40_atc_encode(&tc, udw), 0);
	assert_int_equal(udw[8], 0x198);

	/* Range. */
	struct sy_st2110_40_atc bad = { .hours = 24 };
	assert_int_equal(sy_st2110_40_atc_encode(&bad, udw), -SY_E_RANGE);
	bad = (struct sy_st2110_40_atc){ .minutes = 60 };
	assert_int_equal(sy_st2110_40_atc_encode(&bad, udw), -SY_E_RANGE);
	bad = (struct sy_st2110_40_atc){ .seconds = 60 };
	assert_int_equal(sy_st2110_40_atc_encode(&bad, udw), -SY_E_RANGE);
	bad = (struct sy_st2110_40_atc){ .frames = 40 };
	assert_int_equal(sy_st2110_40_atc_encode(&bad, udw), -SY_E_RANGE);
}

static void atc_round_trip(const struct sy_st2110_40_atc *tc)
{
	uint16_t udw[16];
	struct sy_st2110_40_pkt p;
	uint8_t buf[64];
	size_t len;
	assert_int_equal(sy_st2110_40_atc_encode(tc, udw), 0);
	sy_st2110_40_atc_pkt(udw, &p);
	assert_int_equal(sy_st2110_40_build(buf, sizeof(buf), 0, 0, &p, 1, &len), 0);
	assert_int_equal(len, 8 + 32);

	struct sy_st2110_40_view v;
	struct sy_st2110_40_iter it;
	struct sy_st2110_40_anc a;
	struct sy_st2110_40_atc got;
	assert_int_equal(sy_st2110_40_parse(buf, len, &v), 0);
	sy_st2110_40_iter_init(&v, &it);
	assert_true(sy_st2110_40_next(&it, &a));
	assert_int_equal(a.line, 9);
	assert_int_equal(sy_st2110_40_atc_decode(&a, &got), 0);
	assert_int_equal(got.hours, tc->hours);
	assert_int_equal(got.minutes, tc->minutes);
	assert_int_equal(got.seconds, tc->seconds);
	assert_int_equal(got.frames, tc->frames);
	assert_int_equal(got.drop_frame, tc->drop_frame);
	assert_int_equal(got.color_frame, tc->color_frame);
	assert_int_equal(got.flag27, tc->flag27);
	assert_int_equal(got.bgf0, tc->bgf0);
	assert_int_equal(got.bgf1, tc->bgf1);
	assert_int_equal(got.bgf2, tc->bgf2);
	assert_int_equal(got.binary_groups, tc->binary_groups);
	assert_int_equal(got.dbb1, tc->dbb1);
	assert_int_equal(got.dbb2, tc->dbb2);
}

static void test_atc_round_trip(void **state)
{
	(void)state;
	struct sy_st2110_40_atc tc = { .hours = 23, .minutes = 59, .seconds = 59, .frames = 24,
				       .dbb1 = SY_ST2110_40_ATC_LTC };
	atc_round_trip(&tc);
	tc = (struct sy_st2110_40_atc){ 0 };
	atc_round_trip(&tc);
	tc = (struct sy_st2110_40_atc){ .hours = 10, .minutes = 7, .seconds = 30, .frames = 39,
					.drop_frame = true, .color_frame = true, .flag27 = true,
					.bgf0 = true, .bgf1 = true, .bgf2 = true,
					.dbb1 = SY_ST2110_40_ATC_VITC2, .dbb2 = 0xA5 };
	atc_round_trip(&tc);

	/* Frame counter in the binary groups: 0, 1, 0x12345678, 0xFFFFFFFF. */
	static const uint32_t counters[] = { 0, 1, 0x12345678u, 0xFFFFFFFFu, 86399u * 25u };
	for (size_t i = 0; i < sizeof(counters) / sizeof(counters[0]); i++) {
		tc = (struct sy_st2110_40_atc){ .hours = 1, .binary_groups = counters[i],
						.dbb1 = SY_ST2110_40_ATC_VITC1 };
		atc_round_trip(&tc);
	}
	/* 0x12345678: BG1 = 8 -> UDW1 0x80 (1 one) -> 0x180; BG8 = 1 -> UDW15 0x10 -> 0x110. */
	tc = (struct sy_st2110_40_atc){ .binary_groups = 0x12345678u };
	uint16_t udw[16];
	assert_int_equal(sy_st2110_40_atc_encode(&tc, udw), 0);
	assert_int_equal(udw[1], 0x180);
	assert_int_equal(udw[15], 0x110);
}

static void test_atc_decode_errors(void **state)
{
	(void)state;
	struct sy_st2110_40_atc tc = { .hours = 12 }, got;
	uint16_t udw[16];
	assert_int_equal(sy_st2110_40_atc_encode(&tc, udw), 0);
	assert_int_equal(sy_st2110_40_atc_decode_udw(udw, &got), 0);
	/* Parity: flip b8 of UDW5. */
	udw[5] ^= 0x100;
	assert_int_equal(sy_st2110_40_atc_decode_udw(udw, &got), -SY_E_ANC_PARITY);
	udw[5] ^= 0x100;
	/* Frame units 0xA (BCD > 9): 0xA0 (2 ones) -> 0x2A0. */
	udw[0] = 0x2A0;
	assert_int_equal(sy_st2110_40_atc_decode_udw(udw, &got), -SY_E_RANGE);
	/* Hours 29: units 9 (0x290), tens 2 (0x120). */
	assert_int_equal(sy_st2110_40_atc_encode(&tc, udw), 0);
	udw[12] = 0x290;
	udw[14] = 0x120;
	assert_int_equal(sy_st2110_40_atc_decode_udw(udw, &got), -SY_E_RANGE);

	/* Not ATC / wrong DC, through a parsed packet. */
	const uint8_t u8[16] = { 0 };
	struct sy_st2110_40_pkt p = { .did = 0x61, .sdid = 0x01, .data_count = 16, .udw8 = u8 };
	uint8_t buf[64];
	size_t len;
	struct sy_st2110_40_view v;
	struct sy_st2110_40_iter it;
	struct sy_st2110_40_anc a;
	assert_int_equal(sy_st2110_40_build(buf, sizeof(buf), 0, 0, &p, 1, &len), 0);
	assert_int_equal(sy_st2110_40_parse(buf, len, &v), 0);
	sy_st2110_40_iter_init(&v, &it);
	assert_true(sy_st2110_40_next(&it, &a));
	assert_int_equal(sy_st2110_40_atc_decode(&a, &got), -SY_E_UNSUPPORTED);
	p = (struct sy_st2110_40_pkt){ .did = 0x60, .sdid = 0x60, .data_count = 15, .udw8 = u8 };
	assert_int_equal(sy_st2110_40_build(buf, sizeof(buf), 0, 0, &p, 1, &len), 0);
	assert_int_equal(sy_st2110_40_parse(buf, len, &v), 0);
	sy_st2110_40_iter_init(&v, &it);
	assert_true(sy_st2110_40_next(&it, &a));
	assert_int_equal(sy_st2110_40_atc_decode(&a, &got), -SY_E_FORMAT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_word_parity),
		cmocka_unit_test(test_parse_known),
		cmocka_unit_test(test_build_known),
		cmocka_unit_test(test_header_fields),
		cmocka_unit_test(test_empty_payload),
		cmocka_unit_test(test_reject_reasons),
		cmocka_unit_test(test_two_packets_aligned),
		cmocka_unit_test(test_round_trip_dc0),
		cmocka_unit_test(test_round_trip_dc255),
		cmocka_unit_test(test_round_trip_all_dc),
		cmocka_unit_test(test_max_count),
		cmocka_unit_test(test_atc_known),
		cmocka_unit_test(test_atc_round_trip),
		cmocka_unit_test(test_atc_decode_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
