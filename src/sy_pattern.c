/* SPDX-License-Identifier: MIT */
/*
 * sy_pattern.c: pgroup sample access and deterministic test patterns
 * (colour bars, moving box) on wire-format frame buffers. See sy_pattern.h.
 * Any thread; pure; integer arithmetic only; no allocation.
 *
 * Sample order inside a pgroup (RFC 4175 section 4.3, ST 2110-20 tables 1-3),
 * every sample `depth` bits, big-endian, packed MSB first across bytes:
 *
 *   sampling   depth  samples (wire order)
 *   4:2:2      all    C'B Y'0 C'R Y'1                       (2 px)
 *   4:4:4      8,16   C'B Y' C'R                            (1 px)
 *              10     (C'B Y' C'R) x 4 pixels               (4 px)
 *              12     (C'B Y' C'R) x 2 pixels               (2 px)
 *   RGB        as 4:4:4 with R G B
 *   4:2:0      8,12   Y'00 Y'01 Y'10 Y'11 C'B00 C'R00       (2 px x 2 lines)
 *              10     the same for columns 0-1, then 2-3    (4 px x 2 lines)
 *
 * e.g. 4:2:2 10-bit, 5 bytes = 40 bits:
 *   bit  0        10        20        30       39
 *        | C'B(10) | Y'0(10) | C'R(10) | Y'1(10) |
 *
 * Colour bars, 10-bit narrow range, computed by sy_pattern_rgb() with the
 * coefficients as rationals (BT.709 Kr = 2126/10000, Kb = 722/10000):
 *
 *   bar       75% Y   Cb   Cr     100% Y   Cb   Cr
 *   white        721  512  512       940  512  512
 *   yellow       674  176  543       877   64  553
 *   cyan         581  589  176       754  615   64
 *   green        534  253  207       691  167  105
 *   magenta      251  771  817       313  857  919
 *   red          204  435  848       250  409  960
 *   blue         111  848  481       127  960  471
 *   black         64  512  512        64  512  512
 *
 * (BT.2020, Kr = 2627/10000, Kb = 593/10000: 75% yellow is 682 176 539.)
 * 8-bit: 75% white Y 180, 100% white 235, black 16, chroma centre 128.
 */
#include "sy_pattern.h"

#include <string.h>

#include "sy_err.h"

unsigned sy_pattern_pg_samples(const struct sy_pgroup *pg, uint8_t depth)
{
	return depth ? (unsigned)pg->bytes * 8u / depth : 0;
}

void sy_pattern_samples_pack(uint8_t *dst, const uint16_t *samples, unsigned n, uint8_t depth)
{
	uint32_t mask = (1u << depth) - 1u;
	uint32_t acc = 0; /* holds < 8 + 16 bits */
	unsigned nbits = 0;

	for (unsigned i = 0; i < n; i++) {
		acc = (acc << depth) | (samples[i] & mask);
		nbits += depth;
		while (nbits >= 8) {
			nbits -= 8;
			*dst++ = (uint8_t)(acc >> nbits);
		}
		acc &= (1u << nbits) - 1u;
	}
	/* n * depth % 8 != 0: flush the last bits MSB-aligned */
	if (nbits)
		*dst = (uint8_t)(acc << (8 - nbits));
}

void sy_pattern_samples_unpack(const uint8_t *src, uint16_t *samples, unsigned n, uint8_t depth)
{
	uint32_t acc = 0;
	unsigned nbits = 0;

	for (unsigned i = 0; i < n; i++) {
		while (nbits < depth) {
			acc = (acc << 8) | *src++;
			nbits += 8;
		}
		nbits -= depth;
		samples[i] = (uint16_t)((acc >> nbits) & ((1u << depth) - 1u));
		acc &= (1u << nbits) - 1u;
	}
}

int sy_pattern_pg_put(const struct sy_video_format *fmt, uint8_t *dst,
		      const struct sy_pattern_px *px)
{
	uint16_t s[SY_PATTERN_PG_SAMPLES_MAX];
	struct sy_pgroup pg;
	unsigned n = 0;
	int rc = sy_format_pgroup(fmt, &pg);

	if (rc < 0)
		return rc;
	switch (fmt->sampling) {
	case SY_SAMPLING_YCBCR_422:
		s[n++] = px[0].c[SY_PATTERN_COMP_CB];
		s[n++] = px[0].c[SY_PATTERN_COMP_Y];
		s[n++] = px[0].c[SY_PATTERN_COMP_CR];
		s[n++] = px[1].c[SY_PATTERN_COMP_Y];
		break;
	case SY_SAMPLING_YCBCR_444:
		for (unsigned i = 0; i < pg.pixels; i++) {
			s[n++] = px[i].c[SY_PATTERN_COMP_CB];
			s[n++] = px[i].c[SY_PATTERN_COMP_Y];
			s[n++] = px[i].c[SY_PATTERN_COMP_CR];
		}
		break;
	case SY_SAMPLING_RGB:
		for (unsigned i = 0; i < pg.pixels; i++) {
			s[n++] = px[i].c[SY_PATTERN_COMP_R];
			s[n++] = px[i].c[SY_PATTERN_COMP_G];
			s[n++] = px[i].c[SY_PATTERN_COMP_B];
		}
		break;
	case SY_SAMPLING_YCBCR_420:
		/* px[0 .. pixels-1] is line 0, px[pixels .. 2*pixels-1] line 1 */
		for (unsigned q = 0; q < pg.pixels; q += 2) {
			s[n++] = px[q].c[SY_PATTERN_COMP_Y];
			s[n++] = px[q + 1].c[SY_PATTERN_COMP_Y];
			s[n++] = px[pg.pixels + q].c[SY_PATTERN_COMP_Y];
			s[n++] = px[pg.pixels + q + 1].c[SY_PATTERN_COMP_Y];
			s[n++] = px[q].c[SY_PATTERN_COMP_CB];
			s[n++] = px[q].c[SY_PATTERN_COMP_CR];
		}
		break;
	default:
		return -SY_E_UNSUPPORTED;
	}
	sy_pattern_samples_pack(dst, s, n, fmt->depth);
	return 0;
}

int sy_pattern_pg_get(const struct sy_video_format *fmt, const uint8_t *src,
		      struct sy_pattern_px *px)
{
	uint16_t s[SY_PATTERN_PG_SAMPLES_MAX];
	struct sy_pgroup pg;
	unsigned n;
	int rc = sy_format_pgroup(fmt, &pg);

	if (rc < 0)
		return rc;
	n = sy_pattern_pg_samples(&pg, fmt->depth);
	sy_pattern_samples_unpack(src, s, n, fmt->depth);
	switch (fmt->sampling) {
	case SY_SAMPLING_YCBCR_422:
		for (unsigned i = 0; i < 2; i++) {
			px[i].c[SY_PATTERN_COMP_Y] = s[1 + 2 * i];
			px[i].c[SY_PATTERN_COMP_CB] = s[0];
			px[i].c[SY_PATTERN_COMP_CR] = s[2];
		}
		break;
	case SY_SAMPLING_YCBCR_444:
		for (unsigned i = 0; i < pg.pixels; i++) {
			px[i].c[SY_PATTERN_COMP_CB] = s[3 * i];
			px[i].c[SY_PATTERN_COMP_Y] = s[3 * i + 1];
			px[i].c[SY_PATTERN_COMP_CR] = s[3 * i + 2];
		}
		break;
	case SY_SAMPLING_RGB:
		for (unsigned i = 0; i < pg.pixels; i++) {
			px[i].c[SY_PATTERN_COMP_R] = s[3 * i];
			px[i].c[SY_PATTERN_COMP_G] = s[3 * i + 1];
			px[i].c[SY_PATTERN_COMP_B] = s[3 * i + 2];
		}
		break;
	case SY_SAMPLING_YCBCR_420:
		for (unsigned q = 0; q < pg.pixels; q += 2) {
			const uint16_t *t = &s[q * 3]; /* 6 samples per 2x2 quad */
			unsigned idx[4] = { q, q + 1, pg.pixels + q, pg.pixels + q + 1 };

			for (unsigned k = 0; k < 4; k++) {
				px[idx[k]].c[SY_PATTERN_COMP_Y] = t[k];
				px[idx[k]].c[SY_PATTERN_COMP_CB] = t[4];
				px[idx[k]].c[SY_PATTERN_COMP_CR] = t[5];
			}
		}
		break;
	default:
		return -SY_E_UNSUPPORTED;
	}
	return 0;
}

/* round(num / den) half away from zero; den > 0 */
static int64_t div_round(int64_t num, int64_t den)
{
	return num >= 0 ? (num + den / 2) / den : -((-num + den / 2) / den);
}

static int64_t clamp64(int64_t v, int64_t lo, int64_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

int sy_pattern_rgb(const struct sy_video_format *fmt, uint32_t r, uint32_t g, uint32_t b,
		   uint32_t den, struct sy_pattern_px *out)
{
	/* Kr, Kb in 1/10000; Kg = 10000 - Kr - Kb exactly for all three */
	int64_t kr, kb, kg;
	int64_t y_off, y_span, c_mid, c_span, lo, hi;
	int64_t ysum;
	unsigned s;

	if (fmt->depth < 8 || fmt->depth > 16)
		return -SY_E_UNSUPPORTED;
	if (den == 0 || r > den || g > den || b > den)
		return -SY_E_RANGE;
	s = fmt->depth - 8u;
	hi = ((int64_t)1 << fmt->depth) - 1;
	lo = 0;
	switch (fmt->colorimetry) {
	case SY_COLORIMETRY_BT601: kr = 2990; kb = 1140; break;
	case SY_COLORIMETRY_BT2020:
	case SY_COLORIMETRY_BT2100: kr = 2627; kb = 593; break;
	default: kr = 2126; kb = 722; break;
	}
	kg = 10000 - kr - kb;
	if (fmt->range == SY_RANGE_NARROW) {
		y_off = (int64_t)16 << s;
		y_span = (int64_t)219 << s;
		c_mid = (int64_t)128 << s;
		c_span = (int64_t)224 << s;
	} else {
		y_off = 0;
		y_span = hi;
		c_mid = (int64_t)1 << (fmt->depth - 1);
		c_span = hi;
		if (fmt->range == SY_RANGE_FULLPROTECT) {
			lo = (int64_t)1 << s;
			hi -= (int64_t)1 << s;
		}
	}
	if (fmt->sampling == SY_SAMPLING_RGB) {
		out->c[SY_PATTERN_COMP_R] = (uint16_t)clamp64(y_off + div_round(y_span * r, den), lo, hi);
		out->c[SY_PATTERN_COMP_G] = (uint16_t)clamp64(y_off + div_round(y_span * g, den), lo, hi);
		out->c[SY_PATTERN_COMP_B] = (uint16_t)clamp64(y_off + div_round(y_span * b, den), lo, hi);
		return 0;
	}
	/*
	 * E'Y = (Kr R + Kg G + Kb B) / (10000 den)
	 * E'Cb = (B - E'Y) / (2 (1 - Kb)) = (10000 b - ysum) / (2 den (10000 - Kb))
	 * E'Cr = (R - E'Y) / (2 (1 - Kr)) = (10000 r - ysum) / (2 den (10000 - Kr))
	 */
	ysum = kr * r + kg * g + kb * b;
	out->c[SY_PATTERN_COMP_Y] =
		(uint16_t)clamp64(y_off + div_round(y_span * ysum, 10000 * (int64_t)den), lo, hi);
	out->c[SY_PATTERN_COMP_CB] = (uint16_t)clamp64(
		c_mid + div_round(c_span * (10000 * (int64_t)b - ysum),
				  2 * (int64_t)den * (10000 - kb)), lo, hi);
	out->c[SY_PATTERN_COMP_CR] = (uint16_t)clamp64(
		c_mid + div_round(c_span * (10000 * (int64_t)r - ysum),
				  2 * (int64_t)den * (10000 - kr)), lo, hi);
	return 0;
}

int sy_pattern_px_get(const struct sy_video_format *fmt, const uint8_t *frame, uint32_t x,
		      uint32_t y, struct sy_pattern_px *out)
{
	struct sy_pattern_px px[SY_PATTERN_PG_PIXELS_MAX];
	struct sy_pgroup pg;
	uint32_t row_bytes = sy_format_row_bytes(fmt);
	int rc = sy_format_pgroup(fmt, &pg);

	if (rc < 0)
		return rc;
	rc = sy_pattern_pg_get(fmt, frame + (size_t)(y / pg.lines) * row_bytes +
					    (size_t)(x / pg.pixels) * pg.bytes, px);
	if (rc < 0)
		return rc;
	*out = px[(y % pg.lines) * pg.pixels + x % pg.pixels];
	return 0;
}

int sy_pattern_bar_color(const struct sy_video_format *fmt, unsigned bar_idx, unsigned percent,
			 struct sy_pattern_px *out)
{
	/* R, G, B on/off of the EBU order: white yellow cyan green magenta red blue black */
	static const uint8_t rgb[8][3] = {
		{ 1, 1, 1 }, { 1, 1, 0 }, { 0, 1, 1 }, { 0, 1, 0 },
		{ 1, 0, 1 }, { 1, 0, 0 }, { 0, 0, 1 }, { 0, 0, 0 },
	};

	if (bar_idx >= 8 || percent > 100)
		return -SY_E_RANGE;
	return sy_pattern_rgb(fmt, rgb[bar_idx][0] * percent, rgb[bar_idx][1] * percent,
			      rgb[bar_idx][2] * percent, 100, out);
}

int sy_pattern_check_format(const struct sy_video_format *fmt)
{
	int rc = sy_format_validate(fmt);

	if (rc < 0)
		return rc;
	if (fmt->interlaced && fmt->sampling == SY_SAMPLING_YCBCR_420)
		return -SY_E_UNSUPPORTED; /* ST 2110-20 6.2.5: progressive only */
	return 0;
}

/* Largest multiple of 4 <= v, at least 4. */
static uint32_t mult4(uint32_t v)
{
	v &= ~3u;
	return v ? v : 4u;
}

int sy_pattern_box(const struct sy_video_format *fmt, uint64_t frame_counter,
		   struct sy_pattern_box *box)
{
	if (fmt->width < 4 || fmt->height < 4)
		return -SY_E_FORMAT;
	box->w = mult4(fmt->width / 16);
	box->h = mult4(fmt->height / 4);
	box->y = (fmt->height * 3u / 8u) & ~3u;
	box->step_px = mult4(fmt->width / 240);
	box->x = (uint32_t)(frame_counter % fmt->width * box->step_px % fmt->width);
	return 0;
}

static uint32_t gcd32(uint32_t a, uint32_t b)
{
	while (b) {
		uint32_t t = a % b;

		a = b;
		b = t;
	}
	return a;
}

uint32_t sy_pattern_period(const struct sy_video_format *fmt, enum sy_pattern_kind kind)
{
	struct sy_pattern_box box;

	if ((unsigned)kind >= SY_PATTERN_MAX || sy_pattern_check_format(fmt) < 0)
		return 0;
	if (kind != SY_PATTERN_MOVING)
		return 1;
	sy_pattern_box(fmt, 0, &box);
	return fmt->width / gcd32(fmt->width, box.step_px);
}

/* Everything render_row needs, computed once per frame. */
struct pattern_paint {
	struct sy_pattern_px bar[8];
	struct sy_pattern_px box;
	uint32_t box_x0, box_w; /* box columns; box_w 0 = no box on this row */
};

static bool in_box(const struct pattern_paint *p, uint32_t x, uint32_t width)
{
	/* (x - x0) mod width < w, the box wraps at the right edge */
	return p->box_w && (x + width - p->box_x0) % width < p->box_w;
}

/* Render one buffer row (pg.lines scan lines, identical) into dst. */
static void render_row(const struct sy_video_format *fmt, const struct sy_pgroup *pg,
		       const struct pattern_paint *p, uint8_t *dst)
{
	struct sy_pattern_px px[SY_PATTERN_PG_PIXELS_MAX];
	uint32_t n_pg = fmt->width / pg->pixels;

	for (uint32_t i = 0; i < n_pg; i++) {
		for (unsigned k = 0; k < pg->pixels; k++) {
			uint32_t x = i * pg->pixels + k;
			const struct sy_pattern_px *c =
				in_box(p, x, fmt->width) ?
					&p->box :
					&p->bar[(uint64_t)x * 8u / fmt->width];

			for (unsigned l = 0; l < pg->lines; l++)
				px[l * pg->pixels + k] = *c;
		}
		sy_pattern_pg_put(fmt, dst + (size_t)i * pg->bytes, px);
	}
}

int sy_pattern_render(const struct sy_video_format *fmt, enum sy_pattern_kind kind,
		      uint64_t frame_counter, uint8_t *frame, size_t frame_len)
{
	struct pattern_paint paint = { 0 };
	struct sy_pattern_box box;
	struct sy_pgroup pg;
	uint32_t row_bytes, n_rows, box_row0, box_rows;
	int rc = sy_pattern_check_format(fmt);

	if (rc < 0)
		return rc;
	if ((unsigned)kind >= SY_PATTERN_MAX)
		return -SY_E_RANGE;
	if (frame_len < sy_format_frame_bytes(fmt))
		return -SY_E_NOSPACE;
	sy_format_pgroup(fmt, &pg);
	row_bytes = sy_format_row_bytes(fmt);
	n_rows = fmt->height / pg.lines;

	for (unsigned i = 0; i < 8; i++) {
		unsigned bar = kind == SY_PATTERN_BLACK ? 7u : i;
		unsigned pct = kind == SY_PATTERN_BARS_100 ? 100u : 75u;

		rc = sy_pattern_bar_color(fmt, bar, pct, &paint.bar[i]);
		if (rc < 0)
			return rc;
	}
	/* bars are vertically uniform: one row, copied */
	render_row(fmt, &pg, &paint, frame);
	for (uint32_t r = 1; r < n_rows; r++)
		memcpy(frame + (size_t)r * row_bytes, frame, row_bytes);
	if (kind != SY_PATTERN_MOVING)
		return 0;

	sy_pattern_box(fmt, frame_counter, &box);
	sy_pattern_bar_color(fmt, 0, 100, &paint.box);
	paint.box_x0 = box.x;
	paint.box_w = box.w;
	/* box.y and box.h are multiples of 4, so whole buffer rows */
	box_row0 = box.y / pg.lines;
	box_rows = box.h / pg.lines;
	if (box_row0 + box_rows > n_rows)
		box_rows = n_rows - box_row0;
	if (box_rows == 0)
		return 0;
	render_row(fmt, &pg, &paint, frame + (size_t)box_row0 * row_bytes);
	for (uint32_t r = 1; r < box_rows; r++)
		memcpy(frame + (size_t)(box_row0 + r) * row_bytes,
		       frame + (size_t)box_row0 * row_bytes, row_bytes);
	return 0;
}
