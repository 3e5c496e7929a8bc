/* SPDX-License-Identifier: MIT */
/*
 * sy_stamp.h: a machine-readable stamp (source id + frame counter) drawn into
 * the picture, and its decoder.
 *
 * Switchyard's sources stamp every frame; the stream analyzer decodes the
 * stamp of every output frame to attribute it to a source and frame number,
 * so switch points, repeated/dropped frames and torn frames are measured from
 * the picture alone, whatever happened to RTP headers on the way.
 *
 * The stamp is two identical bands of large black/white luma blocks, one at
 * the top and one at the bottom of the picture. Blocks are tall enough to
 * span lines of both fields, so each field of an interlaced frame carries a
 * complete stamp. Each band can be decoded on its own (and per field), so a
 * caller can compare the bands (torn frame: top and bottom disagree) or the
 * fields (a field from each of two sources).
 *
 * Any thread; pure; integer arithmetic only; no allocation.
 */
#ifndef SY_STAMP_H
#define SY_STAMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sy_format.h"

/* Bits per band: 8 sync, 16 source id, 32 frame counter, 16 CRC, 8 sync. */
#define SY_STAMP_BITS 80u
/* Block grid of a band: 2 rows of 40 blocks. */
#define SY_STAMP_COLS 40u
#define SY_STAMP_ROWS 2u
/* Smallest block: 8 pixels x 8 lines, so width >= 320 and height >= 32. */
#define SY_STAMP_BLOCK_MIN 8u

struct sy_stamp {
	uint16_t source_id;
	uint32_t frame_counter;
};

enum sy_stamp_band {
	SY_STAMP_BAND_TOP,
	SY_STAMP_BAND_BOTTOM,
	SY_STAMP_BAND_MAX
};

enum sy_stamp_field {
	SY_STAMP_FIELD_FIRST,  /* interlaced only: scan lines 0, 2, 4 ... */
	SY_STAMP_FIELD_SECOND, /* interlaced only: scan lines 1, 3, 5 ... */
	SY_STAMP_FIELD_BOTH,   /* every line (progressive, or the whole frame) */
	SY_STAMP_FIELD_MAX
};

/*
 * Where the stamp sits, in pixels and scan lines of the frame. All values
 * are multiples of 4, so bands are whole buffer rows for every sampling.
 *   block_w_px    = max(8, width / 40 rounded down to a multiple of 4)
 *   block_h_lines = max(8, height / 45 rounded down to a multiple of 4)
 *   band_y[TOP]   = 0; band_y[BOTTOM] = (height - band_h) rounded down to 4
 *   band_h_lines  = 2 * block_h_lines
 * e.g. 320x180: 8x8 blocks, bands at lines 0 and 164 (16 lines each);
 * 1920x1080: 48x24, bands at 0 and 1032; 3840x2160: 96x48, 0 and 2064.
 * Band rows right of 40 blocks are written black.
 */
struct sy_stamp_geometry {
	uint32_t block_w_px;
	uint32_t block_h_lines;
	uint32_t band_h_lines;
	uint32_t band_y[SY_STAMP_BAND_MAX];
};

/*
 * Which buffer rows the caller trusts (e.g. the analyzer's per-row "all
 * packets received" state). row is a frame buffer row as in sy_format.h
 * (pg.lines scan lines; interlaced field f row r is frame row 2r + f).
 * Rows for which row_ok returns false are ignored by the decoder.
 */
struct sy_stamp_coverage {
	bool (*row_ok)(void *arg, uint32_t row);
	void *arg;
};

/* Stamp geometry for fmt. 0, or -SY_E_FORMAT / -SY_E_UNSUPPORTED (fmt not
 * usable by sy_pattern_check_format(), or smaller than 320 x 32 lines). */
int sy_stamp_geometry(const struct sy_video_format *fmt, struct sy_stamp_geometry *geo);

/* CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no xorout);
 * check value for "123456789" is 0x29B1. Covers the 6 bytes id (BE16) and
 * counter (BE32) of a stamp. */
uint16_t sy_stamp_crc16(const uint8_t *buf, size_t len);

/*
 * Draw st into both bands of frame (both fields). Only band rows are
 * written, so a prerendered picture can be restamped per frame.
 * Returns 0, the format errors of sy_stamp_geometry(), or -SY_E_NOSPACE
 * (frame_len < sy_format_frame_bytes(fmt)).
 */
int sy_stamp_write(const struct sy_video_format *fmt, uint8_t *frame, size_t frame_len,
		   const struct sy_stamp *st);

/*
 * Decode one band of one field (SY_STAMP_FIELD_BOTH for progressive formats
 * or both fields together). cov may be NULL (every row trusted).
 * Each block is classified by the mean luma over its interior (the middle
 * half in both directions, lines of the chosen field, trusted rows only):
 * below black + 1/4 of the black-white span is 0, above white - 1/4 is 1,
 * anything between is unreadable.
 * Returns 0 and fills *out, or
 *   -SY_E_STAMP_MISSING  a sync block is unreadable or wrong, or a block has
 *                        no trusted interior line (band lost),
 *   -SY_E_STAMP_CHECK    sync found but a data block is unreadable or the
 *                        CRC does not match (a damaged or mixed stamp),
 *   -SY_E_RANGE          band/field out of range, or a per-field decode of a
 *                        progressive format,
 *   format errors as sy_stamp_geometry(), -SY_E_NOSPACE (frame_len short).
 * Never returns 0 with a value other than one written, unless a picture
 * happens to match 16 sync bits and the CRC-16 (p ~ 2^-32 for random blocks).
 */
int sy_stamp_decode_band(const struct sy_video_format *fmt, const uint8_t *frame,
			 size_t frame_len, enum sy_stamp_band band, enum sy_stamp_field field,
			 const struct sy_stamp_coverage *cov, struct sy_stamp *out);

/*
 * Decode field (or SY_STAMP_FIELD_BOTH) from the top band, else from the
 * bottom band; *band_used (may be NULL) says which. Returns 0, or the
 * "best" failure: -SY_E_STAMP_CHECK if either band had a sync, else
 * -SY_E_STAMP_MISSING; argument errors as sy_stamp_decode_band().
 * To detect torn frames decode both bands with sy_stamp_decode_band() and
 * compare; to detect mixed fields decode each field and compare.
 */
int sy_stamp_decode_field(const struct sy_video_format *fmt, const uint8_t *frame,
			  size_t frame_len, enum sy_stamp_field field,
			  const struct sy_stamp_coverage *cov, struct sy_stamp *out,
			  enum sy_stamp_band *band_used);

/* sy_stamp_decode_field(..., SY_STAMP_FIELD_BOTH, ...). On an interlaced
 * frame whose fields carry different stamps this reports STAMP_CHECK. */
int sy_stamp_decode(const struct sy_video_format *fmt, const uint8_t *frame, size_t frame_len,
		    const struct sy_stamp_coverage *cov, struct sy_stamp *out,
		    enum sy_stamp_band *band_used);

#endif
