/* SPDX-License-Identifier: MIT */
/*
 * dp_pattern_md5.c: prints the MD5 of src/sy_pattern_render's frame for a
 * pattern in 320x180p50 YCbCr 4:2:2 10-bit BT.709 (the internal-source test's
 * format), the reference the dataplane's unstamped internal sources (black,
 * bars) must send byte for byte. Test helper of tests/dataplane/dp_internal_test.py.
 *
 * Usage: dp_pattern_md5 black|bars75|bars100
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sy_format.h"
#include "sy_pattern.h"
#include "sy_test_pcap.h"

int main(int argc, char **argv)
{
	struct sy_video_format f = {
		.width = 320, .height = 180, .rate = {50, 1}, .sampling = SY_SAMPLING_YCBCR_422,
		.depth = 10, .tcs = SY_TCS_SDR, .colorimetry = SY_COLORIMETRY_BT709,
		.packing = SY_PACKING_GPM, .range = SY_RANGE_NARROW};
	enum sy_pattern_kind k;
	char md5[33];

	if (argc != 2)
		return 2;
	if (!strcmp(argv[1], "black"))
		k = SY_PATTERN_BLACK;
	else if (!strcmp(argv[1], "bars75"))
		k = SY_PATTERN_BARS_75;
	else if (!strcmp(argv[1], "bars100"))
		k = SY_PATTERN_BARS_100;
	else
		return 2;
	size_t n = sy_format_frame_bytes(&f);
	uint8_t *buf = malloc(n);

	if (buf == NULL || sy_pattern_render(&f, k, 0, buf, n) < 0)
		return 1;
	sy_test_md5_hex(buf, n, md5);
	printf("%s\n", md5);
	free(buf);
	return 0;
}
