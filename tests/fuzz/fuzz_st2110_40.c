/* SPDX-License-Identifier: MIT */
/*
 * fuzz_st2110_40.c: libFuzzer target for the RFC 8331 ANC payload parser.
 *
 * Input: an RTP payload (after the RTP header). Invariants trapped:
 *  - an accepted payload iterates exactly ANC_Count packets whose sizes sum
 *    to Length, each within the input;
 *  - rebuilding the accepted packets (same ext seq, F, placement, DID/SDID,
 *    raw 10-bit UDWs) gives a payload of the same length that parses back
 *    to the same fields and words;
 *  - an ATC packet that decodes re-encodes to a packet that decodes the same.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sy_st2110_40.h"

#define CHECK(x)                      \
	do {                          \
		if (!(x))             \
			__builtin_trap(); \
	} while (0)

static struct sy_st2110_40_pkt pkts[SY_ST2110_40_MAX_COUNT];
static uint16_t words[SY_ST2110_40_MAX_COUNT][SY_ST2110_40_MAX_DC];
static uint8_t out[8 + SY_ST2110_40_MAX_COUNT * 328];

static void check_atc(const struct sy_st2110_40_anc *a)
{
	struct sy_st2110_40_atc tc, tc2;
	uint16_t udw[16];
	if (sy_st2110_40_atc_decode(a, &tc) != 0)
		return;
	CHECK(sy_st2110_40_atc_encode(&tc, udw) == 0);
	CHECK(sy_st2110_40_atc_decode_udw(udw, &tc2) == 0);
	/* Field by field: the struct has padding. */
	CHECK(tc.hours == tc2.hours && tc.minutes == tc2.minutes && tc.seconds == tc2.seconds &&
	      tc.frames == tc2.frames && tc.drop_frame == tc2.drop_frame &&
	      tc.color_frame == tc2.color_frame && tc.flag27 == tc2.flag27 &&
	      tc.bgf0 == tc2.bgf0 && tc.bgf1 == tc2.bgf1 && tc.bgf2 == tc2.bgf2 &&
	      tc.binary_groups == tc2.binary_groups && tc.dbb1 == tc2.dbb1 &&
	      tc.dbb2 == tc2.dbb2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sy_st2110_40_view v;
	if (sy_st2110_40_parse(data, size, &v) != 0)
		return 0;
	CHECK(v.field != SY_ST2110_40_F_INVALID);
	CHECK((size_t)v.length_bytes + 8 == size);

	struct sy_st2110_40_iter it;
	struct sy_st2110_40_anc a;
	unsigned n = 0;
	size_t sum = 0;
	sy_st2110_40_iter_init(&v, &it);
	while (sy_st2110_40_next(&it, &a)) {
		CHECK(n < v.anc_count);
		CHECK(a.raw >= data + 8 && a.raw + a.raw_bytes <= data + size);
		CHECK(a.raw_bytes == sy_st2110_40_pkt_bytes(a.data_count));
		for (unsigned i = 0; i < a.data_count; i++)
			words[n][i] = sy_st2110_40_udw10(&a, i);
		pkts[n] = (struct sy_st2110_40_pkt){
			.c = a.c, .line = a.line, .hoffset = a.hoffset, .s = a.s,
			.stream_num = a.stream_num, .did = a.did, .sdid = a.sdid,
			.data_count = a.data_count, .udw10 = words[n],
		};
		check_atc(&a);
		sum += a.raw_bytes;
		n++;
	}
	CHECK(n == v.anc_count);
	CHECK(sum == v.length_bytes);

	size_t len = 0;
	CHECK(sy_st2110_40_build(out, sizeof(out), v.ext_seq, v.field, pkts, n, &len) == 0);
	CHECK(len == size);

	struct sy_st2110_40_view v2;
	CHECK(sy_st2110_40_parse(out, len, &v2) == 0);
	CHECK(v2.ext_seq == v.ext_seq && v2.field == v.field && v2.anc_count == v.anc_count &&
	      v2.length_bytes == v.length_bytes);
	/* Reserved bits come back zero. */
	CHECK((out[5] & 0x3F) == 0 && out[6] == 0 && out[7] == 0);

	sy_st2110_40_iter_init(&v2, &it);
	for (unsigned k = 0; k < n; k++) {
		CHECK(sy_st2110_40_next(&it, &a));
		const struct sy_st2110_40_pkt *p = &pkts[k];
		CHECK(a.c == p->c && a.line == p->line && a.hoffset == p->hoffset && a.s == p->s &&
		      a.stream_num == p->stream_num && a.did == p->did && a.sdid == p->sdid &&
		      a.data_count == p->data_count);
		for (unsigned i = 0; i < a.data_count; i++)
			CHECK(sy_st2110_40_udw10(&a, i) == words[k][i]);
		/* Same words, so the same checksum word as the input packet. */
	}
	CHECK(!sy_st2110_40_next(&it, &a));
	return 0;
}
