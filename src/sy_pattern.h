/* SPDX-License-Identifier: MIT */
/*
 * sy_pattern.h: pixel access and test patterns on wire-format frame buffers.
 *
 * Two layers:
 *  - accessors: pack/unpack the samples of one pgroup (RFC 4175 / ST 2110-20
 *    sample order, big-endian bit packing) and convert them to/from pixel
 *    colours, for every sampling/depth sy_format_pgroup() knows;
 *  - patterns: black, 75%/100% colour bars and a moving white box over 75%
 *    bars, rendered into a whole frame for (pattern, frame_counter). The
 *    picture depends only on (format, pattern, frame_counter), so a source can
 *    prerender a few frames once and the analyzer can regenerate any of them.
 *
 * Frame buffers follow the sy_format.h convention (packed pgroups, row after
 * row, interlaced rows interleaved). Because interlaced frame rows are stored
 * in spatial order, "scan line y" below is simply buffer row y / pg.lines,
 * line y % pg.lines inside that row, for progressive and interlaced alike.
 *
 * Used by tools/sy-gen, the dataplane's internal sources (prerender, not per
 * packet) and sy_stamp. Any thread; pure; integer arithmetic only; no
 * allocation.
 */
#ifndef SY_PATTERN_H
#define SY_PATTERN_H

#include <stddef.h>
#include <stdint.h>

#include "sy_format.h"

/* Most samples in one pgroup (4:4:4 and 4:2:0 10-bit: 12). */
#define SY_PATTERN_PG_SAMPLES_MAX 12u
/* Most pixels in one pgroup (4:2:0 10-bit: 4 x 2). */
#define SY_PATTERN_PG_PIXELS_MAX 8u

/* Component indices of struct sy_pattern_px: YCbCr or RGB by sampling. */
enum sy_pattern_comp {
	SY_PATTERN_COMP_Y = 0,
	SY_PATTERN_COMP_CB = 1,
	SY_PATTERN_COMP_CR = 2,
	SY_PATTERN_COMP_R = 0,
	SY_PATTERN_COMP_G = 1,
	SY_PATTERN_COMP_B = 2,
	SY_PATTERN_COMP_MAX = 3
};

/* One pixel's colour as integers at the format depth: {Y, Cb, Cr} for the
 * YCbCr samplings, {R, G, B} for RGB. */
struct sy_pattern_px {
	uint16_t c[SY_PATTERN_COMP_MAX];
};

enum sy_pattern_kind {
	SY_PATTERN_BLACK,
	SY_PATTERN_BARS_75,  /* 75/0/75/0: every bar, white too, at 75% */
	SY_PATTERN_BARS_100, /* 100/0/100/0 */
	SY_PATTERN_MOVING,   /* BARS_75 plus a 100% white box moving right */
	SY_PATTERN_MAX
};

/* The moving box of SY_PATTERN_MOVING: pixels x .. x + w - 1 (modulo the
 * width: the box wraps from the right edge to the left), scan lines
 * y .. y + h - 1. x, y, w, h and the step are multiples of 4 so the box
 * never splits a pgroup or a 4:2:0 line pair. */
struct sy_pattern_box {
	uint32_t x, y, w, h;
	uint32_t step_px; /* advance per frame */
};

/* ---- accessors ---- */

/* Samples in one pgroup of pg at depth: pg->bytes * 8 / depth. */
unsigned sy_pattern_pg_samples(const struct sy_pgroup *pg, uint8_t depth);

/*
 * Pack n samples of depth bits (1..16) MSB first into n * depth / 8 bytes at
 * dst; bits above depth in a sample are ignored. n * depth must be a multiple
 * of 8 (always true for a whole pgroup).
 */
void sy_pattern_samples_pack(uint8_t *dst, const uint16_t *samples, unsigned n, uint8_t depth);
/* The inverse: unpack n samples of depth bits from src. */
void sy_pattern_samples_unpack(const uint8_t *src, uint16_t *samples, unsigned n, uint8_t depth);

/*
 * Write one pgroup at dst from pg.pixels * pg.lines pixel colours, line-major
 * (line 0 left to right, then line 1 for 4:2:0). Subsampled chroma is taken
 * from the co-sited pixel (the left one for 4:2:2, top-left for 4:2:0).
 * Returns 0 or -SY_E_UNSUPPORTED (no pgroup for fmt's sampling/depth).
 */
int sy_pattern_pg_put(const struct sy_video_format *fmt, uint8_t *dst,
		      const struct sy_pattern_px *px);
/* Read one pgroup into pixel colours (same order; chroma repeated on every
 * pixel that shares it). 0 or -SY_E_UNSUPPORTED. */
int sy_pattern_pg_get(const struct sy_video_format *fmt, const uint8_t *src,
		      struct sy_pattern_px *px);

/*
 * Colour of the non-linear R'G'B' value (r, g, b) / den (each 0..den) in
 * fmt's sampling, depth, range and colorimetry (BT.601, BT.709; BT.2020 and
 * BT.2100 use the BT.2020 coefficients; anything else BT.709). Narrow range:
 * Y 16..235 and Cb/Cr 16..240 (centre 128) scaled by 2^(depth-8); FULL:
 * 0..2^depth-1, chroma centre 2^(depth-1); FULLPROTECT: FULL clamped to
 * 2^(depth-8)..2^depth-1-2^(depth-8). Rounded half away from zero.
 * Returns 0, -SY_E_RANGE (den 0 or a value > den) or -SY_E_UNSUPPORTED.
 */
int sy_pattern_rgb(const struct sy_video_format *fmt, uint32_t r, uint32_t g, uint32_t b,
		   uint32_t den, struct sy_pattern_px *out);

/* Colour at pixel x of scan line y of a frame (fmt validated by the caller,
 * x < width, y < height). 0 or -SY_E_UNSUPPORTED. */
int sy_pattern_px_get(const struct sy_video_format *fmt, const uint8_t *frame, uint32_t x,
		      uint32_t y, struct sy_pattern_px *out);

/* ---- patterns ---- */

/* Colour of bar bar_idx (0 white .. 7 black) at percent (75 or 100). */
int sy_pattern_bar_color(const struct sy_video_format *fmt, unsigned bar_idx, unsigned percent,
			 struct sy_pattern_px *out);

/* Geometry of the moving box in frame frame_counter. 0 or -SY_E_FORMAT. */
int sy_pattern_box(const struct sy_video_format *fmt, uint64_t frame_counter,
		   struct sy_pattern_box *box);

/* Frames after which kind repeats exactly (1 for still patterns), or 0 if
 * fmt or kind is invalid. */
uint32_t sy_pattern_period(const struct sy_video_format *fmt, enum sy_pattern_kind kind);

/*
 * Render a complete frame of kind for frame_counter into frame (frame_len >=
 * sy_format_frame_bytes(fmt)). Bars are 8 equal bars of width/8 pixels (pixel
 * x is in bar x * 8 / width): white, yellow, cyan, green, magenta, red, blue,
 * black. Interlaced formats get the full frame (both fields).
 * Returns 0, -SY_E_FORMAT / -SY_E_UNSUPPORTED (fmt invalid, or interlaced
 * 4:2:0 which ST 2110-20 does not define), -SY_E_RANGE (kind), -SY_E_NOSPACE.
 */
int sy_pattern_render(const struct sy_video_format *fmt, enum sy_pattern_kind kind,
		      uint64_t frame_counter, uint8_t *frame, size_t frame_len);

/* Check fmt for pattern/stamp use: sy_format_validate() plus no interlaced
 * 4:2:0. 0 or the negative code. */
int sy_pattern_check_format(const struct sy_video_format *fmt);

#endif
