/* SPDX-License-Identifier: MIT */
/*
 * test_sy_st2110_21.c: ST 2110-21 model values (the notes' worked table, the
 * MTL log figures, 720p and 1080i by hand) and the streaming Cinst / VRX /
 * verdict on synthetic packet schedules whose times are known exactly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sy_err.h"
#include "sy_format.h"
#include "sy_st2110_21.h"

#define S128 __int128

/* ---- model ---- */

struct worked {
	const char *name;
	uint32_t width, height, num, den, n;
	uint64_t t_rs_dns;
	uint32_t cmax_n, cmax_w, vrx_n, vrx_w;
	uint64_t tro_ns;
	int32_t rtp_max;
};

static void check_worked(const struct worked *w, bool interlaced)
{
	struct sy_video_format fmt = sy_format_make(w->width, w->height, interlaced, w->num, w->den, 10);
	struct sy_st2110_21_model m;

	print_message("%s\n", w->name);
	assert_int_equal(sy_st2110_21_model_init(&m, &fmt, w->n, SY_ST2110_21_GAPPED), 0);
	assert_int_equal(m.t_rs_dns, w->t_rs_dns);
	assert_int_equal(m.cmax_narrow, w->cmax_n);
	assert_int_equal(m.cmax_wide, w->cmax_w);
	assert_int_equal(m.vrx_full_narrow, w->vrx_n);
	assert_int_equal(m.vrx_full_wide, w->vrx_w);
	assert_int_equal(m.tro_default_round_ns, w->tro_ns);
	assert_int_equal(m.rtp_offset_min_ticks, -1);
	assert_int_equal(m.rtp_offset_max_ticks, w->rtp_max);
}

/* The table of /work/shared/notes/st2110.md (4:2:2 10-bit, GPM 1200 / BPM 1260). */
static void test_model_worked_values(void **state)
{
	static const struct worked table[] = {
		/* T_RS = 1001/60000 s * 1080/1125 / 4320 = 3707.407 ns; TRO = 43/1125 *
		 * 16683333.3 = 637674.07 ns; ceil(637674.07e-9 * 90000 = 57.39) + 1 = 59 */
		{ "1080p59.94 GPM", 1920, 1080, 60000, 1001, 4320, 37074, 6, 16, 9, 863, 637674, 59 },
		/* The MTL log: N 4115, trs 3892.1, tr offset 637674, cinst 5/16, vrx 9/822,
		 * rtp offset max 59. */
		{ "1080p59.94 BPM", 1920, 1080, 60000, 1001, 4115, 38921, 5, 16, 9, 822, 637674, 59 },
		/* 20 ms * 0.96 / 4320 = 4444.44; TRO 43/1125 * 20 ms = 764444.4 ns;
		 * ceil(68.8) + 1 = 70 */
		{ "1080p50 GPM", 1920, 1080, 50, 1, 4320, 44444, 5, 16, 8, 720, 764444, 70 },
		{ "2160p59.94 GPM", 3840, 2160, 60000, 1001, 17280, 9269, 24, 47, 38, 3452, 637674, 59 },
		{ "2160p50 GPM", 3840, 2160, 50, 1, 17280, 11111, 20, 40, 32, 2880, 764444, 70 },
		/* 720p59.94, 1280x720 4:2:2 10-bit = 2304000 bytes = 1920 packets of 1200:
		 * T_RS = 16683333.33 * 0.96 / 1920 = 8341.67 ns (720/750 = 1080/1125 = 0.96);
		 * TRO = 28/750 * 16683333.33 = 622844.4 ns; ceil(56.06) + 1 = 58;
		 * Cmax N = 1920 / (43200 * 0.96 * 0.0166833) = 2.78 -> 4; W 5.33 -> 16;
		 * VRX N 1920 / (27000 * 0.0166833) = 4.26 -> 8; W 383.6 -> 720. */
		{ "720p59.94 GPM", 1280, 720, 60000, 1001, 1920, 83417, 4, 16, 8, 720, 622844, 58 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		check_worked(&table[i], false);
}

static void test_model_interlaced(void **state)
{
	/* 1080i50: T_FRAME = field period 20 ms, N = 2160 per field.
	 * T_RS = 20 ms * 1080/1125 / 2160 = 8888.9 ns; TRO = 22/1125 * 40 ms (the
	 * FRAME period) = 782222.2 ns; ceil(70.4) + 1 = 72; Cmax N = 2160 /
	 * (43200 * 0.96 * 0.02) = 2.6 -> 4; W 5 -> 16; VRX N 4 -> 8; W 360 -> 720. */
	static const struct worked w = { "1080i50", 1920, 1080, 25, 1, 2160, 88889, 4, 16, 8, 720,
					 782222, 72 };
	struct sy_video_format fmt = sy_format_make(720, 576, true, 25, 1, 10);
	struct sy_st2110_21_model m;

	(void)state;
	check_worked(&w, true);
	/* 576i25: R_ACTIVE 576/625, TRO 26/625 * 40 ms = 1664000 ns exactly. */
	assert_int_equal(sy_st2110_21_model_init(&m, &fmt, 1000, SY_ST2110_21_GAPPED), 0);
	assert_int_equal(m.r_active.num, 576);
	assert_int_equal(m.r_active.den, 625);
	assert_int_equal(m.tro_default_round_ns, 1664000);
	assert_int_equal(m.t_frame_ns.num, 20000000);
	assert_int_equal(m.t_frame_ns.den, 1);
	/* 480i29.97: R_ACTIVE 487/525, TRO 20/525 * 1001/30000 s = 1271111.1 ns. */
	fmt = sy_format_make(720, 480, true, 30000, 1001, 10);
	assert_int_equal(sy_st2110_21_model_init(&m, &fmt, 1000, SY_ST2110_21_GAPPED), 0);
	assert_int_equal(m.r_active.num, 487);
	assert_int_equal(m.r_active.den, 525);
	assert_int_equal(m.tro_default_round_ns, 1271111);
}

static void test_model_exact(void **state)
{
	struct sy_video_format fmt = sy_format_make(1920, 1080, false, 60000, 1001, 10);
	struct sy_st2110_21_model m;

	(void)state;
	assert_int_equal(sy_st2110_21_model_init(&m, &fmt, 4320, SY_ST2110_21_GAPPED), 0);
	/* T_FRAME = 1001e9/60000 = 50050000/3 ns. */
	assert_int_equal(m.t_frame_ns.num, 50050000);
	assert_int_equal(m.t_frame_ns.den, 3);
	/* T_RS = 1001e9 * 1080 / (60000 * 1125 * 4320) = 100100/27 ns (3707.407). */
	assert_int_equal(m.t_rs_ns.num, 100100);
	assert_int_equal(m.t_rs_ns.den, 27);
	/* TRO = 43 * 1001e9 / (1125 * 60000) = 17217200/27 ns. */
	assert_int_equal(m.tro_default_ns.num, 17217200);
	assert_int_equal(m.tro_default_ns.den, 27);
	assert_int_equal(sy_st2110_21_ratio_floor(m.tro_default_ns), 637674);
	/* T_drain = 1001e9 * 10 / (60000 * 4320 * 11) = 1137500/324 = 284375/81. */
	assert_int_equal(m.t_drain_ns.num, 284375);
	assert_int_equal(m.t_drain_ns.den, 81);
	/* Linear: R_ACTIVE 1, T_RS = 1001e9 / (60000 * 4320) = 3861.88 ns, Cmax N
	 * = 4320 / (43200 * 0.0166833) = 5.99 -> 5 (gapped: 6). */
	assert_int_equal(sy_st2110_21_model_init(&m, &fmt, 4320, SY_ST2110_21_LINEAR), 0);
	assert_int_equal(m.t_rs_dns, 38619);
	assert_int_equal(m.cmax_narrow, 5);
	assert_int_equal(m.vrx_full_narrow, 9);
	/* rounding helpers: 5/2 -> 2 / 3, 7/3 -> 2 / 2 */
	struct sy_st2110_21_ratio r = { 5, 2 };
	assert_int_equal(sy_st2110_21_ratio_floor(r), 2);
	assert_int_equal(sy_st2110_21_ratio_round(r), 3);
	r.num = 7;
	r.den = 3;
	assert_int_equal(sy_st2110_21_ratio_round(r), 2);
	/* signalled TRO */
	assert_int_equal(sy_st2110_21_model_set_tro_ns(&m, 500000), 0);
	assert_int_equal(m.tro_ns.num, 500000);
	assert_int_equal(m.tro_ns.den, 1);
	assert_int_equal(sy_st2110_21_model_set_tro_ns(&m, 16683333), 0);
	assert_int_equal(sy_st2110_21_model_set_tro_ns(&m, 16683334), -SY_E_RANGE);
}

static void test_model_errors(void **state)
{
	struct sy_video_format fmt = sy_format_make(1920, 1080, false, 60000, 1001, 10);
	struct sy_st2110_21_model m;

	(void)state;
	assert_int_equal(sy_st2110_21_model_init(&m, &fmt, 0, SY_ST2110_21_GAPPED), -SY_E_RANGE);
	assert_int_equal(sy_st2110_21_model_init(&m, &fmt, (1u << 20) + 1, SY_ST2110_21_GAPPED),
			 -SY_E_RANGE);
	assert_int_equal(sy_st2110_21_model_init(&m, &fmt, 1u << 20, SY_ST2110_21_GAPPED), 0);
	assert_int_equal(sy_st2110_21_model_init(&m, &fmt, 10, SY_ST2110_21_SCHEDULE_MAX),
			 -SY_E_RANGE);
	fmt.rate.num = 0;
	assert_int_equal(sy_st2110_21_model_init(&m, &fmt, 10, SY_ST2110_21_GAPPED), -SY_E_RANGE);
	fmt.rate.num = 1000;
	fmt.rate.den = 1001; /* < 1 frame/s */
	assert_int_equal(sy_st2110_21_model_init(&m, &fmt, 10, SY_ST2110_21_GAPPED), -SY_E_RANGE);
	fmt.rate.num = 240000; /* 239.76 */
	assert_int_equal(sy_st2110_21_model_init(&m, &fmt, 10, SY_ST2110_21_GAPPED), 0);
	fmt.rate.num = (1u << 18) + 1;
	assert_int_equal(sy_st2110_21_model_init(&m, &fmt, 10, SY_ST2110_21_GAPPED), -SY_E_RANGE);
	fmt.rate.num = 60000;
	fmt.rate.den = 2049;
	assert_int_equal(sy_st2110_21_model_init(&m, &fmt, 10, SY_ST2110_21_GAPPED), -SY_E_RANGE);
	fmt.rate.den = 1001;
	fmt.height = 0;
	assert_int_equal(sy_st2110_21_model_init(&m, &fmt, 10, SY_ST2110_21_GAPPED), -SY_E_FORMAT);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(sy_st2110_21_type_name(SY_ST2110_21_TYPE_N), "2110TPN");
	assert_string_equal(sy_st2110_21_type_name(SY_ST2110_21_TYPE_NL), "2110TPNL");
	assert_string_equal(sy_st2110_21_type_name(SY_ST2110_21_TYPE_W), "2110TPW");
	assert_null(sy_st2110_21_type_name(SY_ST2110_21_TYPE_MAX));
	assert_string_equal(sy_st2110_21_reason_name(SY_ST2110_21_REASON_CINST), "cinst");
	assert_null(sy_st2110_21_reason_name(SY_ST2110_21_REASON_MAX));
	assert_true(sy_st2110_21_type_meets(SY_ST2110_21_TYPE_N, SY_ST2110_21_TYPE_W));
	assert_true(sy_st2110_21_type_meets(SY_ST2110_21_TYPE_NL, SY_ST2110_21_TYPE_NL));
	assert_true(sy_st2110_21_type_meets(SY_ST2110_21_TYPE_N, SY_ST2110_21_TYPE_NL));
	assert_false(sy_st2110_21_type_meets(SY_ST2110_21_TYPE_W, SY_ST2110_21_TYPE_N));
	assert_false(sy_st2110_21_type_meets(SY_ST2110_21_TYPE_NL, SY_ST2110_21_TYPE_N));
	assert_false(sy_st2110_21_type_meets(SY_ST2110_21_TYPE_NOT_COMPLIANT, SY_ST2110_21_TYPE_W));
}

/* ---- Cinst by hand ---- */

/* 1080p50 with N = 2000: T_FRAME / N = 10000 ns, T_drain = 10000 / 1.1 =
 * 9090.909 ns. Arrivals (offsets from t0) and drains D = floor(dt / T_drain):
 *   dt     0  0  0  9091  9091  18181  18182  40000
 *   D      0  0  0  1     1     1      2      4
 *   Cinst  0  1  2  2     3     4      4      3     (c + 1 - dD, floor 0) */
static void test_cinst_by_hand(void **state)
{
	static const uint64_t dt[] = { 0, 0, 0, 9091, 9091, 18181, 18182, 40000 };
	static const uint32_t expect[] = { 0, 1, 2, 2, 3, 4, 4, 3 };
	struct sy_video_format fmt = sy_format_make(1920, 1080, false, 50, 1, 10);
	struct sy_st2110_21_stream s;
	struct sy_st2110_21_packet p;
	const uint64_t t0 = 1800000000000000000ull;

	(void)state;
	assert_int_equal(sy_st2110_21_stream_init(&s, &fmt, 2000, SY_ST2110_21_TPR0_RTP), 0);
	for (size_t i = 0; i < 8; i++) {
		sy_st2110_21_stream_feed(&s, t0 + dt[i], i == 0, 0, &p);
		assert_int_equal(p.cinst, expect[i]);
	}
	assert_int_equal(s.cinst_max, 4);
	assert_int_equal(s.cinst_hist[0], 1);
	assert_int_equal(s.cinst_hist[1], 1);
	assert_int_equal(s.cinst_hist[2], 2);
	assert_int_equal(s.cinst_hist[3], 2);
	assert_int_equal(s.cinst_hist[4], 2);
	assert_int_equal(s.cinst_hist[5], 0);
	/* A packet 1 ms later: 110 drains, the bucket is empty again. */
	sy_st2110_21_stream_feed(&s, t0 + 1040000, false, 0, &p);
	assert_int_equal(p.cinst, 0);
	/* An arrival earlier than the previous one counts as simultaneous. */
	sy_st2110_21_stream_feed(&s, t0 + 1039000, false, 0, &p);
	assert_int_equal(p.cinst, 1);
	assert_int_equal(s.n_time_backwards, 1);
}

/* ---- synthetic 1080p59.94 GPM schedules (N = 4320) ----
 * Exact instants in units of 1/D ns, D = 60000 * 1125 * 4320:
 *   frame k start  = k * 1001e9 / 60000          -> k * 1001e9 * 1125 * 4320 units
 *   TRO            = 43/1125 * frame period      -> 43 * 1001e9 * 4320 units
 *   T_RS gapped    = period * 1080/1125 / 4320   -> 1001e9 * 1080 units
 *   T_RS linear    = period / 4320               -> 1001e9 * 1125 units
 * K0 = 107892107895 starts on a whole ns: 1800000000048250000; its RTP
 * timestamp is floor(K0 * 1501.5) mod 2^32 = 2423533814, and TPR0 =
 * 1800000000048887674.07 ns. */
#define N_PKTS 4320u
#define K0 107892107895ull
#define UNITS_PER_NS ((S128)60000 * 1125 * N_PKTS)

static S128 tpr_units(uint64_t k, S128 i_units_num, bool linear)
{
	/* TPR0 of frame k + i_units_num / 1000 packets of T_RS (i in 1/1000) */
	S128 start = (S128)k * 1001000000000ll * 1125 * N_PKTS + (S128)43 * 1001000000000ll * N_PKTS;
	S128 rs = (S128)1001000000000ll * (linear ? 1125 : 1080);

	return start + i_units_num * rs / 1000;
}

static uint64_t ceil_ns(S128 u)
{
	return (uint64_t)(u / UNITS_PER_NS + (u % UNITS_PER_NS != 0));
}

static uint32_t rtp_of(uint64_t k)
{
	return (uint32_t)((S128)k * 1001 * 90000 / 60000);
}

static void stream_1080p5994(struct sy_st2110_21_stream *s)
{
	struct sy_video_format fmt = sy_format_make(1920, 1080, false, 60000, 1001, 10);

	assert_int_equal(sy_st2110_21_stream_init(s, &fmt, N_PKTS, SY_ST2110_21_TPR0_RTP), 0);
}

/* Frame k, packet i arrives at ceil(TPR_i + shift) (shift in 1/1000 T_RS), or
 * just before TPR_i + shift (ceil - 1) if before is set. */
static void feed_frame(struct sy_st2110_21_stream *s, uint64_t k, int64_t shift_milli,
		       bool before, bool linear, uint32_t rtp_ts)
{
	for (uint32_t i = 0; i < N_PKTS; i++) {
		uint64_t t = ceil_ns(tpr_units(k, (S128)i * 1000 + shift_milli, linear));

		sy_st2110_21_stream_feed(s, before ? t - 1 : t, i == 0, rtp_ts, NULL);
	}
}

static void test_paced_gapped(void **state)
{
	struct sy_st2110_21_stream s;
	struct sy_st2110_21_verdict v;

	(void)state;
	assert_int_equal(ceil_ns(tpr_units(K0, 0, false)), 1800000000048887675ull);
	assert_int_equal(rtp_of(K0), 2423533814u);
	stream_1080p5994(&s);
	for (uint64_t k = K0; k < K0 + 3; k++)
		feed_frame(&s, k, 0, false, false, rtp_of(k));
	assert_true(sy_st2110_21_stream_flush(&s));
	assert_false(sy_st2110_21_stream_flush(&s));
	assert_int_equal(s.n_frames, 3);
	assert_int_equal(s.n_packets, 3 * N_PKTS);
	/* Spacing T_RS = 1.056 T_drain: the bucket never holds a packet. */
	assert_int_equal(s.cinst_max, 0);
	/* Every packet arrives at (the ns ceiling of) its own read: VRX 0. */
	assert_int_equal(s.vrx_min[SY_ST2110_21_GAPPED], 0);
	assert_int_equal(s.vrx_max[SY_ST2110_21_GAPPED], 0);
	/* Read linearly (T_RS = period / N, slower than arrivals), the buffer
	 * grows to ceil(0.04 * i) at the end of the active lines: 173. */
	assert_int_equal(s.vrx_max[SY_ST2110_21_LINEAR], 173);
	/* Two judged gaps, both gapped (180 T_RS of vertical blanking). */
	assert_int_equal(s.n_gapped, 2);
	assert_int_equal(s.n_linear, 0);
	assert_int_equal(sy_st2110_21_stream_schedule(&s), SY_ST2110_21_GAPPED);
	/* Frame summary: the third frame. */
	assert_int_equal(s.last_frame.index, K0 + 2);
	assert_int_equal(s.last_frame.rtp_ts, rtp_of(K0 + 2));
	assert_int_equal(s.last_frame.n_packets, N_PKTS);
	assert_int_equal(s.last_frame.rtp_offset_ticks, 0);
	assert_int_equal(s.last_frame.gap_after, SY_ST2110_21_SCHEDULE_MAX);
	/* Latency of frame K0: first packet 1800000000048887675 - tick time of
	 * 162000000004342 ticks (ceil(...*1e9/9e4) = 1800000000048244445) = 643230. */
	assert_int_equal(s.rtp_offset_min_ticks, 0);
	assert_int_equal(s.rtp_offset_max_ticks, 0);
	assert_true(s.latency_min_ns > 600000 && s.latency_max_ns < 700000);

	sy_st2110_21_stream_verdict(&s, SY_ST2110_21_SCHEDULE_MAX, &v);
	assert_int_equal(v.type, SY_ST2110_21_TYPE_N);
	assert_int_equal(v.reason, SY_ST2110_21_REASON_NONE);
	assert_int_equal(v.flags, 0);
	assert_int_equal(v.schedule, SY_ST2110_21_GAPPED);
	assert_int_equal(v.cmax_narrow, 6);
	assert_int_equal(v.vrx_full_wide, 863);
	/* Forced linear: VRX 173 > 9 (narrow) but <= 863 -> wide. */
	sy_st2110_21_stream_verdict(&s, SY_ST2110_21_LINEAR, &v);
	assert_int_equal(v.type, SY_ST2110_21_TYPE_W);
	assert_int_equal(v.flags, SY_ST2110_21_F_VRX_OVER_NARROW);
	assert_int_equal(v.vrx_max, 173);
}

static void test_latency_exact(void **state)
{
	struct sy_st2110_21_stream s;
	struct sy_st2110_21_packet p;

	(void)state;
	stream_1080p5994(&s);
	feed_frame(&s, K0, 0, false, false, rtp_of(K0));
	/* 1800000000048887675 - 1800000000048244445 */
	assert_int_equal(s.frame.latency_ns, 643230);
	assert_int_equal(s.frame.index, K0);
	/* ARRIVAL mode names the same frame here. */
	struct sy_video_format fmt = sy_format_make(1920, 1080, false, 60000, 1001, 10);
	assert_int_equal(sy_st2110_21_stream_init(&s, &fmt, N_PKTS, SY_ST2110_21_TPR0_ARRIVAL), 0);
	feed_frame(&s, K0, 0, false, false, 12345 /* garbage ts: ignored for TPR0 */);
	assert_int_equal(s.frame.index, K0);
	assert_int_equal(s.vrx_max[SY_ST2110_21_GAPPED], 0);
	/* Packets before any frame start: Cinst only. */
	stream_1080p5994(&s);
	assert_false(sy_st2110_21_stream_feed(&s, 1000, false, 0, &p));
	assert_false(p.in_frame);
	assert_int_equal(s.n_packets_unsynced, 1);
}

/* Every packet just before the read 2 packets ahead of its own: at the
 * arrival of packet i, reads = i - 2 (clamped at 0), VRX = i + 1 - reads:
 * 1, 2, 3, 3, 3, ... */
static void test_early_by_two(void **state)
{
	struct sy_st2110_21_stream s;
	struct sy_st2110_21_verdict v;

	(void)state;
	stream_1080p5994(&s);
	for (uint64_t k = K0; k < K0 + 3; k++)
		feed_frame(&s, k, -2000, true, false, rtp_of(k));
	assert_int_equal(s.frame.vrx_min[SY_ST2110_21_GAPPED], 1);
	assert_int_equal(s.frame.vrx_max[SY_ST2110_21_GAPPED], 3);
	assert_int_equal(s.vrx_min[SY_ST2110_21_GAPPED], 1);
	assert_int_equal(s.vrx_max[SY_ST2110_21_GAPPED], 3);
	assert_int_equal(s.cinst_max, 0);
	sy_st2110_21_stream_verdict(&s, SY_ST2110_21_SCHEDULE_MAX, &v);
	assert_int_equal(v.type, SY_ST2110_21_TYPE_N);
}

/* The previous frame's unread packets still count: frame K0 sent 30 reads
 * early, then frame K0+1 starts just before TPR0' - 200 T_RS = TPR0 + 4300
 * T_RS (T_FRAME = 4500 T_RS). Frame K0 has had 4300 reads: backlog 20, plus
 * the new packet (no read of K0+1 yet) = 21. */
static void test_previous_frame_backlog(void **state)
{
	struct sy_st2110_21_stream s;
	struct sy_st2110_21_packet p;
	uint64_t t = ceil_ns(tpr_units(K0 + 1, -200000, false)) - 1;

	(void)state;
	assert_true(t == ceil_ns(tpr_units(K0, 4300000, false)) - 1);
	stream_1080p5994(&s);
	feed_frame(&s, K0, -30000, true, false, rtp_of(K0));
	assert_int_equal(s.frame.vrx_max[SY_ST2110_21_GAPPED], 31);
	assert_true(sy_st2110_21_stream_feed(&s, t, true, rtp_of(K0 + 1), &p));
	assert_true(p.in_frame);
	assert_int_equal(p.vrx[SY_ST2110_21_GAPPED], 21);
	/* Just before K0's last read (TPR0 + 4319 T_RS): backlog 1, K0+1 holds 2
	 * -> 3. At TPR0 + 4320 T_RS K0 is fully read: backlog 0, K0+1 holds 3. */
	assert_false(sy_st2110_21_stream_feed(&s, ceil_ns(tpr_units(K0, 4319000, false)) - 1,
					      false, rtp_of(K0 + 1), &p));
	assert_int_equal(p.vrx[SY_ST2110_21_GAPPED], 3);
	sy_st2110_21_stream_feed(&s, ceil_ns(tpr_units(K0, 4320000, false)), false, rtp_of(K0 + 1), &p);
	assert_int_equal(p.vrx[SY_ST2110_21_GAPPED], 3);
	/* The completed frame summary. */
	assert_int_equal(s.last_frame.index, K0);
	assert_int_equal(s.last_frame.n_packets, N_PKTS);
	assert_int_equal(s.last_frame.vrx_min[SY_ST2110_21_GAPPED], 1);
}

/* VRX_FULL narrow boundary (9): early by 8 -> VRX 9 -> N; by 9 -> 10 -> W. */
static void test_vrx_narrow_boundary(void **state)
{
	struct sy_st2110_21_stream s;
	struct sy_st2110_21_verdict v;

	(void)state;
	stream_1080p5994(&s);
	for (uint64_t k = K0; k < K0 + 3; k++)
		feed_frame(&s, k, -8000, true, false, rtp_of(k));
	sy_st2110_21_stream_verdict(&s, SY_ST2110_21_SCHEDULE_MAX, &v);
	assert_int_equal(v.vrx_max, 9);
	assert_int_equal(v.type, SY_ST2110_21_TYPE_N);

	stream_1080p5994(&s);
	for (uint64_t k = K0; k < K0 + 3; k++)
		feed_frame(&s, k, -9000, true, false, rtp_of(k));
	sy_st2110_21_stream_verdict(&s, SY_ST2110_21_SCHEDULE_MAX, &v);
	assert_int_equal(v.vrx_max, 10);
	assert_int_equal(v.cinst_max, 0);
	assert_int_equal(v.type, SY_ST2110_21_TYPE_W);
	assert_int_equal(v.flags, SY_ST2110_21_F_VRX_OVER_NARROW);
}

/* Every packet one read late: at its arrival its read and the next are done:
 * VRX = -1 (the last packet: reads clamp at N, VRX 0) -> underrun. */
static void test_late_underrun(void **state)
{
	struct sy_st2110_21_stream s;
	struct sy_st2110_21_verdict v;

	(void)state;
	stream_1080p5994(&s);
	for (uint64_t k = K0; k < K0 + 3; k++)
		feed_frame(&s, k, 1000, false, false, rtp_of(k));
	assert_int_equal(s.vrx_min[SY_ST2110_21_GAPPED], -1);
	assert_int_equal(s.vrx_max[SY_ST2110_21_GAPPED], 0);
	sy_st2110_21_stream_verdict(&s, SY_ST2110_21_SCHEDULE_MAX, &v);
	assert_int_equal(v.type, SY_ST2110_21_TYPE_NOT_COMPLIANT);
	assert_int_equal(v.reason, SY_ST2110_21_REASON_VRX_UNDERRUN);
	assert_int_equal(v.flags, SY_ST2110_21_F_VRX_UNDERRUN);
}

/* One whole frame in one burst at TPR0: Cinst climbs 0..4319; VRX at the
 * last packet = 4320 - 1 read = 4319. */
static void test_burst(void **state)
{
	struct sy_st2110_21_stream s;
	struct sy_st2110_21_verdict v;
	uint64_t t = ceil_ns(tpr_units(K0, 0, false));

	(void)state;
	stream_1080p5994(&s);
	for (uint32_t i = 0; i < N_PKTS; i++)
		sy_st2110_21_stream_feed(&s, t, i == 0, rtp_of(K0), NULL);
	assert_int_equal(s.cinst_max, N_PKTS - 1);
	assert_int_equal(s.vrx_max[SY_ST2110_21_GAPPED], N_PKTS - 1);
	for (int b = 0; b < SY_ST2110_21_HIST_BUCKETS - 1; b++)
		assert_int_equal(s.cinst_hist[b], 1);
	assert_int_equal(s.cinst_hist[SY_ST2110_21_HIST_BUCKETS - 1], N_PKTS - 63);
	sy_st2110_21_stream_verdict(&s, SY_ST2110_21_SCHEDULE_MAX, &v);
	assert_int_equal(v.type, SY_ST2110_21_TYPE_NOT_COMPLIANT);
	assert_int_equal(v.reason, SY_ST2110_21_REASON_CINST);
	assert_int_equal(v.flags, SY_ST2110_21_F_CINST_OVER_NARROW | SY_ST2110_21_F_CINST_OVER_WIDE |
					  SY_ST2110_21_F_VRX_OVER_NARROW |
					  SY_ST2110_21_F_VRX_OVER_WIDE |
					  SY_ST2110_21_F_SCHEDULE_GUESSED);
}

/* Paced frames; in the middle frame, packets 100 .. 100+B-1 all leave with
 * packet 100 (at its read time). Before the burst the bucket is empty, so
 * Cinst peaks at B - 1; VRX at packet 100+j is j, peak B - 1. */
static void run_burst(uint32_t burst, struct sy_st2110_21_verdict *v)
{
	struct sy_st2110_21_stream s;

	stream_1080p5994(&s);
	feed_frame(&s, K0, 0, false, false, rtp_of(K0));
	for (uint32_t i = 0; i < N_PKTS; i++) {
		uint32_t at = (i >= 100 && i < 100 + burst) ? 100 : i;
		uint64_t t = ceil_ns(tpr_units(K0 + 1, (S128)at * 1000, false));

		sy_st2110_21_stream_feed(&s, t, i == 0, rtp_of(K0 + 1), NULL);
	}
	feed_frame(&s, K0 + 2, 0, false, false, rtp_of(K0 + 2));
	assert_int_equal(s.cinst_max, burst - 1);
	assert_int_equal(s.vrx_max[SY_ST2110_21_GAPPED], burst - 1);
	assert_int_equal(s.vrx_min[SY_ST2110_21_GAPPED], 0);
	sy_st2110_21_stream_verdict(&s, SY_ST2110_21_SCHEDULE_MAX, v);
}

static void test_cmax_boundaries(void **state)
{
	struct sy_st2110_21_verdict v;

	(void)state;
	/* Cmax narrow = 6: a burst of 7 -> Cinst 6 -> still narrow. */
	run_burst(7, &v);
	assert_int_equal(v.cinst_max, 6);
	assert_int_equal(v.type, SY_ST2110_21_TYPE_N);
	assert_int_equal(v.flags, 0);
	/* One packet more -> 7 > 6 -> wide. */
	run_burst(8, &v);
	assert_int_equal(v.cinst_max, 7);
	assert_int_equal(v.type, SY_ST2110_21_TYPE_W);
	assert_int_equal(v.flags, SY_ST2110_21_F_CINST_OVER_NARROW);
	/* Cmax wide = 16: burst 17 -> 16 -> wide (VRX 16 > 9 too). */
	run_burst(17, &v);
	assert_int_equal(v.cinst_max, 16);
	assert_int_equal(v.type, SY_ST2110_21_TYPE_W);
	assert_int_equal(v.reason, SY_ST2110_21_REASON_NONE);
	/* burst 18 -> 17 > 16 -> not compliant, Cinst. */
	run_burst(18, &v);
	assert_int_equal(v.cinst_max, 17);
	assert_int_equal(v.type, SY_ST2110_21_TYPE_NOT_COMPLIANT);
	assert_int_equal(v.reason, SY_ST2110_21_REASON_CINST);
	assert_int_equal(v.flags, SY_ST2110_21_F_CINST_OVER_NARROW | SY_ST2110_21_F_CINST_OVER_WIDE |
					  SY_ST2110_21_F_VRX_OVER_NARROW);
}

/* A linear sender: packets every period / N from TPR0, no vertical gap. */
static void test_linear_sender(void **state)
{
	struct sy_st2110_21_stream s;
	struct sy_st2110_21_verdict v;

	(void)state;
	stream_1080p5994(&s);
	for (uint64_t k = K0; k < K0 + 3; k++)
		feed_frame(&s, k, 0, false, true, rtp_of(k));
	assert_int_equal(s.n_linear, 2);
	assert_int_equal(s.n_gapped, 0);
	assert_int_equal(sy_st2110_21_stream_schedule(&s), SY_ST2110_21_LINEAR);
	assert_int_equal(s.vrx_max[SY_ST2110_21_LINEAR], 0);
	assert_int_equal(s.vrx_min[SY_ST2110_21_LINEAR], 0);
	/* Gapped reads outrun linear arrivals: -ceil(0.04 i) at worst = -172. */
	assert_int_equal(s.vrx_min[SY_ST2110_21_GAPPED], -172);
	assert_int_equal(s.cinst_max, 0);
	sy_st2110_21_stream_verdict(&s, SY_ST2110_21_SCHEDULE_MAX, &v);
	assert_int_equal(v.type, SY_ST2110_21_TYPE_NL);
	assert_int_equal(v.schedule, SY_ST2110_21_LINEAR);
	assert_int_equal(v.cmax_narrow, 5);
	assert_true(sy_st2110_21_type_meets(v.type, SY_ST2110_21_TYPE_NL));
	assert_false(sy_st2110_21_type_meets(v.type, SY_ST2110_21_TYPE_N));
}

/* RTP offset window [-1, 59]: timestamps shifted from the grid. */
static void test_rtp_offset_window(void **state)
{
	static const struct {
		int32_t shift;
		bool flagged;
	} cases[] = { { 0, false }, { 59, false }, { 60, true }, { -1, false }, { -2, true } };
	struct sy_st2110_21_stream s;
	struct sy_st2110_21_verdict v;

	(void)state;
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		stream_1080p5994(&s);
		for (uint64_t k = K0; k < K0 + 2; k++)
			feed_frame(&s, k, 0, false, false, rtp_of(k) + (uint32_t)cases[c].shift);
		assert_int_equal(s.rtp_offset_min_ticks, cases[c].shift);
		assert_int_equal(s.rtp_offset_max_ticks, cases[c].shift);
		/* The nearest grid frame is still K0 + 1: VRX unchanged. */
		assert_int_equal(s.frame.index, K0 + 1);
		assert_int_equal(s.vrx_max[SY_ST2110_21_GAPPED], 0);
		sy_st2110_21_stream_verdict(&s, SY_ST2110_21_SCHEDULE_MAX, &v);
		assert_int_equal(v.type, SY_ST2110_21_TYPE_N);
		assert_int_equal(!!(v.flags & SY_ST2110_21_F_RTP_OFFSET), cases[c].flagged);
	}
}

static void test_no_data(void **state)
{
	struct sy_st2110_21_stream s;
	struct sy_st2110_21_verdict v;
	struct sy_video_format fmt = sy_format_make(1920, 1080, false, 60000, 1001, 10);

	(void)state;
	stream_1080p5994(&s);
	sy_st2110_21_stream_verdict(&s, SY_ST2110_21_SCHEDULE_MAX, &v);
	assert_int_equal(v.type, SY_ST2110_21_TYPE_NOT_COMPLIANT);
	assert_int_equal(v.reason, SY_ST2110_21_REASON_NO_DATA);
	assert_int_equal(sy_st2110_21_stream_schedule(&s), SY_ST2110_21_SCHEDULE_MAX);
	assert_int_equal(sy_st2110_21_stream_init(&s, &fmt, 0, SY_ST2110_21_TPR0_RTP), -SY_E_RANGE);
	assert_int_equal(sy_st2110_21_stream_init(&s, &fmt, 10, SY_ST2110_21_TPR0_MAX), -SY_E_RANGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_model_worked_values),
		cmocka_unit_test(test_model_interlaced),
		cmocka_unit_test(test_model_exact),
		cmocka_unit_test(test_model_errors),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_cinst_by_hand),
		cmocka_unit_test(test_paced_gapped),
		cmocka_unit_test(test_latency_exact),
		cmocka_unit_test(test_early_by_two),
		cmocka_unit_test(test_previous_frame_backlog),
		cmocka_unit_test(test_vrx_narrow_boundary),
		cmocka_unit_test(test_late_underrun),
		cmocka_unit_test(test_burst),
		cmocka_unit_test(test_cmax_boundaries),
		cmocka_unit_test(test_linear_sender),
		cmocka_unit_test(test_rtp_offset_window),
		cmocka_unit_test(test_no_data),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
