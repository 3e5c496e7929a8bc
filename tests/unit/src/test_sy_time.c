/* SPDX-License-Identifier: MIT */
/*
 * test_sy_time.c: TAI <-> RTP mapping, frame/sample grids, TAI/UTC.
 * Expected values are worked out by hand in the comments (exact rationals).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cmocka.h>

#include "sy_err.h"
#include "sy_time.h"

#define W32 (1ull << 32)
/* A current TAI time: 1.8e18 ns is early 2027 (2026 is ~1.77e18). */
#define T_2027 1800000000000000000ull

static const struct sy_rate R5994 = { 60000, 1001 };
static const struct sy_rate R2997 = { 30000, 1001 };
static const struct sy_rate R23976 = { 24000, 1001 };
static const struct sy_rate R11988 = { 120000, 1001 };
static const struct sy_rate R50 = { 50, 1 };
static const struct sy_rate R25 = { 25, 1 };

static void test_ticks_small(void **state)
{
	uint64_t t;

	(void)state;
	assert_int_equal(sy_time_tai_to_rtp(0, SY_TIME_VIDEO_HZ), 0);
	/* 1 tick at 90 kHz = 11111.11 ns: 11111 ns is still tick 0, 11112 is 1. */
	assert_int_equal(sy_time_tai_to_ticks(11111, SY_TIME_VIDEO_HZ), 0);
	assert_int_equal(sy_time_tai_to_ticks(11112, SY_TIME_VIDEO_HZ), 1);
	assert_int_equal(sy_time_ticks_to_tai(1, SY_TIME_VIDEO_HZ, &t), 0);
	assert_int_equal(t, 11112);
	/* 9 ticks = 100000 ns exactly. */
	assert_int_equal(sy_time_ticks_to_tai(9, SY_TIME_VIDEO_HZ, &t), 0);
	assert_int_equal(t, 100000);
	assert_int_equal(sy_time_tai_to_ticks(99999, SY_TIME_VIDEO_HZ), 8);
	assert_int_equal(sy_time_tai_to_ticks(100000, SY_TIME_VIDEO_HZ), 9);
	/* 48 kHz: 1 sample = 20833.33 ns. */
	assert_int_equal(sy_time_tai_to_ticks(20833, SY_TIME_AUDIO_HZ), 0);
	assert_int_equal(sy_time_tai_to_ticks(20834, SY_TIME_AUDIO_HZ), 1);
	assert_int_equal(sy_time_ticks_to_tai(1, 0, &t), -SY_E_RANGE);
}

static void test_ticks_huge(void **state)
{
	uint64_t t;

	(void)state;
	/* 1.8e18 ns * 90000 / 1e9 = 162e12 ticks (the product 1.62e23 overflows
	 * 64 bits); 162e12 - 37718 * 2^32 = 2423529472. */
	assert_int_equal(sy_time_tai_to_ticks(T_2027, SY_TIME_VIDEO_HZ), 162000000000000ull);
	assert_int_equal(sy_time_tai_to_rtp(T_2027, SY_TIME_VIDEO_HZ), 2423529472u);
	/* 48 kHz: 86.4e12 samples; 86.4e12 - 20116 * 2^32 = 2437873664. */
	assert_int_equal(sy_time_tai_to_ticks(T_2027, SY_TIME_AUDIO_HZ), 86400000000000ull);
	assert_int_equal(sy_time_tai_to_rtp(T_2027, SY_TIME_AUDIO_HZ), 2437873664u);
	assert_int_equal(sy_time_ticks_to_tai(162000000000000ull, SY_TIME_VIDEO_HZ, &t), 0);
	assert_int_equal(t, T_2027);
	/* Even the top of uint64 does not overflow (2^64 - 1 ns = year 2554). */
	assert_int_equal(sy_time_tai_to_ticks(UINT64_MAX, SY_TIME_VIDEO_HZ),
			 1660206966633859ull); /* floor(18446744073709551615 * 9e4 / 1e9) */
}

static void test_rtp_wrap(void **state)
{
	uint64_t t_last, t_wrap;

	(void)state;
	/* The instants of ticks 2^32 - 1 and 2^32 (ts 0xFFFFFFFF -> 0). */
	assert_int_equal(sy_time_ticks_to_tai(W32 - 1, SY_TIME_VIDEO_HZ, &t_last), 0);
	assert_int_equal(sy_time_ticks_to_tai(W32, SY_TIME_VIDEO_HZ, &t_wrap), 0);
	/* 2^32 * 1e9 / 9e4 = 47721858844444.44 -> first ns 47721858844445. */
	assert_int_equal(t_wrap, 47721858844445ull);
	assert_int_equal(sy_time_tai_to_rtp(t_last, SY_TIME_VIDEO_HZ), 0xFFFFFFFFu);
	assert_int_equal(sy_time_tai_to_rtp(t_wrap - 1, SY_TIME_VIDEO_HZ), 0xFFFFFFFFu);
	assert_int_equal(sy_time_tai_to_rtp(t_wrap, SY_TIME_VIDEO_HZ), 0);
	assert_int_equal(sy_time_tai_to_rtp(t_last - 1, SY_TIME_VIDEO_HZ), 0xFFFFFFFEu);
}

static void test_unwrap(void **state)
{
	uint64_t ref = 5 * W32 + 100;

	(void)state;
	/* Same wrap, ahead and behind. */
	assert_int_equal(sy_time_rtp_unwrap(150, ref), 5 * W32 + 150);
	assert_int_equal(sy_time_rtp_unwrap(50, ref), 5 * W32 + 50);
	/* Reference just after a wrap, timestamp just before it: go back. */
	assert_int_equal(sy_time_rtp_unwrap(0xFFFFFFF0u, ref), 5 * W32 - 16);
	/* Reference just before a wrap, timestamp just after: go forward. */
	assert_int_equal(sy_time_rtp_unwrap(5, 6 * W32 - 10), 6 * W32 + 5);
	/* Half-range limits: +2^31 - 1 forward, -2^31 backward. */
	assert_int_equal(sy_time_rtp_unwrap((uint32_t)(100 + 0x7FFFFFFFu), ref),
			 ref + 0x7FFFFFFFull);
	assert_int_equal(sy_time_rtp_unwrap((uint32_t)(100 + 0x80000000u), ref),
			 ref - 0x80000000ull);
	/* Near the epoch nothing goes negative: the next wrap is taken. */
	assert_int_equal(sy_time_rtp_unwrap(0xFFFFFFF0u, 10), W32 - 16);
}

static void test_rtp_to_tai_across_wrap(void **state)
{
	uint64_t t_wrap, t, t_before;

	(void)state;
	/* Reference 1 s after the wrap instant at 2027; timestamps either side. */
	uint64_t wrap_ticks = (162000000000000ull / W32 + 1) * W32;

	assert_int_equal(sy_time_ticks_to_tai(wrap_ticks, SY_TIME_VIDEO_HZ, &t_wrap), 0);
	assert_int_equal(sy_time_rtp_to_tai(0xFFFFFFFFu, SY_TIME_VIDEO_HZ,
					    t_wrap + 1000000000ull, &t), 0);
	assert_int_equal(sy_time_ticks_to_tai(wrap_ticks - 1, SY_TIME_VIDEO_HZ, &t_before), 0);
	assert_int_equal(t, t_before);
	assert_true(t < t_wrap);
	assert_int_equal(sy_time_tai_to_rtp(t, SY_TIME_VIDEO_HZ), 0xFFFFFFFFu);
	/* Reference 1 s before the wrap, timestamp 3 just after it. */
	assert_int_equal(sy_time_rtp_to_tai(3, SY_TIME_VIDEO_HZ, t_wrap - 1000000000ull, &t), 0);
	assert_true(t > t_wrap);
	assert_int_equal(sy_time_tai_to_ticks(t, SY_TIME_VIDEO_HZ), wrap_ticks + 3);
	/* Reference 6 h away (< 6.63 h half wrap) still maps right. */
	assert_int_equal(sy_time_rtp_to_tai(3, SY_TIME_VIDEO_HZ,
					    t_wrap + 6ull * 3600 * 1000000000ull, &t), 0);
	assert_int_equal(sy_time_tai_to_ticks(t, SY_TIME_VIDEO_HZ), wrap_ticks + 3);
	/* Round trip of the 2027 time itself (1.8e18 is on a tick: 162e12). */
	assert_int_equal(sy_time_rtp_to_tai(2423529472u, SY_TIME_VIDEO_HZ, T_2027 + 12345, &t), 0);
	assert_int_equal(t, T_2027);
	/* Audio clock. */
	assert_int_equal(sy_time_rtp_to_tai(2437873664u, SY_TIME_AUDIO_HZ, T_2027 - 777, &t), 0);
	assert_int_equal(t, T_2027);
}

static void test_frame_boundaries(void **state)
{
	struct sy_time_frame f;

	(void)state;
	/* 59.94: frame 3 starts at 3 * 1001/60000 s = 50050000 ns exactly. */
	assert_int_equal(sy_time_frame_at_or_after(50050000, R5994, SY_TIME_VIDEO_HZ, &f), 0);
	assert_int_equal(f.index, 3);
	assert_int_equal(f.start_ns, 50050000);
	assert_int_equal(f.rtp_ts, 4504); /* floor(3 * 1501.5) */
	assert_int_equal(sy_time_frame_at_or_after(50050001, R5994, SY_TIME_VIDEO_HZ, &f), 0);
	assert_int_equal(f.index, 4);
	assert_int_equal(f.start_ns, 66733334); /* ceil(66733333.33) */
	assert_int_equal(f.rtp_ts, 6006);
	assert_int_equal(sy_time_frame_at_or_after(50049999, R5994, SY_TIME_VIDEO_HZ, &f), 0);
	assert_int_equal(f.index, 3);
	/* Frame 1 starts at 16683333.33 ns: ...333 is before it, ...334 after. */
	assert_int_equal(sy_time_frame_at_or_after(16683333, R5994, SY_TIME_VIDEO_HZ, &f), 0);
	assert_int_equal(f.index, 1);
	assert_int_equal(f.start_ns, 16683334);
	assert_int_equal(f.rtp_ts, 1501);
	assert_int_equal(sy_time_frame_at_or_after(16683334, R5994, SY_TIME_VIDEO_HZ, &f), 0);
	assert_int_equal(f.index, 2);
	assert_int_equal(sy_time_frame_at_or_after(0, R5994, SY_TIME_VIDEO_HZ, &f), 0);
	assert_int_equal(f.index, 0);
	assert_int_equal(f.start_ns, 0);
	assert_int_equal(f.rtp_ts, 0);
	/* frame containing: the largest k with start <= t. */
	assert_int_equal(sy_time_frame_containing(50050000, R5994), 3);
	assert_int_equal(sy_time_frame_containing(50049999, R5994), 2);
	/* bad rate */
	struct sy_rate zero = { 0, 1 };
	assert_int_equal(sy_time_frame_at_or_after(1, zero, SY_TIME_VIDEO_HZ, &f), -SY_E_RANGE);
	zero.num = 1;
	zero.den = 0;
	assert_int_equal(sy_time_frame_info(1, zero, SY_TIME_VIDEO_HZ, &f), -SY_E_RANGE);
	assert_int_equal(sy_time_frame_containing(1, zero), 0);
}

static void test_frame_boundaries_huge(void **state)
{
	struct sy_time_frame f;

	(void)state;
	/* At 1.8e18 ns: k = ceil(1.8e18 * 60000 / 1001e9) = 107892107893, which
	 * starts at 5400000000044650000/3 = 1800000000014883333.33 ns. */
	assert_int_equal(sy_time_frame_at_or_after(T_2027, R5994, SY_TIME_VIDEO_HZ, &f), 0);
	assert_int_equal(f.index, 107892107893ull);
	assert_int_equal(f.start_ns, 1800000000014883334ull);
	assert_int_equal(f.rtp_ts, 2423530811u);
	assert_int_equal(sy_time_frame_at_or_after(1800000000014883333ull, R5994,
						   SY_TIME_VIDEO_HZ, &f), 0);
	assert_int_equal(f.index, 107892107893ull);
	assert_int_equal(sy_time_frame_at_or_after(1800000000014883334ull, R5994,
						   SY_TIME_VIDEO_HZ, &f), 0);
	assert_int_equal(f.index, 107892107894ull);
	/* k = 107892107895 (a multiple of 3) starts on a whole ns:
	 * k * 1001e9 / 60000 = 1800000000048250000 exactly. */
	assert_int_equal(sy_time_frame_at_or_after(1800000000048250000ull, R5994,
						   SY_TIME_VIDEO_HZ, &f), 0);
	assert_int_equal(f.index, 107892107895ull);
	assert_int_equal(f.start_ns, 1800000000048250000ull);
	assert_int_equal(f.rtp_ts, 2423533814u);
	assert_int_equal(sy_time_frame_at_or_after(1800000000048250001ull, R5994,
						   SY_TIME_VIDEO_HZ, &f), 0);
	assert_int_equal(f.index, 107892107896ull);
	assert_int_equal(sy_time_frame_containing(1800000000048250000ull, R5994),
			 107892107895ull);
	assert_int_equal(sy_time_frame_containing(1800000000048249999ull, R5994),
			 107892107894ull);
}

/* 1,000,000 frames of 59.94 from a start chosen so the 32-bit timestamp wraps
 * inside the range: deltas alternate 1501/1502, sum exactly 1501.5e6. */
static void test_5994_cadence(void **state)
{
	/* k0 = ceil(((162e12 / 2^32 + 1) * 2^32 - 5e8) * 60000 / (1001 * 90000)):
	 * its timestamp is 3794967878, ~5e8 ticks before a wrap. */
	const uint64_t k0 = 107893021271ull;
	struct sy_time_frame f;
	uint32_t prev_ts, prev_delta = 0;
	uint64_t sum = 0, n_1501 = 0, n_1502 = 0, n_wraps = 0;

	(void)state;
	assert_int_equal(sy_time_frame_info(k0, R5994, SY_TIME_VIDEO_HZ, &f), 0);
	assert_int_equal(f.rtp_ts, 3794967878u);
	prev_ts = f.rtp_ts;
	for (uint64_t i = 1; i <= 1000000; i++) {
		assert_int_equal(sy_time_frame_info(k0 + i, R5994, SY_TIME_VIDEO_HZ, &f), 0);
		uint32_t delta = f.rtp_ts - prev_ts; /* mod 2^32 */
		if (f.rtp_ts < prev_ts)
			n_wraps++;
		if (delta == 1501)
			n_1501++;
		else if (delta == 1502)
			n_1502++;
		else
			fail_msg("delta %u at frame %llu", delta, (unsigned long long)(k0 + i));
		if (prev_delta != 0 && delta == prev_delta)
			fail_msg("no alternation at frame %llu", (unsigned long long)(k0 + i));
		prev_delta = delta;
		sum += delta;
		prev_ts = f.rtp_ts;
	}
	assert_int_equal(sum, 1501500000ull);
	assert_int_equal(n_1501, 500000);
	assert_int_equal(n_1502, 500000);
	assert_int_equal(n_wraps, 1);
	/* frame_of_ticks inverts the grid: the frame whose timestamp this is. */
	uint64_t ticks = (uint64_t)((unsigned __int128)(k0 + 777) * 1001 * 90000 / 60000);
	assert_int_equal(sy_time_frame_of_ticks(ticks, R5994, SY_TIME_VIDEO_HZ), k0 + 777);
	assert_int_equal(sy_time_frame_of_ticks(ticks + 1, R5994, SY_TIME_VIDEO_HZ), k0 + 778);
	assert_int_equal(sy_time_frame_of_ticks(ticks - 1, R5994, SY_TIME_VIDEO_HZ), k0 + 777);
}

static void test_frame_nearest_ticks(void **state)
{
	(void)state;
	/* 59.94: frame 4 at exactly 6006 ticks, frame 5 at 7507.5. */
	assert_int_equal(sy_time_frame_nearest_ticks(6006, R5994, SY_TIME_VIDEO_HZ), 4);
	assert_int_equal(sy_time_frame_nearest_ticks(6005, R5994, SY_TIME_VIDEO_HZ), 4);
	assert_int_equal(sy_time_frame_nearest_ticks(6756, R5994, SY_TIME_VIDEO_HZ), 4); /* 750 vs 751.5 */
	assert_int_equal(sy_time_frame_nearest_ticks(6757, R5994, SY_TIME_VIDEO_HZ), 5); /* 751 vs 750.5 */
	/* 50: frames at 0 and 1800; 900 is a tie -> the later frame. */
	assert_int_equal(sy_time_frame_nearest_ticks(899, R50, SY_TIME_VIDEO_HZ), 0);
	assert_int_equal(sy_time_frame_nearest_ticks(900, R50, SY_TIME_VIDEO_HZ), 1);
	assert_int_equal(sy_time_frame_nearest_ticks(0, R50, SY_TIME_VIDEO_HZ), 0);
	/* frame_of_ticks is the ceiling: 6007 -> 5. */
	assert_int_equal(sy_time_frame_of_ticks(6007, R5994, SY_TIME_VIDEO_HZ), 5);
	assert_int_equal(sy_time_frame_of_ticks(6006, R5994, SY_TIME_VIDEO_HZ), 4);
}

static void check_rate(struct sy_rate r, const uint32_t *deltas, size_t n_deltas,
		       uint64_t period_start_ns)
{
	struct sy_time_frame f0, f;

	/* One whole cadence cycle from frame 0, then again from a huge frame
	 * that is a multiple of the cycle (same pattern, wrapped). */
	const uint64_t bases[2] = { 0, 100000000000ull - 100000000000ull % n_deltas };
	for (int b = 0; b < 2; b++) {
		assert_int_equal(sy_time_frame_info(bases[b], r, SY_TIME_VIDEO_HZ, &f0), 0);
		uint32_t prev = f0.rtp_ts;
		for (size_t i = 1; i <= 3 * n_deltas; i++) {
			assert_int_equal(sy_time_frame_info(bases[b] + i, r, SY_TIME_VIDEO_HZ, &f), 0);
			assert_int_equal((uint32_t)(f.rtp_ts - prev), deltas[(i - 1) % n_deltas]);
			prev = f.rtp_ts;
		}
	}
	assert_int_equal(sy_time_frame_info(1, r, SY_TIME_VIDEO_HZ, &f), 0);
	assert_int_equal(f.start_ns, period_start_ns);
}

static void test_rates(void **state)
{
	(void)state;
	/* 50: 20 ms, 1800 ticks. 25: 40 ms, 3600 ticks. */
	static const uint32_t d50[] = { 1800 }, d25[] = { 3600 };
	/* 29.97: 1001/30000 s = 33366666.67 ns, 3003 ticks exactly. */
	static const uint32_t d2997[] = { 3003 };
	/* 23.976: 3753.75 ticks: floor(k*3753.75) = 0, 3753, 7507, 11261, 15015. */
	static const uint32_t d23976[] = { 3753, 3754, 3754, 3754 };
	/* 119.88: 750.75 ticks: 0, 750, 1501, 2252, 3003. */
	static const uint32_t d11988[] = { 750, 751, 751, 751 };
	/* 59.94: 1501.5 ticks. */
	static const uint32_t d5994[] = { 1501, 1502 };

	check_rate(R50, d50, 1, 20000000);
	check_rate(R25, d25, 1, 40000000);
	check_rate(R2997, d2997, 1, 33366667);
	check_rate(R23976, d23976, 4, 41708334); /* 41708333.33 */
	check_rate(R11988, d11988, 4, 8341667);  /* 8341666.67 */
	check_rate(R5994, d5994, 2, 16683334);
}

static void test_audio_samples(void **state)
{
	struct sy_time_frame s;

	(void)state;
	assert_int_equal(sy_time_sample_at_or_after(0, SY_TIME_AUDIO_HZ, &s), 0);
	assert_int_equal(s.index, 0);
	/* Sample 1 at 20833.33 ns: 20833 -> sample 1 (starts 20834); 20834 -> 2. */
	assert_int_equal(sy_time_sample_at_or_after(20833, SY_TIME_AUDIO_HZ, &s), 0);
	assert_int_equal(s.index, 1);
	assert_int_equal(s.start_ns, 20834);
	assert_int_equal(s.rtp_ts, 1);
	assert_int_equal(sy_time_sample_at_or_after(20834, SY_TIME_AUDIO_HZ, &s), 0);
	assert_int_equal(s.index, 2);
	/* Sample 3 at exactly 62500 ns. */
	assert_int_equal(sy_time_sample_at_or_after(62500, SY_TIME_AUDIO_HZ, &s), 0);
	assert_int_equal(s.index, 3);
	assert_int_equal(s.start_ns, 62500);
	assert_int_equal(sy_time_sample_at_or_after(62501, SY_TIME_AUDIO_HZ, &s), 0);
	assert_int_equal(s.index, 4);
	/* 1 ms packets: sample 48 at 1 ms exactly. */
	assert_int_equal(sy_time_sample_at_or_after(1000000, SY_TIME_AUDIO_HZ, &s), 0);
	assert_int_equal(s.index, 48);
	/* Huge: 1.8e18 ns = sample 86.4e12 exactly; rtp 2437873664. */
	assert_int_equal(sy_time_sample_at_or_after(T_2027, SY_TIME_AUDIO_HZ, &s), 0);
	assert_int_equal(s.index, 86400000000000ull);
	assert_int_equal(s.start_ns, T_2027);
	assert_int_equal(s.rtp_ts, 2437873664u);
	assert_int_equal(sy_time_sample_at_or_after(T_2027 + 1, SY_TIME_AUDIO_HZ, &s), 0);
	assert_int_equal(s.index, 86400000000001ull);
	assert_int_equal(s.start_ns, T_2027 + 20834);
	assert_int_equal(sy_time_sample_at_or_after(1, 0, &s), -SY_E_RANGE);
}

static void test_frame_audio_alignment(void **state)
{
	/* 59.94 frame k at k * 800.8 samples: ceil = 0, 801, 1602, 2403, 3204,
	 * 4004 (exact), 4805, ... whole only when k % 5 == 0. */
	static const uint64_t expect[] = { 0, 801, 1602, 2403, 3204, 4004, 4805, 5606, 6407,
					   7208, 8008 };
	uint64_t n;
	bool exact;

	(void)state;
	for (uint64_t k = 0; k < 11; k++) {
		assert_int_equal(sy_time_frame_to_sample(k, R5994, SY_TIME_AUDIO_HZ, &n, &exact), 0);
		assert_int_equal(n, expect[k]);
		assert_int_equal(exact, k % 5 == 0);
	}
	/* Huge frame index: 107892107895 is a multiple of 5, 107892107893 not. */
	assert_int_equal(sy_time_frame_to_sample(107892107895ull, R5994, SY_TIME_AUDIO_HZ, &n,
						 &exact), 0);
	assert_true(exact);
	assert_int_equal(n, 86400000002316ull); /* 107892107895 * 800.8 */
	assert_int_equal(sy_time_frame_to_sample(107892107893ull, R5994, SY_TIME_AUDIO_HZ, &n,
						 &exact), 0);
	assert_false(exact);
	assert_int_equal(n, 86400000000715ull); /* ceil(107892107893 * 800.8 = 86400000000714.4) */
	/* Samples per frame over 5 frames: 801, 801, 801, 801, 800 = 4004. And the
	 * ns path agrees with the exact one only off the 5-frame points: frame 5
	 * starts at 83416666.67 ns = sample 4004 exactly, but its ns ceiling is
	 * after that sample, so the ns path names 4005. */
	struct sy_time_frame f, s;
	assert_int_equal(sy_time_frame_info(5, R5994, SY_TIME_VIDEO_HZ, &f), 0);
	assert_int_equal(f.start_ns, 83416667);
	assert_int_equal(sy_time_sample_at_or_after(f.start_ns, SY_TIME_AUDIO_HZ, &s), 0);
	assert_int_equal(s.index, 4005);
	/* 50 fps: 960 samples a frame, every frame exact. */
	assert_int_equal(sy_time_frame_to_sample(7, R50, SY_TIME_AUDIO_HZ, &n, &exact), 0);
	assert_int_equal(n, 6720);
	assert_true(exact);
}

static void test_tai_utc(void **state)
{
	uint64_t t, u;

	(void)state;
	assert_int_equal(sy_time_utc_to_tai(T_2027, SY_TIME_TAI_UTC_DEFAULT_S, &t), 0);
	assert_int_equal(t, T_2027 + 37000000000ull);
	assert_int_equal(sy_time_tai_to_utc(t, SY_TIME_TAI_UTC_DEFAULT_S, &u), 0);
	assert_int_equal(u, T_2027);
	/* Other offsets (e.g. before 2017: 36 s). */
	assert_int_equal(sy_time_utc_to_tai(1000, 36, &t), 0);
	assert_int_equal(t, 36000001000ull);
	/* Underflow and overflow. */
	assert_int_equal(sy_time_tai_to_utc(36999999999ull, 37, &u), -SY_E_RANGE);
	assert_int_equal(sy_time_tai_to_utc(37000000000ull, 37, &u), 0);
	assert_int_equal(u, 0);
	assert_int_equal(sy_time_utc_to_tai(UINT64_MAX - 36999999999ull, 37, &t), -SY_E_RANGE);
	assert_int_equal(sy_time_utc_to_tai(UINT64_MAX - 37000000000ull, 37, &t), 0);
	assert_int_equal(t, UINT64_MAX);
}

static void test_now_tai(void **state)
{
	struct timespec ts;
	uint64_t t, utc;

	(void)state;
	assert_int_equal(sy_time_now_tai(SY_TIME_TAI_UTC_DEFAULT_S, &t), 0);
	assert_int_equal(clock_gettime(CLOCK_REALTIME, &ts), 0);
	utc = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
	/* TAI is 37 s ahead of the UTC read just after (within 1 s). */
	assert_true(t > utc + 36000000000ull);
	assert_true(t <= utc + 37000000000ull);
	assert_true(t > 1704067200000000000ull); /* after 2024-01-01 */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ticks_small),
		cmocka_unit_test(test_ticks_huge),
		cmocka_unit_test(test_rtp_wrap),
		cmocka_unit_test(test_unwrap),
		cmocka_unit_test(test_rtp_to_tai_across_wrap),
		cmocka_unit_test(test_frame_boundaries),
		cmocka_unit_test(test_frame_boundaries_huge),
		cmocka_unit_test(test_5994_cadence),
		cmocka_unit_test(test_frame_nearest_ticks),
		cmocka_unit_test(test_rates),
		cmocka_unit_test(test_audio_samples),
		cmocka_unit_test(test_frame_audio_alignment),
		cmocka_unit_test(test_tai_utc),
		cmocka_unit_test(test_now_tai),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
