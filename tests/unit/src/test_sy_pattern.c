/* SPDX-License-Identifier: MIT */
/*
 * test_sy_pattern.c: pgroup pack/unpack, colour values and rendered test
 * patterns of sy_pattern, checked against hand-computed bytes.
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
#include "sy_test_pcap.h"

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
	memset(p, 0xEE, *len);
	return p;
}

static void assert_px(const struct sy_pattern_px *p, unsigned a, unsigned b, unsigned c)
{
	assert_int_equal(p->c[0], a);
	assert_int_equal(p->c[1], b);
	assert_int_equal(p->c[2], c);
}

/* 10-bit 4:2:2 pgroup: 4 samples x 10 bits across 5 bytes */
static void test_pack_10bit_extremes(void **state)
{
	(void)state;
	uint8_t b[5];
	uint16_t s[4];
	/* 0000000000 1111111111 0001000000 1110101100
	 * -> 00000000 00111111 11110001 00000011 10101100 */
	static const uint16_t v1[4] = { 0, 1023, 64, 940 };
	static const uint8_t e1[5] = { 0x00, 0x3F, 0xF1, 0x03, 0xAC };
	/* 1111111111 0000000000 1111111111 0000000000 */
	static const uint16_t v2[4] = { 1023, 0, 1023, 0 };
	static const uint8_t e2[5] = { 0xFF, 0xC0, 0x0F, 0xFC, 0x00 };
	/* 0001000000 1110101100 0001000000 1110101100 (Y black/white swapped in) */
	static const uint16_t v3[4] = { 64, 940, 64, 940 };
	static const uint8_t e3[5] = { 0x10, 0x3A, 0xC1, 0x03, 0xAC };

	sy_pattern_samples_pack(b, v1, 4, 10);
	assert_memory_equal(b, e1, 5);
	sy_pattern_samples_unpack(e1, s, 4, 10);
	assert_memory_equal(s, v1, sizeof(s));
	sy_pattern_samples_pack(b, v2, 4, 10);
	assert_memory_equal(b, e2, 5);
	sy_pattern_samples_unpack(e2, s, 4, 10);
	assert_memory_equal(s, v2, sizeof(s));
	sy_pattern_samples_pack(b, v3, 4, 10);
	assert_memory_equal(b, e3, 5);
	sy_pattern_samples_unpack(e3, s, 4, 10);
	assert_memory_equal(s, v3, sizeof(s));
}

static void test_pack_other_depths(void **state)
{
	(void)state;
	uint8_t b[8];
	uint16_t s[4];
	static const uint16_t v8[4] = { 16, 235, 128, 0 };
	static const uint8_t e8[4] = { 16, 235, 128, 0 };
	/* 12-bit: FFF 000 ABC 123 -> FF F0 00 AB C1 23 */
	static const uint16_t v12[4] = { 0xFFF, 0x000, 0xABC, 0x123 };
	static const uint8_t e12[6] = { 0xFF, 0xF0, 0x00, 0xAB, 0xC1, 0x23 };
	static const uint16_t v16[4] = { 0xFFFF, 0x0001, 0x8000, 0x1234 };
	static const uint8_t e16[8] = { 0xFF, 0xFF, 0x00, 0x01, 0x80, 0x00, 0x12, 0x34 };
	/* bits above depth are ignored */
	static const uint16_t vhi[4] = { 0xFC00 | 1, 0, 0, 0 };
	static const uint8_t ehi[5] = { 0x00, 0x40, 0, 0, 0 };

	sy_pattern_samples_pack(b, v8, 4, 8);
	assert_memory_equal(b, e8, 4);
	sy_pattern_samples_unpack(e8, s, 4, 8);
	assert_memory_equal(s, v8, sizeof(s));
	sy_pattern_samples_pack(b, v12, 4, 12);
	assert_memory_equal(b, e12, 6);
	sy_pattern_samples_unpack(e12, s, 4, 12);
	assert_memory_equal(s, v12, sizeof(s));
	sy_pattern_samples_pack(b, v16, 4, 16);
	assert_memory_equal(b, e16, 8);
	sy_pattern_samples_unpack(e16, s, 4, 16);
	assert_memory_equal(s, v16, sizeof(s));
	sy_pattern_samples_pack(b, vhi, 4, 10);
	assert_memory_equal(b, ehi, 5);
}

static void test_pg_orders(void **state)
{
	(void)state;
	struct sy_pattern_px px[SY_PATTERN_PG_PIXELS_MAX], back[SY_PATTERN_PG_PIXELS_MAX];
	uint16_t s[SY_PATTERN_PG_SAMPLES_MAX];
	uint8_t b[16];

	for (unsigned i = 0; i < SY_PATTERN_PG_PIXELS_MAX; i++)
		for (unsigned c = 0; c < 3; c++)
			px[i].c[c] = (uint16_t)(100 + 10 * i + c); /* Y/R=1x0, Cb/G=1x1, Cr/B=1x2 */

	/* 4:2:2 10: Cb0 Y0 Cr0 Y1 (chroma of the left pixel) */
	struct sy_video_format f = fmt_of(1920, 1080, false, SY_SAMPLING_YCBCR_422, 10);
	assert_int_equal(sy_pattern_pg_put(&f, b, px), 0);
	sy_pattern_samples_unpack(b, s, 4, 10);
	assert_int_equal(s[0], 101);
	assert_int_equal(s[1], 100);
	assert_int_equal(s[2], 102);
	assert_int_equal(s[3], 110);
	assert_int_equal(sy_pattern_pg_get(&f, b, back), 0);
	assert_px(&back[0], 100, 101, 102);
	assert_px(&back[1], 110, 101, 102);

	/* 4:4:4 10: 4 px of Cb Y Cr */
	f.sampling = SY_SAMPLING_YCBCR_444;
	assert_int_equal(sy_pattern_pg_put(&f, b, px), 0);
	sy_pattern_samples_unpack(b, s, 12, 10);
	for (unsigned i = 0; i < 4; i++) {
		assert_int_equal(s[3 * i], 100 + 10 * i + 1);
		assert_int_equal(s[3 * i + 1], 100 + 10 * i);
		assert_int_equal(s[3 * i + 2], 100 + 10 * i + 2);
	}
	assert_int_equal(sy_pattern_pg_get(&f, b, back), 0);
	assert_memory_equal(back, px, 4 * sizeof(px[0]));

	/* RGB 10: R G B per pixel */
	f.sampling = SY_SAMPLING_RGB;
	assert_int_equal(sy_pattern_pg_put(&f, b, px), 0);
	sy_pattern_samples_unpack(b, s, 12, 10);
	assert_int_equal(s[0], 100);
	assert_int_equal(s[1], 101);
	assert_int_equal(s[2], 102);
	assert_int_equal(s[9], 130);
	assert_int_equal(sy_pattern_pg_get(&f, b, back), 0);
	assert_memory_equal(back, px, 4 * sizeof(px[0]));

	/* 4:2:0 10: pgroup 4 px x 2 lines, px[0..3] line 0, px[4..7] line 1:
	 * Y00 Y01 Y10 Y11 Cb00 Cr00  Y02 Y03 Y12 Y13 Cb01 Cr01 */
	f.sampling = SY_SAMPLING_YCBCR_420;
	assert_int_equal(sy_pattern_pg_put(&f, b, px), 0);
	sy_pattern_samples_unpack(b, s, 12, 10);
	static const uint16_t e420[12] = { 100, 110, 140, 150, 101, 102,
					   120, 130, 160, 170, 121, 122 };
	assert_memory_equal(s, e420, sizeof(e420));
	assert_int_equal(sy_pattern_pg_get(&f, b, back), 0);
	assert_px(&back[5], 150, 101, 102); /* line 1 col 1 shares Cb00/Cr00 */
	assert_px(&back[7], 170, 121, 122);

	/* 4:2:0 8: 2 px x 2 lines, 6 bytes */
	f.depth = 8;
	assert_int_equal(sy_pattern_pg_put(&f, b, px), 0);
	static const uint8_t e4208[6] = { 100, 110, 120, 130, 101, 102 };
	assert_memory_equal(b, e4208, 6);

	/* 4:2:2 12: 6 bytes */
	f.sampling = SY_SAMPLING_YCBCR_422;
	f.depth = 12;
	assert_int_equal(sy_pattern_pg_put(&f, b, px), 0);
	sy_pattern_samples_unpack(b, s, 4, 12);
	assert_int_equal(s[1], 100);
	assert_int_equal(s[3], 110);

	f.depth = 9;
	assert_int_equal(sy_pattern_pg_put(&f, b, px), -SY_E_UNSUPPORTED);
	assert_int_equal(sy_pattern_pg_get(&f, b, px), -SY_E_UNSUPPORTED);
}

/*
 * BT.709 10-bit narrow, by hand (Kr .2126, Kg .7152, Kb .0722):
 *  75% white: Y = 64 + 876 * .75 = 721; Cb = Cr = 512
 *  75% yellow: E'Y = .75 * .9278 -> 64 + 876 * .69585 = 673.56 -> 674
 *      Cb = 512 + 896 * (0 - .69585) / 1.8556 = 512 - 336 = 176
 *      Cr = 512 + 896 * (.75 - .69585) / 1.5748 = 512 + 30.81 -> 543
 *  100% red: Y = 64 + 876 * .2126 = 250.24 -> 250
 *      Cb = 512 - 896 * .2126 / 1.8556 = 512 - 102.66 -> 409
 *      Cr = 512 + 896 * .7874 / 1.5748 = 512 + 448 = 960
 *  BT.2020 75% yellow: E'Y = .75 * .9407 -> 64 + 618.04 = 682; Cb 176;
 *      Cr = 512 + 672 * .0593 / 1.4746 = 512 + 27.02 -> 539
 *  8-bit 75% white: 16 + 219 * .75 = 180.25 -> 180
 */
static void test_colors(void **state)
{
	(void)state;
	struct sy_video_format f = fmt_of(1920, 1080, false, SY_SAMPLING_YCBCR_422, 10);
	struct sy_pattern_px p;

	assert_int_equal(sy_pattern_bar_color(&f, 0, 75, &p), 0);
	assert_px(&p, 721, 512, 512);
	assert_int_equal(sy_pattern_bar_color(&f, 1, 75, &p), 0);
	assert_px(&p, 674, 176, 543);
	assert_int_equal(sy_pattern_bar_color(&f, 7, 75, &p), 0);
	assert_px(&p, 64, 512, 512);
	assert_int_equal(sy_pattern_bar_color(&f, 5, 100, &p), 0);
	assert_px(&p, 250, 409, 960);
	assert_int_equal(sy_pattern_bar_color(&f, 0, 100, &p), 0);
	assert_px(&p, 940, 512, 512);
	/* 100% blue: Cb = 512 + 896 * .9278 / 1.8556 = 960 */
	assert_int_equal(sy_pattern_bar_color(&f, 6, 100, &p), 0);
	assert_px(&p, 127, 960, 471);

	f.colorimetry = SY_COLORIMETRY_BT2020;
	assert_int_equal(sy_pattern_bar_color(&f, 1, 75, &p), 0);
	assert_px(&p, 682, 176, 539);
	f.colorimetry = SY_COLORIMETRY_BT2100;
	assert_int_equal(sy_pattern_bar_color(&f, 1, 75, &p), 0);
	assert_px(&p, 682, 176, 539);

	f.colorimetry = SY_COLORIMETRY_BT709;
	f.depth = 8;
	assert_int_equal(sy_pattern_bar_color(&f, 0, 75, &p), 0);
	assert_px(&p, 180, 128, 128);
	assert_int_equal(sy_pattern_bar_color(&f, 7, 75, &p), 0);
	assert_px(&p, 16, 128, 128);
	f.depth = 12; /* 12-bit: 64 * 4 + 3504 * .75 = 2884 */
	assert_int_equal(sy_pattern_bar_color(&f, 0, 75, &p), 0);
	assert_px(&p, 2884, 2048, 2048);

	/* full range 10-bit: white 1023, black 0, chroma centre 512 */
	f.depth = 10;
	f.range = SY_RANGE_FULL;
	assert_int_equal(sy_pattern_rgb(&f, 1, 1, 1, 1, &p), 0);
	assert_px(&p, 1023, 512, 512);
	assert_int_equal(sy_pattern_rgb(&f, 0, 0, 0, 1, &p), 0);
	assert_px(&p, 0, 512, 512);
	f.range = SY_RANGE_FULLPROTECT; /* 4 .. 1019 */
	assert_int_equal(sy_pattern_rgb(&f, 1, 1, 1, 1, &p), 0);
	assert_px(&p, 1019, 512, 512);

	f.range = SY_RANGE_NARROW;
	f.sampling = SY_SAMPLING_RGB;
	assert_int_equal(sy_pattern_bar_color(&f, 1, 75, &p), 0);
	assert_px(&p, 721, 721, 64);

	assert_int_equal(sy_pattern_rgb(&f, 2, 0, 0, 1, &p), -SY_E_RANGE);
	assert_int_equal(sy_pattern_rgb(&f, 0, 0, 0, 0, &p), -SY_E_RANGE);
	assert_int_equal(sy_pattern_bar_color(&f, 8, 75, &p), -SY_E_RANGE);
}

/* Every bar b covers pixels b*W/8 .. (b+1)*W/8 - 1 on the first, middle and
 * last scan line, with the colour of sy_pattern_bar_color(). */
static void check_bars(const struct sy_video_format *f, const uint8_t *frame, unsigned pct)
{
	uint32_t lines[3] = { 0, f->height / 2, f->height - 1 };

	for (unsigned li = 0; li < 3; li++) {
		for (unsigned b = 0; b < 8; b++) {
			struct sy_pattern_px want, got;
			uint32_t x0 = b * f->width / 8, x1 = (b + 1) * f->width / 8 - 1;

			assert_int_equal(sy_pattern_bar_color(f, b, pct, &want), 0);
			assert_int_equal(sy_pattern_px_get(f, frame, x0, lines[li], &got), 0);
			assert_memory_equal(&got.c, &want.c, sizeof(want.c));
			/* luma / RGB of the last pixel; chroma may be co-sited left */
			assert_int_equal(sy_pattern_px_get(f, frame, x1, lines[li], &got), 0);
			assert_int_equal(got.c[0], want.c[0]);
			if (f->sampling != SY_SAMPLING_YCBCR_422 &&
			    f->sampling != SY_SAMPLING_YCBCR_420)
				assert_memory_equal(&got.c, &want.c, sizeof(want.c));
		}
	}
}

static void test_bars_1080p10(void **state)
{
	(void)state;
	struct sy_video_format f = fmt_of(1920, 1080, false, SY_SAMPLING_YCBCR_422, 10);
	size_t len;
	uint8_t *fr = alloc_frame(&f, &len);
	uint32_t rb = sy_format_row_bytes(&f);
	char md5[33];
	/* Cb 512 Y 721 Cr 512 Y 721: 1000000000 1011010001 1000000000 1011010001 */
	static const uint8_t white75[5] = { 0x80, 0x2D, 0x18, 0x02, 0xD1 };
	/* Cb 176 Y 674 Cr 543 Y 674: 0010110000 1010100010 1000011111 1010100010 */
	static const uint8_t yellow75[5] = { 0x2C, 0x2A, 0x28, 0x7E, 0xA2 };
	/* Cb 512 Y 64 Cr 512 Y 64: 1000000000 0001000000 1000000000 0001000000 */
	static const uint8_t black[5] = { 0x80, 0x04, 0x08, 0x00, 0x40 };

	assert_int_equal(len, 4800u * 1080u);
	assert_int_equal(sy_pattern_render(&f, SY_PATTERN_BARS_75, 0, fr, len), 0);
	assert_memory_equal(fr, white75, 5);
	/* bar width 240 px = 120 pgroups: pgroup 119 white, 120 yellow */
	assert_memory_equal(fr + 119 * 5, white75, 5);
	assert_memory_equal(fr + 120 * 5, yellow75, 5);
	/* last bar black: pgroups 840..959, and the last pgroup of the frame */
	assert_memory_equal(fr + 840 * 5, black, 5);
	assert_memory_not_equal(fr + 839 * 5, black, 5); /* last pgroup of blue */
	assert_memory_equal(fr + len - 5, black, 5);
	assert_memory_equal(fr + (size_t)1079 * rb, fr, rb);
	check_bars(&f, fr, 75);

	/* Pins the output: any change to colour maths, bar geometry or packing
	 * changes this hash. Computed once, and reproduced by an independent
	 * exact-fraction model of the same formulas (Python Fraction, half away
	 * from zero, RFC 4175 4:2:2 10-bit packing) when it was pinned. */
	sy_test_md5_hex(fr, len, md5);
	assert_string_equal(md5, "a7edb154d86e4420d00d8f3d94e44c78");

	assert_int_equal(sy_pattern_render(&f, SY_PATTERN_BARS_100, 0, fr, len), 0);
	check_bars(&f, fr, 100);
	sy_test_md5_hex(fr, len, md5);
	assert_string_equal(md5, "07165b564dd3f7ea3af06fa870a93433");

	assert_int_equal(sy_pattern_render(&f, SY_PATTERN_BLACK, 0, fr, len), 0);
	for (size_t i = 0; i < len; i += 5)
		assert_memory_equal(fr + i, black, 5);
	free(fr);
}

static void test_bars_8bit_and_rgb(void **state)
{
	(void)state;
	struct sy_video_format f = fmt_of(1920, 1080, false, SY_SAMPLING_YCBCR_422, 8);
	size_t len;
	uint8_t *fr = alloc_frame(&f, &len);

	assert_int_equal(sy_pattern_render(&f, SY_PATTERN_BARS_75, 0, fr, len), 0);
	/* Cb 128 Y 180 Cr 128 Y 180; black Cb 128 Y 16 */
	assert_memory_equal(fr, ((uint8_t[]){ 0x80, 0xB4, 0x80, 0xB4 }), 4);
	assert_memory_equal(fr + len - 4, ((uint8_t[]){ 0x80, 0x10, 0x80, 0x10 }), 4);
	check_bars(&f, fr, 75);
	free(fr);

	/* RGB 8-bit 720p: bar width 160; white 180 180 180, yellow 180 180 16 */
	f = fmt_of(1280, 720, false, SY_SAMPLING_RGB, 8);
	fr = alloc_frame(&f, &len);
	assert_int_equal(sy_pattern_render(&f, SY_PATTERN_BARS_75, 0, fr, len), 0);
	assert_memory_equal(fr, ((uint8_t[]){ 180, 180, 180 }), 3);
	assert_memory_equal(fr + 159 * 3, ((uint8_t[]){ 180, 180, 180 }), 3);
	assert_memory_equal(fr + 160 * 3, ((uint8_t[]){ 180, 180, 16 }), 3);
	assert_memory_equal(fr + len - 3, ((uint8_t[]){ 16, 16, 16 }), 3);
	check_bars(&f, fr, 75);
	free(fr);

	/* RGB 10-bit: 4 px pgroup of 12 x 721: (1011010001 x 4) = B4 6D 1B 46 D1, x3 */
	f = fmt_of(1280, 720, false, SY_SAMPLING_RGB, 10);
	fr = alloc_frame(&f, &len);
	assert_int_equal(sy_pattern_render(&f, SY_PATTERN_BARS_75, 0, fr, len), 0);
	static const uint8_t w15[15] = { 0xB4, 0x6D, 0x1B, 0x46, 0xD1, 0xB4, 0x6D, 0x1B,
					 0x46, 0xD1, 0xB4, 0x6D, 0x1B, 0x46, 0xD1 };
	assert_memory_equal(fr, w15, 15);
	check_bars(&f, fr, 75);
	free(fr);

	/* 4:4:4 10-bit and 4:2:0 8/10-bit, 720p */
	f = fmt_of(1280, 720, false, SY_SAMPLING_YCBCR_444, 10);
	fr = alloc_frame(&f, &len);
	assert_int_equal(sy_pattern_render(&f, SY_PATTERN_BARS_100, 0, fr, len), 0);
	check_bars(&f, fr, 100);
	free(fr);
	f = fmt_of(1280, 720, false, SY_SAMPLING_YCBCR_420, 10);
	fr = alloc_frame(&f, &len);
	assert_int_equal(len, 1280u / 4 * 15 * 360);
	assert_int_equal(sy_pattern_render(&f, SY_PATTERN_BARS_75, 0, fr, len), 0);
	check_bars(&f, fr, 75);
	free(fr);
	f.depth = 8;
	fr = alloc_frame(&f, &len);
	assert_int_equal(sy_pattern_render(&f, SY_PATTERN_BARS_75, 0, fr, len), 0);
	/* Y00 Y01 Y10 Y11 Cb Cr = 180 180 180 180 128 128 */
	assert_memory_equal(fr, ((uint8_t[]){ 180, 180, 180, 180, 128, 128 }), 6);
	check_bars(&f, fr, 75);
	free(fr);
}

static void test_sizes(void **state)
{
	(void)state;
	static const struct {
		uint32_t w, h;
		bool il;
		uint8_t depth;
	} sz[] = {
		{ 320, 180, false, 10 },  { 1280, 720, false, 10 }, { 3840, 2160, false, 10 },
		{ 1920, 1080, true, 10 }, { 720, 576, true, 8 },    { 3840, 2160, false, 12 },
	};

	for (size_t i = 0; i < sizeof(sz) / sizeof(sz[0]); i++) {
		struct sy_video_format f =
			fmt_of(sz[i].w, sz[i].h, sz[i].il, SY_SAMPLING_YCBCR_422, sz[i].depth);
		size_t len;
		uint8_t *fr = alloc_frame(&f, &len);

		assert_int_equal(sy_pattern_render(&f, SY_PATTERN_BARS_75, 0, fr, len), 0);
		check_bars(&f, fr, 75);
		assert_int_equal(sy_pattern_render(&f, SY_PATTERN_MOVING, 7, fr, len), 0);
		free(fr);
	}
}

static bool px_is_white100(const struct sy_video_format *f, const uint8_t *fr, uint32_t x,
			   uint32_t y)
{
	struct sy_pattern_px p;

	assert_int_equal(sy_pattern_px_get(f, fr, x, y, &p), 0);
	return p.c[0] == 940;
}

static void test_moving_box(void **state)
{
	(void)state;
	struct sy_video_format f = fmt_of(1920, 1080, false, SY_SAMPLING_YCBCR_422, 10);
	struct sy_pattern_box box;
	size_t len;
	uint8_t *fr = alloc_frame(&f, &len);
	uint8_t *fr2 = alloc_frame(&f, &len);

	/* w = 1920/16 = 120, h = 1080/4 = 270 -> 268, y = 405 -> 404, step 8 */
	assert_int_equal(sy_pattern_box(&f, 0, &box), 0);
	assert_int_equal(box.x, 0);
	assert_int_equal(box.y, 404);
	assert_int_equal(box.w, 120);
	assert_int_equal(box.h, 268);
	assert_int_equal(box.step_px, 8);
	assert_int_equal(sy_pattern_box(&f, 1, &box), 0);
	assert_int_equal(box.x, 8);
	assert_int_equal(sy_pattern_box(&f, 239, &box), 0);
	assert_int_equal(box.x, 1912);
	assert_int_equal(sy_pattern_box(&f, 240, &box), 0);
	assert_int_equal(box.x, 0);
	assert_int_equal(sy_pattern_box(&f, 0xFFFFFFFFFFull, &box), 0);
	assert_int_equal(box.x, 0xFFFFFFFFFFull % 240 * 8);
	assert_int_equal(sy_pattern_period(&f, SY_PATTERN_MOVING), 240);
	assert_int_equal(sy_pattern_period(&f, SY_PATTERN_BARS_75), 1);
	assert_int_equal(sy_pattern_period(&f, SY_PATTERN_MAX), 0);

	/* frame 1: box over x 8..127, lines 404..671; 75% white (721) around */
	assert_int_equal(sy_pattern_render(&f, SY_PATTERN_MOVING, 1, fr, len), 0);
	assert_false(px_is_white100(&f, fr, 7, 500));
	assert_true(px_is_white100(&f, fr, 8, 500));
	assert_true(px_is_white100(&f, fr, 127, 404));
	assert_true(px_is_white100(&f, fr, 127, 671));
	assert_false(px_is_white100(&f, fr, 128, 500));
	assert_false(px_is_white100(&f, fr, 8, 403));
	assert_false(px_is_white100(&f, fr, 8, 672));
	/* outside the box the picture is the bars */
	assert_int_equal(sy_pattern_render(&f, SY_PATTERN_BARS_75, 0, fr2, len), 0);
	assert_memory_equal(fr, fr2, (size_t)404 * 4800);
	assert_memory_equal(fr + (size_t)672 * 4800, fr2 + (size_t)672 * 4800,
			    (size_t)(1080 - 672) * 4800);

	/* frame 239: box wraps, x 1912..1919 and 0..111 */
	assert_int_equal(sy_pattern_render(&f, SY_PATTERN_MOVING, 239, fr, len), 0);
	assert_false(px_is_white100(&f, fr, 1911, 500));
	assert_true(px_is_white100(&f, fr, 1912, 500));
	assert_true(px_is_white100(&f, fr, 1919, 500));
	assert_true(px_is_white100(&f, fr, 0, 500));
	assert_true(px_is_white100(&f, fr, 111, 500));
	assert_false(px_is_white100(&f, fr, 112, 500));

	/* frame N is always the same picture; N + period equals N */
	assert_int_equal(sy_pattern_render(&f, SY_PATTERN_MOVING, 5, fr, len), 0);
	assert_int_equal(sy_pattern_render(&f, SY_PATTERN_MOVING, 5 + 240, fr2, len), 0);
	assert_memory_equal(fr, fr2, len);
	assert_int_equal(sy_pattern_render(&f, SY_PATTERN_MOVING, 6, fr2, len), 0);
	assert_true(memcmp(fr, fr2, len) != 0);
	free(fr);
	free(fr2);

	/* 320x180: w 20, h 44, y 64, step 4, period 80 */
	f = fmt_of(320, 180, false, SY_SAMPLING_YCBCR_422, 10);
	assert_int_equal(sy_pattern_box(&f, 3, &box), 0);
	assert_int_equal(box.x, 12);
	assert_int_equal(box.w, 20);
	assert_int_equal(box.h, 44);
	assert_int_equal(box.y, 64);
	assert_int_equal(sy_pattern_period(&f, SY_PATTERN_MOVING), 80);
}

static void test_errors(void **state)
{
	(void)state;
	struct sy_video_format f = fmt_of(320, 180, false, SY_SAMPLING_YCBCR_422, 10);
	size_t len;
	uint8_t *fr = alloc_frame(&f, &len);

	assert_int_equal(sy_pattern_render(&f, SY_PATTERN_BARS_75, 0, fr, len - 1), -SY_E_NOSPACE);
	assert_int_equal(sy_pattern_render(&f, SY_PATTERN_MAX, 0, fr, len), -SY_E_RANGE);
	f.width = 321; /* not a whole number of 2-pixel pgroups */
	assert_int_equal(sy_pattern_render(&f, SY_PATTERN_BARS_75, 0, fr, len), -SY_E_FORMAT);
	f.width = 320;
	f.depth = 9;
	assert_int_equal(sy_pattern_render(&f, SY_PATTERN_BARS_75, 0, fr, len), -SY_E_UNSUPPORTED);
	f = fmt_of(320, 180, true, SY_SAMPLING_YCBCR_420, 8);
	f.height = 184;
	assert_int_equal(sy_pattern_render(&f, SY_PATTERN_BARS_75, 0, fr, len), -SY_E_UNSUPPORTED);
	free(fr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pack_10bit_extremes),
		cmocka_unit_test(test_pack_other_depths),
		cmocka_unit_test(test_pg_orders),
		cmocka_unit_test(test_colors),
		cmocka_unit_test(test_bars_1080p10),
		cmocka_unit_test(test_bars_8bit_and_rgb),
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_moving_box),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
