/* SPDX-License-Identifier: MIT */
/*
 * test_sy_stamp.c: picture stamp round trips, damage (lost band, flipped
 * bits, noise), torn frames and mixed fields.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sy_err.h"
#include "sy_format.h"
#include "sy_pattern.h"
#include "sy_stamp.h"

static struct sy_video_format fmt_of(uint32_t w, uint32_t h, bool il, enum sy_sampling s,
				     uint8_t depth)
{
	struct sy_video_format f = sy_format_make(w, h, il, 50, 1, depth);

	f.sampling = s;
	return f;
}

static uint8_t *alloc_frame(const struct sy_video_format *f, size_t *len)
{
	*len = (size_t)sy_format_frame_bytes(f);
	uint8_t *p = malloc(*len);

	assert_non_null(p);
	return p;
}

/* xorshift32: deterministic test noise */
static uint32_t rng_next(uint32_t *s)
{
	uint32_t x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *s = x;
}

static void stamped(const struct sy_video_format *f, uint8_t *fr, size_t len, uint16_t id,
		    uint32_t counter)
{
	struct sy_stamp st = { id, counter };

	assert_int_equal(sy_pattern_render(f, SY_PATTERN_MOVING, counter, fr, len), 0);
	assert_int_equal(sy_stamp_write(f, fr, len, &st), 0);
}

static void assert_decodes(const struct sy_video_format *f, const uint8_t *fr, size_t len,
			   enum sy_stamp_field field, enum sy_stamp_band want_band, uint16_t id,
			   uint32_t counter)
{
	struct sy_stamp got = { 0, 0 };
	enum sy_stamp_band band = SY_STAMP_BAND_MAX;

	assert_int_equal(sy_stamp_decode_field(f, fr, len, field, NULL, &got, &band), 0);
	assert_int_equal(band, want_band);
	assert_int_equal(got.source_id, id);
	assert_int_equal(got.frame_counter, counter);
}

/* Start of the buffer row that holds scan line y. */
static uint8_t *line_ptr(const struct sy_video_format *f, uint8_t *fr, uint32_t y)
{
	struct sy_pgroup pg;

	sy_format_pgroup(f, &pg);
	return fr + (size_t)(y / pg.lines) * sy_format_row_bytes(f);
}

static void test_crc16(void **state)
{
	(void)state;
	assert_int_equal(sy_stamp_crc16((const uint8_t *)"123456789", 9), 0x29B1);
	assert_int_equal(sy_stamp_crc16(NULL, 0), 0xFFFF);
}

static void test_geometry(void **state)
{
	(void)state;
	static const struct {
		uint32_t w, h, bw, bh, bottom;
	} g[] = {
		{ 320, 180, 8, 8, 164 },      /* 320/40 = 8; 180/45 = 4 -> min 8 */
		{ 1280, 720, 32, 16, 688 },   /* 720 - 32 */
		{ 1920, 1080, 48, 24, 1032 }, /* 1080 - 48 */
		{ 3840, 2160, 96, 48, 2064 }, /* 2160 - 96 */
		{ 720, 486, 16, 8, 468 },     /* 720/40 = 18 -> 16; 486 - 16 = 470 -> 468 */
	};
	struct sy_stamp_geometry geo;

	for (size_t i = 0; i < sizeof(g) / sizeof(g[0]); i++) {
		struct sy_video_format f =
			fmt_of(g[i].w, g[i].h, false, SY_SAMPLING_YCBCR_422, 10);

		assert_int_equal(sy_stamp_geometry(&f, &geo), 0);
		assert_int_equal(geo.block_w_px, g[i].bw);
		assert_int_equal(geo.block_h_lines, g[i].bh);
		assert_int_equal(geo.band_h_lines, 2 * g[i].bh);
		assert_int_equal(geo.band_y[SY_STAMP_BAND_TOP], 0);
		assert_int_equal(geo.band_y[SY_STAMP_BAND_BOTTOM], g[i].bottom);
	}
	struct sy_video_format f = fmt_of(316, 180, false, SY_SAMPLING_YCBCR_422, 10);
	assert_int_equal(sy_stamp_geometry(&f, &geo), -SY_E_UNSUPPORTED); /* block 7 px */
	f = fmt_of(320, 30, false, SY_SAMPLING_YCBCR_422, 10);
	assert_int_equal(sy_stamp_geometry(&f, &geo), -SY_E_UNSUPPORTED); /* 2 x 16 > 30 */
	f = fmt_of(320, 36, false, SY_SAMPLING_YCBCR_422, 10);
	assert_int_equal(sy_stamp_geometry(&f, &geo), 0); /* bands 0..15 and 20..35 */
	assert_int_equal(geo.band_y[SY_STAMP_BAND_BOTTOM], 20);
	f.width = 321;
	assert_int_equal(sy_stamp_geometry(&f, &geo), -SY_E_FORMAT);
}

static const uint16_t ids[] = { 0, 1, 0x00FF, 0x8000, 0xA5A5, 0xFFFF };
static const uint32_t counters[] = { 0, 1, 2, 0x7FFFFFFF, 0x80000000, 0xDEADBEEF, 0xFFFFFFFE,
				     0xFFFFFFFF };

static void round_trip(uint32_t w, uint32_t h, bool il, enum sy_sampling s, uint8_t depth,
		       bool all_values)
{
	struct sy_video_format f = fmt_of(w, h, il, s, depth);
	struct sy_stamp_geometry geo;
	size_t len;
	uint8_t *fr = alloc_frame(&f, &len);
	uint8_t *ref = alloc_frame(&f, &len);
	uint32_t seed = 12345;

	assert_int_equal(sy_stamp_geometry(&f, &geo), 0);
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		for (size_t j = 0; j < sizeof(counters) / sizeof(counters[0]); j++) {
			uint16_t id = ids[i];
			uint32_t c = counters[j];
			struct sy_stamp got;

			if (!all_values && (i + j) % 5)
				continue;
			stamped(&f, fr, len, id, c);
			assert_decodes(&f, fr, len, SY_STAMP_FIELD_BOTH, SY_STAMP_BAND_TOP, id, c);
			assert_int_equal(sy_stamp_decode_band(&f, fr, len, SY_STAMP_BAND_BOTTOM,
							      SY_STAMP_FIELD_BOTH, NULL, &got),
					 0);
			assert_int_equal(got.source_id, id);
			assert_int_equal(got.frame_counter, c);
			if (il) {
				assert_decodes(&f, fr, len, SY_STAMP_FIELD_FIRST,
					       SY_STAMP_BAND_TOP, id, c);
				assert_decodes(&f, fr, len, SY_STAMP_FIELD_SECOND,
					       SY_STAMP_BAND_TOP, id, c);
			}
		}
	}
	/* pseudo-random values */
	for (int k = 0; k < (all_values ? 50 : 5); k++) {
		uint16_t id = (uint16_t)rng_next(&seed);
		uint32_t c = rng_next(&seed);

		stamped(&f, fr, len, id, c);
		assert_decodes(&f, fr, len, SY_STAMP_FIELD_BOTH, SY_STAMP_BAND_TOP, id, c);
	}
	/* only band rows are written: the rest is the pattern */
	assert_int_equal(sy_pattern_render(&f, SY_PATTERN_BARS_75, 0, ref, len), 0);
	memcpy(fr, ref, len);
	assert_int_equal(sy_stamp_write(&f, fr, len, &(struct sy_stamp){ 7, 7 }), 0);
	uint8_t *a = line_ptr(&f, fr, geo.band_h_lines);
	uint8_t *b = line_ptr(&f, ref, geo.band_h_lines);
	uint8_t *end = line_ptr(&f, fr, geo.band_y[SY_STAMP_BAND_BOTTOM]);
	assert_memory_equal(a, b, (size_t)(end - a));
	assert_true(memcmp(fr, ref, (size_t)(a - fr)) != 0);
	free(fr);
	free(ref);
}

static void test_round_trip_sizes(void **state)
{
	(void)state;
	round_trip(320, 180, false, SY_SAMPLING_YCBCR_422, 10, true);
	round_trip(1280, 720, false, SY_SAMPLING_YCBCR_422, 10, true);
	round_trip(1920, 1080, true, SY_SAMPLING_YCBCR_422, 10, true);
	round_trip(3840, 2160, false, SY_SAMPLING_YCBCR_422, 10, false);
	round_trip(720, 576, true, SY_SAMPLING_YCBCR_422, 8, false);
}

static void test_round_trip_samplings(void **state)
{
	(void)state;
	round_trip(320, 180, false, SY_SAMPLING_YCBCR_422, 8, false);
	round_trip(320, 180, false, SY_SAMPLING_YCBCR_422, 12, false);
	round_trip(320, 180, false, SY_SAMPLING_YCBCR_422, 16, false);
	round_trip(320, 180, false, SY_SAMPLING_RGB, 8, false);
	round_trip(320, 180, false, SY_SAMPLING_RGB, 10, false);
	round_trip(320, 180, false, SY_SAMPLING_YCBCR_444, 10, false);
	round_trip(320, 180, false, SY_SAMPLING_YCBCR_444, 12, false);
	round_trip(320, 180, false, SY_SAMPLING_YCBCR_420, 8, false);
	round_trip(320, 180, false, SY_SAMPLING_YCBCR_420, 10, false);
	round_trip(1920, 1080, true, SY_SAMPLING_RGB, 10, false);
}

static void test_band_destroyed(void **state)
{
	(void)state;
	struct sy_video_format f = fmt_of(1920, 1080, false, SY_SAMPLING_YCBCR_422, 10);
	struct sy_stamp_geometry geo;
	struct sy_stamp got;
	size_t len;
	uint8_t *fr = alloc_frame(&f, &len);
	size_t band_bytes;

	assert_int_equal(sy_stamp_geometry(&f, &geo), 0);
	band_bytes = (size_t)geo.band_h_lines * sy_format_row_bytes(&f);
	stamped(&f, fr, len, 0x1234, 0xCAFEF00D);

	/* top band zeroed: Y = 0 everywhere, sync fails -> bottom band */
	memset(fr, 0, band_bytes);
	assert_int_equal(sy_stamp_decode_band(&f, fr, len, SY_STAMP_BAND_TOP,
					      SY_STAMP_FIELD_BOTH, NULL, &got),
			 -SY_E_STAMP_MISSING);
	assert_decodes(&f, fr, len, SY_STAMP_FIELD_BOTH, SY_STAMP_BAND_BOTTOM, 0x1234,
		       0xCAFEF00D);

	/* both zeroed: missing */
	memset(line_ptr(&f, fr, geo.band_y[SY_STAMP_BAND_BOTTOM]), 0, band_bytes);
	assert_int_equal(sy_stamp_decode(&f, fr, len, NULL, &got, NULL), -SY_E_STAMP_MISSING);

	/* a flat white or a plain bars picture is not a stamp */
	memset(fr, 0xFF, len);
	assert_int_equal(sy_stamp_decode(&f, fr, len, NULL, &got, NULL), -SY_E_STAMP_MISSING);
	for (int k = 0; k < SY_PATTERN_MAX; k++) {
		assert_int_equal(sy_pattern_render(&f, (enum sy_pattern_kind)k, 0, fr, len), 0);
		assert_int_equal(sy_stamp_decode(&f, fr, len, NULL, &got, NULL),
				 -SY_E_STAMP_MISSING);
	}
	free(fr);
}

/* Flip every bit of one interior line of each block row of the top band:
 * each flip must still decode to the right value (mean over 16 pixels). */
static void flip_all_bits(enum sy_sampling s, uint8_t depth)
{
	struct sy_video_format f = fmt_of(320, 180, false, s, depth);
	struct sy_stamp got;
	size_t len;
	uint8_t *fr = alloc_frame(&f, &len);
	uint32_t rb = sy_format_row_bytes(&f);
	static const uint32_t lines[] = { 3, 11 }; /* interior lines 2..5 and 10..13 */

	stamped(&f, fr, len, 0xBEEF, 0x01234567);
	for (size_t li = 0; li < 2; li++) {
		uint8_t *row = line_ptr(&f, fr, lines[li]);

		for (uint32_t bit = 0; bit < rb * 8u; bit++) {
			row[bit / 8] ^= (uint8_t)(0x80u >> (bit % 8));
			assert_int_equal(sy_stamp_decode_band(&f, fr, len, SY_STAMP_BAND_TOP,
							      SY_STAMP_FIELD_BOTH, NULL, &got),
					 0);
			assert_int_equal(got.source_id, 0xBEEF);
			assert_int_equal(got.frame_counter, 0x01234567);
			row[bit / 8] ^= (uint8_t)(0x80u >> (bit % 8));
		}
	}
	free(fr);
}

static void test_bit_flips(void **state)
{
	(void)state;
	flip_all_bits(SY_SAMPLING_YCBCR_422, 10);
	flip_all_bits(SY_SAMPLING_YCBCR_422, 8);
	flip_all_bits(SY_SAMPLING_RGB, 8);
}

/* Mild corruption: every sample of both bands moved by up to +-1/8 of the
 * black-white span (random), still decodes. */
static void test_mild_noise(void **state)
{
	(void)state;
	struct sy_video_format f = fmt_of(320, 180, false, SY_SAMPLING_YCBCR_422, 10);
	struct sy_stamp_geometry geo;
	struct sy_pgroup pg;
	size_t len;
	uint8_t *fr = alloc_frame(&f, &len);
	uint32_t seed = 99;

	assert_int_equal(sy_stamp_geometry(&f, &geo), 0);
	sy_format_pgroup(&f, &pg);
	for (int n = 0; n < 20; n++) {
		stamped(&f, fr, len, (uint16_t)n, 1000u + (uint32_t)n);
		for (size_t i = 0; i < len; i += pg.bytes) {
			uint16_t smp[4];

			sy_pattern_samples_unpack(fr + i, smp, 4, 10);
			for (int k = 0; k < 4; k++) {
				int v = smp[k] + (int)(rng_next(&seed) % 221) - 110; /* 876/8 */

				smp[k] = (uint16_t)(v < 0 ? 0 : v > 1023 ? 1023 : v);
			}
			sy_pattern_samples_pack(fr + i, smp, 4, 10);
		}
		assert_decodes(&f, fr, len, SY_STAMP_FIELD_BOTH, SY_STAMP_BAND_TOP, (uint16_t)n,
			       1000u + (uint32_t)n);
	}
	free(fr);
}

/* Random pictures never decode to a value. */
static void test_noise_frames(void **state)
{
	(void)state;
	struct sy_video_format f = fmt_of(320, 180, false, SY_SAMPLING_YCBCR_422, 10);
	struct sy_stamp got;
	size_t len;
	uint8_t *fr = alloc_frame(&f, &len);
	uint32_t seed = 0x5EED;
	int missing = 0;

	for (int n = 0; n < 1000; n++) {
		for (size_t i = 0; i < len; i += 4) {
			uint32_t r = rng_next(&seed);

			memcpy(fr + i, &r, len - i < 4 ? len - i : 4);
		}
		int rc = sy_stamp_decode(&f, fr, len, NULL, &got, NULL);
		assert_true(rc == -SY_E_STAMP_MISSING || rc == -SY_E_STAMP_CHECK);
		missing += rc == -SY_E_STAMP_MISSING;
	}
	assert_int_equal(missing, 1000); /* noise averages to grey: no sync */
	free(fr);
}

/* Copy block k of band from src into dst (same format). */
static void copy_block(const struct sy_video_format *f, const struct sy_stamp_geometry *geo,
		       uint8_t *dst, const uint8_t *src, enum sy_stamp_band band, unsigned k)
{
	struct sy_pgroup pg;
	uint32_t x0 = (k % SY_STAMP_COLS) * geo->block_w_px;
	uint32_t y0 = geo->band_y[band] + (k / SY_STAMP_COLS) * geo->block_h_lines;

	sy_format_pgroup(f, &pg);
	for (uint32_t y = y0; y < y0 + geo->block_h_lines; y += pg.lines) {
		size_t off = (size_t)(line_ptr(f, dst, y) - dst) + x0 / pg.pixels * pg.bytes;

		memcpy(dst + off, src + off, geo->block_w_px / pg.pixels * pg.bytes);
	}
}

/* Stamps whose data blocks are a random mix of two stamps: the decoder
 * returns one of the two or an error, never a third value. Also noise in
 * the data blocks behind a valid sync: CHECK. */
static void test_mixed_blocks(void **state)
{
	(void)state;
	struct sy_video_format f = fmt_of(320, 180, false, SY_SAMPLING_YCBCR_422, 10);
	struct sy_stamp_geometry geo;
	struct sy_stamp got;
	size_t len;
	uint8_t *a = alloc_frame(&f, &len);
	uint8_t *b = alloc_frame(&f, &len);
	uint32_t seed = 777;
	int check = 0;

	assert_int_equal(sy_stamp_geometry(&f, &geo), 0);
	for (int n = 0; n < 1000; n++) {
		uint16_t ida = (uint16_t)rng_next(&seed), idb = (uint16_t)rng_next(&seed);
		uint32_t ca = rng_next(&seed), cb = rng_next(&seed);

		stamped(&f, a, len, ida, ca);
		stamped(&f, b, len, idb, cb);
		for (unsigned k = 8; k < 72; k++)
			if (rng_next(&seed) & 1)
				copy_block(&f, &geo, a, b, SY_STAMP_BAND_TOP, k);
		int rc = sy_stamp_decode_band(&f, a, len, SY_STAMP_BAND_TOP, SY_STAMP_FIELD_BOTH,
					      NULL, &got);
		if (rc == 0)
			assert_true((got.source_id == ida && got.frame_counter == ca) ||
				    (got.source_id == idb && got.frame_counter == cb));
		else
			assert_int_equal(rc, -SY_E_STAMP_CHECK);
		check += rc != 0;
	}
	assert_true(check > 990);

	/* valid sync, noise data -> CHECK (data blocks unreadable) */
	for (int n = 0; n < 100; n++) {
		stamped(&f, a, len, 1, 2);
		for (size_t i = 0; i < len; i++)
			b[i] = (uint8_t)rng_next(&seed);
		for (unsigned k = 8; k < 72; k++)
			copy_block(&f, &geo, a, b, SY_STAMP_BAND_TOP, k);
		assert_int_equal(sy_stamp_decode_band(&f, a, len, SY_STAMP_BAND_TOP,
						      SY_STAMP_FIELD_BOTH, NULL, &got),
				 -SY_E_STAMP_CHECK);
	}
	free(a);
	free(b);
}

/* Top half from stamp A, bottom half from stamp B: each band says its own. */
static void test_torn_frame(void **state)
{
	(void)state;
	struct sy_video_format f = fmt_of(1920, 1080, false, SY_SAMPLING_YCBCR_422, 10);
	struct sy_stamp got;
	size_t len;
	uint8_t *a = alloc_frame(&f, &len);
	uint8_t *b = alloc_frame(&f, &len);

	stamped(&f, a, len, 1, 500);
	stamped(&f, b, len, 2, 77);
	memcpy(a + len / 2, b + len / 2, len - len / 2);
	assert_int_equal(sy_stamp_decode_band(&f, a, len, SY_STAMP_BAND_TOP, SY_STAMP_FIELD_BOTH,
					      NULL, &got),
			 0);
	assert_int_equal(got.source_id, 1);
	assert_int_equal(got.frame_counter, 500);
	assert_int_equal(sy_stamp_decode_band(&f, a, len, SY_STAMP_BAND_BOTTOM,
					      SY_STAMP_FIELD_BOTH, NULL, &got),
			 0);
	assert_int_equal(got.source_id, 2);
	assert_int_equal(got.frame_counter, 77);
	assert_decodes(&f, a, len, SY_STAMP_FIELD_BOTH, SY_STAMP_BAND_TOP, 1, 500);
	free(a);
	free(b);
}

/* 1080i: field 1 from A, field 2 from B. Per field decodes differ; the two
 * fields together are a damaged stamp (CHECK), never A or B. */
static void test_mixed_fields(void **state)
{
	(void)state;
	struct sy_video_format f = fmt_of(1920, 1080, true, SY_SAMPLING_YCBCR_422, 10);
	struct sy_stamp got;
	size_t len;
	uint8_t *a = alloc_frame(&f, &len);
	uint8_t *b = alloc_frame(&f, &len);
	uint32_t rb = sy_format_row_bytes(&f);

	stamped(&f, a, len, 10, 1000);
	stamped(&f, b, len, 11, 1001);
	for (uint32_t r = 1; r < 1080; r += 2) /* field 2 = odd frame rows */
		memcpy(a + (size_t)r * rb, b + (size_t)r * rb, rb);
	assert_decodes(&f, a, len, SY_STAMP_FIELD_FIRST, SY_STAMP_BAND_TOP, 10, 1000);
	assert_decodes(&f, a, len, SY_STAMP_FIELD_SECOND, SY_STAMP_BAND_TOP, 11, 1001);
	assert_int_equal(sy_stamp_decode(&f, a, len, NULL, &got, NULL), -SY_E_STAMP_CHECK);
	assert_int_equal(sy_stamp_decode_band(&f, a, len, SY_STAMP_BAND_BOTTOM,
					      SY_STAMP_FIELD_SECOND, NULL, &got),
			 0);
	assert_int_equal(got.frame_counter, 1001);

	/* per-field decode of a progressive format is an argument error */
	struct sy_video_format p = fmt_of(1920, 1080, false, SY_SAMPLING_YCBCR_422, 10);
	assert_int_equal(sy_stamp_decode_field(&p, a, len, SY_STAMP_FIELD_FIRST, NULL, &got, NULL),
			 -SY_E_RANGE);
	free(a);
	free(b);
}

struct row_range {
	uint32_t bad_lo, bad_hi; /* rows [lo, hi) are not trusted */
	uint32_t parity_bad;     /* 0: none; 1: even rows bad; 2: odd rows bad */
};

static bool row_ok(void *arg, uint32_t row)
{
	const struct row_range *rr = arg;

	if (row >= rr->bad_lo && row < rr->bad_hi)
		return false;
	if (rr->parity_bad && row % 2 == rr->parity_bad - 1)
		return false;
	return true;
}

static void test_coverage(void **state)
{
	(void)state;
	struct sy_video_format f = fmt_of(320, 180, false, SY_SAMPLING_YCBCR_422, 10);
	struct row_range rr = { 0, 0, 0 };
	struct sy_stamp_coverage cov = { row_ok, &rr };
	struct sy_stamp got;
	enum sy_stamp_band band;
	size_t len;
	uint8_t *fr = alloc_frame(&f, &len);

	stamped(&f, fr, len, 42, 4242);
	/* all rows trusted */
	assert_int_equal(sy_stamp_decode(&f, fr, len, &cov, &got, &band), 0);
	assert_int_equal(band, SY_STAMP_BAND_TOP);
	/* rows 2..5 (the interiors of block row 0) lost: top band missing */
	rr.bad_lo = 2;
	rr.bad_hi = 6;
	assert_int_equal(sy_stamp_decode_band(&f, fr, len, SY_STAMP_BAND_TOP, SY_STAMP_FIELD_BOTH,
					      &cov, &got),
			 -SY_E_STAMP_MISSING);
	assert_int_equal(sy_stamp_decode(&f, fr, len, &cov, &got, &band), 0);
	assert_int_equal(band, SY_STAMP_BAND_BOTTOM);
	assert_int_equal(got.frame_counter, 4242);
	/* rows 3..4 lost: rows 2 and 5 of the interiors suffice */
	rr.bad_lo = 3;
	rr.bad_hi = 5;
	assert_int_equal(sy_stamp_decode(&f, fr, len, &cov, &got, &band), 0);
	assert_int_equal(band, SY_STAMP_BAND_TOP);
	/* garbage in untrusted rows is ignored */
	memset(line_ptr(&f, fr, 3), 0xFF, 2u * sy_format_row_bytes(&f));
	assert_int_equal(sy_stamp_decode(&f, fr, len, &cov, &got, &band), 0);
	assert_int_equal(band, SY_STAMP_BAND_TOP);
	assert_int_equal(got.source_id, 42);
	/* nothing trusted */
	rr.bad_lo = 0;
	rr.bad_hi = 180;
	assert_int_equal(sy_stamp_decode(&f, fr, len, &cov, &got, &band), -SY_E_STAMP_MISSING);
	free(fr);

	/* 1080i, second field lost: first field decodes, second is missing */
	f = fmt_of(1920, 1080, true, SY_SAMPLING_YCBCR_422, 10);
	fr = alloc_frame(&f, &len);
	stamped(&f, fr, len, 5, 6);
	rr = (struct row_range){ 0, 0, 2 };
	assert_int_equal(sy_stamp_decode_field(&f, fr, len, SY_STAMP_FIELD_FIRST, &cov, &got,
					       &band),
			 0);
	assert_int_equal(got.frame_counter, 6);
	assert_int_equal(sy_stamp_decode_field(&f, fr, len, SY_STAMP_FIELD_SECOND, &cov, &got,
					       &band),
			 -SY_E_STAMP_MISSING);
	assert_int_equal(sy_stamp_decode(&f, fr, len, &cov, &got, &band), 0);
	free(fr);
}

static void test_errors(void **state)
{
	(void)state;
	struct sy_video_format f = fmt_of(320, 180, false, SY_SAMPLING_YCBCR_422, 10);
	struct sy_stamp st = { 1, 2 }, got;
	size_t len;
	uint8_t *fr = alloc_frame(&f, &len);

	assert_int_equal(sy_stamp_write(&f, fr, len - 1, &st), -SY_E_NOSPACE);
	assert_int_equal(sy_stamp_write(&f, fr, len, &st), 0);
	assert_int_equal(sy_stamp_decode(&f, fr, len - 1, NULL, &got, NULL), -SY_E_NOSPACE);
	assert_int_equal(sy_stamp_decode_band(&f, fr, len, SY_STAMP_BAND_MAX, SY_STAMP_FIELD_BOTH,
					      NULL, &got),
			 -SY_E_RANGE);
	assert_int_equal(sy_stamp_decode_band(&f, fr, len, SY_STAMP_BAND_TOP, SY_STAMP_FIELD_MAX,
					      NULL, &got),
			 -SY_E_RANGE);
	f.depth = 9;
	assert_int_equal(sy_stamp_write(&f, fr, len, &st), -SY_E_UNSUPPORTED);
	free(fr);
}

/* The decoder reads only the middle of each block: a picture shifted by a
 * quarter block (2 pixels / 2 lines at 320x180) still decodes. */
static void test_shifted(void **state)
{
	(void)state;
	struct sy_video_format f = fmt_of(320, 180, false, SY_SAMPLING_YCBCR_422, 10);
	size_t len;
	uint8_t *fr = alloc_frame(&f, &len);
	uint32_t rb = sy_format_row_bytes(&f);

	/* stamp 0x0F0F / 0x33CC55AA: many black/white neighbours */
	stamped(&f, fr, len, 0x0F0F, 0x33CC55AA);
	for (uint32_t r = 0; r < 180; r++) { /* right by one pgroup = 2 px */
		memmove(fr + (size_t)r * rb + 5, fr + (size_t)r * rb, rb - 5);
	}
	assert_decodes(&f, fr, len, SY_STAMP_FIELD_BOTH, SY_STAMP_BAND_TOP, 0x0F0F, 0x33CC55AA);
	memmove(fr + 2 * (size_t)rb, fr, len - 2 * (size_t)rb); /* down 2 lines */
	assert_decodes(&f, fr, len, SY_STAMP_FIELD_BOTH, SY_STAMP_BAND_TOP, 0x0F0F, 0x33CC55AA);
	free(fr);
}

/* A data block painted mid-grey is unreadable: CHECK, even where the bit
 * it replaced was 0 (grey is not read as black). */
static void test_grey_block(void **state)
{
	(void)state;
	struct sy_video_format f = fmt_of(320, 180, false, SY_SAMPLING_YCBCR_422, 10);
	struct sy_stamp got;
	size_t len;
	uint8_t *fr = alloc_frame(&f, &len);
	uint32_t rb = sy_format_row_bytes(&f);
	/* Cb 512 Y 502 Cr 512 Y 502 */
	static const uint16_t grey[4] = { 512, 502, 512, 502 };

	/* id 0: bits 8..23 are all 0; block 8 is at x 64..71, lines 0..7 */
	stamped(&f, fr, len, 0, 99);
	for (uint32_t y = 0; y < 8; y++)
		for (uint32_t pgi = 32; pgi < 36; pgi++)
			sy_pattern_samples_pack(fr + (size_t)y * rb + pgi * 5, grey, 4, 10);
	assert_int_equal(sy_stamp_decode_band(&f, fr, len, SY_STAMP_BAND_TOP, SY_STAMP_FIELD_BOTH,
					      NULL, &got),
			 -SY_E_STAMP_CHECK);
	assert_decodes(&f, fr, len, SY_STAMP_FIELD_BOTH, SY_STAMP_BAND_BOTTOM, 0, 99);
	free(fr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crc16),
		cmocka_unit_test(test_geometry),
		cmocka_unit_test(test_round_trip_sizes),
		cmocka_unit_test(test_round_trip_samplings),
		cmocka_unit_test(test_band_destroyed),
		cmocka_unit_test(test_bit_flips),
		cmocka_unit_test(test_mild_noise),
		cmocka_unit_test(test_noise_frames),
		cmocka_unit_test(test_mixed_blocks),
		cmocka_unit_test(test_torn_frame),
		cmocka_unit_test(test_mixed_fields),
		cmocka_unit_test(test_coverage),
		cmocka_unit_test(test_shifted),
		cmocka_unit_test(test_grey_block),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
