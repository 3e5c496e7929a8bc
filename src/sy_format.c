/* SPDX-License-Identifier: MIT */
/*
 * sy_format.c: pgroup geometry and format token tables (ST 2110-20 section 6,
 * RFC 4175 section 4.3). Any thread; pure.
 *
 * pgroups (octets / pixels x lines):
 *   sampling        8 bit      10 bit      12 bit     16 bit
 *   YCbCr-4:2:2     4 / 2x1    5 / 2x1     6 / 2x1    8 / 2x1
 *   YCbCr-4:4:4,RGB 3 / 1x1   15 / 4x1     9 / 2x1    6 / 1x1
 *   YCbCr-4:2:0     6 / 2x2   15 / 4x2     9 / 2x2    (none)
 */
#include "sy_format.h"

#include <string.h>

#include "sy_err.h"

int sy_format_pgroup(const struct sy_video_format *fmt, struct sy_pgroup *pg)
{
	static const struct sy_pgroup t422[] = { { 4, 2, 1 }, { 5, 2, 1 }, { 6, 2, 1 }, { 8, 2, 1 } };
	static const struct sy_pgroup t444[] = { { 3, 1, 1 }, { 15, 4, 1 }, { 9, 2, 1 }, { 6, 1, 1 } };
	static const struct sy_pgroup t420[] = { { 6, 2, 2 }, { 15, 4, 2 }, { 9, 2, 2 }, { 0, 0, 0 } };
	const struct sy_pgroup *t;
	int d;

	switch (fmt->depth) {
	case 8: d = 0; break;
	case 10: d = 1; break;
	case 12: d = 2; break;
	case 16: d = 3; break;
	default: return -SY_E_UNSUPPORTED;
	}
	switch (fmt->sampling) {
	case SY_SAMPLING_YCBCR_422: t = t422; break;
	case SY_SAMPLING_YCBCR_444:
	case SY_SAMPLING_RGB: t = t444; break;
	case SY_SAMPLING_YCBCR_420: t = t420; break;
	default: return -SY_E_UNSUPPORTED;
	}
	if (t[d].bytes == 0)
		return -SY_E_UNSUPPORTED;
	*pg = t[d];
	return 0;
}

int sy_format_validate(const struct sy_video_format *fmt)
{
	struct sy_pgroup pg;
	int rc = sy_format_pgroup(fmt, &pg);

	if (rc < 0)
		return rc;
	if (fmt->width == 0 || fmt->height == 0 || fmt->width > 32767 || fmt->height > 32767)
		return -SY_E_FORMAT;
	if (fmt->width % pg.pixels)
		return -SY_E_FORMAT;
	if (fmt->height % (pg.lines * sy_format_fields(fmt)))
		return -SY_E_FORMAT;
	if (fmt->rate.num == 0 || fmt->rate.den == 0)
		return -SY_E_FORMAT;
	if ((uint64_t)fmt->rate.num > (uint64_t)fmt->rate.den * 1000u)
		return -SY_E_FORMAT; /* > 1000 fps: not a video format */
	if ((unsigned)fmt->tcs >= SY_TCS_MAX || (unsigned)fmt->colorimetry >= SY_COLORIMETRY_MAX ||
	    (unsigned)fmt->packing >= SY_PACKING_MAX || (unsigned)fmt->range >= SY_RANGE_MAX)
		return -SY_E_FORMAT;
	return 0;
}

uint32_t sy_format_rows_per_field(const struct sy_video_format *fmt)
{
	struct sy_pgroup pg;

	if (sy_format_pgroup(fmt, &pg) < 0)
		return 0;
	return fmt->height / pg.lines / sy_format_fields(fmt);
}

uint32_t sy_format_row_bytes(const struct sy_video_format *fmt)
{
	struct sy_pgroup pg;

	if (sy_format_pgroup(fmt, &pg) < 0)
		return 0;
	return fmt->width / pg.pixels * pg.bytes;
}

uint64_t sy_format_frame_bytes(const struct sy_video_format *fmt)
{
	return (uint64_t)sy_format_row_bytes(fmt) * sy_format_rows_per_field(fmt) *
	       sy_format_fields(fmt);
}

struct sy_video_format sy_format_make(uint32_t width, uint32_t height, bool interlaced,
				      uint32_t rate_num, uint32_t rate_den, uint8_t depth)
{
	struct sy_video_format f = {
		.width = width,
		.height = height,
		.sampling = SY_SAMPLING_YCBCR_422,
		.depth = depth,
		.interlaced = interlaced,
		.rate = { rate_num, rate_den },
		.tcs = SY_TCS_SDR,
		.colorimetry = SY_COLORIMETRY_BT709,
		.packing = SY_PACKING_GPM,
		.range = SY_RANGE_NARROW,
		.par_w = 1,
		.par_h = 1,
	};
	return f;
}

static const char *const sampling_names[SY_SAMPLING_MAX] = {
	"YCbCr-4:2:2", "YCbCr-4:4:4", "YCbCr-4:2:0", "RGB",
};
static const char *const tcs_names[SY_TCS_MAX] = {
	"SDR", "PQ", "HLG", "LINEAR", "BT2100LINPQ", "BT2100LINHLG",
	"ST2065-1", "ST428-1", "DENSITY", "UNSPECIFIED",
};
static const char *const colorimetry_names[SY_COLORIMETRY_MAX] = {
	"BT601", "BT709", "BT2020", "BT2100", "ST2065-1", "ST2065-3", "XYZ", "UNSPECIFIED",
};
static const char *const packing_names[SY_PACKING_MAX] = { "2110GPM", "2110BPM" };
static const char *const range_names[SY_RANGE_MAX] = { "NARROW", "FULLPROTECT", "FULL" };

static int lookup(const char *const *tab, int n, const char *s, size_t len)
{
	for (int i = 0; i < n; i++)
		if (strlen(tab[i]) == len && memcmp(tab[i], s, len) == 0)
			return i;
	return -SY_E_SDP_VALUE;
}

#define SY_FORMAT_TOKENS(kind, type, tab, max)                              \
	const char *sy_format_##kind##_name(type v)                         \
	{                                                                   \
		return (unsigned)v < (max) ? tab[v] : NULL;                 \
	}                                                                   \
	int sy_format_##kind##_parse(const char *s, size_t len, type *out)  \
	{                                                                   \
		int i = lookup(tab, (max), s, len);                         \
		if (i < 0)                                                  \
			return i;                                           \
		*out = (type)i;                                             \
		return 0;                                                   \
	}

SY_FORMAT_TOKENS(sampling, enum sy_sampling, sampling_names, SY_SAMPLING_MAX)
SY_FORMAT_TOKENS(tcs, enum sy_tcs, tcs_names, SY_TCS_MAX)
SY_FORMAT_TOKENS(colorimetry, enum sy_colorimetry, colorimetry_names, SY_COLORIMETRY_MAX)
SY_FORMAT_TOKENS(packing, enum sy_packing, packing_names, SY_PACKING_MAX)
SY_FORMAT_TOKENS(range, enum sy_range, range_names, SY_RANGE_MAX)
