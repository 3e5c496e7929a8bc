/* SPDX-License-Identifier: MIT */
/*
 * sy_analyze_video.c: ST 2110-20 video frames of a flow, rebuilt with the
 * RFC 4175 depacketizer (src/sy_rfc4175): complete / incomplete by coverage of
 * every row and pixel (not by packet count), marker placement, inter-frame
 * RTP timestamp delta against the rate (1501/1502 ticks at 59.94), packets
 * per frame, per-frame MD5 of the packed pgroups (what FFmpeg's framemd5
 * prints), and the hand-off of each closed frame to the stamp module.
 *
 * Frames are keyed on the RTP timestamp; the marker is checked, not trusted.
 * A frame closes when a newer timestamp arrives (interlaced: a newer
 * timestamp that is not the second field of the frame) or at the end of the
 * input. A packet with an older timestamp after a newer one is "late": it is
 * counted and not placed (its frame is already closed).
 *
 * Per packet the work is the depacketizer's; per frame: coverage check, the
 * stamp decode (band rows only) and MD5 when asked for. Single-threaded.
 */
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "sy_analyze.h"
#include "sy_time.h"

/* Frames up to this size get an MD5 by default (1080p 4:2:2 10-bit is 5.2 MB);
 * larger ones only when their stamp does not decode, or with --md5. */
#define MD5_AUTO_MAX_BYTES (8u << 20)

int sy_analyze_video_init(struct sy_analyze_flow *f, const struct sy_video_format *fmt)
{
	struct sy_analyze_video *v = sy_analyze_xcalloc(1, sizeof(*v));
	size_t cb = sy_rfc4175_coverage_bytes(fmt);
	struct sy_stamp_geometry geo;
	uint64_t p_num, p_den;

	if (sy_format_validate(fmt) < 0) {
		free(v);
		return -1;
	}
	v->fmt = *fmt;
	v->fb_bytes = (size_t)sy_format_frame_bytes(fmt);
	v->fb = sy_analyze_xcalloc(1, v->fb_bytes);
	v->cov = sy_analyze_xcalloc(1, cb);
	if (sy_rfc4175_frame_init(&v->fr, fmt, v->fb, v->fb_bytes, v->cov, cb) < 0) {
		free(v->fb);
		free(v->cov);
		free(v);
		return -1;
	}
	/* frame period in 90 kHz ticks = 90000 * den / num, floor and ceiling */
	p_num = (uint64_t)SY_TIME_VIDEO_HZ * fmt->rate.den;
	p_den = fmt->rate.num;
	v->delta_lo = (uint32_t)(p_num / p_den);
	v->delta_hi = (uint32_t)((p_num + p_den - 1) / p_den);
	v->stamp_capable = sy_stamp_geometry(fmt, &geo) == 0;
	sy_analyze_timing_init(&v->timing);
	f->video = v;
	return 0;
}

uint64_t sy_analyze_video_complete(const struct sy_analyze_video *v)
{
	uint64_t n = 0;

	for (size_t i = 0; i < v->n_frames; i++)
		n += v->frames[i].complete;
	return n;
}

uint64_t sy_analyze_video_marker_errors(const struct sy_analyze_video *v)
{
	uint64_t n = 0;

	for (size_t i = 0; i < v->n_frames; i++)
		n += !v->frames[i].marker_last || v->frames[i].marker_early ||
		     v->frames[i].markers != sy_format_fields(&v->fmt);
	return n;
}

static void md5_hex(const uint8_t *buf, size_t len, char out[33])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	EVP_Digest(buf, len, md, &n, EVP_md5(), NULL);
	for (unsigned i = 0; i < 16; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

/* Zero the pgroups no packet wrote, so an incomplete frame's picture (MD5,
 * stamp) does not depend on the frame before it. */
static void zero_uncovered(struct sy_analyze_video *v)
{
	const struct sy_rfc4175_frame *fr = &v->fr;

	for (uint32_t r = 0; r < fr->rows; r++) {
		uint64_t first = (uint64_t)r * fr->pgroups_per_row;

		if (sy_rfc4175_frame_row_complete(fr, r))
			continue;
		for (uint64_t i = first; i < first + fr->pgroups_per_row; i++)
			if (!(fr->cov[i >> 3] & (1u << (i & 7))))
				memset(v->fb + (size_t)r * fr->row_bytes +
					       (size_t)(i - first) * fr->pg.bytes,
				       0, fr->pg.bytes);
	}
}

static void end_frame(struct sy_analyze_flow *f)
{
	struct sy_analyze_video *v = f->video;
	struct sy_analyze_frame *rec = &v->cur;
	bool md5;

	rec->complete = sy_rfc4175_frame_complete(&v->fr);
	if (!rec->complete) {
		rec->rows_incomplete = sy_rfc4175_frame_rows_incomplete(&v->fr);
		zero_uncovered(v);
	}
	sy_analyze_stamp_frame(f, rec);
	switch (sy_analyze_opts.md5) {
	case SY_ANALYZE_MD5_ON: md5 = true; break;
	case SY_ANALYZE_MD5_OFF: md5 = false; break;
	default: md5 = v->fb_bytes <= MD5_AUTO_MAX_BYTES || rec->stamp_rc < 0; break;
	}
	if (md5) {
		md5_hex(v->fb, v->fb_bytes, rec->md5);
		rec->has_md5 = true;
	}
	sy_analyze_timing_frame_done(f, rec->packets,
				     rec->complete && v->fr.pgroups_repeated == 0);
	if (v->n_frames == v->cap_frames) {
		v->cap_frames = v->cap_frames ? 2 * v->cap_frames : 64;
		v->frames = sy_analyze_xrealloc(v->frames, v->cap_frames * sizeof(*v->frames));
	}
	v->frames[v->n_frames++] = *rec;
	sy_rfc4175_frame_reset(&v->fr);
	memset(rec, 0, sizeof(*rec));
	v->in_frame = false;
}

static void delta_account(struct sy_analyze_video *v, int64_t d)
{
	uint32_t i;

	if (d != v->delta_lo && d != v->delta_hi) {
		v->delta_bad++;
		/* whole frame periods missing: round(d / period) - 1 */
		if (d > (int64_t)v->delta_hi) {
			uint64_t num = (uint64_t)SY_TIME_VIDEO_HZ * v->fmt.rate.den;
			uint64_t periods = ((uint64_t)d * v->fmt.rate.num * 2 + num) / (2 * num);

			if (periods > 1)
				v->frames_skipped += periods - 1;
		}
	}
	for (i = 0; i < v->n_delta_val; i++)
		if (v->delta_val[i] == (uint32_t)d)
			break;
	if (i == v->n_delta_val) {
		if (v->n_delta_val == 8)
			return; /* histogram full: the bad count still says it */
		v->delta_val[v->n_delta_val++] = (uint32_t)d;
	}
	v->delta_cnt[i]++;
}

static void start_frame(struct sy_analyze_video *v, const struct sy_rtp *r)
{
	struct sy_analyze_frame *rec = &v->cur;

	memset(rec, 0, sizeof(*rec));
	rec->ts = r->ts;
	rec->first_seq = r->seq;
	if (v->have_prev_ts) {
		rec->rtp_delta = sy_rtp_ts_diff(r->ts, v->prev_ts);
		delta_account(v, rec->rtp_delta);
	}
	v->have_prev_ts = true;
	v->prev_ts = r->ts;
	v->in_frame = true;
	v->fields_seen = 1;
	v->after_marker = false;
}

void sy_analyze_video_packet(struct sy_analyze_flow *f, const struct sy_rtp *r, uint64_t t_ns)
{
	struct sy_analyze_video *v = f->video;
	struct sy_rfc4175_pkt pkt;
	int rc = sy_rfc4175_parse(r->payload, r->payload_len, &pkt);
	bool field2;

	(void)t_ns;
	if (rc == 0)
		sy_analyze_flow_seq32(f, pkt.ext_seq, r->seq);
	if (rc == 0)
		rc = sy_rfc4175_validate(&pkt, &v->fmt);
	if (rc < 0) {
		sy_analyze_flow_malformed(f, rc, r->seq);
		return;
	}
	if (pkt.ext_seq)
		v->ext_seq_nonzero++;
	if (pkt.n_srd > v->srd_max)
		v->srd_max = pkt.n_srd;
	field2 = v->fmt.interlaced && pkt.srd[0].field;
	if (v->in_frame && r->ts != v->cur.ts &&
	    !(v->fields_seen == 2 && r->ts == v->cur.ts2)) {
		if (sy_rtp_ts_lt(r->ts, v->fields_seen == 2 ? v->cur.ts2 : v->cur.ts)) {
			v->late_packets++;
			return;
		}
		if (field2 && v->fields_seen == 1) {
			/* the second field of this frame starts */
			v->fields_seen = 2;
			v->cur.ts2 = r->ts;
			v->after_marker = false;
		} else {
			end_frame(f);
		}
	}
	if (!v->in_frame)
		start_frame(v, r);
	v->cur.packets++;
	if (v->after_marker)
		v->cur.marker_early = true;
	if (r->marker) {
		v->cur.markers++;
		v->after_marker = true;
	}
	v->cur.marker_last = r->marker;
	sy_rfc4175_frame_place(&v->fr, &pkt);
}

void sy_analyze_video_finish(struct sy_analyze_flow *f)
{
	if (f->video->in_frame)
		end_frame(f);
	sy_analyze_timing_finish(f);
}

const char *sy_analyze_torn_name(enum sy_analyze_torn t)
{
	static const char *const names[SY_ANALYZE_TORN_MAX] = {
		"none", "incomplete", "bands_differ", "fields_differ", "stamp_damaged",
	};

	return t < SY_ANALYZE_TORN_MAX ? names[t] : "?";
}
