/* SPDX-License-Identifier: MIT */
/*
 * test_sy_2022_7.c: ST 2022-7 merge window. Every scenario asserts the
 * exact per-leg counters, computed in the comments.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sy_2022_7.h"
#include "sy_err.h"

#define MS 1000000ull

struct win {
	struct sy_2022_7 w;
	void *mem;
};

static void win_open(struct win *x, uint32_t cap, uint64_t age_ns, uint32_t age_pkts,
		     uint32_t rate_hz, bool ext)
{
	struct sy_2022_7_config cfg = {
		.capacity = cap, .max_age_ns = age_ns, .max_age_pkts = age_pkts,
		.clock_rate_hz = rate_hz, .use_ext_seq = ext,
	};
	size_t n = sy_2022_7_storage_bytes(cap);
	assert_true(n > 0);
	x->mem = malloc(n);
	assert_non_null(x->mem);
	assert_int_equal(sy_2022_7_init(&x->w, x->mem, n, &cfg), 0);
}

static void win_close(struct win *x)
{
	free(x->mem);
}

static void assert_leg(const struct sy_2022_7 *w, unsigned leg, uint64_t packets,
		       uint64_t first, uint64_t dup, uint64_t too_old, uint64_t lost)
{
	const struct sy_2022_7_leg_stats *s = &w->stats.leg[leg];
	assert_int_equal(s->packets, packets);
	assert_int_equal(s->first, first);
	assert_int_equal(s->duplicates, dup);
	assert_int_equal(s->too_old, too_old);
	assert_int_equal(s->lost, lost);
}

static void test_sizes(void **state)
{
	(void)state;
	/* 2160p59.94 GPM: 17280 * 60000 / 1001 = 1,035,764.2 pkt/s -> 1,035,765;
	 * * 0.150 s = 155,364.75 -> 155,365 -> 2^18 = 262,144. */
	assert_int_equal(sy_2022_7_capacity(1035765, 150 * MS), 262144);
	assert_int_equal(sy_2022_7_capacity(1000, 50 * MS), 64);     /* 50 -> 64 */
	assert_int_equal(sy_2022_7_capacity(1000, 16 * MS), 16);     /* exactly 16 */
	assert_int_equal(sy_2022_7_capacity(1000, 17 * MS), 32);
	assert_int_equal(sy_2022_7_capacity(0, 150 * MS), 16);       /* minimum */
	assert_int_equal(sy_2022_7_capacity(100000000, 1000 * MS), 0); /* 1e8 > 2^24 */
	assert_int_equal(sy_2022_7_capacity(UINT64_MAX, 2), 0);      /* overflow */
	/* 24 octets per entry + 2 index words of 4. */
	assert_int_equal(sizeof(struct sy_2022_7_entry), 24);
	assert_int_equal(sy_2022_7_storage_bytes(16), 16 * 32);
	assert_int_equal(sy_2022_7_storage_bytes(262144), 8388608);
	assert_int_equal(sy_2022_7_storage_bytes(0), 0);
	assert_int_equal(sy_2022_7_storage_bytes(8), 0);
	assert_int_equal(sy_2022_7_storage_bytes(24), 0);
	assert_int_equal(sy_2022_7_storage_bytes(1u << 25), 0);
}

static void test_init_errors(void **state)
{
	(void)state;
	static uint64_t mem[(16 * 32) / 8 + 1];
	struct sy_2022_7 w;
	struct sy_2022_7_config cfg = { .capacity = 16, .max_age_ns = MS };
	assert_int_equal(sy_2022_7_init(&w, mem, 512, &cfg), 0);
	assert_int_equal(sy_2022_7_init(&w, mem, 511, &cfg), -SY_E_NOSPACE);
	assert_int_equal(sy_2022_7_init(&w, (uint8_t *)mem + 4, 512, &cfg), -EINVAL);
	assert_int_equal(sy_2022_7_init(&w, NULL, 512, &cfg), -EINVAL);
	assert_int_equal(sy_2022_7_init(&w, mem, 512, NULL), -EINVAL);
	cfg.capacity = 24;
	assert_int_equal(sy_2022_7_init(&w, mem, 512, &cfg), -SY_E_RANGE);
	cfg.capacity = 0;
	assert_int_equal(sy_2022_7_init(&w, mem, 512, &cfg), -SY_E_RANGE);
	cfg.capacity = 16;
	assert_int_equal(sy_2022_7_init(&w, mem, 512, &cfg), 0);
	assert_int_equal(sy_2022_7_check(&w, 2, 0, 0, 0), -SY_E_RANGE);
	assert_int_equal(sy_2022_7_check(&w, 0, 0, 0, 0), 0);
	assert_int_equal(sy_2022_7_live(&w), 1);
	sy_2022_7_reset(&w);
	assert_int_equal(sy_2022_7_live(&w), 0);
	assert_int_equal(w.stats.leg[0].packets, 0);
	assert_int_equal(sy_2022_7_check(&w, 1, 0, 0, 0), 0); /* new again after reset */
}

/* A0 B0 A1 B1 ...: audio, 1 ms packets, 48 ticks each. */
static void test_interleaved(void **state)
{
	(void)state;
	struct win x;
	win_open(&x, 64, 10 * MS, 0, 48000, false);
	for (uint32_t k = 0; k < 1000; k++) {
		uint64_t t = k * MS;
		assert_int_equal(sy_2022_7_check(&x.w, 0, 1000 + 48 * k, (uint16_t)k, t), 0);
		assert_int_equal(sy_2022_7_check(&x.w, 1, 1000 + 48 * k, (uint16_t)k, t + 1000),
				 -SY_E_DUPLICATE);
	}
	sy_2022_7_flush(&x.w);
	assert_leg(&x.w, 0, 1000, 1000, 0, 0, 0);
	assert_leg(&x.w, 1, 1000, 0, 1000, 0, 0);
	assert_int_equal(x.w.stats.evicted_early, 0);
	win_close(&x);
}

/*
 * 2160p59.94 GPM: 17280 packets per frame, frame period 1001/60 ms, so one
 * packet every 1001e9 / (60000 * 17280) = 965.47 ns; RTP ts advances
 * floor(f * 3003 / 2) per frame f (1501/1502 alternating). Leg B is 150 ms
 * behind: 155,365 packets, i.e. the 16-bit sequence wraps 2.37 times
 * between a packet's two copies. The timestamp keeps them apart.
 * ts starts 0x4000 before its wrap (wraps in frame 11), seq at 60000.
 * drop_every: leg A loses every packet with g % drop_every == 7 (0: none).
 */
#define UHD_PPF 17280u
#define UHD_FRAMES 20u
#define UHD_N (UHD_PPF * UHD_FRAMES)

static uint64_t uhd_t(uint64_t g)
{
	return g * 1001000000000ull / (60000ull * UHD_PPF);
}

static uint32_t uhd_ts(uint64_t g)
{
	return 0xFFFFC000u + (uint32_t)((g / UHD_PPF) * 3003u / 2u);
}

static void uhd_run(unsigned drop_every, uint64_t *drops_out)
{
	struct win x;
	uint32_t cap = sy_2022_7_capacity(1035765, 150 * MS);
	assert_int_equal(cap, 262144);
	win_open(&x, cap, 150 * MS, 0, 90000, false);

	const uint64_t delay = 150 * MS;
	/* The point of the test: more than two seq16 wraps inside the delay. */
	assert_true(delay * 60000ull * UHD_PPF / 1001000000000ull > 2u * 65536u);

	uint64_t i = 0, j = 0, drops = 0;
	while (i < UHD_N || j < UHD_N) {
		bool take_a = i < UHD_N && (j >= UHD_N || uhd_t(i) <= uhd_t(j) + delay);
		if (take_a) {
			if (drop_every && i % drop_every == 7) {
				drops++;
			} else {
				int rc = sy_2022_7_check(&x.w, 0, uhd_ts(i), (uint16_t)(60000 + i),
							 uhd_t(i));
				if (rc != 0)
					fail_msg("leg A g=%llu rc=%d", (unsigned long long)i, rc);
			}
			i++;
		} else {
			bool lost_on_a = drop_every && j % drop_every == 7;
			int rc = sy_2022_7_check(&x.w, 1, uhd_ts(j), (uint16_t)(60000 + j),
						 uhd_t(j) + delay);
			if (rc != (lost_on_a ? 0 : -SY_E_DUPLICATE))
				fail_msg("leg B g=%llu rc=%d", (unsigned long long)j, rc);
			j++;
		}
	}
	/* Before the flush, the losses of A whose entries have aged out are
	 * already counted; all of them once flushed. */
	sy_2022_7_flush(&x.w);
	assert_leg(&x.w, 0, UHD_N - drops, UHD_N - drops, 0, 0, drops);
	assert_leg(&x.w, 1, UHD_N, drops, UHD_N - drops, 0, 0);
	assert_int_equal(x.w.stats.evicted_early, 0);
	assert_int_equal(x.w.stats.discontinuities, 0);
	*drops_out = drops;
	win_close(&x);
}

static void test_uhd_150ms(void **state)
{
	(void)state;
	uint64_t drops;
	uhd_run(0, &drops);
	assert_int_equal(drops, 0);
}

static void test_uhd_150ms_loss_filled(void **state)
{
	(void)state;
	uint64_t drops;
	/* g % 1000 == 7 for g < 345,600: 346 packets (7, 1007, ..., 345007). */
	uhd_run(1000, &drops);
	assert_int_equal(drops, 346);
}

/* Leg B 4.5 ms ahead for k < 500, then 5.5 ms behind: who wins flips. */
struct ev {
	uint64_t t;
	unsigned leg;
	uint32_t k;
};

static int ev_cmp(const void *a, const void *b)
{
	const struct ev *x = a, *y = b;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return (int)x->leg - (int)y->leg;
}

static void test_legs_out_of_order(void **state)
{
	(void)state;
	static struct ev evs[2000];
	for (uint32_t k = 0; k < 1000; k++) {
		uint64_t ta = 100 * MS + k * MS;
		uint64_t tb = k < 500 ? ta - 4500000u : ta + 5500000u;
		evs[2 * k] = (struct ev){ ta, 0, k };
		evs[2 * k + 1] = (struct ev){ tb, 1, k };
	}
	qsort(evs, 2000, sizeof(evs[0]), ev_cmp);

	struct win x;
	win_open(&x, 64, 20 * MS, 0, 48000, false);
	for (unsigned n = 0; n < 2000; n++) {
		const struct ev *e = &evs[n];
		bool winner = e->leg == (e->k < 500 ? 1u : 0u);
		int rc = sy_2022_7_check(&x.w, e->leg, 48 * e->k, (uint16_t)(65000 + e->k), e->t);
		assert_int_equal(rc, winner ? 0 : -SY_E_DUPLICATE);
	}
	sy_2022_7_flush(&x.w);
	assert_leg(&x.w, 0, 1000, 500, 500, 0, 0);
	assert_leg(&x.w, 1, 1000, 500, 500, 0, 0);
	win_close(&x);
}

/* Leg A swaps each pair (1,0,3,2,...), leg B in order 3 ms later. */
static void test_reorder_one_leg(void **state)
{
	(void)state;
	struct win x;
	win_open(&x, 64, 10 * MS, 0, 48000, false);
	for (uint32_t n = 0; n < 1000; n++) {
		uint32_t ka = n ^ 1u; /* 1,0,3,2,... */
		assert_int_equal(sy_2022_7_check(&x.w, 0, 48 * ka, (uint16_t)ka, n * MS), 0);
		if (n >= 3) {
			uint32_t kb = n - 3;
			assert_int_equal(sy_2022_7_check(&x.w, 1, 48 * kb, (uint16_t)kb, n * MS + 1),
					 -SY_E_DUPLICATE);
		}
	}
	sy_2022_7_flush(&x.w);
	/* B sent 997 copies (0..996); 997..999 only on A -> 3 lost on B. */
	assert_leg(&x.w, 0, 1000, 1000, 0, 0, 0);
	assert_leg(&x.w, 1, 997, 0, 997, 0, 3);

	/* One leg only, reordered: every packet is new. */
	struct win y;
	win_open(&y, 16, 10 * MS, 0, 48000, false);
	assert_int_equal(sy_2022_7_check(&y.w, 0, 0, 0, 0), 0);
	assert_int_equal(sy_2022_7_check(&y.w, 0, 96, 2, 1), 0);
	assert_int_equal(sy_2022_7_check(&y.w, 0, 48, 1, 2), 0);
	assert_int_equal(sy_2022_7_check(&y.w, 0, 48, 1, 3), -SY_E_DUPLICATE); /* same leg twice */
	sy_2022_7_flush(&y.w);
	assert_leg(&y.w, 0, 4, 3, 1, 0, 0);
	assert_leg(&y.w, 1, 0, 0, 0, 0, 3);
	win_close(&x);
	win_close(&y);
}

/*
 * max_age 10 ms. A sends k = 0..99 at k ms. Then B at t = 100 ms:
 *  seq 0  (first copy at 0 ms, retired long ago)                -> TOO_OLD
 *  seq 95 (age 5 ms)                                            -> DUPLICATE
 *  seq 89 (age 11 ms: retired by the expiry in this very check)  -> TOO_OLD
 *  seq 90 (age exactly 10 ms: still inside)                     -> DUPLICATE
 * Flush: 98 entries had A only -> B lost 98.
 */
static void test_too_old(void **state)
{
	(void)state;
	struct win x;
	win_open(&x, 64, 10 * MS, 0, 48000, false);
	for (uint32_t k = 0; k < 100; k++)
		assert_int_equal(sy_2022_7_check(&x.w, 0, 48 * k, (uint16_t)k, k * MS), 0);
	/* At k = 99, entries older than 89 ms were retired: 0..88 = 89 of them. */
	assert_int_equal(x.w.stats.leg[1].lost, 89);
	assert_int_equal(sy_2022_7_check(&x.w, 1, 0, 0, 100 * MS), -SY_E_TOO_OLD);
	assert_int_equal(sy_2022_7_check(&x.w, 1, 48 * 95, 95, 100 * MS), -SY_E_DUPLICATE);
	assert_int_equal(sy_2022_7_check(&x.w, 1, 48 * 89, 89, 100 * MS), -SY_E_TOO_OLD);
	assert_int_equal(sy_2022_7_check(&x.w, 1, 48 * 90, 90, 100 * MS), -SY_E_DUPLICATE);
	sy_2022_7_flush(&x.w);
	assert_leg(&x.w, 0, 100, 100, 0, 0, 0);
	assert_leg(&x.w, 1, 4, 0, 2, 2, 98);
	win_close(&x);

	/* Lazy expiry: 20 packets in one burst at t = 0, then B at 11 ms.
	 * Each check retires at most 8: the first retires 0..7, so seq 19 is
	 * found but past its age -> TOO_OLD; the next retires 8..15 and seq 10
	 * is behind the horizon -> TOO_OLD; seq 20 was never seen -> first. */
	win_open(&x, 32, 10 * MS, 0, 48000, false);
	for (uint32_t k = 0; k < 20; k++)
		assert_int_equal(sy_2022_7_check(&x.w, 0, 48 * k, (uint16_t)k, 0), 0);
	assert_int_equal(sy_2022_7_check(&x.w, 1, 48 * 19, 19, 11 * MS), -SY_E_TOO_OLD);
	assert_int_equal(sy_2022_7_live(&x.w), 12);
	assert_int_equal(sy_2022_7_check(&x.w, 1, 48 * 10, 10, 11 * MS), -SY_E_TOO_OLD);
	assert_int_equal(sy_2022_7_live(&x.w), 4);
	assert_int_equal(sy_2022_7_check(&x.w, 1, 48 * 20, 20, 11 * MS), 0);
	sy_2022_7_flush(&x.w);
	assert_leg(&x.w, 0, 20, 20, 0, 0, 1);
	assert_leg(&x.w, 1, 3, 1, 0, 2, 20);
	win_close(&x);
}

/*
 * seq 65535 -> 0 inside one timestamp (a frame straddling the wrap),
 * ageing by count: max_age_pkts 4. A sends seq 65530..65535, 0..3 (p = 0..9).
 * Check k retires positions p < k - 4, so after A: p 0..4 retired
 * (horizon 65534). B at head 10 retires p 5 (65535) first.
 */
static void test_seq_wrap(void **state)
{
	(void)state;
	struct win x;
	win_open(&x, 16, 0, 4, 90000, false);
	for (uint32_t p = 0; p < 10; p++)
		assert_int_equal(sy_2022_7_check(&x.w, 0, 777, (uint16_t)(65530 + p), p), 0);
	assert_int_equal(sy_2022_7_live(&x.w), 5);
	assert_int_equal(sy_2022_7_check(&x.w, 1, 777, 65534, 20), -SY_E_TOO_OLD);
	assert_int_equal(sy_2022_7_check(&x.w, 1, 777, 65535, 21), -SY_E_TOO_OLD);
	assert_int_equal(sy_2022_7_check(&x.w, 1, 777, 0, 22), -SY_E_DUPLICATE);
	assert_int_equal(sy_2022_7_check(&x.w, 1, 777, 3, 23), -SY_E_DUPLICATE);
	assert_int_equal(sy_2022_7_check(&x.w, 1, 777, 4, 24), 0); /* after 3: new */
	sy_2022_7_flush(&x.w);
	/* A lost seq 4 (B only); B lost the 10 A-only entries minus the 2 it
	 * duplicated = 8. */
	assert_leg(&x.w, 0, 10, 10, 0, 0, 1);
	assert_leg(&x.w, 1, 5, 1, 2, 2, 8);
	win_close(&x);

	/* Straight dedupe across the wrap, audio rate, B 3 ms behind. */
	win_open(&x, 16, 10 * MS, 0, 48000, false);
	for (uint32_t k = 0; k < 20; k++) {
		uint16_t s = (uint16_t)(65530 + k);
		assert_int_equal(sy_2022_7_check(&x.w, 0, 48 * k, s, k * MS), 0);
		if (k >= 3)
			assert_int_equal(sy_2022_7_check(&x.w, 1, 48 * (k - 3),
							 (uint16_t)(65530 + k - 3), k * MS + 1),
					 -SY_E_DUPLICATE);
	}
	assert_leg(&x.w, 1, 17, 0, 17, 0, 0);
	win_close(&x);
}

/*
 * Timestamp 0xFFFFFFFF -> 0: ts(k) = 0xFFFFFFFF - 47 - 4 * 48 + 48 k, so
 * ts(4) = 0xFFFFFFD0 and ts(5) = 0.
 */
static uint32_t wrap_ts(uint32_t k)
{
	return 0xFFFFFFFFu - 47u - 4u * 48u + 48u * k;
}

static void test_ts_wrap(void **state)
{
	(void)state;
	assert_int_equal(wrap_ts(4), 0xFFFFFFD0u);
	assert_int_equal(wrap_ts(5), 0);

	struct win x;
	win_open(&x, 16, 10 * MS, 0, 48000, false);
	for (uint32_t k = 0; k < 20; k++) {
		assert_int_equal(sy_2022_7_check(&x.w, 0, wrap_ts(k), (uint16_t)k, k * MS), 0);
		if (k >= 3)
			assert_int_equal(sy_2022_7_check(&x.w, 1, wrap_ts(k - 3), (uint16_t)(k - 3),
							 k * MS + 1), -SY_E_DUPLICATE);
	}
	sy_2022_7_flush(&x.w);
	assert_leg(&x.w, 0, 20, 20, 0, 0, 0);
	assert_leg(&x.w, 1, 17, 0, 17, 0, 3);
	win_close(&x);

	/* Horizon across the wrap: max_age_pkts 4, A sends k 0..9; B's check
	 * retires k 5 (ts 0): k 3 (ts 0xFFFFFFA0) is behind it -> TOO_OLD,
	 * k 7 (ts 96) is live -> DUPLICATE. */
	win_open(&x, 16, 0, 4, 48000, false);
	for (uint32_t k = 0; k < 10; k++)
		assert_int_equal(sy_2022_7_check(&x.w, 0, wrap_ts(k), (uint16_t)k, k), 0);
	assert_int_equal(sy_2022_7_check(&x.w, 1, wrap_ts(3), 3, 20), -SY_E_TOO_OLD);
	assert_int_equal(sy_2022_7_check(&x.w, 1, wrap_ts(7), 7, 21), -SY_E_DUPLICATE);
	assert_int_equal(x.w.stats.discontinuities, 0);
	win_close(&x);
}

/*
 * Audio: 1 ms packets, ts += 48, no extended sequence, 70,000 packets from
 * seq 65000 (wraps at k = 536), B 30 ms behind, window 50 ms (64 entries).
 * mode 0: sy_2022_7_check; 1: check_ext with ext always 0 (FFmpeg-style
 * sender) and use_ext_seq on: falls back at the wrap; 2: correct ext.
 */
static void audio_run(int mode)
{
	struct win x;
	uint32_t cap = sy_2022_7_capacity(1000, 50 * MS);
	assert_int_equal(cap, 64);
	win_open(&x, cap, 50 * MS, 0, 48000, mode != 0);
	const uint32_t n = 70000, d = 30;
	for (uint32_t k = 0; k < n + d; k++) {
		uint64_t t = k * MS;
		if (k < n) {
			uint32_t s32 = 65000 + k;
			uint16_t ext = mode == 2 ? (uint16_t)(s32 >> 16) : 0;
			int rc = sy_2022_7_check_ext(&x.w, 0, 123456 + 48 * k, ext, (uint16_t)s32, t);
			if (rc != 0)
				fail_msg("A k=%u rc=%d", k, rc);
		}
		if (k >= d) {
			uint32_t kb = k - d, s32 = 65000 + kb;
			uint16_t ext = mode == 2 ? (uint16_t)(s32 >> 16) : 0;
			int rc = sy_2022_7_check_ext(&x.w, 1, 123456 + 48 * kb, ext, (uint16_t)s32,
						     t + 500);
			if (rc != -SY_E_DUPLICATE)
				fail_msg("B k=%u rc=%d", kb, rc);
		}
	}
	sy_2022_7_flush(&x.w);
	assert_leg(&x.w, 0, n, n, 0, 0, 0);
	assert_leg(&x.w, 1, n, 0, n, 0, 0);
	assert_int_equal(x.w.stats.evicted_early, 0);
	assert_int_equal(x.w.stats.ext_seq_off, mode == 1);
	win_close(&x);
}

static void test_audio_no_ext(void **state)
{
	(void)state;
	audio_run(0);
	audio_run(1);
	audio_run(2);
}

/*
 * Why the extended sequence can matter: a flow whose timestamp never
 * changes over 70,000 packets, with a window of 100,000 packets. Packet
 * 65536 has the same (ts, seq16) as packet 0, still in the window.
 * With a consistent ext it is new; on (ts, seq16) alone it looks duplicate.
 */
static void test_ext_seq_key(void **state)
{
	(void)state;
	struct win x;
	win_open(&x, 131072, 0, 100000, 90000, true);
	for (uint32_t k = 0; k < 70000; k++) {
		assert_int_equal(sy_2022_7_check_ext(&x.w, 0, 5, (uint16_t)(k >> 16), (uint16_t)k, k),
				 0);
		assert_int_equal(sy_2022_7_check_ext(&x.w, 1, 5, (uint16_t)(k >> 16), (uint16_t)k, k),
				 -SY_E_DUPLICATE);
	}
	assert_false(x.w.stats.ext_seq_off);
	assert_leg(&x.w, 0, 70000, 70000, 0, 0, 0);
	win_close(&x);

	win_open(&x, 131072, 0, 100000, 90000, false);
	for (uint32_t k = 0; k < 65536; k++)
		assert_int_equal(sy_2022_7_check(&x.w, 0, 5, (uint16_t)k, k), 0);
	assert_int_equal(sy_2022_7_check(&x.w, 0, 5, 0, 65536), -SY_E_DUPLICATE);
	win_close(&x);
}

/*
 * Found in review: a leg outage of more than 32768 packets (~32 ms at
 * 2160p59.94) with a sender writing a correct extended sequence must not
 * switch the extended key off, and if it ever is switched off (a sender
 * writing 0 wraps its 16-bit sequence), entries stored with the 32-bit key
 * must still match their other-leg copies: no packet forwarded twice.
 * 1 Mpkt/s, leg B 10,000 packets behind, B down for 40,000 packets.
 */
static unsigned outage_run(bool ext_zero)
{
	struct win x;
	unsigned fwd = 0;
	const unsigned n = 100000, skew = 10000;
	const uint32_t base = 0x00050000;

	win_open(&x, 1u << 17, 150000000, 0, 90000, true);
	for (unsigned i = 0; i < n; i++) {
		uint64_t t = (uint64_t)i * 1000;
		uint32_t s = base + i;

		fwd += sy_2022_7_check_ext(&x.w, 0, i / 4, ext_zero ? 0 : (uint16_t)(s >> 16),
					   (uint16_t)s, t) == 0;
		if (i >= skew) {
			unsigned j = i - skew;
			uint32_t s1 = base + j;

			if (j < 1000 || j >= 41000)
				fwd += sy_2022_7_check_ext(&x.w, 1, j / 4,
							   ext_zero ? 0 : (uint16_t)(s1 >> 16),
							   (uint16_t)s1, t + 1) == 0;
		}
	}
	assert_int_equal(x.w.stats.ext_seq_off, ext_zero);
	win_close(&x);
	return fwd;
}

static void test_ext_leg_outage(void **state)
{
	(void)state;
	assert_int_equal(outage_run(false), 100000);
	assert_int_equal(outage_run(true), 100000);
}

/* Leg B dead: A's 1000 packets all pass; B's losses counted as they age. */
static void test_one_leg_dead(void **state)
{
	(void)state;
	struct win x;
	win_open(&x, 16, 10 * MS, 0, 48000, false);
	for (uint32_t k = 0; k < 1000; k++)
		assert_int_equal(sy_2022_7_check(&x.w, 0, 48 * k, (uint16_t)k, k * MS), 0);
	/* At k = 999 (999 ms) entries first seen before 989 ms are out: 989. */
	assert_int_equal(x.w.stats.leg[1].lost, 989);
	assert_int_equal(sy_2022_7_live(&x.w), 11);
	/* Idle expiry with nothing arriving: at 1010 ms the live k 989..999
	 * are 21..11 ms old, all > 10 ms: all 11 go. */
	assert_int_equal(sy_2022_7_expire(&x.w, 1010 * MS, 100), 11);
	assert_leg(&x.w, 0, 1000, 1000, 0, 0, 0);
	assert_leg(&x.w, 1, 0, 0, 0, 0, 1000);
	assert_int_equal(x.w.stats.evicted_early, 0);
	win_close(&x);
}

/* Capacity too small for the differential: the ring pushes entries out
 * early and says so. 16 entries, 1 s max age, 20 packets on A. */
static void test_evicted_early(void **state)
{
	(void)state;
	struct win x;
	win_open(&x, 16, 1000 * MS, 0, 48000, false);
	for (uint32_t k = 0; k < 20; k++)
		assert_int_equal(sy_2022_7_check(&x.w, 0, 48 * k, (uint16_t)k, k * MS), 0);
	assert_int_equal(x.w.stats.evicted_early, 4);
	assert_int_equal(x.w.stats.leg[1].lost, 4);
	assert_int_equal(sy_2022_7_live(&x.w), 16);
	/* The evicted ones are behind the horizon now. */
	assert_int_equal(sy_2022_7_check(&x.w, 1, 48 * 2, 2, 20 * MS), -SY_E_TOO_OLD);
	assert_int_equal(sy_2022_7_check(&x.w, 1, 48 * 4, 4, 20 * MS), -SY_E_DUPLICATE);
	win_close(&x);
}

/* A sender restart with a timestamp 10 s in the past (beyond 1 s of
 * 48 kHz ticks) is a new timeline, not 480,000 ticks of TOO_OLD. */
static void test_timeline_jump(void **state)
{
	(void)state;
	struct win x;
	win_open(&x, 16, 5 * MS, 0, 48000, false);
	uint32_t ts = 10000000;
	for (uint32_t k = 0; k < 20; k++) {
		assert_int_equal(sy_2022_7_check(&x.w, 0, ts + 48 * k, (uint16_t)k, k * MS), 0);
		assert_int_equal(sy_2022_7_check(&x.w, 1, ts + 48 * k, (uint16_t)k, k * MS + 1),
				 -SY_E_DUPLICATE);
	}
	uint32_t back = ts - 480000;
	for (uint32_t k = 0; k < 20; k++) {
		uint64_t t = (20 + k) * MS;
		assert_int_equal(sy_2022_7_check(&x.w, 0, back + 48 * k, (uint16_t)(20 + k), t), 0);
		assert_int_equal(sy_2022_7_check(&x.w, 1, back + 48 * k, (uint16_t)(20 + k), t + 1),
				 -SY_E_DUPLICATE);
	}
	/* A's packets k 20..25 are behind the old horizon: old entries 14..19
	 * retire at 20..25 ms, and the first new one (k 20, first at 20 ms)
	 * retires at B's check of k 25 (25 ms + 1 ns, age > 5 ms), which moves
	 * the horizon to the new timeline. So exactly 6. */
	assert_int_equal(x.w.stats.discontinuities, 6);
	sy_2022_7_flush(&x.w);
	assert_leg(&x.w, 0, 40, 40, 0, 0, 0);
	assert_leg(&x.w, 1, 40, 0, 40, 0, 0);
	win_close(&x);
}

/*
 * Randomised against a reference model (deterministic LCG): 20,000 audio
 * packets; each is dropped on A or B with 5 % probability (never both), B
 * is skewed by a random -20..+20 ms per 1,000-packet block, and each copy
 * gets 0..1.5 ms of jitter (so legs reorder internally). A skew change of
 * up to 40 ms also reorders leg B against itself by up to 40 ms, so the
 * window must outlast that: a key j retires at first(j) + max_age >=
 * base(j) - 20 ms + max_age, and a late copy of k < j arrives by
 * base(k) + 21.5 ms; max_age 60 ms keeps every copy inside (with 30 ms a
 * reordered B-only packet behind a retired newer key is rightly TOO_OLD).
 * Every packet must be forwarded exactly once; per-leg counts must match
 * what was dropped where.
 */
static uint32_t lcg(uint32_t *st)
{
	*st = *st * 1664525u + 1013904223u;
	return *st >> 8;
}

static void test_random_model(void **state)
{
	(void)state;
	enum { N = 20000 };
	static struct ev evs[2 * N];
	static uint8_t seen[N];
	uint32_t rng = 12345;
	unsigned n_ev = 0, only_a = 0, only_b = 0, sent[2] = { 0, 0 };
	int64_t skew = 0;
	for (uint32_t k = 0; k < N; k++) {
		if (k % 1000 == 0)
			skew = (int64_t)(lcg(&rng) % 40001u) * 1000 - 20 * (int64_t)MS;
		uint32_t r = lcg(&rng) % 100u;
		bool on_a = r >= 5, on_b = r < 5 || r >= 10;
		uint64_t base = 100 * MS + (uint64_t)k * MS;
		if (on_a) {
			evs[n_ev++] = (struct ev){ base + lcg(&rng) % 1500000u, 0, k };
			sent[0]++;
		}
		if (on_b) {
			evs[n_ev++] = (struct ev){ (uint64_t)((int64_t)base + skew) +
							   lcg(&rng) % 1500000u, 1, k };
			sent[1]++;
		}
		only_a += on_a && !on_b;
		only_b += on_b && !on_a;
	}
	qsort(evs, n_ev, sizeof(evs[0]), ev_cmp);

	/* Capacity for 120 ms, not 60: when the skew jumps (e.g. +19.5 ms to
	 * -16.7 ms) leg B delivers new keys ahead of A and the live entries
	 * reach rate * (max_age + skew change). Sized for max_age alone, such
	 * a jump evicts entries early (safely: counted, and their late twins
	 * are TOO_OLD, never forwarded twice). */
	struct win x;
	win_open(&x, sy_2022_7_capacity(1000, 120 * MS), 60 * MS, 0, 48000, false);
	unsigned forwarded = 0;
	for (unsigned i = 0; i < n_ev; i++) {
		const struct ev *e = &evs[i];
		int rc = sy_2022_7_check(&x.w, e->leg, 7 + 48 * e->k, (uint16_t)(40000 + e->k), e->t);
		if (rc == 0) {
			if (seen[e->k])
				fail_msg("k=%u forwarded twice", e->k);
			seen[e->k] = 1;
			forwarded++;
		} else if (rc != -SY_E_DUPLICATE || !seen[e->k]) {
			fail_msg("k=%u leg %u rc=%d", e->k, e->leg, rc);
		}
	}
	sy_2022_7_flush(&x.w);
	assert_int_equal(forwarded, N);
	const struct sy_2022_7_stats *st = &x.w.stats;
	assert_int_equal(st->leg[0].packets, sent[0]);
	assert_int_equal(st->leg[1].packets, sent[1]);
	assert_int_equal(st->leg[0].first + st->leg[1].first, N);
	assert_int_equal(st->leg[0].duplicates + st->leg[1].duplicates, N - only_a - only_b);
	assert_int_equal(st->leg[0].too_old + st->leg[1].too_old, 0);
	assert_int_equal(st->leg[0].lost, only_b);
	assert_int_equal(st->leg[1].lost, only_a);
	assert_true(only_a > 500 && only_b > 500); /* ~5 % each */
	assert_int_equal(st->evicted_early, 0);
	win_close(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_init_errors),
		cmocka_unit_test(test_interleaved),
		cmocka_unit_test(test_uhd_150ms),
		cmocka_unit_test(test_uhd_150ms_loss_filled),
		cmocka_unit_test(test_legs_out_of_order),
		cmocka_unit_test(test_reorder_one_leg),
		cmocka_unit_test(test_too_old),
		cmocka_unit_test(test_seq_wrap),
		cmocka_unit_test(test_ts_wrap),
		cmocka_unit_test(test_audio_no_ext),
		cmocka_unit_test(test_ext_seq_key),
		cmocka_unit_test(test_ext_leg_outage),
		cmocka_unit_test(test_one_leg_dead),
		cmocka_unit_test(test_evicted_early),
		cmocka_unit_test(test_timeline_jump),
		cmocka_unit_test(test_random_model),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
