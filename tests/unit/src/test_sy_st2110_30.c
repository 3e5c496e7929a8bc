/* SPDX-License-Identifier: MIT */
/*
 * test_sy_st2110_30.c: ST 2110-30 geometry, sample access, channel-order,
 * and a known-answer test on the three GStreamer -30 vectors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sy_err.h"
#include "sy_rtp.h"
#include "sy_st2110_30.h"
#include "sy_test_pcap.h"

static void test_frames_per_packet(void **state)
{
	uint32_t n = 0;

	(void)state;
	assert_int_equal(sy_st2110_30_frames_per_packet(48000, 125000, &n), 0);
	assert_int_equal(n, 6); /* 48000 * 125e-6 */
	assert_int_equal(sy_st2110_30_frames_per_packet(48000, 1000000, &n), 0);
	assert_int_equal(n, 48);
	assert_int_equal(sy_st2110_30_frames_per_packet(48000, 250000, &n), 0);
	assert_int_equal(n, 12);
	/* 0.333 ms: 15.984 frames, 16 frames = 333.333 us, 333 ns away: accepted */
	assert_int_equal(sy_st2110_30_frames_per_packet(48000, 333000, &n), 0);
	assert_int_equal(n, 16);
	assert_int_equal(sy_st2110_30_frames_per_packet(48000, 4000000, &n), 0);
	assert_int_equal(n, 192);
	assert_int_equal(sy_st2110_30_frames_per_packet(96000, 125000, &n), 0);
	assert_int_equal(n, 12);
	assert_int_equal(sy_st2110_30_frames_per_packet(96000, 1000000, &n), 0);
	assert_int_equal(n, 96);
	/* 44.1 kHz: 125 us = 5.5125 frames, 1 ms = 44.1 frames: not integers */
	assert_int_equal(sy_st2110_30_frames_per_packet(44100, 125000, &n), -SY_E_PTIME);
	assert_int_equal(sy_st2110_30_frames_per_packet(44100, 1000000, &n), -SY_E_PTIME);
	/* 48 frames at 44.1 kHz = 1088435 ns exactly-rounded: accepted */
	assert_int_equal(sy_st2110_30_frames_per_packet(44100, 1088435, &n), 0);
	assert_int_equal(n, 48);
	/* 1.5 us off a whole frame count: rejected */
	assert_int_equal(sy_st2110_30_frames_per_packet(48000, 1001500, &n), -SY_E_PTIME);
	assert_int_equal(sy_st2110_30_frames_per_packet(48000, 0, &n), -SY_E_PTIME);
	assert_int_equal(sy_st2110_30_frames_per_packet(48000, 10000, &n), -SY_E_PTIME); /* 0.48 */
	assert_int_equal(sy_st2110_30_frames_per_packet(0, 1000000, &n), -SY_E_RANGE);
}

static struct sy_st2110_30_format fmt_make(enum sy_st2110_30_encoding enc, uint32_t rate,
					   uint16_t ch, uint32_t ptime)
{
	struct sy_st2110_30_format f;

	memset(&f, 0, sizeof(f));
	f.encoding = enc;
	f.rate_hz = rate;
	f.channels = ch;
	f.ptime_ns = ptime;
	return f;
}

static void test_packet_geometry(void **state)
{
	struct sy_st2110_30_format f = fmt_make(SY_ST2110_30_L24, 48000, 2, 1000000);
	uint32_t bytes = 0, frames = 0;

	(void)state;
	assert_int_equal(sy_st2110_30_packet_bytes(&f, &bytes), 0);
	assert_int_equal(bytes, 288); /* 48 * 2 * 3 */
	f.channels = 8;
	assert_int_equal(sy_st2110_30_packet_bytes(&f, &bytes), 0);
	assert_int_equal(bytes, 1152);
	f = fmt_make(SY_ST2110_30_L24, 48000, 64, 125000);
	assert_int_equal(sy_st2110_30_packet_bytes(&f, &bytes), 0);
	assert_int_equal(bytes, 1152); /* 6 * 64 * 3 */
	f = fmt_make(SY_ST2110_30_L16, 48000, 2, 1000000);
	assert_int_equal(sy_st2110_30_packet_bytes(&f, &bytes), 0);
	assert_int_equal(bytes, 192);

	/* channels 0 and 65, bad rate, bad encoding */
	f.channels = 0;
	assert_int_equal(sy_st2110_30_format_validate(&f), -SY_E_AUDIO_CHANNELS);
	f.channels = 65;
	assert_int_equal(sy_st2110_30_format_validate(&f), -SY_E_AUDIO_CHANNELS);
	f.channels = 2;
	f.rate_hz = 32000;
	assert_int_equal(sy_st2110_30_format_validate(&f), -SY_E_UNSUPPORTED);
	f.rate_hz = 48000;
	f.encoding = SY_ST2110_30_ENCODING_MAX;
	assert_int_equal(sy_st2110_30_format_validate(&f), -SY_E_UNSUPPORTED);

	/* payload lengths: L24 stereo frame = 6 bytes */
	f = fmt_make(SY_ST2110_30_L24, 48000, 2, 1000000);
	assert_int_equal(sy_st2110_30_payload_frames(&f, 288, &frames), 0);
	assert_int_equal(frames, 48);
	assert_int_equal(sy_st2110_30_payload_frames(&f, 6, &frames), 0);
	assert_int_equal(frames, 1);
	assert_int_equal(sy_st2110_30_payload_frames(&f, 0, &frames), -SY_E_AUDIO_LEN);
	assert_int_equal(sy_st2110_30_payload_frames(&f, 287, &frames), -SY_E_AUDIO_LEN);
	assert_int_equal(sy_st2110_30_payload_frames(&f, 289, &frames), -SY_E_AUDIO_LEN);
	assert_int_equal(sy_st2110_30_check_payload(&f, 288), 0);
	assert_int_equal(sy_st2110_30_check_payload(&f, 282), -SY_E_AUDIO_LEN); /* 47 frames */
	assert_int_equal(sy_st2110_30_check_payload(&f, 294), -SY_E_AUDIO_LEN); /* 49 frames */
	assert_int_equal(sy_st2110_30_check_payload(&f, 287), -SY_E_AUDIO_LEN);
}

static void test_samples_l24(void **state)
{
	uint8_t p[3 * 4] = { 0xff, 0xff, 0xff,	 /* -1 */
			     0x80, 0x00, 0x00,	 /* -8388608 = min */
			     0x7f, 0xff, 0xff,	 /* 8388607 = max */
			     0x00, 0x00, 0x01 }; /* 1 */
	uint8_t w[12];

	(void)state;
	/* 2 channels, 2 frames: (f0c0, f0c1, f1c0, f1c1) */
	assert_int_equal(sy_st2110_30_read(p, SY_ST2110_30_L24, 2, 0, 0), -1);
	assert_int_equal(sy_st2110_30_read(p, SY_ST2110_30_L24, 2, 0, 1), -8388608);
	assert_int_equal(sy_st2110_30_read(p, SY_ST2110_30_L24, 2, 1, 0), 8388607);
	assert_int_equal(sy_st2110_30_read(p, SY_ST2110_30_L24, 2, 1, 1), 1);
	assert_int_equal(sy_st2110_30_read_s32(p, SY_ST2110_30_L24, 2, 0, 0), -256);
	assert_int_equal(sy_st2110_30_read_s32(p, SY_ST2110_30_L24, 2, 0, 1), INT32_MIN);
	assert_int_equal(sy_st2110_30_read_s32(p, SY_ST2110_30_L24, 2, 1, 0), 0x7fffff00);
	assert_int_equal(sy_st2110_30_read_s32(p, SY_ST2110_30_L24, 2, 1, 1), 256);

	memset(w, 0xaa, sizeof(w));
	sy_st2110_30_write(w, SY_ST2110_30_L24, 2, 0, 0, -1);
	sy_st2110_30_write(w, SY_ST2110_30_L24, 2, 0, 1, -8388608);
	sy_st2110_30_write_s32(w, SY_ST2110_30_L24, 2, 1, 0, 0x7fffffff); /* -> 0x7fffff */
	sy_st2110_30_write_s32(w, SY_ST2110_30_L24, 2, 1, 1, 256 + 255);  /* truncates to 1 */
	assert_memory_equal(w, p, sizeof(p));
	/* write_s32 of a negative: top 24 bits of -256 = 0xffffff */
	sy_st2110_30_write_s32(w, SY_ST2110_30_L24, 2, 1, 1, -256);
	assert_int_equal(sy_st2110_30_read(w, SY_ST2110_30_L24, 2, 1, 1), -1);
}

static void test_samples_l16(void **state)
{
	uint8_t p[8] = { 0xff, 0xff, 0x80, 0x00, 0x7f, 0xff, 0x00, 0x01 };
	uint8_t w[8];

	(void)state;
	assert_int_equal(sy_st2110_30_read(p, SY_ST2110_30_L16, 1, 0, 0), -1);
	assert_int_equal(sy_st2110_30_read(p, SY_ST2110_30_L16, 1, 1, 0), -32768);
	assert_int_equal(sy_st2110_30_read(p, SY_ST2110_30_L16, 1, 2, 0), 32767);
	assert_int_equal(sy_st2110_30_read(p, SY_ST2110_30_L16, 1, 3, 0), 1);
	assert_int_equal(sy_st2110_30_read_s32(p, SY_ST2110_30_L16, 1, 0, 0), -65536);
	assert_int_equal(sy_st2110_30_read_s32(p, SY_ST2110_30_L16, 1, 1, 0), INT32_MIN);
	assert_int_equal(sy_st2110_30_read_s32(p, SY_ST2110_30_L16, 1, 2, 0), 0x7fff0000);
	for (uint32_t i = 0; i < 4; i++)
		sy_st2110_30_write(w, SY_ST2110_30_L16, 1, i, 0,
				   sy_st2110_30_read(p, SY_ST2110_30_L16, 1, i, 0));
	assert_memory_equal(w, p, sizeof(p));
}

static void test_samples_64ch(void **state)
{
	/* 6 frames x 64 channels L24 (125 us at 48 kHz): 1152 bytes */
	uint8_t p[1152];

	(void)state;
	memset(p, 0, sizeof(p));
	for (uint32_t f = 0; f < 6; f++)
		for (uint32_t c = 0; c < 64; c++)
			sy_st2110_30_write(p, SY_ST2110_30_L24, 64, f, c,
					   (int32_t)(f * 64 + c) - 200);
	/* last sample sits at the last 3 bytes: (5*64+63)*3 = 1149 */
	assert_int_equal(sy_st2110_30_read(p, SY_ST2110_30_L24, 64, 5, 63), 383 - 200);
	assert_int_equal(p[1151], 183);
	assert_int_equal(sy_st2110_30_read(p, SY_ST2110_30_L24, 64, 0, 0), -200);
	assert_int_equal(sy_st2110_30_read(p, SY_ST2110_30_L24, 64, 3, 7), 3 * 64 + 7 - 200);
}

static void order_ok(const char *s, uint32_t channels, unsigned groups)
{
	struct sy_st2110_30_order o;
	char buf[SY_ST2110_30_ORDER_TEXT_MAX];

	assert_int_equal(sy_st2110_30_order_parse(s, strlen(s), &o), 0);
	assert_int_equal(o.n_groups, groups);
	assert_int_equal(sy_st2110_30_order_channels(&o), channels);
	assert_int_equal(sy_st2110_30_order_emit(&o, buf, sizeof(buf)), (int)strlen(s));
	assert_string_equal(buf, s);
}

static void order_bad(const char *s)
{
	struct sy_st2110_30_order o;

	assert_int_equal(sy_st2110_30_order_parse(s, strlen(s), &o), -SY_E_CHANNEL_ORDER);
	assert_int_equal(o.n_groups, 0);
}

static void test_channel_order(void **state)
{
	struct sy_st2110_30_order o;
	char buf[SY_ST2110_30_ORDER_TEXT_MAX];
	char big[SY_ST2110_30_ORDER_TEXT_MAX];

	(void)state;
	order_ok("SMPTE2110.(ST)", 2, 1);
	order_ok("SMPTE2110.(SGRP,SGRP)", 8, 2);
	order_ok("SMPTE2110.(ST,51)", 8, 2);
	order_ok("SMPTE2110.(M,M,M,M,ST,U02)", 8, 6);
	order_ok("SMPTE2110.(M)", 1, 1);
	order_ok("SMPTE2110.(DM,LtRt,71)", 12, 3);
	order_ok("SMPTE2110.(222)", 24, 1);
	order_ok("SMPTE2110.(U01)", 1, 1);
	order_ok("SMPTE2110.(U64)", 64, 1);
	order_ok("SMPTE2110.(222,222,U16)", 64, 3);

	/* 64 x M = 64 groups, the maximum */
	strcpy(big, "SMPTE2110.(M");
	for (int i = 1; i < 64; i++)
		strcat(big, ",M");
	strcat(big, ")");
	order_ok(big, 64, 64);
	/* a 65th channel */
	big[strlen(big) - 1] = '\0';
	strcat(big, ",M)");
	order_bad(big);

	order_bad("SMPTE2110.()");
	order_bad("SMPTE2110.(ST,)");
	order_bad("SMPTE2110.(,ST)");
	order_bad("SMPTE2110.(ST");
	order_bad("SMPTE2110.ST");
	order_bad("SMPTE2110.(ST))");
	order_bad("SMPTE2110.(st)");
	order_bad("SMPTE2110.(U00)");
	order_bad("SMPTE2110.(U65)");
	order_bad("SMPTE2110.(U1)");
	order_bad("SMPTE2110.(U001)");
	order_bad("SMPTE2110.(52)");
	order_bad("SMPTE2110.(222,222,U17)"); /* 65 */
	order_bad("DV.(ST)");
	order_bad("");
	order_bad("SMPTE2110.(ST) ");

	/* not NUL terminated: the length bounds the parse */
	assert_int_equal(sy_st2110_30_order_parse("SMPTE2110.(ST)XYZ", 14, &o), 0);
	assert_int_equal(o.groups[0].kind, SY_ST2110_30_GROUP_ST);

	/* total vs rtpmap channel count: fewer allowed, more not */
	assert_int_equal(sy_st2110_30_order_parse("SMPTE2110.(ST,51)", 17, &o), 0);
	assert_int_equal(sy_st2110_30_order_check(&o, 8), 0);
	assert_int_equal(sy_st2110_30_order_check(&o, 10), 0);
	assert_int_equal(sy_st2110_30_order_check(&o, 7), -SY_E_CHANNEL_ORDER);

	/* emit: exact fit needs room for the NUL */
	assert_int_equal(sy_st2110_30_order_emit(&o, buf, 18), 17);
	assert_int_equal(sy_st2110_30_order_emit(&o, buf, 17), -SY_E_NOSPACE);
	o.n_groups = 0;
	assert_int_equal(sy_st2110_30_order_emit(&o, buf, sizeof(buf)), -SY_E_CHANNEL_ORDER);
}

/* --- known answer on the vectors --- */

struct kat {
	struct sy_st2110_30_format fmt;
	uint16_t dst_port;
	uint32_t packets;
	uint32_t bad_frames;
	int32_t peak_abs;
	int32_t prev; /* channel 0, previous sample */
	uint32_t crossings;
	uint64_t frames_total;
	bool ch_mismatch; /* all channels carry the same sine */
};

static int kat_pkt(const struct sy_test_pkt *pkt, void *arg)
{
	struct kat *k = arg;
	struct sy_rtp rtp;
	uint32_t frames = 0;

	if (pkt->udp_rc != 0 || pkt->udp.key.dst_port != k->dst_port)
		return 0;
	assert_int_equal(sy_rtp_parse(pkt->udp.payload, pkt->udp.payload_len, &rtp), 0);
	k->packets++;
	if (sy_st2110_30_check_payload(&k->fmt, rtp.payload_len) != 0 ||
	    sy_st2110_30_payload_frames(&k->fmt, rtp.payload_len, &frames) != 0 || frames != 48) {
		k->bad_frames++;
		return 0;
	}
	for (uint32_t f = 0; f < frames; f++) {
		int32_t v0 = sy_st2110_30_read(rtp.payload, k->fmt.encoding, k->fmt.channels, f, 0);

		for (uint32_t c = 0; c < k->fmt.channels; c++) {
			int32_t v = sy_st2110_30_read(rtp.payload, k->fmt.encoding,
						      k->fmt.channels, f, c);
			int32_t a = v < 0 ? -v : v;

			if (a > k->peak_abs)
				k->peak_abs = a;
			if (v != v0)
				k->ch_mismatch = true;
		}
		if (k->frames_total > 0 && ((k->prev < 0) != (v0 < 0)))
			k->crossings++;
		k->prev = v0;
		k->frames_total++;
	}
	return 0;
}

static void run_kat(const char *name, enum sy_st2110_30_encoding enc, uint16_t channels,
		    uint16_t port, uint32_t seconds)
{
	struct kat k;
	/*
	 * -23 dBFS peak: 10^(-23/20) = 0.0707946; full scale 2^23 = 8388608 for
	 * L24 -> 593868, 2^15 = 32768 for L16 -> 2320. Tolerance 1 %.
	 */
	const int32_t expect = enc == SY_ST2110_30_L24 ? 593868 : 2320;

	memset(&k, 0, sizeof(k));
	k.fmt.encoding = enc;
	k.fmt.rate_hz = 48000;
	k.fmt.channels = channels;
	k.fmt.ptime_ns = 1000000;
	k.dst_port = port;
	assert_int_equal(sy_test_pcap_foreach(sy_test_vector(name), kat_pkt, &k), 0);
	assert_int_equal(k.packets, 1000 * seconds);
	assert_int_equal(k.bad_frames, 0);
	assert_int_equal(k.frames_total, 48000ull * seconds);
	assert_false(k.ch_mismatch);
	assert_in_range(k.peak_abs, expect - expect / 100, expect + expect / 100);
	/* 1 kHz: two sign changes per period, 2000 per second (+-2 at the ends) */
	assert_in_range(k.crossings, 2000 * seconds - 2, 2000 * seconds + 2);
}

static void test_kat_l24_2ch(void **state)
{
	(void)state;
	run_kat("st2110-30_gst_l24_48k_2ch_1ms_sine1k_m23dBFS_2s.pcap", SY_ST2110_30_L24, 2, 5030, 2);
}

static void test_kat_l24_8ch(void **state)
{
	(void)state;
	run_kat("st2110-30_gst_l24_48k_8ch_1ms_sine1k_m23dBFS_1s.pcap", SY_ST2110_30_L24, 8, 5032, 1);
}

static void test_kat_l16_2ch(void **state)
{
	(void)state;
	run_kat("st2110-30_gst_l16_48k_2ch_1ms_sine1k_m23dBFS_1s.pcap", SY_ST2110_30_L16, 2, 5034, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_frames_per_packet),
		cmocka_unit_test(test_packet_geometry),
		cmocka_unit_test(test_samples_l24),
		cmocka_unit_test(test_samples_l16),
		cmocka_unit_test(test_samples_64ch),
		cmocka_unit_test(test_channel_order),
		cmocka_unit_test(test_kat_l24_2ch),
		cmocka_unit_test(test_kat_l24_8ch),
		cmocka_unit_test(test_kat_l16_2ch),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
