/* SPDX-License-Identifier: MIT */
/*
 * test_sy_tone.c: integer line-up tone: amplitude of -18 dBFS, peaks, RMS,
 * periods, per-channel identification frequencies, packet continuity.
 * The reference values come from an independent double-precision
 * computation here (no libm is linked into the tests either).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sy_err.h"
#include "sy_st2110_30.h"
#include "sy_tone.h"

#define PI 3.14159265358979323846

/* e^x by halving to |x| < 2^-10, Taylor, squaring back: double precision */
static double ref_exp(double x)
{
	int k = 0;
	double s = 1, t = 1;

	while (x > 1e-3 || x < -1e-3) {
		x /= 2;
		k++;
	}
	for (int n = 1; n < 12; n++) {
		t *= x / n;
		s += t;
	}
	while (k--)
		s *= s;
	return s;
}

static double ref_sin(double x)
{
	double s = 0, t = x;

	while (x > PI)
		x -= 2 * PI;
	while (x < -PI)
		x += 2 * PI;
	t = x;
	for (int n = 1; n < 30; n++) {
		s += t;
		t *= -x * x / ((2 * n) * (2 * n + 1));
	}
	return s;
}

static long ref_round(double v)
{
	return v >= 0 ? (long)(v + 0.5) : -(long)(-v + 0.5);
}

/* round(FS * 10^(mdB / 20000)) */
static long ref_amp(long fs, int32_t mdb)
{
	return ref_round(fs * ref_exp(mdb / 20000.0 * 2.302585092994045684));
}

static void test_amplitude(void **state)
{
	(void)state;
	/* EBU R 68: -18 dBFS. 8388607 * 10^-0.9 = 1056063.05, 32767 * .. = 4125.12 */
	assert_int_equal(sy_tone_amplitude(SY_ST2110_30_L24, SY_TONE_ALIGN_MDB), 1056063);
	assert_int_equal(sy_tone_amplitude(SY_ST2110_30_L16, SY_TONE_ALIGN_MDB), 4125);
	assert_int_equal(ref_amp(8388607, -18000), 1056063);
	/* 0 dBFS is the largest code, never more */
	assert_int_equal(sy_tone_amplitude(SY_ST2110_30_L24, 0), 8388607);
	assert_int_equal(sy_tone_amplitude(SY_ST2110_30_L16, 0), 32767);
	/* -20 dBFS (SMPTE RP 155 alignment), -6.0206 dB = half */
	assert_int_equal(sy_tone_amplitude(SY_ST2110_30_L24, -20000), 838861);
	/* every level 0 .. -120 dB in 0.25 dB steps: within 1 LSB of the reference */
	for (int32_t mdb = 0; mdb >= -120000; mdb -= 250) {
		long a = sy_tone_amplitude(SY_ST2110_30_L24, mdb);
		long r = ref_amp(8388607, mdb);

		assert_true(a - r <= 1 && r - a <= 1);
		a = sy_tone_amplitude(SY_ST2110_30_L16, mdb);
		r = ref_amp(32767, mdb);
		assert_true(a - r <= 1 && r - a <= 1);
	}
	assert_int_equal(sy_tone_amplitude(SY_ST2110_30_L24, -250000), 0);
	assert_int_equal(sy_tone_amplitude(SY_ST2110_30_L24, INT32_MIN), 0);
	assert_int_equal(sy_tone_amplitude(SY_ST2110_30_L24, 1), -SY_E_RANGE);
	assert_int_equal(sy_tone_amplitude(SY_ST2110_30_ENCODING_MAX, -18000), -SY_E_RANGE);
}

static void test_period(void **state)
{
	(void)state;
	uint32_t f, c;

	assert_int_equal(sy_tone_period(48000, 1000, &f, &c), 0);
	assert_int_equal(f, 48);
	assert_int_equal(c, 1);
	assert_int_equal(sy_tone_period(96000, 1000, &f, &c), 0);
	assert_int_equal(f, 96);
	assert_int_equal(sy_tone_period(48000, 3000, &f, &c), 0);
	assert_int_equal(f, 16);
	assert_int_equal(sy_tone_period(48000, 7000, &f, &c), 0); /* 48/7 */
	assert_int_equal(f, 48);
	assert_int_equal(c, 7);
	assert_int_equal(sy_tone_period(48000, 440, &f, &c), 0);
	assert_int_equal(f, 1200);
	assert_int_equal(c, 11);
	assert_int_equal(sy_tone_period(44100, 1000, &f, &c), 0);
	assert_int_equal(f, 441);
	assert_int_equal(c, 10);
	assert_int_equal(sy_tone_period(48000, 23999, &f, &c), 0);
	assert_int_equal(sy_tone_period(48000, 24000, &f, &c), -SY_E_RANGE); /* Nyquist */
	assert_int_equal(sy_tone_period(48000, 0, &f, &c), -SY_E_RANGE);
	assert_int_equal(sy_tone_period(0, 1000, &f, &c), -SY_E_RANGE);
	/* prime frequency at a large rate: table > 2^20 */
	assert_int_equal(sy_tone_period(4000000, 1999, &f, &c), -SY_E_RANGE);
}

static void test_table_1k(void **state)
{
	(void)state;
	int32_t t[128];
	int64_t sum = 0;
	__int128 sq = 0, want;
	const int32_t a = 1056063;

	assert_int_equal(sy_tone_table(48000, 1000, -18000, SY_ST2110_30_L24, t, 128), 48);
	/* peaks exactly at the amplitude, zeros exactly at half periods */
	assert_int_equal(t[0], 0);
	assert_int_equal(t[12], a);
	assert_int_equal(t[24], 0);
	assert_int_equal(t[36], -a);
	for (int n = 0; n < 48; n++) {
		long r = ref_round(a * ref_sin(2 * PI * n / 48));

		assert_true(t[n] <= a && t[n] >= -a);
		assert_true(t[n] - r <= 1 && r - t[n] <= 1);
		assert_int_equal(t[n], -t[(48 - n) % 48]); /* odd symmetry */
		sum += t[n];
		sq += (__int128)t[n] * t[n];
	}
	assert_int_equal(sum, 0);
	/* RMS: mean square = A^2 / 2 (a sampled whole-period sine), so
	 * 2 * sum(x^2) / N = A^2 within rounding, and A^2 / FS^2 = 10^-1.8:
	 * 10^-1.8 = 0.0158489319 -> in parts per 10^10, +-200 (1.3e-6 relative,
	 * the amplitude's rounding to an integer is 1e-7) */
	want = (__int128)a * a * 48;
	assert_true(2 * sq - want < (__int128)a * 48 && want - 2 * sq < (__int128)a * 48);
	long ratio = (long)(2 * sq * 10000000000LL / ((__int128)8388607 * 8388607 * 48));
	assert_true(ratio >= 158489319 - 200 && ratio <= 158489319 + 200);

	/* 96 kHz: 96 samples, peak at 24, even samples = the 48 kHz table */
	int32_t t96[96];
	assert_int_equal(sy_tone_table(96000, 1000, -18000, SY_ST2110_30_L24, t96, 96), 96);
	assert_int_equal(t96[24], a);
	assert_int_equal(t96[72], -a);
	for (int n = 0; n < 48; n++)
		assert_int_equal(t96[2 * n], t[n]);
	/* L16 */
	assert_int_equal(sy_tone_table(48000, 1000, -18000, SY_ST2110_30_L16, t, 128), 48);
	assert_int_equal(t[12], 4125);
	assert_int_equal(t[36], -4125);
	/* 0 dBFS: the largest code, no wrap */
	assert_int_equal(sy_tone_table(48000, 1000, 0, SY_ST2110_30_L16, t, 128), 48);
	assert_int_equal(t[12], 32767);
	assert_int_equal(t[36], -32767);
	/* errors */
	assert_int_equal(sy_tone_table(48000, 1000, -18000, SY_ST2110_30_L24, t, 47),
			 -SY_E_NOSPACE);
	assert_int_equal(sy_tone_table(48000, 1000, 500, SY_ST2110_30_L24, t, 128), -SY_E_RANGE);
	assert_int_equal(sy_tone_table(48000, 30000, -18000, SY_ST2110_30_L24, t, 128),
			 -SY_E_RANGE);
}

/* Many frequencies: every sample within 1 LSB of round(A sin(2 pi n c / N)). */
static void test_table_accuracy(void **state)
{
	(void)state;
	static int32_t t[48000];
	static const uint32_t freqs[] = { 440, 997, 1000, 2000, 3000, 5000, 7000,
					  10000, 12000, 15000, 20000 };

	for (size_t i = 0; i < sizeof(freqs) / sizeof(freqs[0]); i++) {
		uint32_t frames, cycles;
		long a = sy_tone_amplitude(SY_ST2110_30_L24, -1000);
		int n = sy_tone_table(48000, freqs[i], -1000, SY_ST2110_30_L24, t, 48000);

		assert_int_equal(sy_tone_period(48000, freqs[i], &frames, &cycles), 0);
		assert_int_equal(n, (int)frames);
		for (int k = 0; k < n; k++) {
			double ph = (double)((uint64_t)k * cycles % frames) / frames;
			long r = ref_round(a * ref_sin(2 * PI * ph));

			assert_true(t[k] - r <= 1 && r - t[k] <= 1);
		}
	}
}

static struct sy_st2110_30_format fmt(enum sy_st2110_30_encoding enc, uint32_t rate,
				      uint16_t ch)
{
	struct sy_st2110_30_format f;

	memset(&f, 0, sizeof(f));
	f.encoding = enc;
	f.rate_hz = rate;
	f.channels = ch;
	f.ptime_ns = 1000000;
	return f;
}

/* Packets of any size at consecutive sample indices join into one stream. */
static void test_continuity(void **state)
{
	(void)state;
	static struct sy_tone t;
	struct sy_st2110_30_format f = fmt(SY_ST2110_30_L24, 48000, 2);
	static uint8_t whole[6 * 480], pkt[6 * 48];
	static const uint32_t sizes[] = { 48, 6, 16, 12, 7 }; /* 1 ms, 125 us, 333 us ... */

	assert_int_equal(sy_tone_init(&t, &f), 0);
	assert_int_equal(sy_tone_set(&t, 0, 1000, -18000), 0);
	assert_int_equal(sy_tone_set(&t, 1, 440, -18000), 0);
	sy_tone_write(&t, whole, 480, 1000);
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		for (uint32_t at = 0; at + sizes[s] <= 480; at += sizes[s]) {
			sy_tone_write(&t, pkt, sizes[s], 1000 + at);
			assert_memory_equal(pkt, whole + 6 * at, 6 * sizes[s]);
		}
	}
	/* the 1 kHz channel repeats every 48 samples, the 440 Hz one every 1200 */
	for (uint32_t i = 0; i + 48 < 480; i++)
		assert_int_equal(sy_st2110_30_read(whole, SY_ST2110_30_L24, 2, i, 0),
				 sy_st2110_30_read(whole, SY_ST2110_30_L24, 2, i + 48, 0));
	/* sample index 1000 is 1000 % 48 = 40 samples into the period: the
	 * trough (sample 36 of the period) is frame 44 of the buffer */
	assert_int_equal(sy_st2110_30_read(whole, SY_ST2110_30_L24, 2, 44, 0), -1056063);
	/* a 64-bit index far beyond the 32-bit RTP timestamp wrap: sample k of
	 * channel c is table_c[k % period_c] */
	static int32_t t1k[48], t440[1200];
	uint64_t big = (1ull << 40) + 7;

	assert_int_equal(sy_tone_table(48000, 1000, -18000, SY_ST2110_30_L24, t1k, 48), 48);
	assert_int_equal(sy_tone_table(48000, 440, -18000, SY_ST2110_30_L24, t440, 1200), 1200);
	sy_tone_write(&t, pkt, 48, big);
	for (uint32_t i = 0; i < 48; i++) {
		assert_int_equal(sy_st2110_30_read(pkt, SY_ST2110_30_L24, 2, i, 0),
				 t1k[(big + i) % 48]);
		assert_int_equal(sy_st2110_30_read(pkt, SY_ST2110_30_L24, 2, i, 1),
				 t440[(big + i) % 1200]);
	}
}

/* Channel identification: n-th channel at n kHz, counted by zero crossings. */
static void test_ident(void **state)
{
	(void)state;
	static struct sy_tone t;
	struct sy_st2110_30_format f = fmt(SY_ST2110_30_L16, 48000, 8);
	static uint8_t pkt[2 * 8 * 48];
	int32_t prev[8] = { 0 };
	uint32_t rising[8] = { 0 };

	assert_int_equal(sy_tone_init(&t, &f), 0);
	assert_int_equal(sy_tone_set_ident(&t, -18000), 0);
	/* one second in 1 ms packets, plus the first sample of the next second */
	for (uint32_t p = 0; p <= 1000; p++) {
		sy_tone_write(&t, pkt, 48, (uint64_t)p * 48);
		for (uint32_t i = 0; i < (p == 1000 ? 1u : 48u); i++) {
			for (uint32_t c = 0; c < 8; c++) {
				int32_t v = sy_st2110_30_read(pkt, SY_ST2110_30_L16, 8, i, c);

				if ((p || i) && prev[c] < 0 && v >= 0)
					rising[c]++;
				prev[c] = v;
			}
		}
	}
	for (uint32_t c = 0; c < 8; c++)
		assert_int_equal(rising[c], (c + 1) * 1000);

	/* 64 channels: 16 distinct tables shared, sum of 48 / gcd(48, k) */
	struct sy_st2110_30_format f64 = fmt(SY_ST2110_30_L24, 48000, 64);
	uint32_t pool = 0;

	for (uint32_t k = 1; k <= 16; k++) {
		uint32_t fr, cy;

		assert_int_equal(sy_tone_period(48000, k * 1000, &fr, &cy), 0);
		pool += fr;
	}
	assert_int_equal(sy_tone_init(&t, &f64), 0);
	assert_int_equal(sy_tone_set_ident(&t, -18000), 0);
	assert_int_equal(t.pool_used, pool);
	assert_int_equal(sy_tone_ident_hz(0), 1000);
	assert_int_equal(sy_tone_ident_hz(15), 16000);
	assert_int_equal(sy_tone_ident_hz(16), 1000);
	assert_int_equal(t.ch[17].offset, t.ch[1].offset);
}

static void test_silence_and_errors(void **state)
{
	(void)state;
	static struct sy_tone t;
	struct sy_st2110_30_format f = fmt(SY_ST2110_30_L24, 96000, 4);
	uint8_t pkt[3 * 4 * 12];

	assert_int_equal(sy_tone_init(&t, &f), 0);
	memset(pkt, 0x5a, sizeof(pkt));
	sy_tone_write(&t, pkt, 12, 12345); /* all silent after init */
	for (size_t i = 0; i < sizeof(pkt); i++)
		assert_int_equal(pkt[i], 0);
	assert_int_equal(sy_tone_set(&t, 2, 1000, -18000), 0);
	memset(pkt, 0x5a, sizeof(pkt));
	sy_tone_write(&t, pkt, 12, 24); /* 96 kHz 1 kHz: sample 24 is the peak */
	assert_int_equal(sy_st2110_30_read(pkt, SY_ST2110_30_L24, 4, 0, 2), 1056063);
	for (uint32_t i = 0; i < 12; i++) {
		assert_int_equal(sy_st2110_30_read(pkt, SY_ST2110_30_L24, 4, i, 0), 0);
		assert_int_equal(sy_st2110_30_read(pkt, SY_ST2110_30_L24, 4, i, 3), 0);
	}
	/* back to silence */
	assert_int_equal(sy_tone_set(&t, 2, 0, 0), 0);
	sy_tone_write(&t, pkt, 12, 24);
	assert_int_equal(sy_st2110_30_read(pkt, SY_ST2110_30_L24, 4, 0, 2), 0);

	assert_int_equal(sy_tone_set(&t, 4, 1000, -18000), -SY_E_AUDIO_CHANNELS);
	assert_int_equal(sy_tone_set(&t, 0, 1000, 1), -SY_E_RANGE);
	assert_int_equal(sy_tone_set(&t, 0, 48000, -18000), -SY_E_RANGE);
	/* 1 Hz at 96 kHz needs 96000 samples: more than the pool */
	assert_int_equal(sy_tone_set(&t, 0, 1, -18000), -SY_E_NOSPACE);
	assert_int_equal(t.ch[0].frames, 0);
	f.channels = 0;
	assert_int_equal(sy_tone_init(&t, &f), -SY_E_AUDIO_CHANNELS);
	f.channels = 65;
	assert_int_equal(sy_tone_init(&t, &f), -SY_E_AUDIO_CHANNELS);
	f.channels = 2;
	f.encoding = SY_ST2110_30_ENCODING_MAX;
	assert_int_equal(sy_tone_init(&t, &f), -SY_E_UNSUPPORTED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_amplitude),
		cmocka_unit_test(test_period),
		cmocka_unit_test(test_table_1k),
		cmocka_unit_test(test_table_accuracy),
		cmocka_unit_test(test_continuity),
		cmocka_unit_test(test_ident),
		cmocka_unit_test(test_silence_and_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
