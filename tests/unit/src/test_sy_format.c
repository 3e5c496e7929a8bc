/* SPDX-License-Identifier: MIT */
/* test_sy_format.c: pgroup table, validation, sizes, SDP tokens. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sy_err.h"
#include "sy_format.h"

static void test_pgroups(void **state)
{
	(void)state;
	static const struct {
		enum sy_sampling s;
		uint8_t depth;
		uint16_t bytes, px, lines;
	} t[] = {
		{ SY_SAMPLING_YCBCR_422, 8, 4, 2, 1 },  { SY_SAMPLING_YCBCR_422, 10, 5, 2, 1 },
		{ SY_SAMPLING_YCBCR_422, 12, 6, 2, 1 }, { SY_SAMPLING_YCBCR_444, 10, 15, 4, 1 },
		{ SY_SAMPLING_YCBCR_444, 12, 9, 2, 1 }, { SY_SAMPLING_RGB, 8, 3, 1, 1 },
		{ SY_SAMPLING_RGB, 10, 15, 4, 1 },      { SY_SAMPLING_YCBCR_420, 8, 6, 2, 2 },
		{ SY_SAMPLING_YCBCR_420, 10, 15, 4, 2 }, { SY_SAMPLING_YCBCR_420, 12, 9, 2, 2 },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct sy_video_format f = sy_format_make(1920, 1080, false, 50, 1, t[i].depth);
		struct sy_pgroup pg;

		f.sampling = t[i].s;
		assert_int_equal(sy_format_pgroup(&f, &pg), 0);
		assert_int_equal(pg.bytes, t[i].bytes);
		assert_int_equal(pg.pixels, t[i].px);
		assert_int_equal(pg.lines, t[i].lines);
	}
	struct sy_video_format f = sy_format_make(1920, 1080, false, 50, 1, 9);
	struct sy_pgroup pg;
	assert_int_equal(sy_format_pgroup(&f, &pg), -SY_E_UNSUPPORTED);
	f.depth = 16;
	f.sampling = SY_SAMPLING_YCBCR_420;
	assert_int_equal(sy_format_pgroup(&f, &pg), -SY_E_UNSUPPORTED);
}

static void test_sizes(void **state)
{
	(void)state;
	struct sy_video_format f = sy_format_make(3840, 2160, false, 60000, 1001, 10);

	assert_int_equal(sy_format_validate(&f), 0);
	assert_int_equal(sy_format_row_bytes(&f), 9600);
	assert_int_equal(sy_format_frame_bytes(&f), 20736000);
	f = sy_format_make(1920, 1080, true, 25, 1, 10);
	assert_int_equal(sy_format_rows_per_field(&f), 540);
	assert_int_equal(sy_format_frame_bytes(&f), 5184000);
	f = sy_format_make(7680, 4320, false, 60000, 1001, 10);
	assert_int_equal(sy_format_validate(&f), 0);
	assert_int_equal(sy_format_frame_bytes(&f), 82944000);
	/* 4:4:4 10-bit needs width % 4 == 0 */
	f = sy_format_make(1918, 1080, false, 50, 1, 10);
	f.sampling = SY_SAMPLING_YCBCR_444;
	assert_int_equal(sy_format_validate(&f), -SY_E_FORMAT);
	f = sy_format_make(1921, 1080, false, 50, 1, 10);
	assert_int_equal(sy_format_validate(&f), -SY_E_FORMAT);
	f = sy_format_make(1920, 1081, true, 25, 1, 10); /* odd lines interlaced */
	assert_int_equal(sy_format_validate(&f), -SY_E_FORMAT);
	f = sy_format_make(1920, 1080, false, 60000, 0, 10);
	assert_int_equal(sy_format_validate(&f), -SY_E_FORMAT);
}

static void test_tokens(void **state)
{
	(void)state;
	enum sy_tcs t;
	enum sy_colorimetry c;
	enum sy_sampling s;
	enum sy_packing p;

	assert_int_equal(sy_format_tcs_parse("HLG", 3, &t), 0);
	assert_int_equal(t, SY_TCS_HLG);
	assert_int_equal(sy_format_tcs_parse("PQx", 2, &t), 0);
	assert_int_equal(t, SY_TCS_PQ);
	assert_int_equal(sy_format_tcs_parse("hlg", 3, &t), -SY_E_SDP_VALUE);
	assert_int_equal(sy_format_colorimetry_parse("BT2100", 6, &c), 0);
	assert_int_equal(c, SY_COLORIMETRY_BT2100);
	assert_int_equal(sy_format_sampling_parse("YCbCr-4:2:2", 11, &s), 0);
	assert_int_equal(s, SY_SAMPLING_YCBCR_422);
	assert_int_equal(sy_format_sampling_parse("YCbCr-4:2:", 10, &s), -SY_E_SDP_VALUE);
	assert_int_equal(sy_format_packing_parse("2110BPM", 7, &p), 0);
	assert_string_equal(sy_format_packing_name(p), "2110BPM");
	assert_string_equal(sy_format_tcs_name(SY_TCS_ST2065_1), "ST2065-1");
	assert_null(sy_format_tcs_name(SY_TCS_MAX));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pgroups),
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_tokens),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
