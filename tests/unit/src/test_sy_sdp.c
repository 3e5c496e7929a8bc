/* SPDX-License-Identifier: MIT */
/*
 * test_sy_sdp.c: SDP parse / emit / build. Vector SDPs (byte-exact
 * round trip), hand-written ST 2110 examples, and a table of malformed
 * inputs with the code and line each must produce.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sy_err.h"
#include "sy_sdp.h"
#include "sy_test_pcap.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

static struct sy_sdp sdp, sdp2;
static char out[16384];

static bool has_warning(const struct sy_sdp *s, enum sy_sdp_warn w, uint32_t line)
{
	for (unsigned i = 0; i < s->n_warnings; i++)
		if (s->warnings[i].code == w && (line == 0 || s->warnings[i].line == line))
			return true;
	return false;
}

/* parse -> emit -> parse gives an equal description; emit is a fixed point */
static void assert_round_trip(const struct sy_sdp *s)
{
	struct sy_sdp_error e;
	static char again[16384];
	int n = sy_sdp_emit(s, out, sizeof(out), SY_SDP_EOL_LF);

	assert_true(n > 0);
	assert_int_equal(sy_sdp_parse(out, (size_t)n, &sdp2, &e), 0);
	assert_true(sy_sdp_equal(s, &sdp2));
	assert_int_equal(sy_sdp_emit(&sdp2, again, sizeof(again), SY_SDP_EOL_LF), n);
	assert_memory_equal(again, out, (size_t)n);
}

static void parse_ok(const char *text)
{
	struct sy_sdp_error e;
	int rc = sy_sdp_parse(text, strlen(text), &sdp, &e);

	if (rc != 0)
		fail_msg("unexpected error %d: %s", rc, e.reason);
	assert_round_trip(&sdp);
}

/* --- the shared vectors --- */

static const char *const vectors[] = {
	"st2110-20_gst_320x180p25_ycbcr422_10bit_10f.sdp",
	"st2110-20_ffmpeg_320x180p25_ycbcr422_10bit_10f.sdp",
	"st2110-30_gst_l24_48k_2ch_1ms_sine1k_m23dBFS_2s.sdp",
	"st2110-30_gst_l24_48k_8ch_1ms_sine1k_m23dBFS_1s.sdp",
	"st2110-30_gst_l16_48k_2ch_1ms_sine1k_m23dBFS_1s.sdp",
};

static void load_vector(unsigned i, char **text, size_t *len)
{
	*text = sy_test_read_file(sy_test_vector(vectors[i]), len);
	assert_non_null(*text);
}

static void test_vectors_byte_exact(void **state)
{
	(void)state;
	for (unsigned i = 0; i < 5; i++) {
		struct sy_sdp_error e;
		char *text;
		size_t len;
		int n;

		load_vector(i, &text, &len);
		assert_int_equal(sy_sdp_parse(text, len, &sdp, &e), 0);
		/* no ts-refclk in the vectors: valid, with exactly that warning (line 5 = m=) */
		assert_true(has_warning(&sdp, SY_SDP_W_NO_REFCLK, 5));
		assert_int_equal(sdp.n_warnings, 1);
		assert_int_equal(sdp.n_unknown, 0);
		n = sy_sdp_emit(&sdp, out, sizeof(out), SY_SDP_EOL_LF);
		assert_int_equal(n, (int)len);
		assert_memory_equal(out, text, len);
		/* one byte short: refused */
		assert_int_equal(sy_sdp_emit(&sdp, out, len, SY_SDP_EOL_LF), -SY_E_NOSPACE);
		/* CRLF: one more byte per line */
		n = sy_sdp_emit(&sdp, out, sizeof(out), SY_SDP_EOL_CRLF);
		{
			size_t lines = 0;

			for (size_t k = 0; k < len; k++)
				lines += text[k] == '\n';
			assert_int_equal(n, (int)(len + lines));
		}
		assert_int_equal(sy_sdp_parse(out, (size_t)n, &sdp2, &e), 0);
		assert_true(sy_sdp_equal(&sdp, &sdp2));
		free(text);
	}
}

static void test_vector_video(void **state)
{
	const struct sy_sdp_media *m;
	const struct sy_video_format *f;
	struct sy_sdp_error e;
	char *text;
	size_t len;

	(void)state;
	load_vector(0, &text, &len);
	assert_int_equal(sy_sdp_parse(text, len, &sdp, &e), 0);
	free(text);
	assert_string_equal(sdp.username, "-");
	assert_int_equal(sdp.sess_id, 1);
	assert_string_equal(sdp.origin_addr, "10.99.0.1");
	assert_int_equal(sdp.n_media, 1);
	m = &sdp.media[0];
	f = &m->video.fmt;
	assert_int_equal(m->essence, SY_SDP_VIDEO);
	assert_int_equal(m->port, 5004);
	assert_int_equal(m->pt, 96);
	assert_int_equal(m->clock_hz, 90000);
	assert_true(m->conn.present);
	assert_int_equal(m->conn.ip, IP(239, 10, 20, 1));
	assert_int_equal(m->conn.ttl, 64);
	assert_true(m->filter.present);
	assert_int_equal(m->filter.dst_ip, IP(239, 10, 20, 1));
	assert_int_equal(m->filter.src_ip, IP(10, 99, 0, 1));
	assert_int_equal(f->width, 320);
	assert_int_equal(f->height, 180);
	assert_int_equal(f->rate.num, 25);
	assert_int_equal(f->rate.den, 1);
	assert_int_equal(f->depth, 10);
	assert_int_equal(f->sampling, SY_SAMPLING_YCBCR_422);
	assert_int_equal(f->tcs, SY_TCS_SDR);
	assert_int_equal(f->colorimetry, SY_COLORIMETRY_BT709);
	assert_int_equal(f->packing, SY_PACKING_GPM);
	assert_false(f->interlaced);
	assert_string_equal(m->video.ssn, "ST2110-20:2017");
	assert_int_equal(m->video.tp, SY_SDP_TP_N);
	assert_true(m->video.has_tp);
	assert_int_equal(m->clock.mediaclk.kind, SY_SDP_MEDIACLK_DIRECT);
	assert_true(m->clock.mediaclk.has_offset);
	assert_int_equal(m->clock.mediaclk.offset, 0);
	assert_int_equal(m->clock.n_refclk, 0);
	assert_ptr_equal(sy_sdp_media_conn(&sdp, 0), &m->conn);
	assert_null(sy_sdp_media_conn(&sdp, 1));
}

static void test_vector_audio(void **state)
{
	const struct sy_sdp_media *m;
	struct sy_sdp_error e;
	char *text;
	size_t len;

	(void)state;
	load_vector(3, &text, &len); /* L24 8 ch */
	assert_int_equal(sy_sdp_parse(text, len, &sdp, &e), 0);
	free(text);
	m = &sdp.media[0];
	assert_int_equal(m->essence, SY_SDP_AUDIO);
	assert_int_equal(m->pt, 97);
	assert_int_equal(m->port, 5032);
	assert_int_equal(m->conn.ip, IP(239, 10, 30, 2));
	assert_int_equal(m->audio.fmt.encoding, SY_ST2110_30_L24);
	assert_int_equal(m->audio.fmt.rate_hz, 48000);
	assert_int_equal(m->audio.fmt.channels, 8);
	assert_int_equal(m->audio.fmt.ptime_ns, 1000000);
	assert_int_equal(m->audio.fmt.order.n_groups, 2);
	assert_int_equal(m->audio.fmt.order.groups[0].kind, SY_ST2110_30_GROUP_SGRP);
	assert_int_equal(m->audio.fmt.order.groups[1].kind, SY_ST2110_30_GROUP_SGRP);
	assert_int_equal(sy_st2110_30_format_validate(&m->audio.fmt), 0);

	load_vector(4, &text, &len); /* L16 2 ch PT 98 */
	assert_int_equal(sy_sdp_parse(text, len, &sdp, &e), 0);
	free(text);
	m = &sdp.media[0];
	assert_int_equal(m->pt, 98);
	assert_int_equal(m->audio.fmt.encoding, SY_ST2110_30_L16);
	assert_int_equal(m->audio.fmt.channels, 2);
	assert_int_equal(m->audio.fmt.order.groups[0].kind, SY_ST2110_30_GROUP_ST);
}

/* --- hand-written examples --- */

static const char uhd_hlg[] =
	"v=0\r\n"
	"o=- 1443716955 1443716956 IN IP4 192.168.1.10\r\n"
	"s=UHD HLG\r\n"
	"t=0 0\r\n"
	"m=video 50000 RTP/AVP 112\r\n"
	"c=IN IP4 239.100.1.1/32\r\n"
	"a=source-filter: incl IN IP4 239.100.1.1 192.168.1.10\r\n"
	"a=rtpmap:112 raw/90000\r\n"
	"a=fmtp:112 sampling=YCbCr-4:2:2; width=3840; height=2160; exactframerate=60000/1001; "
	"depth=10; TCS=HLG; colorimetry=BT2100; PM=2110GPM; SSN=ST2110-20:2017; TP=2110TPW; "
	"RANGE=FULL; PAR=1:1; MAXUDP=8960; TROFF=37; CMAX=16\r\n"
	"a=ts-refclk:ptp=IEEE1588-2008:08-00-11-ff-fe-22-33-44:127\r\n"
	"a=mediaclk:direct=0\r\n"
	"a=x-nmos-something:1\r\n"
	"a=recvonly\r\n";

static void test_uhd_hlg(void **state)
{
	const struct sy_sdp_media *m;
	const struct sy_video_format *f;
	const uint8_t gm[8] = { 0x08, 0x00, 0x11, 0xff, 0xfe, 0x22, 0x33, 0x44 };

	(void)state;
	parse_ok(uhd_hlg);
	m = &sdp.media[0];
	f = &m->video.fmt;
	assert_int_equal(sdp.sess_version, 1443716956);
	assert_int_equal(f->width, 3840);
	assert_int_equal(f->height, 2160);
	assert_int_equal(f->rate.num, 60000);
	assert_int_equal(f->rate.den, 1001);
	assert_int_equal(f->tcs, SY_TCS_HLG);
	assert_int_equal(f->colorimetry, SY_COLORIMETRY_BT2100);
	assert_int_equal(f->range, SY_RANGE_FULL);
	assert_int_equal(m->video.tp, SY_SDP_TP_W);
	assert_int_equal(m->video.maxudp, 8960);
	assert_true(m->video.has_troff);
	assert_int_equal(m->video.troff_us, 37);
	assert_int_equal(m->video.cmax, 16);
	assert_int_equal(m->clock.n_refclk, 1);
	assert_int_equal(m->clock.refclk[0].kind, SY_SDP_REFCLK_PTP);
	assert_int_equal(m->clock.refclk[0].ptp_version, 2008);
	assert_memory_equal(m->clock.refclk[0].gmid, gm, 8);
	assert_true(m->clock.refclk[0].has_domain);
	assert_int_equal(m->clock.refclk[0].domain, 127);
	assert_int_equal(m->dir, SY_SDP_DIR_RECVONLY);
	assert_int_equal(sdp.n_unknown, 1); /* x-nmos */
	assert_int_equal(sdp.n_warnings, 0);
	/* CRLF emit reproduces the input apart from the dropped x-nmos line and
	 * the upper-case GMID */
	{
		int n;
		const char *p;

		sy_sdp_parse(uhd_hlg, sizeof(uhd_hlg) - 1, &sdp, NULL);
		n = sy_sdp_emit(&sdp, out, sizeof(out), SY_SDP_EOL_CRLF);
		assert_true(n > 0);
		p = strstr(out, "a=ts-refclk:ptp=IEEE1588-2008:08-00-11-FF-FE-22-33-44:127\r\n"
				"a=mediaclk:direct=0\r\na=recvonly\r\n");
		assert_non_null(p);
		assert_non_null(strstr(out, "RANGE=FULL; PAR=1:1; MAXUDP=8960; TROFF=37; CMAX=16\r\n"));
	}
}

static void test_1080i50(void **state)
{
	const struct sy_video_format *f;

	(void)state;
	parse_ok("v=0\n"
		 "o=- 7 7 IN IP4 10.0.0.2\n"
		 "s=1080i50\n"
		 "t=0 0\n"
		 "a=ts-refclk:ptp=IEEE1588-2008:traceable\n"
		 "a=mediaclk:direct=0\n"
		 "m=video 5000 RTP/AVP 96\n"
		 "c=IN IP4 239.1.1.1/64\n"
		 "a=rtpmap:96 raw/90000\n"
		 "a=fmtp:96 sampling=YCbCr-4:2:2;width=1920;height=1080;exactframerate=25;"
		 "depth=10;TCS=SDR;colorimetry=BT709;PM=2110GPM;SSN=ST2110-20:2017;TP=2110TPN;"
		 "interlace\n");
	f = &sdp.media[0].video.fmt;
	assert_true(f->interlaced);
	assert_false(f->segmented);
	assert_int_equal(f->rate.num, 25); /* frame rate, 50 fields/s */
	assert_int_equal(f->height, 1080);
	/* session-level clock applies */
	assert_int_equal(sdp.clock.refclk[0].kind, SY_SDP_REFCLK_PTP_TRACEABLE);
	assert_ptr_equal(sy_sdp_media_clock(&sdp, 0), &sdp.clock);
	assert_false(has_warning(&sdp, SY_SDP_W_NO_REFCLK, 0));
	assert_non_null(strstr(out, "TP=2110TPN; interlace\n"));

	/* PsF */
	parse_ok("v=0\no=- 7 7 IN IP4 10.0.0.2\ns=psf\nt=0 0\nm=video 5000 RTP/AVP 96\n"
		 "c=IN IP4 239.1.1.1/64\na=rtpmap:96 raw/90000\n"
		 "a=fmtp:96 sampling=YCbCr-4:2:2; width=1920; height=1080; exactframerate=25; "
		 "depth=10; interlace; segmented\n");
	f = &sdp.media[0].video.fmt;
	assert_true(f->interlaced && f->segmented);
	/* defaults, each with its warning */
	assert_int_equal(f->tcs, SY_TCS_SDR);
	assert_int_equal(f->colorimetry, SY_COLORIMETRY_BT709);
	assert_int_equal(sdp.media[0].video.tp, SY_SDP_TP_N);
	assert_true(has_warning(&sdp, SY_SDP_W_NO_TCS, 8));
	assert_true(has_warning(&sdp, SY_SDP_W_NO_COLORIMETRY, 8));
	assert_true(has_warning(&sdp, SY_SDP_W_NO_PM, 8));
	assert_true(has_warning(&sdp, SY_SDP_W_NO_SSN, 8));
	assert_true(has_warning(&sdp, SY_SDP_W_NO_TP, 8));
	assert_true(has_warning(&sdp, SY_SDP_W_NO_REFCLK, 5));
	assert_true(has_warning(&sdp, SY_SDP_W_NO_MEDIACLK, 5));
}

static const char dup_2022_7[] =
	"v=0\n"
	"o=- 100 101 IN IP4 192.168.1.10\n"
	"s=2022-7 audio\n"
	"t=0 0\n"
	"a=group:DUP primary secondary\n"
	"m=audio 5004 RTP/AVP 97\n"
	"c=IN IP4 239.69.10.21/32\n"
	"a=source-filter: incl IN IP4 239.69.10.21 192.168.1.10\n"
	"a=rtpmap:97 L24/48000/8\n"
	"a=fmtp:97 channel-order=SMPTE2110.(ST,51)\n"
	"a=ptime:0.125\n"
	"a=ts-refclk:ptp=IEEE1588-2008:39-A7-94-FF-FE-07-CB-D0:127\n"
	"a=mediaclk:direct=0\n"
	"a=mid:primary\n"
	"m=audio 5004 RTP/AVP 97\n"
	"c=IN IP4 239.69.11.21/32\n"
	"a=source-filter: incl IN IP4 239.69.11.21 192.168.2.10\n"
	"a=rtpmap:97 L24/48000/8\n"
	"a=fmtp:97 channel-order=SMPTE2110.(ST,51)\n"
	"a=ptime:0.125\n"
	"a=ts-refclk:ptp=IEEE1588-2008:39-A7-94-FF-FE-07-CB-D0:127\n"
	"a=mediaclk:direct=0\n"
	"a=mid:secondary\n";

static void test_dup(void **state)
{
	struct sy_sdp_error e;
	int n;

	(void)state;
	parse_ok(dup_2022_7);
	assert_int_equal(sdp.n_warnings, 0);
	assert_int_equal(sdp.n_media, 2);
	assert_int_equal(sdp.n_dup, 2);
	assert_string_equal(sdp.dup_mid[0], "primary");
	assert_string_equal(sdp.dup_mid[1], "secondary");
	assert_int_equal(sdp.dup_media[0], 0);
	assert_int_equal(sdp.dup_media[1], 1);
	assert_string_equal(sdp.media[1].mid, "secondary");
	assert_int_equal(sdp.media[1].conn.ip, IP(239, 69, 11, 21));
	assert_int_equal(sdp.media[1].filter.src_ip, IP(192, 168, 2, 10));
	assert_int_equal(sdp.media[0].audio.fmt.ptime_ns, 125000);
	assert_int_equal(sdp.media[0].audio.fmt.order.groups[1].kind, SY_ST2110_30_GROUP_51);
	/* this text is canonical: byte-exact */
	assert_int_equal(sy_sdp_parse(dup_2022_7, sizeof(dup_2022_7) - 1, &sdp, &e), 0);
	n = sy_sdp_emit(&sdp, out, sizeof(out), SY_SDP_EOL_LF);
	assert_int_equal(n, (int)sizeof(dup_2022_7) - 1);
	assert_memory_equal(out, dup_2022_7, sizeof(dup_2022_7) - 1);
}

static void test_anc(void **state)
{
	const struct sy_sdp_anc *a;

	(void)state;
	parse_ok("v=0\n"
		 "o=- 5 5 IN IP4 10.0.0.2\n"
		 "s=ANC\n"
		 "t=0 0\n"
		 "m=video 5010 RTP/AVP 100\n"
		 "c=IN IP4 239.1.1.40/64\n"
		 "a=rtpmap:100 smpte291/90000\n"
		 "a=fmtp:100 DID_SDID={0x61,0x01};DID_SDID={0x60,0x60}; VPID_Code=133\n"
		 "a=ts-refclk:localmac=CA-FE-01-02-03-04\n"
		 "a=mediaclk:direct=0 rate=90000/1\n");
	a = &sdp.media[0].anc;
	assert_int_equal(sdp.media[0].essence, SY_SDP_ANC);
	assert_int_equal(a->n_did_sdid, 2);
	assert_int_equal(a->did_sdid[0].did, 0x61);
	assert_int_equal(a->did_sdid[0].sdid, 0x01);
	assert_int_equal(a->did_sdid[1].did, 0x60);
	assert_int_equal(a->did_sdid[1].sdid, 0x60);
	assert_true(a->has_vpid);
	assert_int_equal(a->vpid_code, 133);
	assert_int_equal(sdp.media[0].clock.refclk[0].kind, SY_SDP_REFCLK_LOCALMAC);
	assert_int_equal(sdp.media[0].clock.refclk[0].mac[5], 0x04);
	assert_true(sdp.media[0].clock.mediaclk.has_rate);
	assert_int_equal(sdp.media[0].clock.mediaclk.rate_num, 90000);
	assert_non_null(strstr(out, "a=fmtp:100 DID_SDID={0x61,0x01}; DID_SDID={0x60,0x60}; "
				    "VPID_Code=133\n"));
}

static void test_warnings(void **state)
{
	(void)state;
	/* audio: no ptime, no channel-order, multicast without TTL, unknown fmtp,
	 * PTP without domain, filter destination differs; empty line at the end */
	parse_ok("v=0\n"
		 "o=- 5 5 IN IP4 10.0.0.2\n"
		 "s=warn\n"
		 "t=0 0\n"
		 "m=audio 5010 RTP/AVP 97\n"
		 "c=IN IP4 239.1.1.30\n"
		 "a=source-filter: incl IN IP4 239.1.1.31 10.0.0.2\n"
		 "a=rtpmap:97 L16/48000/4\n"
		 "a=fmtp:97 foo=bar\n"
		 "a=ts-refclk:ptp=IEEE1588-2008:39-A7-94-FF-FE-07-CB-D0\n"
		 "a=mediaclk:direct=0\n"
		 "\n");
	assert_true(has_warning(&sdp, SY_SDP_W_NO_TTL, 6));
	assert_true(has_warning(&sdp, SY_SDP_W_FILTER_MISMATCH, 7));
	assert_true(has_warning(&sdp, SY_SDP_W_UNKNOWN_FMTP, 9));
	assert_true(has_warning(&sdp, SY_SDP_W_PTP_NO_DOMAIN, 10));
	assert_true(has_warning(&sdp, SY_SDP_W_IGNORED, 12));
	assert_true(has_warning(&sdp, SY_SDP_W_NO_PTIME, 5));
	assert_true(has_warning(&sdp, SY_SDP_W_NO_CHANNEL_ORDER, 5));
	assert_int_equal(sdp.media[0].audio.fmt.ptime_ns, 1000000);
	assert_int_equal(sdp.media[0].audio.fmt.order.n_groups, 0);

	/* channel-order shorter than the stream: allowed, warned */
	parse_ok("v=0\no=- 5 5 IN IP4 10.0.0.2\ns=x\nt=0 0\nm=audio 5010 RTP/AVP 97\n"
		 "c=IN IP4 239.1.1.30/1\na=rtpmap:97 L24/48000/8\n"
		 "a=fmtp:97 channel-order=SMPTE2110.(ST)\na=ptime:1\n");
	assert_true(has_warning(&sdp, SY_SDP_W_ORDER_SHORT, 8));
	/* ptime 0.333 = 16 frames, and a channel count of 1 left implicit */
	parse_ok("v=0\no=- 5 5 IN IP4 10.0.0.2\ns=x\nt=0 0\nm=audio 5010 RTP/AVP 97\n"
		 "c=IN IP4 239.1.1.30/1\na=rtpmap:97 L24/48000\na=ptime:0.333\na=maxptime:4\n"
		 "a=framecount:16\n");
	assert_int_equal(sdp.media[0].audio.fmt.channels, 1);
	assert_false(sdp.media[0].audio.channels_explicit);
	assert_int_equal(sdp.media[0].ptime_ns, 333000);
	assert_int_equal(sdp.media[0].maxptime_ns, 4000000);
	assert_int_equal(sdp.media[0].framecount, 16);
	assert_non_null(strstr(out, "a=rtpmap:97 L24/48000\na=ptime:0.333\na=maxptime:4\n"));
}

static void test_no_nul_terminator(void **state)
{
	/* the parse must stop at len: the text continues with garbage */
	char buf[512];
	struct sy_sdp_error e;
	char *text;
	size_t len;

	(void)state;
	load_vector(2, &text, &len);
	assert_true(len < sizeof(buf) - 8);
	memcpy(buf, text, len);
	memcpy(buf + len, "x=junk\n", 8);
	assert_int_equal(sy_sdp_parse(buf, len, &sdp, &e), 0);
	/* without the final newline too */
	assert_int_equal(sy_sdp_parse(buf, len - 1, &sdp2, &e), 0);
	assert_true(sy_sdp_equal(&sdp, &sdp2));
	free(text);
}

/* --- malformed inputs --- */

#define HDR "v=0\no=- 1 1 IN IP4 10.0.0.1\ns=x\nt=0 0\n"
#define VID "m=video 5004 RTP/AVP 96\nc=IN IP4 239.1.1.1/64\na=rtpmap:96 raw/90000\n"
#define FMTP "a=fmtp:96 sampling=YCbCr-4:2:2; depth=10; "

struct bad {
	const char *text;
	int code;
	uint32_t line;
	const char *reason; /* substring of the reason */
};

static const struct bad bad_cases[] = {
	{ "v=1\n", -SY_E_SDP_VALUE, 1, "only version 0" },
	{ "o=- 1 1 IN IP4 1.2.3.4\n", -SY_E_SDP_MISSING, 1, "v=0" },
	{ "v=0\ns=x\n", -SY_E_SDP_MISSING, 2, "o=" },
	{ "v=0\nv=0\n", -SY_E_SDP_DUPLICATE, 2, "" },
	{ "v=0\no=- 1 IN IP4 1.2.3.4\n", -SY_E_SDP_SYNTAX, 2, "6 fields" },
	{ "v=0\no=- x 1 IN IP4 1.2.3.4\n", -SY_E_SDP_VALUE, 2, "sess-id 'x'" },
	{ HDR, -SY_E_SDP_MISSING, 4, "no m=" },
	{ "v=0\no=- 1 1 IN IP4 10.0.0.1\ns=x\nm=video 5004 RTP/AVP 96\n", -SY_E_SDP_MISSING, 4,
	  "t=" },
	{ HDR "m=video abc RTP/AVP 96\n", -SY_E_SDP_VALUE, 5, "port 'abc'" },
	{ HDR "m=video 70000 RTP/AVP 96\n", -SY_E_SDP_VALUE, 5, "port" },
	{ HDR "m=video 5004 RTP/SAVP 96\n", -SY_E_SDP_UNSUPPORTED, 5, "RTP/SAVP" },
	{ HDR "m=application 5004 RTP/AVP 96\n", -SY_E_SDP_UNSUPPORTED, 5, "application" },
	{ HDR "m=video 5004 RTP/AVP 96 97\n", -SY_E_SDP_UNSUPPORTED, 5, "several" },
	{ HDR "m=video 5004 RTP/AVP 96\nthis line has no equals\n", -SY_E_SDP_SYNTAX, 6, "" },
	{ HDR "m=video 5004 RTP/AVP 96\n=x\n", -SY_E_SDP_SYNTAX, 6, "" },
	{ HDR "m=video 5004 RTP/AVP 96\nx=1\n", -SY_E_SDP_SYNTAX, 6, "unknown line type" },
	{ HDR "m=video 5004 RTP/AVP 96\nt=0 0\n", -SY_E_SDP_SYNTAX, 6, "not allowed" },
	{ HDR "m=video 5004 RTP/AVP 96\nc=IN IP6 ff0e::1\n", -SY_E_SDP_UNSUPPORTED, 6, "IP6" },
	{ HDR "m=video 5004 RTP/AVP 96\nc=IN IP4 239.1.1.300/64\n", -SY_E_SDP_VALUE, 6, "IPv4" },
	{ HDR "m=video 5004 RTP/AVP 96\nc=IN IP4 239.1.1.1/64\nc=IN IP4 239.1.1.1/64\n",
	  -SY_E_SDP_DUPLICATE, 7, "c=" },
	{ HDR "m=video 5004 RTP/AVP 96\nc=IN IP4 239.1.1.1/64\n", -SY_E_SDP_MISSING, 5, "rtpmap" },
	{ HDR "m=video 5004 RTP/AVP 96\na=rtpmap:96 raw/90000\n", -SY_E_SDP_MISSING, 5, "c=" },
	{ HDR "m=video 5004 RTP/AVP 96\na=rtpmap:97 raw/90000\n", -SY_E_SDP_VALUE, 6,
	  "payload type 97" },
	{ HDR "m=video 5004 RTP/AVP 96\na=rtpmap:96 H264/90000\n", -SY_E_SDP_UNSUPPORTED, 6, "H264" },
	{ HDR "m=video 5004 RTP/AVP 96\na=rtpmap:96 raw/48000\n", -SY_E_SDP_VALUE, 6, "90000" },
	{ HDR "m=audio 5004 RTP/AVP 96\na=rtpmap:96 raw/90000\n", -SY_E_SDP_VALUE, 6, "m=video" },
	{ HDR VID, -SY_E_SDP_MISSING, 5, "no a=fmtp" },
	{ HDR VID FMTP "width=abc; height=180; exactframerate=25\n", -SY_E_SDP_VALUE, 8,
	  "fmtp width 'abc' is not a number" },
	{ HDR VID FMTP "width=320; height=180; exactframerate=0\n", -SY_E_SDP_VALUE, 8, "zero" },
	{ HDR VID FMTP "width=320; height=180; exactframerate=60000/0\n", -SY_E_SDP_VALUE, 8,
	  "denominator 0" },
	{ HDR VID FMTP "width=320; height=180; exactframerate=25; width=320\n",
	  -SY_E_SDP_DUPLICATE, 8, "width given twice" },
	{ HDR VID FMTP "height=180; exactframerate=25\n", -SY_E_SDP_MISSING, 8, "lacks width" },
	{ HDR VID "a=fmtp:96 width=320; height=180; exactframerate=25; depth=10\n",
	  -SY_E_SDP_MISSING, 8, "lacks sampling" },
	{ HDR VID FMTP "width=321; height=180; exactframerate=25\n", -SY_E_SDP_VALUE, 8,
	  "no valid format" },
	{ HDR VID FMTP "width=320; height=180; exactframerate=25; TCS=HDR\n", -SY_E_SDP_VALUE, 8,
	  "TCS 'HDR'" },
	{ HDR VID FMTP "width=320; height=180; exactframerate=25; TP=2110TPX\n", -SY_E_SDP_VALUE,
	  8, "TP" },
	{ HDR VID "a=fmtp:96 sampling=YCbCr-4:2:2; depth=16f; width=320; height=180; "
		  "exactframerate=25\n",
	  -SY_E_SDP_UNSUPPORTED, 8, "16f" },
	{ HDR VID "a=fmtp:96 sampling=ICtCp-4:2:2; depth=10; width=320; height=180; "
		  "exactframerate=25\n",
	  -SY_E_SDP_UNSUPPORTED, 8, "ICtCp" },
	{ HDR VID FMTP "width=320; height=180; exactframerate=25; segmented\n", -SY_E_SDP_VALUE, 8,
	  "segmented" },
	{ HDR VID "a=fmtp:97 sampling=YCbCr-4:2:2\n", -SY_E_SDP_VALUE, 8, "payload type 97" },
	{ HDR VID "a=fmtp:96 x=1\na=fmtp:96 x=1\n", -SY_E_SDP_DUPLICATE, 9, "fmtp" },
	{ HDR "a=rtpmap:96 raw/90000\n", -SY_E_SDP_SYNTAX, 5, "outside" },
	{ HDR "a=group:DUP a b\n" VID FMTP "width=320; height=180; exactframerate=25\na=mid:a\n",
	  -SY_E_SDP_MISSING, 5, "mid 'b'" },
	{ HDR "a=group:DUP a\n", -SY_E_SDP_MISSING, 5, "two mids" },
	{ HDR VID FMTP "width=320; height=180; exactframerate=25\na=mid:a\n" VID
		       FMTP "width=320; height=180; exactframerate=25\na=mid:a\n",
	  -SY_E_SDP_DUPLICATE, 14, "mid 'a'" },
	{ HDR "m=audio 5004 RTP/AVP 97\nc=IN IP4 239.1.1.1/64\na=rtpmap:97 L24/48000/65\n",
	  -SY_E_AUDIO_CHANNELS, 7, "1..64" },
	{ HDR "m=audio 5004 RTP/AVP 97\nc=IN IP4 239.1.1.1/64\na=rtpmap:97 L24/32000/2\n",
	  -SY_E_SDP_UNSUPPORTED, 7, "32000" },
	{ HDR "m=audio 5004 RTP/AVP 97\nc=IN IP4 239.1.1.1/64\na=rtpmap:97 L24/48000/2\n"
	      "a=fmtp:97 channel-order=SMPTE2110.(51)\n",
	  -SY_E_CHANNEL_ORDER, 8, "declares 6" },
	{ HDR "m=audio 5004 RTP/AVP 97\nc=IN IP4 239.1.1.1/64\na=rtpmap:97 L24/48000/2\n"
	      "a=fmtp:97 channel-order=SMPTE2110.(XX)\n",
	  -SY_E_CHANNEL_ORDER, 8, "invalid" },
	{ HDR "m=audio 5004 RTP/AVP 97\nc=IN IP4 239.1.1.1/64\na=rtpmap:97 L24/44100/2\n"
	      "a=ptime:1\n",
	  -SY_E_PTIME, 8, "44100" },
	{ HDR "m=audio 5004 RTP/AVP 97\nc=IN IP4 239.1.1.1/64\na=ptime:abc\n", -SY_E_SDP_VALUE, 7,
	  "ptime" },
	{ HDR "m=audio 5004 RTP/AVP 97\nc=IN IP4 239.1.1.1/64\na=ptime:0.1234567\n",
	  -SY_E_SDP_VALUE, 7, "ptime" },
	{ HDR "m=audio 5004 RTP/AVP 97\na=source-filter: excl IN IP4 239.1.1.1 1.2.3.4\n",
	  -SY_E_SDP_UNSUPPORTED, 6, "excl" },
	{ HDR "m=audio 5004 RTP/AVP 97\na=ts-refclk:ptp=IEEE1588-2008:zz:1\n", -SY_E_SDP_VALUE,
	  6, "EUI-64" },
	{ HDR "m=audio 5004 RTP/AVP 97\na=mediaclk:direct=x\n", -SY_E_SDP_VALUE, 6, "offset" },
	{ HDR "m=audio 5004 RTP/AVP 97\na=mediaclk:direct=0\na=mediaclk:direct=0\n",
	  -SY_E_SDP_DUPLICATE, 7, "mediaclk" },
	{ HDR "m=video 5004 RTP/AVP 96\nc=IN IP4 239.1.1.1/64\na=rtpmap:96 smpte291/90000\n"
	      "a=fmtp:96 DID_SDID={0x61}\n",
	  -SY_E_SDP_VALUE, 8, "DID_SDID" },
	{ "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=a\x01z\r\n", -SY_E_SDP_SYNTAX, 3, "control byte" },
	{ "v=0\no=- 1 1 IN IP4 10.0.0.1\ns=x\rt=0 0\n", -SY_E_SDP_SYNTAX, 3, "control byte" },
	{ "", -SY_E_SDP_MISSING, 1, "v=" },
};

static void test_malformed(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad *b = &bad_cases[i];
		struct sy_sdp_error e;
		int rc = sy_sdp_parse(b->text, strlen(b->text), &sdp, &e);
		char prefix[32];

		if (rc != b->code || e.line != b->line || e.code != b->code ||
		    !strstr(e.reason, b->reason))
			fail_msg("case %zu: got %d (%s) line %u '%s'; want %d (%s) line %u '%s'", i, rc,
				 sy_err_name(rc), e.line, e.reason, b->code, sy_err_name(b->code),
				 b->line, b->reason);
		snprintf(prefix, sizeof(prefix), "line %u: ", b->line);
		assert_int_equal(strncmp(e.reason, prefix, strlen(prefix)), 0);
	}
	/* NUL inside the text is a control byte, not the end */
	{
		static const char t[] = "v=0\no=- 1 1 IN IP4 10.0.0.1\ns=a\0b\nt=0 0\n";
		struct sy_sdp_error e;

		assert_int_equal(sy_sdp_parse(t, sizeof(t) - 1, &sdp, &e), -SY_E_SDP_SYNTAX);
		assert_int_equal(e.line, 3);
	}
	/* err may be NULL */
	assert_int_equal(sy_sdp_parse("v=2\n", 4, &sdp, NULL), -SY_E_SDP_VALUE);
}

static void test_five_media(void **state)
{
	static char text[4096];
	struct sy_sdp_error e;

	(void)state;
	strcpy(text, HDR);
	for (int i = 0; i < 4; i++)
		strcat(text, VID FMTP "width=320; height=180; exactframerate=25\n");
	assert_int_equal(sy_sdp_parse(text, strlen(text), &sdp, &e), 0);
	assert_int_equal(sdp.n_media, 4);
	strcat(text, VID);
	assert_int_equal(sy_sdp_parse(text, strlen(text), &sdp, &e), -SY_E_SDP_UNSUPPORTED);
	assert_int_equal(e.line, 4 + 4 * 4 + 1);
}

/* --- builder --- */

static void test_builder(void **state)
{
	const uint8_t gm[8] = { 0x39, 0xa7, 0x94, 0xff, 0xfe, 0x07, 0xcb, 0xd0 };
	struct sy_sdp_transport tv = { IP(239, 1, 1, 1), IP(10, 0, 0, 1), 5004, 64, 96 };
	struct sy_sdp_transport ta = { IP(239, 1, 1, 2), IP(10, 0, 0, 1), 5006, 64, 97 };
	struct sy_sdp_transport tn = { IP(239, 1, 1, 3), 0, 5008, 0, 100 };
	struct sy_video_format vf = sy_format_make(1920, 1080, true, 25, 1, 10);
	struct sy_st2110_30_format af;
	struct sy_sdp_anc anc = { .n_did_sdid = 1, .did_sdid = { { 0x60, 0x60 } } };
	struct sy_sdp_error e;
	struct sy_sdp b;
	int n;

	(void)state;
	memset(&af, 0, sizeof(af));
	af.encoding = SY_ST2110_30_L24;
	af.rate_hz = 48000;
	af.channels = 8;
	af.ptime_ns = 125000;
	assert_int_equal(sy_st2110_30_order_parse("SMPTE2110.(ST,51)", 17, &af.order), 0);

	sy_sdp_init(&b, "Switchyard PGM", 42, IP(10, 0, 0, 1));
	assert_int_equal(sy_sdp_add_video(&b, &tv, &vf, SY_SDP_TP_N), 0);
	assert_int_equal(sy_sdp_add_audio(&b, &ta, &af), 1);
	assert_int_equal(sy_sdp_add_anc(&b, &tn, &anc), 2);
	assert_int_equal(sy_sdp_add_video(&b, &tv, &vf, SY_SDP_TP_N), 3);
	assert_int_equal(sy_sdp_add_anc(&b, &tn, NULL), -SY_E_NOSPACE);
	assert_int_equal(sy_sdp_set_ptp(&b, -1, gm, 127), 0);
	assert_int_equal(sy_sdp_set_dup(&b, 0, 3, "v1", "v2"), 0);
	assert_int_equal(sy_sdp_set_dup(&b, 0, 0, "a", "b"), -SY_E_RANGE);
	assert_int_equal(sy_sdp_set_dup(&b, 0, 3, "a b", "c"), -SY_E_RANGE);
	vf.width = 321;
	b.n_media = 3;
	assert_int_equal(sy_sdp_add_video(&b, &tv, &vf, SY_SDP_TP_N), -SY_E_FORMAT);
	b.n_media = 4;

	n = sy_sdp_emit(&b, out, sizeof(out), SY_SDP_EOL_LF);
	assert_true(n > 0);
	assert_non_null(strstr(out, "o=- 42 42 IN IP4 10.0.0.1\ns=Switchyard PGM\nt=0 0\n"
				    "a=group:DUP v1 v2\n"
				    "a=ts-refclk:ptp=IEEE1588-2008:39-A7-94-FF-FE-07-CB-D0:127\n"
				    "a=mediaclk:direct=0\n"));
	assert_non_null(strstr(out, "a=fmtp:96 sampling=YCbCr-4:2:2; width=1920; height=1080; "
				    "exactframerate=25; depth=10; TCS=SDR; colorimetry=BT709; "
				    "PM=2110GPM; SSN=ST2110-20:2017; TP=2110TPN; interlace\n"));
	assert_non_null(strstr(out, "a=rtpmap:97 L24/48000/8\n"
				    "a=fmtp:97 channel-order=SMPTE2110.(ST,51)\na=ptime:0.125\n"));
	assert_non_null(strstr(out, "m=video 5008 RTP/AVP 100\nc=IN IP4 239.1.1.3\n"
				    "a=rtpmap:100 smpte291/90000\na=fmtp:100 DID_SDID={0x60,0x60}\n"));
	/* what we write, we read back identically and without warnings
	 * except NO_TTL for the ANC flow we built without TTL */
	assert_int_equal(sy_sdp_parse(out, (size_t)n, &sdp, &e), 0);
	assert_true(sy_sdp_equal(&b, &sdp));
	assert_int_equal(sdp.n_warnings, 1);
	assert_int_equal(sdp.warnings[0].code, SY_SDP_W_NO_TTL);
	/* sy_sdp_equal sees a difference */
	sdp.media[1].audio.fmt.order.groups[1].kind = SY_ST2110_30_GROUP_71;
	assert_false(sy_sdp_equal(&b, &sdp));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors_byte_exact),
		cmocka_unit_test(test_vector_video),
		cmocka_unit_test(test_vector_audio),
		cmocka_unit_test(test_uhd_hlg),
		cmocka_unit_test(test_1080i50),
		cmocka_unit_test(test_dup),
		cmocka_unit_test(test_anc),
		cmocka_unit_test(test_warnings),
		cmocka_unit_test(test_no_nul_terminator),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_five_media),
		cmocka_unit_test(test_builder),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
