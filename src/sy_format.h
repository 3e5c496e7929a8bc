/* SPDX-License-Identifier: MIT */
/*
 * sy_format.h: ST 2110-20 video formats and their pgroup geometry.
 *
 * A video format is what an SDP fmtp line describes (sampling, raster, rate,
 * depth, TCS, colorimetry, packing) plus the derived pgroup: the smallest
 * whole unit of sample data (RFC 4175 section 4.3, ST 2110-20 table 1).
 *
 * Frame buffer convention used across the project: packed pgroup bytes, one
 * "row" after another, exactly as carried on the wire (what FFmpeg's
 * `-c:v copy -f framemd5` hashes). A row is pg.lines scan lines (2 for
 * 4:2:0). Interlaced frames store scan lines interleaved: field f, field row
 * r is frame row 2r + f.
 *
 * Rates are rationals (60000/1001); nothing here uses floating point.
 * Any thread; pure.
 */
#ifndef SY_FORMAT_H
#define SY_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum sy_sampling {
	SY_SAMPLING_YCBCR_422,
	SY_SAMPLING_YCBCR_444,
	SY_SAMPLING_YCBCR_420,
	SY_SAMPLING_RGB,
	SY_SAMPLING_MAX
};

enum sy_tcs {
	SY_TCS_SDR,
	SY_TCS_PQ,
	SY_TCS_HLG,
	SY_TCS_LINEAR,
	SY_TCS_BT2100LINPQ,
	SY_TCS_BT2100LINHLG,
	SY_TCS_ST2065_1,
	SY_TCS_ST428_1,
	SY_TCS_DENSITY,
	SY_TCS_UNSPECIFIED,
	SY_TCS_MAX
};

enum sy_colorimetry {
	SY_COLORIMETRY_BT601,
	SY_COLORIMETRY_BT709,
	SY_COLORIMETRY_BT2020,
	SY_COLORIMETRY_BT2100,
	SY_COLORIMETRY_ST2065_1,
	SY_COLORIMETRY_ST2065_3,
	SY_COLORIMETRY_XYZ,
	SY_COLORIMETRY_UNSPECIFIED,
	SY_COLORIMETRY_MAX
};

enum sy_packing {
	SY_PACKING_GPM, /* general packing mode: 2110GPM */
	SY_PACKING_BPM, /* block packing mode: 2110BPM, 180-octet blocks */
	SY_PACKING_MAX
};

enum sy_range {
	SY_RANGE_NARROW,
	SY_RANGE_FULLPROTECT,
	SY_RANGE_FULL,
	SY_RANGE_MAX
};

/* A rate in Hz as num/den, e.g. 60000/1001. Always reduced-or-not, den > 0. */
struct sy_rate {
	uint32_t num;
	uint32_t den;
};

struct sy_pgroup {
	uint16_t bytes;  /* octets per pgroup */
	uint16_t pixels; /* horizontal pixels covered */
	uint16_t lines;  /* scan lines covered (2 for 4:2:0) */
};

struct sy_video_format {
	uint32_t width;       /* pixels */
	uint32_t height;      /* scan lines of the whole frame (both fields) */
	enum sy_sampling sampling;
	uint8_t depth;        /* bits per sample: 8, 10, 12, 16 */
	bool interlaced;
	bool segmented;       /* PsF: progressive segmented frame */
	struct sy_rate rate;  /* FRAME rate (exactframerate), not field rate */
	enum sy_tcs tcs;
	enum sy_colorimetry colorimetry;
	enum sy_packing packing;
	enum sy_range range;
	uint16_t par_w, par_h; /* pixel aspect ratio, 1:1 by default */
};

/* BPM block size and the fixed BPM sample data per packet (7 blocks). */
#define SY_BPM_BLOCK_BYTES 180u
#define SY_BPM_PAYLOAD_BYTES 1260u

/* Fill *pg for fmt's sampling and depth. -SY_E_UNSUPPORTED if none exists. */
int sy_format_pgroup(const struct sy_video_format *fmt, struct sy_pgroup *pg);

/*
 * Check a format: supported sampling/depth, width a whole number of pgroups,
 * height a whole number of pgroup lines (per field if interlaced), sane rate.
 * 0 or -SY_E_FORMAT / -SY_E_UNSUPPORTED.
 */
int sy_format_validate(const struct sy_video_format *fmt);

/* Rows per field (or per frame if progressive), in pgroup rows. */
uint32_t sy_format_rows_per_field(const struct sy_video_format *fmt);
/* Bytes of one pgroup row. */
uint32_t sy_format_row_bytes(const struct sy_video_format *fmt);
/* Bytes of a whole frame (both fields). */
uint64_t sy_format_frame_bytes(const struct sy_video_format *fmt);
/* Fields per frame: 2 if interlaced, else 1. */
static inline uint32_t sy_format_fields(const struct sy_video_format *fmt)
{
	return fmt->interlaced ? 2u : 1u;
}

/*
 * Convenience initialiser: 4:2:2 at depth, width x height, progressive unless
 * interlaced, rate num/den, SDR BT709 GPM narrow range.
 */
struct sy_video_format sy_format_make(uint32_t width, uint32_t height, bool interlaced,
				      uint32_t rate_num, uint32_t rate_den, uint8_t depth);

/* Enum <-> SDP token ("YCbCr-4:2:2", "HLG", "BT2100", "2110GPM", "FULL").
 * *_name returns NULL for out-of-range; *_parse returns 0 and sets *out, or
 * -SY_E_SDP_VALUE. Tokens are matched exactly over len bytes. */
const char *sy_format_sampling_name(enum sy_sampling v);
int sy_format_sampling_parse(const char *s, size_t len, enum sy_sampling *out);
const char *sy_format_tcs_name(enum sy_tcs v);
int sy_format_tcs_parse(const char *s, size_t len, enum sy_tcs *out);
const char *sy_format_colorimetry_name(enum sy_colorimetry v);
int sy_format_colorimetry_parse(const char *s, size_t len, enum sy_colorimetry *out);
const char *sy_format_packing_name(enum sy_packing v);
int sy_format_packing_parse(const char *s, size_t len, enum sy_packing *out);
const char *sy_format_range_name(enum sy_range v);
int sy_format_range_parse(const char *s, size_t len, enum sy_range *out);

#endif
