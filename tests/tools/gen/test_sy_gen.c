/* SPDX-License-Identifier: MIT */
/*
 * test_sy_gen.c: sy-gen's captures read back with src/ (issue 3).
 *
 * Each test runs the sy-gen binary (argv[1]) into a private temporary
 * directory and checks what a user of the generator relies on:
 *  - every packet is a valid Ethernet/IPv4/UDP datagram (IP and UDP
 *    checksums verified here) carrying valid RTP and a valid essence payload;
 *  - video frames are complete, their MD5 equals the manifest's frame_md5,
 *    their stamp decodes to the source id and the frame counter; the RFC 4175
 *    extended sequence number is the high half of the 32-bit sequence;
 *  - the ATC binary groups carry the same counter; the audio tone has the
 *    -18 dBFS peak and the per-channel tones their frequencies;
 *  - RTP timestamps equal values computed here by hand from the TAI start
 *    (59.94: 1501/1502 cadence), narrow packet times equal
 *    ceil(frame start + TRO_default + j * T_RS) exactly;
 *  - src/sy_st2110_21 classes narrow, narrow-linear and wide as such;
 *  - every fault option produces exactly the manifest's list, nothing
 *    else changes, and --seed makes it reproducible; 2022-7 legs are skewed
 *    copies with independent loss.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "sy_bytes.h"
#include "sy_err.h"
#include "sy_format.h"
#include "sy_net.h"
#include "sy_rfc4175.h"
#include "sy_rtp.h"
#include "sy_st2110_21.h"
#include "sy_st2110_30.h"
#include "sy_st2110_40.h"
#include "sy_stamp.h"
#include "sy_test_pcap.h"

typedef unsigned __int128 u128;

static const char *gen_bin;
static char tmpdir[256];

/* ---- helpers ---- */

static void gen(const char *name, const char *args)
{
	char cmd[4096];
	int rc;

	snprintf(cmd, sizeof(cmd), "%s --out %s/%s.pcap --manifest %s/%s.json --sdp %s/%s.sdp %s",
		 gen_bin, tmpdir, name, tmpdir, name, tmpdir, name, args);
	rc = system(cmd);
	if (rc != 0)
		fail_msg("sy-gen failed (%d): %s", rc, cmd);
}

static const char *path(const char *name, const char *ext)
{
	static char buf[4][512];
	static unsigned n;
	char *b = buf[n++ % 4];

	snprintf(b, 512, "%s/%s.%s", tmpdir, name, ext);
	return b;
}

/* The occ-th (0-based) JSON array named key in text, as numbers. */
static unsigned json_list(const char *text, const char *key, unsigned occ, uint64_t *out,
			  unsigned cap)
{
	char pat[64];
	const char *p = text;
	unsigned n = 0;

	snprintf(pat, sizeof(pat), "\"%s\":[", key);
	for (unsigned i = 0; i <= occ; i++) {
		p = strstr(p, pat);
		assert_non_null(p);
		p += strlen(pat);
	}
	while (*p && *p != ']') {
		char *end;
		uint64_t v;

		if (*p == '"')
			p++;
		v = strtoull(p, &end, 10);
		if (n < cap)
			out[n] = v;
		n++;
		p = end;
		while (*p == ',' || *p == '"')
			p++;
		if (p == end && *p != ']')
			p++;
	}
	return n;
}

static uint64_t json_num(const char *text, const char *key, unsigned occ)
{
	char pat[64];
	const char *p = text;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	for (unsigned i = 0; i <= occ; i++) {
		p = strstr(p, pat);
		assert_non_null(p);
		p += strlen(pat);
	}
	return strtoull(p, NULL, 10);
}

/* MD5 strings of frame_md5 of the occ-th video flow. */
static unsigned json_md5s(const char *text, unsigned occ, char md5[][33], unsigned cap)
{
	const char *p = text;
	unsigned n = 0;

	for (unsigned i = 0; i <= occ; i++) {
		p = strstr(p, "\"frame_md5\":[");
		assert_non_null(p);
		p += 13;
	}
	while (*p == '"' && n < cap) {
		memcpy(md5[n], p + 1, 32);
		md5[n][32] = 0;
		n++;
		p += 34;
		if (*p == ',')
			p++;
	}
	return n;
}

static uint16_t udp_csum_check(const struct sy_test_pkt *pk)
{
	const struct sy_udp_view *u = &pk->udp;
	const uint8_t *udp = pk->frame + u->udp_offset;
	uint32_t len = sy_load_be16(udp + 4);
	uint32_t s = (u->key.src_ip >> 16) + (u->key.src_ip & 0xffff) + (u->key.dst_ip >> 16) +
		     (u->key.dst_ip & 0xffff) + 17u + len;

	return sy_net_csum_partial(udp, len, s); /* 0xffff when correct */
}

/* ---- one capture, every packet ---- */

#define MAX_PKTS 40000

struct rec {
	uint64_t t_ns;
	uint16_t dport;
	uint32_t dst_ip;
	bool rtp_ok;
	struct sy_rtp rtp;
	uint8_t bytes[1500];
	size_t len; /* RTP packet length */
};

struct cap {
	struct rec *r;
	unsigned n;
};

static int collect(const struct sy_test_pkt *pk, void *arg)
{
	struct cap *c = arg;
	struct rec *r;

	assert_int_equal(pk->udp_rc, 0); /* includes the IPv4 header checksum */
	assert_int_equal(udp_csum_check(pk), 0xffff);
	assert_true(c->n < MAX_PKTS);
	r = &c->r[c->n++];
	r->t_ns = pk->time_ns;
	r->dport = pk->udp.key.dst_port;
	r->dst_ip = pk->udp.key.dst_ip;
	r->len = pk->udp.payload_len;
	assert_true(r->len <= sizeof(r->bytes));
	memcpy(r->bytes, pk->udp.payload, r->len);
	r->rtp_ok = sy_rtp_parse(r->bytes, r->len, &r->rtp) == 0;
	return 0;
}

static struct cap *load(const char *name)
{
	struct cap *c = calloc(1, sizeof(*c));

	assert_non_null(c);
	c->r = calloc(MAX_PKTS, sizeof(*c->r));
	assert_non_null(c->r);
	assert_int_equal(sy_test_pcap_foreach(path(name, "pcap"), collect, c), 0);
	for (unsigned i = 1; i < c->n; i++)
		assert_true(c->r[i].t_ns >= c->r[i - 1].t_ns); /* merged in time order */
	return c;
}

static void unload(struct cap *c)
{
	free(c->r);
	free(c);
}

/* Rebuild video frames of port from c; check completeness, MD5, stamp,
 * extended sequence. Returns the number of frames. */
static unsigned check_video(struct cap *c, uint16_t port, const struct sy_video_format *fmt,
			    char md5[][33], uint16_t source_id, uint32_t frame_start,
			    uint32_t *frame_ts)
{
	size_t fb = sy_format_frame_bytes(fmt), cb = sy_rfc4175_coverage_bytes(fmt);
	uint8_t *buf = calloc(1, fb), *cov = calloc(1, cb);
	struct sy_rfc4175_frame fr;
	unsigned frames = 0, fields_seen = 0;

	assert_int_equal(sy_rfc4175_frame_init(&fr, fmt, buf, fb, cov, cb), 0);
	for (unsigned i = 0; i < c->n; i++) {
		struct rec *r = &c->r[i];
		struct sy_rfc4175_pkt pkt;

		if (r->dport != port)
			continue;
		assert_true(r->rtp_ok);
		assert_int_equal(sy_rfc4175_parse(r->rtp.payload, r->rtp.payload_len, &pkt), 0);
		assert_int_equal(sy_rfc4175_validate(&pkt, fmt), 0);
		assert_int_equal(sy_rfc4175_frame_place(&fr, &pkt), 0);
		if (!r->rtp.marker)
			continue;
		if (++fields_seen < sy_format_fields(fmt))
			continue;
		fields_seen = 0;
		{
			char got[33];
			struct sy_stamp st;

			assert_true(sy_rfc4175_frame_complete(&fr));
			sy_test_md5_hex(buf, fb, got);
			assert_string_equal(got, md5[frames]);
			assert_int_equal(sy_stamp_decode(fmt, buf, fb, NULL, &st, NULL), 0);
			assert_int_equal(st.source_id, source_id);
			assert_int_equal(st.frame_counter, frame_start + frames);
			if (frame_ts)
				frame_ts[frames] = r->rtp.ts;
		}
		frames++;
		sy_rfc4175_frame_reset(&fr);
	}
	free(buf);
	free(cov);
	return frames;
}

static char *manifest(const char *name)
{
	char *m = sy_test_read_file(path(name, "json"), NULL);

	assert_non_null(m);
	return m;
}

/* ---- tests ---- */

/* Video + audio + ANC: content, stamps, ATC counter, tone peak, ext seq. */
static void test_av_session(void **state)
{
	struct sy_video_format fmt = sy_format_make(320, 180, false, 25, 1, 10);
	char md5[8][33];
	uint32_t vts[8];
	struct cap *c;
	char *m;
	unsigned frames, anc = 0, apk = 0;
	int32_t peak[2] = { 0, 0 };
	uint32_t last_seq32 = 0;

	(void)state;
	gen("av", "--video 320x180p25 --frames 6 --frame-start 100 --source-id 7 "
		  "--seq-start 65500 --audio L24/48000/2 --anc");
	m = manifest("av");
	assert_int_equal(json_md5s(m, 0, md5, 8), 6);
	c = load("av");
	frames = check_video(c, 5004, &fmt, md5, 7, 100, vts);
	assert_int_equal(frames, 6);

	for (unsigned i = 0; i < c->n; i++) {
		struct rec *r = &c->r[i];

		assert_true(r->rtp_ok);
		if (r->dport == 5004) { /* extended sequence = high half of seq32 */
			uint32_t s32 = sy_rtp_seq32(sy_load_be16(r->rtp.payload), r->rtp.seq);

			if (last_seq32)
				assert_int_equal(s32, last_seq32 + 1);
			last_seq32 = s32;
		} else if (r->dport == 5006) {
			struct sy_st2110_30_format af = { .encoding = SY_ST2110_30_L24,
							  .rate_hz = 48000,
							  .channels = 2,
							  .ptime_ns = 1000000 };

			assert_int_equal(sy_st2110_30_check_payload(&af, r->rtp.payload_len), 0);
			/* sample index p * 48 from the epoch, mod 2^32 */
			assert_int_equal(r->rtp.ts, (uint32_t)(1700000000ull * 48000u + 48u * apk));
			for (unsigned f = 0; f < 48; f++)
				for (unsigned ch = 0; ch < 2; ch++) {
					int32_t v = sy_st2110_30_read(r->rtp.payload,
								      SY_ST2110_30_L24, 2, f, ch);

					if (abs(v) > peak[ch])
						peak[ch] = abs(v);
				}
			apk++;
		} else {
			struct sy_st2110_40_view v;
			struct sy_st2110_40_iter it;
			struct sy_st2110_40_anc a;
			struct sy_st2110_40_atc tc;

			assert_int_equal(r->dport, 5008);
			assert_int_equal(sy_st2110_40_parse(r->rtp.payload, r->rtp.payload_len, &v),
					 0);
			sy_st2110_40_iter_init(&v, &it);
			assert_true(sy_st2110_40_next(&it, &a));
			assert_int_equal(sy_st2110_40_atc_decode(&a, &tc), 0);
			assert_true(anc < 6);
			assert_int_equal(tc.binary_groups, 100 + anc);   /* = video counter */
			assert_int_equal(r->rtp.ts, vts[anc]);           /* = video frame */
			assert_int_equal(tc.frames, (100 + anc) % 25);
			assert_int_equal(tc.seconds, (100 + anc) / 25);
			assert_true(r->rtp.marker);
			anc++;
		}
	}
	assert_int_equal(last_seq32, 65500u + 6 * 180 - 1); /* crossed the 16-bit wrap */
	assert_int_equal(anc, 6);
	/* 6 frames at 25 Hz = 240 ms of audio, 1 ms packets */
	assert_int_equal(apk, 240);
	assert_int_equal(peak[0], 1056063); /* round(8388607 * 10^(-18/20)) */
	assert_int_equal(peak[1], 1056063);
	assert_int_equal(json_num(m, "packets", 0), c->n);
	unload(c);
	free(m);
}

/* Audio variants: L16, 125 us, per-channel tones (zero crossings = 2 f). */
static void test_audio_per_channel(void **state)
{
	struct cap *c;
	unsigned crossings[8] = { 0 }, pk = 0;
	int32_t prev[8] = { 0 };

	(void)state;
	gen("au", "--audio L16/48000/8 --ptime 125us --per-channel --duration-ms 1000");
	c = load("au");
	assert_int_equal(c->n, 8000);
	for (unsigned i = 0; i < c->n; i++) {
		struct rec *r = &c->r[i];

		assert_int_equal(r->rtp.payload_len, 6 * 8 * 2);
		assert_int_equal(r->rtp.pt, 97);
		for (unsigned f = 0; f < 6; f++)
			for (unsigned ch = 0; ch < 8; ch++) {
				int32_t v = sy_st2110_30_read(r->rtp.payload, SY_ST2110_30_L16, 8, f,
							      ch);

				if (pk && ((prev[ch] < 0 && v >= 0) || (prev[ch] >= 0 && v < 0)))
					crossings[ch]++;
				prev[ch] = v;
			}
		pk++;
	}
	for (unsigned ch = 0; ch < 8; ch++) {
		unsigned want = 2 * 1000 * (ch + 1);

		assert_in_range(crossings[ch], want - 2, want + 2);
	}
	unload(c);
}

/* frame k of 60000/1001 at 90 kHz: floor(k * 1001 * 90000 / 60000) mod 2^32 */
static uint32_t ts_5994(uint64_t k)
{
	return (uint32_t)((u128)k * 1001u * 90000u / 60000u);
}

static void test_rtp_ts_5994(void **state)
{
	struct sy_video_format fmt = sy_format_make(320, 180, false, 60000, 1001, 10);
	/* 1700000302 s = 1698302 x 1001 s: on the 59.94 grid, frame 101898120000 */
	uint64_t k0 = 1698302ull * 60000u;
	char md5[8][33];
	uint32_t ts[8];
	struct cap *c;
	char *m;
	unsigned anc = 0;

	(void)state;
	gen("ts", "--tai-start 1700000302 --video 320x180p59.94 --frames 6 --anc");
	m = manifest("ts");
	json_md5s(m, 0, md5, 8);
	assert_int_equal(json_num(m, "first_grid_index", 0), k0);
	c = load("ts");
	assert_int_equal(check_video(c, 5004, &fmt, md5, 1, 0, ts), 6);
	for (unsigned k = 0; k < 6; k++) {
		assert_int_equal(ts[k], ts_5994(k0 + k));
		if (k)
			assert_int_equal(ts[k] - ts[k - 1], k % 2 ? 1501u : 1502u);
	}
	for (unsigned i = 0; i < c->n; i++)
		if (c->r[i].dport == 5006) {
			assert_int_equal(c->r[i].rtp.ts, ts[anc]);
			anc++;
		}
	assert_int_equal(anc, 6);
	/* the first video packet: TAI 1700000302 s + TRO_default, for < 1080
	 * lines 28/750 of the frame: 28/750 * 1001e9/60000 = 622844.4 ns, ceil */
	for (unsigned i = 0; i < c->n; i++)
		if (c->r[i].dport == 5004) {
			assert_int_equal(c->r[i].t_ns - 1700000302ull * 1000000000ull, 622845);
			break;
		}
	unload(c);
	free(m);
}

/* Packet j of a narrow 1080p59.94 frame at ceil(start + TRO + j * T_RS). */
static void test_narrow_times_1080p5994(void **state)
{
	/* exact rationals in ns: frame 1001e9/60000, TRO = 43/1125 frame,
	 * T_RS = frame * (1080/1125) / 4320; common denominator 60000*1125*4320 */
	const u128 den = (u128)60000 * 1125 * 4320;
	const u128 frame_n = (u128)1001000000000ull * 1125 * 4320;
	const u128 tro_n = frame_n / 1125 * 43;
	const u128 trs_n = (u128)1001000000000ull * 1080;
	const uint64_t t0 = 1700000302ull * 1000000000ull; /* frame start, on the grid */
	struct cap *c;
	unsigned j = 0;

	(void)state;
	(void)frame_n;
	gen("nt", "--tai-start 1700000302 --video 1080p59.94 --frames 1");
	c = load("nt");
	assert_int_equal(c->n, 4320);
	for (unsigned i = 0; i < c->n; i++, j++) {
		u128 num = tro_n + trs_n * j;
		uint64_t want = t0 + (uint64_t)((num + den - 1) / den);

		assert_int_equal(c->r[i].t_ns, want);
	}
	assert_int_equal(c->r[0].t_ns - t0, 637675); /* TRO_default 637674.07 ns, ceil */
	assert_int_equal(c->r[1].t_ns - c->r[0].t_ns, 3707);
	unload(c);
}

/* Interlaced 1080i50: two fields per frame, F bit, marker per field. */
static void test_interlaced(void **state)
{
	struct sy_video_format fmt = sy_format_make(1920, 1080, true, 25, 1, 10);
	char md5[4][33];
	uint32_t ts_field[4];
	unsigned nf = 0;
	struct cap *c;
	char *m;

	(void)state;
	gen("il", "--video 1080i50 --frames 2");
	m = manifest("il");
	json_md5s(m, 0, md5, 4);
	c = load("il");
	assert_int_equal(check_video(c, 5004, &fmt, md5, 1, 0, NULL), 2);
	for (unsigned i = 0; i < c->n; i++) {
		struct sy_rfc4175_pkt pkt;

		assert_int_equal(sy_rfc4175_parse(c->r[i].rtp.payload, c->r[i].rtp.payload_len,
						  &pkt), 0);
		assert_int_equal(pkt.srd[0].field, nf % 2 == 1);
		if (c->r[i].rtp.marker)
			ts_field[nf++] = c->r[i].rtp.ts;
	}
	assert_int_equal(nf, 4);
	for (unsigned f = 1; f < 4; f++)
		assert_int_equal(ts_field[f] - ts_field[f - 1], 1800); /* 50 fields/s */
	unload(c);
	free(m);
}

/* src/sy_st2110_21 classes each schedule as the SDP says. */
static enum sy_st2110_21_type measure(const char *name, const struct sy_video_format *fmt)
{
	struct sy_st2110_21_stream *s = calloc(1, sizeof(*s));
	struct sy_st2110_21_verdict v;
	struct cap *c = load(name);
	bool start = true;

	assert_non_null(s);
	assert_int_equal(sy_st2110_21_stream_init(s, fmt, 4320, SY_ST2110_21_TPR0_RTP), 0);
	for (unsigned i = 0; i < c->n; i++) {
		sy_st2110_21_stream_feed(s, c->r[i].t_ns, start, c->r[i].rtp.ts, NULL);
		start = c->r[i].rtp.marker;
	}
	sy_st2110_21_stream_flush(s);
	sy_st2110_21_stream_verdict(s, SY_ST2110_21_SCHEDULE_MAX, &v);
	unload(c);
	free(s);
	return v.type;
}

static void test_timing_classes(void **state)
{
	struct sy_video_format fmt = sy_format_make(1920, 1080, false, 60000, 1001, 10);

	(void)state;
	gen("tn", "--video 1080p59.94 --frames 3 --pattern bars");
	gen("tl", "--video 1080p59.94 --frames 3 --pattern bars --timing narrow-linear");
	gen("tw", "--video 1080p59.94 --frames 3 --pattern bars --timing wide");
	gen("tb", "--video 1080p59.94 --frames 3 --pattern bars --timing burst");
	assert_int_equal(measure("tn", &fmt), SY_ST2110_21_TYPE_N);
	assert_int_equal(measure("tl", &fmt), SY_ST2110_21_TYPE_NL);
	assert_int_equal(measure("tw", &fmt), SY_ST2110_21_TYPE_W);
	assert_int_equal(measure("tb", &fmt), SY_ST2110_21_TYPE_NOT_COMPLIANT);
}

#define FAULT_ARGS                                                                           \
	"--video 320x180p25 --frames 4 --seq-start 65500 --loss 0.01 --loss-burst 3@10 "     \
	"--reorder 20 --dup 30 --truncate 40 --bad-srd-len 50 --bad-srd-offset 60 "          \
	"--wrong-pt 70 --wrong-ssrc 80 --no-marker 1"

static bool has(const uint64_t *v, unsigned n, uint64_t x)
{
	for (unsigned i = 0; i < n; i++)
		if (v[i] == x)
			return true;
	return false;
}

static void test_faults(void **state)
{
	struct sy_video_format fmt = sy_format_make(320, 180, false, 25, 1, 10);
	uint64_t lost[256], dup[8], reo[8], trunc[8], srd[8], wpt[8], wssrc[8], nmf[8], nms[8];
	unsigned n_lost, n_dup, n_reo, n_trunc, n_srd, n_wpt, n_wssrc, n_nmf, n_nms;
	unsigned seen[720] = { 0 }, markers = 0, n_lost_obs = 0;
	struct cap *c, *clean;
	char *m, *m2;
	uint16_t max_seq = 0;
	bool started = false;

	(void)state;
	gen("fc", "--video 320x180p25 --frames 4 --seq-start 65500");
	gen("f1", "--seed 42 " FAULT_ARGS);
	gen("f2", "--seed 42 " FAULT_ARGS);
	gen("f3", "--seed 43 " FAULT_ARGS);
	m = manifest("f1");
	n_lost = json_list(m, "lost_seq", 0, lost, 256);
	n_dup = json_list(m, "dup_seq", 0, dup, 8);
	n_reo = json_list(m, "reordered_seq", 0, reo, 8);
	n_trunc = json_list(m, "truncated_seq", 0, trunc, 8);
	n_srd = json_list(m, "bad_srd_seq", 0, srd, 8);
	n_wpt = json_list(m, "wrong_pt_seq", 0, wpt, 8);
	n_wssrc = json_list(m, "wrong_ssrc_seq", 0, wssrc, 8);
	n_nmf = json_list(m, "no_marker_frames", 0, nmf, 8);
	n_nms = json_list(m, "no_marker_seq", 0, nms, 8);
	/* requested faults land on seq_start + K (16-bit) */
	assert_true(n_lost >= 3);
	assert_true(has(lost, n_lost, 65510) && has(lost, n_lost, 65511) &&
		    has(lost, n_lost, 65512));
	assert_int_equal(n_dup, 1);
	assert_int_equal(dup[0], 65530);
	assert_int_equal(n_reo, 1);
	assert_int_equal(reo[0], (65500 + 20) & 0xffff);
	assert_int_equal(n_trunc, 1);
	assert_int_equal(trunc[0], (65500 + 40) & 0xffff);
	assert_int_equal(n_srd, 2);
	assert_int_equal(n_wpt, 1);
	assert_int_equal(n_wssrc, 1);
	assert_int_equal(n_nmf, 1);
	assert_int_equal(nmf[0], 1);
	assert_int_equal(n_nms, 1);
	assert_int_equal(nms[0], (65500 + 2 * 180 - 1) & 0xffff);

	/* reproducible with the same seed, different with another */
	{
		size_t l1, l2, l3;
		char *p1 = sy_test_read_file(path("f1", "pcap"), &l1);
		char *p2 = sy_test_read_file(path("f2", "pcap"), &l2);
		char *p3 = sy_test_read_file(path("f3", "pcap"), &l3);

		assert_true(l1 == l2 && memcmp(p1, p2, l1) == 0);
		assert_false(l1 == l3 && memcmp(p1, p3, l1) == 0);
		free(p1);
		free(p2);
		free(p3);
	}

	/* what the capture shows is exactly the manifest */
	clean = load("fc");
	c = load("f1");
	for (unsigned i = 0; i < c->n; i++) {
		struct rec *r = &c->r[i];
		uint16_t seq = r->rtp.seq;
		unsigned k = (uint16_t)(seq - 65500);
		struct sy_rfc4175_pkt pkt;
		int prc, vrc = 0;

		assert_true(r->rtp_ok);
		assert_true(k < 720);
		seen[k]++;
		if (started && sy_rtp_seq_lt(seq, max_seq))
			assert_true(has(reo, n_reo, seq)); /* arrived after its successor */
		if (!started || sy_rtp_seq_lt(max_seq, seq))
			max_seq = seq;
		started = true;
		prc = sy_rfc4175_parse(r->rtp.payload, r->rtp.payload_len, &pkt);
		if (prc == 0)
			vrc = sy_rfc4175_validate(&pkt, &fmt);
		if (has(trunc, n_trunc, seq)) {
			assert_int_equal(r->len, 12 + (clean->r[k].len - 12) / 2);
			assert_int_not_equal(prc, 0);
		} else if (has(srd, n_srd, seq)) {
			assert_true(prc == -SY_E_SRD_SUM || vrc == -SY_E_SRD_OFFSET);
		} else {
			assert_int_equal(prc, 0);
			assert_int_equal(vrc, 0);
		}
		assert_int_equal(r->rtp.pt == 96, !has(wpt, n_wpt, seq));
		assert_int_equal(r->rtp.ssrc == 0x59000001u, !has(wssrc, n_wssrc, seq));
		if (r->rtp.marker)
			markers++;
		else if (has(nms, n_nms, seq))
			assert_int_equal(clean->r[k].rtp.marker, true);
		/* untouched packets are byte-identical to the clean run's */
		if (!has(trunc, n_trunc, seq) && !has(srd, n_srd, seq) && !has(wpt, n_wpt, seq) &&
		    !has(wssrc, n_wssrc, seq) && !has(nms, n_nms, seq)) {
			assert_int_equal(r->len, clean->r[k].len);
			assert_memory_equal(r->bytes, clean->r[k].bytes, r->len);
		}
	}
	assert_int_equal(markers, 3); /* 4 frames, one marker cleared */
	for (unsigned k = 0; k < 720; k++) {
		uint16_t seq = (uint16_t)(65500 + k);

		if (has(lost, n_lost, seq)) {
			assert_int_equal(seen[k], 0);
			n_lost_obs++;
		} else {
			assert_int_equal(seen[k], has(dup, n_dup, seq) ? 2 : 1);
		}
	}
	assert_int_equal(n_lost_obs, n_lost);
	assert_int_equal(json_num(m, "packets", 1), c->n); /* flow's packets as sent */

	m2 = manifest("f3");
	{
		uint64_t lost3[256];
		unsigned n3 = json_list(m2, "lost_seq", 0, lost3, 256);

		assert_false(n3 == n_lost && memcmp(lost3, lost, n3 * sizeof(*lost3)) == 0);
	}
	unload(c);
	unload(clean);
	free(m);
	free(m2);
}

/* ST 2022-7: leg B = leg A delayed by the skew, independent random loss. */
static void test_2022_7(void **state)
{
	static uint64_t ta[720], tb[720];
	uint64_t la[256], lb[256];
	unsigned na, nb, ca = 0, cb = 0, both = 0;
	struct cap *c;
	char *m;

	(void)state;
	gen("d7", "--seed 5 --video 320x180p25 --frames 4 --2022-7 7.5 --loss-a 0.02 "
		  "--loss-b 0.02");
	m = manifest("d7");
	na = json_list(m, "lost_seq", 0, la, 256);
	nb = json_list(m, "lost_seq", 1, lb, 256);
	assert_true(na > 0 && nb > 0);
	assert_false(na == nb && memcmp(la, lb, na * sizeof(*la)) == 0);
	assert_non_null(strstr(m, "\"leg_b\":{\"dst\":\"239.100.0.2:5004\""));
	c = load("d7");
	for (unsigned i = 0; i < c->n; i++) {
		struct rec *r = &c->r[i];
		unsigned k = r->rtp.seq;

		assert_true(k < 720);
		if (r->dst_ip == 0xEF640001u) {
			ta[k] = r->t_ns;
			ca++;
		} else {
			assert_int_equal(r->dst_ip, 0xEF640002u);
			tb[k] = r->t_ns;
			cb++;
		}
	}
	assert_int_equal(ca, 720 - na);
	assert_int_equal(cb, 720 - nb);
	for (unsigned k = 0; k < 720; k++) {
		assert_int_equal(ta[k] == 0, has(la, na, k));
		assert_int_equal(tb[k] == 0, has(lb, nb, k));
		if (ta[k] && tb[k]) {
			assert_int_equal(tb[k] - ta[k], 7500000);
			both++;
		}
	}
	assert_true(both > 600);
	unload(c);
	free(m);
}

/* Bad input is refused with exit code 2 and a message. */
static void test_usage_errors(void **state)
{
	static const char *const bad_args[] = {
		"--video 1080p59.94 --frames 1",                    /* no --out */
		"--out /dev/null --video 1080p59.9",                /* rate */
		"--out /dev/null --audio L24/48000/65",              /* channels */
		"--out /dev/null --frames 3",                       /* option before a flow */
		"--out /dev/null --audio L24/48000/2 --bad-srd-len 3",
		"--out /dev/null --video 320x180p25 --frames 1 --dup 180", /* beyond the flow */
		"--out /dev/null --video 320x180p25 --loss 1.5",
		"--out /dev/null --video 320x180p25 --leg B --dup 1",      /* no --2022-7 */
	};
	char cmd[1024];

	(void)state;
	for (unsigned i = 0; i < sizeof(bad_args) / sizeof(bad_args[0]); i++) {
		int rc;

		snprintf(cmd, sizeof(cmd), "%s %s 2>/dev/null", gen_bin, bad_args[i]);
		rc = system(cmd);
		assert_true(WIFEXITED(rc));
		if (WEXITSTATUS(rc) == 0)
			fail_msg("accepted: %s", bad_args[i]);
	}
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_av_session),
		cmocka_unit_test(test_audio_per_channel),
		cmocka_unit_test(test_rtp_ts_5994),
		cmocka_unit_test(test_narrow_times_1080p5994),
		cmocka_unit_test(test_interlaced),
		cmocka_unit_test(test_timing_classes),
		cmocka_unit_test(test_faults),
		cmocka_unit_test(test_2022_7),
		cmocka_unit_test(test_usage_errors),
	};
	char cmd[300];
	int rc;

	if (argc < 2) {
		fprintf(stderr, "usage: test_sy_gen SY_GEN_BINARY\n");
		return 2;
	}
	gen_bin = argv[1];
	snprintf(tmpdir, sizeof(tmpdir), "%s/sy-gen-test-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(tmpdir))
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmpdir);
	return rc;
}
