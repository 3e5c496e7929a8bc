/* SPDX-License-Identifier: MIT */
/*
 * sy_stamp.c: draw and read the picture stamp (source id + frame counter).
 * See sy_stamp.h for the contract. Any thread; pure; no allocation.
 *
 * A band is 2 rows x 40 columns of blocks; block k (0..79) is at column
 * k % 40, block row k / 40 and carries bit k of:
 *
 *   bits   field           value
 *   0-7    sync0           0xB2 (1011 0010)
 *   8-23   source_id       MSB first
 *   24-55  frame_counter   MSB first
 *   56-71  crc16           CRC-16/CCITT-FALSE over id BE16 | counter BE32
 *   72-79  sync1           0x4D (0100 1101, the complement of sync0)
 *
 *   x:  0        bw      2bw           39bw    40bw    width
 *       +--------+-------+----  ...  --+-------+-------+
 *       | bit 0  | bit 1 |             | bit39 | black |  block row 0
 *       +--------+-------+----  ...  --+-------+-------+
 *       | bit 40 | bit41 |             | bit79 | black |  block row 1
 *       +--------+-------+----  ...  --+-------+-------+
 *
 * A 1 is a 100% white block (Y = 940 at 10 bit narrow), a 0 black (Y = 64);
 * RGB formats use R = G = B. Both bands carry the same bits.
 *
 * Decoding averages the luma (RGB: (R + 2G + B) / 4) of the block interior,
 * the middle half in x and in lines, so edge damage and a one-sample error
 * do not flip a bit: a one-bit error moves the mean of the smallest interior
 * (4x4 pixels) by at most 2^(depth-1) / 16, 32 at 10 bit, against the 219
 * between black and the 0 threshold.
 * Sync blocks alternate, so flat or bar pictures fail the sync; random noise
 * averages to mid-grey, which is "unreadable" (between the two thresholds).
 *
 * Cost: a write draws 4 buffer rows and copies the rest of the bands (about
 * 1.8 MB at 2160p 10-bit), so call it per frame from a source's frame
 * builder, not per packet.
 *
 * Boundary cases:
 *  - width < 320 or height too small for two separate bands: UNSUPPORTED;
 *  - interlaced: blocks are >= 8 lines, so each field has >= 2 interior
 *    lines per block; fields decode separately;
 *  - rows the coverage callback rejects are skipped; a block left with no
 *    pixel makes the band MISSING (not CHECK: it is absent, not wrong);
 *  - fields mixed from two stamps decoded together: differing data blocks
 *    average to mid-grey and report CHECK.
 */
#include "sy_stamp.h"

#include <string.h>

#include "sy_bytes.h"
#include "sy_err.h"
#include "sy_pattern.h"

#define STAMP_SYNC0 0xB2u
#define STAMP_SYNC1 0x4Du

enum stamp_bit {
	STAMP_BIT_0,
	STAMP_BIT_1,
	STAMP_BIT_UNREADABLE,
	STAMP_BIT_ABSENT, /* no trusted pixel */
};

uint16_t sy_stamp_crc16(const uint8_t *buf, size_t len)
{
	uint16_t crc = 0xFFFF;

	for (size_t i = 0; i < len; i++) {
		crc ^= (uint16_t)(buf[i] << 8);
		for (int b = 0; b < 8; b++)
			crc = (crc & 0x8000) ? (uint16_t)(crc << 1 ^ 0x1021) : (uint16_t)(crc << 1);
	}
	return crc;
}

int sy_stamp_geometry(const struct sy_video_format *fmt, struct sy_stamp_geometry *geo)
{
	int rc = sy_pattern_check_format(fmt);
	uint32_t bh;

	if (rc < 0)
		return rc;
	geo->block_w_px = (fmt->width / SY_STAMP_COLS) & ~3u;
	if (geo->block_w_px < SY_STAMP_BLOCK_MIN)
		return -SY_E_UNSUPPORTED;
	bh = (fmt->height / 45u) & ~3u;
	geo->block_h_lines = bh < SY_STAMP_BLOCK_MIN ? SY_STAMP_BLOCK_MIN : bh;
	geo->band_h_lines = SY_STAMP_ROWS * geo->block_h_lines;
	if (fmt->height < geo->band_h_lines * 2u)
		return -SY_E_UNSUPPORTED;
	geo->band_y[SY_STAMP_BAND_TOP] = 0;
	geo->band_y[SY_STAMP_BAND_BOTTOM] = (fmt->height - geo->band_h_lines) & ~3u;
	if (geo->band_y[SY_STAMP_BAND_BOTTOM] < geo->band_h_lines)
		return -SY_E_UNSUPPORTED;
	return 0;
}

/* bits[k] of block k as in the table above */
static void stamp_bits(const struct sy_stamp *st, uint8_t bits[SY_STAMP_BITS])
{
	uint8_t msg[9];

	msg[0] = STAMP_SYNC0;
	sy_store_be16(&msg[1], st->source_id);
	sy_store_be32(&msg[3], st->frame_counter);
	sy_store_be16(&msg[7], sy_stamp_crc16(&msg[1], 6));
	for (unsigned k = 0; k < 72; k++)
		bits[k] = (uint8_t)(msg[k / 8] >> (7 - k % 8) & 1u);
	for (unsigned k = 72; k < SY_STAMP_BITS; k++)
		bits[k] = (uint8_t)(STAMP_SYNC1 >> (79 - k) & 1u);
}

static int check_args(const struct sy_video_format *fmt, size_t frame_len,
		      struct sy_stamp_geometry *geo)
{
	int rc = sy_stamp_geometry(fmt, geo);

	if (rc < 0)
		return rc;
	if (frame_len < sy_format_frame_bytes(fmt))
		return -SY_E_NOSPACE;
	return 0;
}

int sy_stamp_write(const struct sy_video_format *fmt, uint8_t *frame, size_t frame_len,
		   const struct sy_stamp *st)
{
	struct sy_pattern_px px[SY_PATTERN_PG_PIXELS_MAX], colour[2];
	struct sy_stamp_geometry geo;
	struct sy_pgroup pg;
	uint8_t bits[SY_STAMP_BITS];
	uint32_t row_bytes, rows_per_block, n_pg;
	int rc = check_args(fmt, frame_len, &geo);

	if (rc < 0)
		return rc;
	sy_format_pgroup(fmt, &pg);
	row_bytes = sy_format_row_bytes(fmt);
	rows_per_block = geo.block_h_lines / pg.lines;
	n_pg = fmt->width / pg.pixels;
	sy_pattern_rgb(fmt, 0, 0, 0, 1, &colour[0]);
	sy_pattern_rgb(fmt, 1, 1, 1, 1, &colour[1]);
	stamp_bits(st, bits);

	for (unsigned band = 0; band < SY_STAMP_BAND_MAX; band++) {
		for (unsigned br = 0; br < SY_STAMP_ROWS; br++) {
			uint32_t row0 = (geo.band_y[band] + br * geo.block_h_lines) / pg.lines;
			uint8_t *dst = frame + (size_t)row0 * row_bytes;

			/* every line of a block row is the same: draw one buffer row */
			for (uint32_t i = 0; i < n_pg; i++) {
				for (unsigned k = 0; k < pg.pixels; k++) {
					uint32_t col = (i * pg.pixels + k) / geo.block_w_px;
					unsigned bit = col < SY_STAMP_COLS ?
							       bits[br * SY_STAMP_COLS + col] : 0;

					for (unsigned l = 0; l < pg.lines; l++)
						px[l * pg.pixels + k] = colour[bit];
				}
				sy_pattern_pg_put(fmt, dst + (size_t)i * pg.bytes, px);
			}
			for (uint32_t r = 1; r < rows_per_block; r++)
				memcpy(dst + (size_t)r * row_bytes, dst, row_bytes);
		}
	}
	return 0;
}

/* 4 x luma of a pixel, so YCbCr and RGB ((R + 2G + B) / 4) share thresholds */
static uint32_t level4(const struct sy_video_format *fmt, const struct sy_pattern_px *p)
{
	if (fmt->sampling == SY_SAMPLING_RGB)
		return (uint32_t)p->c[SY_PATTERN_COMP_R] + 2u * p->c[SY_PATTERN_COMP_G] +
		       p->c[SY_PATTERN_COMP_B];
	return 4u * p->c[SY_PATTERN_COMP_Y];
}

struct stamp_reader {
	const struct sy_video_format *fmt;
	const uint8_t *frame;
	const struct sy_stamp_geometry *geo;
	const struct sy_stamp_coverage *cov;
	struct sy_pgroup pg;
	uint32_t row_bytes;
	enum sy_stamp_field field;
	uint32_t black4, white4; /* level4 of black and white */
};

/* Classify the block at pixel x0, scan line y0. */
static enum stamp_bit read_block(const struct stamp_reader *rd, uint32_t x0, uint32_t y0)
{
	const struct sy_pgroup *pg = &rd->pg;
	uint32_t mh = rd->geo->block_w_px / 4, mv = rd->geo->block_h_lines / 4;
	uint32_t xa = x0 + mh, xb = x0 + rd->geo->block_w_px - mh; /* interior [xa, xb) */
	uint64_t sum = 0, n = 0;

	for (uint32_t y = y0 + mv; y < y0 + rd->geo->block_h_lines - mv; y++) {
		uint32_t row = y / pg->lines;
		const uint8_t *line;

		if (rd->field != SY_STAMP_FIELD_BOTH && y % 2u != (uint32_t)rd->field)
			continue;
		if (rd->cov && rd->cov->row_ok && !rd->cov->row_ok(rd->cov->arg, row))
			continue;
		line = rd->frame + (size_t)row * rd->row_bytes;
		for (uint32_t i = xa / pg->pixels; i * pg->pixels < xb; i++) {
			struct sy_pattern_px px[SY_PATTERN_PG_PIXELS_MAX];

			sy_pattern_pg_get(rd->fmt, line + (size_t)i * pg->bytes, px);
			for (unsigned k = 0; k < pg->pixels; k++) {
				uint32_t x = i * pg->pixels + k;

				if (x < xa || x >= xb)
					continue;
				sum += level4(rd->fmt, &px[(y % pg->lines) * pg->pixels + k]);
				n++;
			}
		}
	}
	if (n == 0)
		return STAMP_BIT_ABSENT;
	/* mean < black + span/4  <=>  4 sum < n (3 black + white) */
	if (4u * sum < n * (3u * (uint64_t)rd->black4 + rd->white4))
		return STAMP_BIT_0;
	if (4u * sum > n * ((uint64_t)rd->black4 + 3u * rd->white4))
		return STAMP_BIT_1;
	return STAMP_BIT_UNREADABLE;
}

int sy_stamp_decode_band(const struct sy_video_format *fmt, const uint8_t *frame,
			 size_t frame_len, enum sy_stamp_band band, enum sy_stamp_field field,
			 const struct sy_stamp_coverage *cov, struct sy_stamp *out)
{
	struct sy_stamp_geometry geo;
	struct stamp_reader rd;
	struct sy_pattern_px black, white;
	uint8_t bits[SY_STAMP_BITS], want[SY_STAMP_BITS];
	uint8_t msg[9] = { 0 };
	bool unreadable = false;
	int rc = check_args(fmt, frame_len, &geo);

	if (rc < 0)
		return rc;
	if ((unsigned)band >= SY_STAMP_BAND_MAX || (unsigned)field >= SY_STAMP_FIELD_MAX)
		return -SY_E_RANGE;
	if (field != SY_STAMP_FIELD_BOTH && !fmt->interlaced)
		return -SY_E_RANGE;
	sy_pattern_rgb(fmt, 0, 0, 0, 1, &black);
	sy_pattern_rgb(fmt, 1, 1, 1, 1, &white);
	rd = (struct stamp_reader){
		.fmt = fmt,
		.frame = frame,
		.geo = &geo,
		.cov = cov,
		.row_bytes = sy_format_row_bytes(fmt),
		.field = field,
		.black4 = level4(fmt, &black),
		.white4 = level4(fmt, &white),
	};
	sy_format_pgroup(fmt, &rd.pg);
	/* the sync bits of any stamp */
	stamp_bits(&(struct sy_stamp){ 0, 0 }, want);

	for (unsigned k = 0; k < SY_STAMP_BITS; k++) {
		bool sync = k < 8 || k >= 72;
		enum stamp_bit b = read_block(&rd, (k % SY_STAMP_COLS) * geo.block_w_px,
					      geo.band_y[band] + (k / SY_STAMP_COLS) *
								 geo.block_h_lines);

		if (b == STAMP_BIT_ABSENT)
			return -SY_E_STAMP_MISSING;
		if (sync && (b == STAMP_BIT_UNREADABLE || (unsigned)b != want[k]))
			return -SY_E_STAMP_MISSING;
		if (b == STAMP_BIT_UNREADABLE)
			unreadable = true;
		bits[k] = b == STAMP_BIT_1;
	}
	if (unreadable)
		return -SY_E_STAMP_CHECK;
	for (unsigned k = 8; k < 72; k++)
		msg[k / 8] |= (uint8_t)(bits[k] << (7 - k % 8));
	if (sy_stamp_crc16(&msg[1], 6) != sy_load_be16(&msg[7]))
		return -SY_E_STAMP_CHECK;
	out->source_id = sy_load_be16(&msg[1]);
	out->frame_counter = sy_load_be32(&msg[3]);
	return 0;
}

int sy_stamp_decode_field(const struct sy_video_format *fmt, const uint8_t *frame,
			  size_t frame_len, enum sy_stamp_field field,
			  const struct sy_stamp_coverage *cov, struct sy_stamp *out,
			  enum sy_stamp_band *band_used)
{
	int worst = -SY_E_STAMP_MISSING;

	for (unsigned b = 0; b < SY_STAMP_BAND_MAX; b++) {
		int rc = sy_stamp_decode_band(fmt, frame, frame_len, (enum sy_stamp_band)b, field,
					      cov, out);

		if (rc == 0) {
			if (band_used)
				*band_used = (enum sy_stamp_band)b;
			return 0;
		}
		if (rc == -SY_E_STAMP_CHECK)
			worst = rc;
		else if (rc != -SY_E_STAMP_MISSING)
			return rc; /* argument error: same for both bands */
	}
	return worst;
}

int sy_stamp_decode(const struct sy_video_format *fmt, const uint8_t *frame, size_t frame_len,
		    const struct sy_stamp_coverage *cov, struct sy_stamp *out,
		    enum sy_stamp_band *band_used)
{
	return sy_stamp_decode_field(fmt, frame, frame_len, SY_STAMP_FIELD_BOTH, cov, out,
				     band_used);
}
