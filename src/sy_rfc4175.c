/* SPDX-License-Identifier: MIT */
/*
 * sy_rfc4175.c: RFC 4175 SRD parse/validate, packet layout and frame
 * placement (wire layout drawn in sy_rfc4175.h). Any thread; pure.
 *
 * Boundary cases handled here:
 * - continuation: C=1 on the last header that fits is SRD_TOO_MANY or
 *   TRUNCATED, never a read past the payload;
 * - zero-length SRDs are rejected (SRD_PGROUP): a pgroup is the smallest unit;
 * - second field: F=1 only on interlaced/PsF; field rows interleave into the
 *   frame buffer as row 2r+F;
 * - 4:2:0: a pgroup spans two scan lines, so row numbers must be even;
 * - the packer never splits a pgroup and marks the last packet of each field.
 */
#include "sy_rfc4175.h"

#include <string.h>

#include "sy_bytes.h"
#include "sy_err.h"
#include "sy_net.h"
#include "sy_rtp.h"

int sy_rfc4175_parse(const uint8_t *payload, size_t len, struct sy_rfc4175_pkt *out)
{
	size_t off = SY_RFC4175_EXT_SEQ_BYTES;
	uint32_t sum = 0;
	bool more = true;
	uint8_t n = 0;

	if (len < SY_RFC4175_EXT_SEQ_BYTES + SY_RFC4175_SRD_BYTES)
		return len < SY_RFC4175_EXT_SEQ_BYTES ? -SY_E_TRUNCATED : -SY_E_SRD_NONE;
	out->ext_seq = sy_load_be16(payload);
	while (more) {
		if (n == SY_RFC4175_MAX_SRD)
			return -SY_E_SRD_TOO_MANY;
		if (off + SY_RFC4175_SRD_BYTES > len)
			return -SY_E_TRUNCATED;

		const uint8_t *h = payload + off;
		struct sy_rfc4175_srd *s = &out->srd[n++];
		uint16_t row = sy_load_be16(h + 2);
		uint16_t offs = sy_load_be16(h + 4);

		s->len_bytes = sy_load_be16(h);
		s->field = row >> 15;
		s->row = row & 0x7fff;
		more = offs >> 15;
		s->offset_px = offs & 0x7fff;
		sum += s->len_bytes;
		off += SY_RFC4175_SRD_BYTES;
	}
	if (sum != len - off)
		return -SY_E_SRD_SUM;
	if (sum == 0)
		return -SY_E_SRD_NONE;
	const uint8_t *data = payload + off;
	for (uint8_t i = 0; i < n; i++) {
		out->srd[i].data = data;
		data += out->srd[i].len_bytes;
	}
	out->n_srd = n;
	out->data_bytes = sum;
	return 0;
}

int sy_rfc4175_validate(const struct sy_rfc4175_pkt *pkt, const struct sy_video_format *fmt)
{
	struct sy_pgroup pg;
	uint32_t field_lines;
	uint32_t row_bytes;

	if (sy_format_pgroup(fmt, &pg) < 0)
		return -SY_E_FORMAT;
	field_lines = fmt->height / sy_format_fields(fmt);
	row_bytes = fmt->width / pg.pixels * pg.bytes;
	for (uint8_t i = 0; i < pkt->n_srd; i++) {
		const struct sy_rfc4175_srd *s = &pkt->srd[i];

		if (s->field && !fmt->interlaced && !fmt->segmented)
			return -SY_E_SRD_FIELD;
		if (s->row >= field_lines || s->row % pg.lines)
			return -SY_E_SRD_ROW;
		if (s->len_bytes == 0 || s->len_bytes % pg.bytes || s->offset_px % pg.pixels)
			return -SY_E_SRD_PGROUP;
		if ((uint32_t)s->offset_px / pg.pixels * pg.bytes + s->len_bytes > row_bytes)
			return -SY_E_SRD_OFFSET;
	}
	return 0;
}

/* ---- packet layout -------------------------------------------------- */

int sy_rfc4175_packer_init(struct sy_rfc4175_packer *p, const struct sy_video_format *fmt,
			   uint32_t data_max, enum sy_rfc4175_layout layout)
{
	int rc = sy_format_validate(fmt);

	if (rc < 0)
		return rc;
	memset(p, 0, sizeof(*p));
	p->fmt = *fmt;
	sy_format_pgroup(fmt, &p->pg);
	if (fmt->packing == SY_PACKING_BPM) {
		data_max = SY_BPM_PAYLOAD_BYTES;
		layout = SY_RFC4175_LAYOUT_CONTINUOUS;
	}
	if ((unsigned)layout >= SY_RFC4175_LAYOUT_MAX)
		return -SY_E_RANGE;
	p->data_max = data_max / p->pg.bytes * p->pg.bytes;
	if (p->data_max == 0)
		return -SY_E_RANGE;
	/* worst case packet: RTP + ext seq + the SRD headers it may need */
	uint32_t srd_max = layout == SY_RFC4175_LAYOUT_ROW ? 1 : SY_RFC4175_MAX_SRD;
	uint32_t row_bytes = sy_format_row_bytes(fmt);
	uint32_t rows_spanned = p->data_max / row_bytes + 2;

	if (rows_spanned < srd_max)
		srd_max = rows_spanned;
	if (SY_UDP_HDR_BYTES + SY_RTP_HDR_BYTES + SY_RFC4175_EXT_SEQ_BYTES +
		    SY_RFC4175_SRD_BYTES * srd_max + p->data_max >
	    SY_ST2110_MAX_UDP_BYTES)
		return -SY_E_RANGE;
	p->layout = layout;
	p->row_bytes = row_bytes;
	p->rows_per_field = sy_format_rows_per_field(fmt);
	p->fields = sy_format_fields(fmt);
	return 0;
}

void sy_rfc4175_packer_reset(struct sy_rfc4175_packer *p)
{
	p->field = 0;
	p->row = 0;
	p->byte_in_row = 0;
	p->done = false;
}

static void add_seg(const struct sy_rfc4175_packer *p, struct sy_rfc4175_plan *plan, uint32_t len)
{
	struct sy_rfc4175_seg *s = &plan->seg[plan->n_seg++];
	uint64_t frame_row = p->fields == 2 ? 2ull * p->row + p->field : p->row;

	s->row = (uint16_t)(p->row * p->pg.lines);
	s->offset_px = (uint16_t)(p->byte_in_row / p->pg.bytes * p->pg.pixels);
	s->len_bytes = (uint16_t)len;
	s->field = p->field == 1;
	s->frame_offset = frame_row * p->row_bytes + p->byte_in_row;
	plan->data_bytes += len;
}

bool sy_rfc4175_packer_next(struct sy_rfc4175_packer *p, struct sy_rfc4175_plan *plan)
{
	uint32_t room = p->data_max;

	if (p->done)
		return false;
	plan->n_seg = 0;
	plan->data_bytes = 0;
	plan->second_field = p->field == 1;
	for (;;) {
		uint32_t left = p->row_bytes - p->byte_in_row;
		uint32_t take = left < room ? left : room;

		add_seg(p, plan, take);
		room -= take;
		p->byte_in_row += take;
		if (p->byte_in_row == p->row_bytes) {
			p->byte_in_row = 0;
			p->row++;
		}
		if (p->row == p->rows_per_field)
			break; /* a packet never crosses a field */
		if (p->layout == SY_RFC4175_LAYOUT_ROW && p->byte_in_row == 0)
			break;
		if (room < p->pg.bytes || plan->n_seg == SY_RFC4175_MAX_SRD)
			break;
	}
	plan->payload_bytes = SY_RFC4175_EXT_SEQ_BYTES + SY_RFC4175_SRD_BYTES * plan->n_seg +
			      plan->data_bytes;
	plan->marker = p->row == p->rows_per_field;
	if (plan->marker) {
		p->row = 0;
		if (++p->field == p->fields)
			p->done = true;
	}
	return true;
}

uint32_t sy_rfc4175_pkts_per_row(const struct sy_video_format *fmt, uint32_t data_max)
{
	struct sy_pgroup pg;
	uint32_t d;

	if (sy_format_pgroup(fmt, &pg) < 0)
		return 0;
	d = data_max / pg.bytes * pg.bytes;
	if (d == 0)
		return 0;
	return (sy_format_row_bytes(fmt) + d - 1) / d;
}

static uint32_t count_by_walking(struct sy_rfc4175_packer *p)
{
	struct sy_rfc4175_plan plan;
	uint32_t n = 0;

	sy_rfc4175_packer_reset(p);
	while (sy_rfc4175_packer_next(p, &plan))
		n++;
	sy_rfc4175_packer_reset(p);
	return n;
}

uint32_t sy_rfc4175_packer_pkts_per_field(const struct sy_rfc4175_packer *p)
{
	uint64_t field_bytes = (uint64_t)p->row_bytes * p->rows_per_field;

	if (p->layout == SY_RFC4175_LAYOUT_ROW)
		return p->rows_per_field * ((p->row_bytes + p->data_max - 1) / p->data_max);
	if ((uint64_t)p->row_bytes * (SY_RFC4175_MAX_SRD - 2) >= p->data_max)
		return (uint32_t)((field_bytes + p->data_max - 1) / p->data_max);
	/* very narrow rows: the SRD cap, not the payload, ends packets */
	struct sy_rfc4175_packer tmp = *p;
	tmp.fields = 1;
	return count_by_walking(&tmp);
}

uint32_t sy_rfc4175_packer_pkts_per_frame(const struct sy_rfc4175_packer *p)
{
	return sy_rfc4175_packer_pkts_per_field(p) * p->fields;
}

uint32_t sy_rfc4175_pkts_per_frame(const struct sy_video_format *fmt, uint32_t data_max,
				   enum sy_rfc4175_layout layout)
{
	struct sy_rfc4175_packer p;

	if (sy_rfc4175_packer_init(&p, fmt, data_max, layout) < 0)
		return 0;
	return sy_rfc4175_packer_pkts_per_frame(&p);
}

int sy_rfc4175_write_headers(const struct sy_rfc4175_plan *plan, uint16_t ext_seq, uint8_t *buf,
			     size_t cap)
{
	size_t need = SY_RFC4175_EXT_SEQ_BYTES + SY_RFC4175_SRD_BYTES * (size_t)plan->n_seg;
	uint8_t *h = buf + SY_RFC4175_EXT_SEQ_BYTES;

	if (cap < need)
		return -SY_E_NOSPACE;
	sy_store_be16(buf, ext_seq);
	for (uint8_t i = 0; i < plan->n_seg; i++, h += SY_RFC4175_SRD_BYTES) {
		const struct sy_rfc4175_seg *s = &plan->seg[i];

		sy_store_be16(h, s->len_bytes);
		sy_store_be16(h + 2, (uint16_t)((s->field ? 0x8000 : 0) | s->row));
		sy_store_be16(h + 4, (uint16_t)((i + 1 < plan->n_seg ? 0x8000 : 0) | s->offset_px));
	}
	return (int)need;
}

int sy_rfc4175_write(const struct sy_rfc4175_plan *plan, const uint8_t *frame, uint16_t ext_seq,
		     uint8_t *buf, size_t cap)
{
	int off = sy_rfc4175_write_headers(plan, ext_seq, buf, cap);

	if (off < 0)
		return off;
	if (cap < plan->payload_bytes)
		return -SY_E_NOSPACE;
	for (uint8_t i = 0; i < plan->n_seg; i++) {
		memcpy(buf + off, frame + plan->seg[i].frame_offset, plan->seg[i].len_bytes);
		off += plan->seg[i].len_bytes;
	}
	return off;
}

/* ---- depacketizer --------------------------------------------------- */

size_t sy_rfc4175_coverage_bytes(const struct sy_video_format *fmt)
{
	struct sy_pgroup pg;

	if (sy_format_pgroup(fmt, &pg) < 0)
		return 0;
	uint64_t pgroups = (uint64_t)(fmt->width / pg.pixels) * (fmt->height / pg.lines);
	return (size_t)((pgroups + 7) / 8);
}

int sy_rfc4175_frame_init(struct sy_rfc4175_frame *f, const struct sy_video_format *fmt,
			  uint8_t *buf, size_t buf_len, uint8_t *cov, size_t cov_len)
{
	int rc = sy_format_validate(fmt);

	if (rc < 0)
		return rc;
	memset(f, 0, sizeof(*f));
	f->fmt = *fmt;
	sy_format_pgroup(fmt, &f->pg);
	f->row_bytes = sy_format_row_bytes(fmt);
	f->pgroups_per_row = fmt->width / f->pg.pixels;
	f->rows = fmt->height / f->pg.lines;
	f->pgroups_total = (uint64_t)f->pgroups_per_row * f->rows;
	if (buf_len < sy_format_frame_bytes(fmt) || cov_len < sy_rfc4175_coverage_bytes(fmt))
		return -SY_E_NOSPACE;
	f->buf = buf;
	f->cov = cov;
	sy_rfc4175_frame_reset(f);
	return 0;
}

void sy_rfc4175_frame_reset(struct sy_rfc4175_frame *f)
{
	memset(f->cov, 0, (size_t)((f->pgroups_total + 7) / 8));
	f->pgroups_covered = 0;
	f->pgroups_repeated = 0;
	f->packets = 0;
}

/* Bits set in a byte; a nibble table, since without -mpopcnt the builtin
 * is a libgcc call that showed up in the analyzer's profile. */
static inline unsigned popcount8(uint8_t v)
{
	static const uint8_t nib[16] = { 0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4 };

	return nib[v & 15] + nib[v >> 4];
}

/* Set n coverage bits from bit `first`, a byte at a time where it can:
 * ~240 pgroups per packet, so bit-by-bit would dominate the receive path. */
static void mark(struct sy_rfc4175_frame *f, uint64_t first, uint32_t n)
{
	uint64_t i = first, end = first + n;

	while (i < end) {
		uint8_t *b = &f->cov[i >> 3];
		unsigned lo = (unsigned)(i & 7);
		unsigned cnt = end - i < 8 - lo ? (unsigned)(end - i) : 8 - lo;
		uint8_t m = (uint8_t)(((1u << cnt) - 1) << lo);
		unsigned already = popcount8(*b & m);

		f->pgroups_repeated += already;
		f->pgroups_covered += cnt - already;
		*b |= m;
		i += cnt;
	}
}

int sy_rfc4175_frame_place(struct sy_rfc4175_frame *f, const struct sy_rfc4175_pkt *pkt)
{
	int rc = sy_rfc4175_validate(pkt, &f->fmt);

	if (rc < 0)
		return rc;
	for (uint8_t i = 0; i < pkt->n_srd; i++) {
		const struct sy_rfc4175_srd *s = &pkt->srd[i];
		uint32_t r = s->row / f->pg.lines;
		uint32_t frame_row = f->fmt.interlaced ? 2 * r + s->field : r;
		uint32_t pg_off = s->offset_px / f->pg.pixels;

		memcpy(f->buf + (uint64_t)frame_row * f->row_bytes + (uint64_t)pg_off * f->pg.bytes,
		       s->data, s->len_bytes);
		mark(f, (uint64_t)frame_row * f->pgroups_per_row + pg_off,
		     s->len_bytes / f->pg.bytes);
	}
	f->packets++;
	return 0;
}

bool sy_rfc4175_frame_row_complete(const struct sy_rfc4175_frame *f, uint32_t row)
{
	uint64_t first = (uint64_t)row * f->pgroups_per_row;

	if (row >= f->rows)
		return false;
	for (uint64_t i = first; i < first + f->pgroups_per_row; i++)
		if (!(f->cov[i >> 3] & (1u << (i & 7))))
			return false;
	return true;
}

uint32_t sy_rfc4175_frame_rows_incomplete(const struct sy_rfc4175_frame *f)
{
	uint32_t n = 0;

	for (uint32_t r = 0; r < f->rows; r++)
		n += !sy_rfc4175_frame_row_complete(f, r);
	return n;
}
