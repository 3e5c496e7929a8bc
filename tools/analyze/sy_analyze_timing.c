/* SPDX-License-Identifier: MIT */
/*
 * sy_analyze_timing.c: ST 2110-21 measurement of a video flow with
 * src/sy_st2110_21's streaming model: Cinst maximum and histogram, VRX
 * min/max, gapped vs linear detection, RTP offset against the epoch,
 * latency, and the verdict (narrow / narrow-linear / wide / not compliant
 * with the reason).
 *
 * Every RTP packet of the flow is fed in arrival order (the timing is the
 * wire's, whatever the payload). Arrival = capture time - --tai-offset-ns.
 * frame_start = the first packet of a newer RTP timestamp (per field when
 * interlaced).
 *
 * The model needs N (packets per frame or field) before the first packet.
 * N is the packet count of the first frame that arrived complete and
 * without repeats; until that frame closes, packets are buffered (arrival,
 * timestamp, start flag: 16 bytes each) and replayed, so the first frame is
 * measured too. Without any clean frame, N is the largest frame seen
 * (reported as guessed).
 *
 * VRX read schedule TPR0 (--tpr0): "rtp" = frames found from the RTP
 * timestamp (senders on the SMPTE epoch); "arrival" = from the first
 * packet's arrival (EBU LIST's ideal, for senders whose timestamps have a
 * random offset such as GStreamer's). "auto" picks rtp when the first
 * packet's timestamp is within 1 s of its arrival's media clock.
 *
 * Single-threaded.
 */
#include <stdlib.h>
#include <string.h>

#include "sy_analyze.h"
#include "sy_time.h"

#define PEND_MAX (1u << 22) /* ~4 frames of 2160p: N is found long before */

void sy_analyze_timing_init(struct sy_analyze_timing *t)
{
	memset(t, 0, sizeof(*t));
}

const char *sy_analyze_timing_verdict_name(enum sy_st2110_21_type t)
{
	switch (t) {
	case SY_ST2110_21_TYPE_N: return "narrow";
	case SY_ST2110_21_TYPE_NL: return "narrow-linear";
	case SY_ST2110_21_TYPE_W: return "wide";
	case SY_ST2110_21_TYPE_NOT_COMPLIANT: return "not compliant";
	default: return "?";
	}
}

const char *sy_analyze_timing_reason_name(enum sy_st2110_21_reason r)
{
	static const char *const names[SY_ST2110_21_REASON_MAX] = {
		"NONE", "NO_DATA", "CINST", "VRX_UNDERRUN", "VRX_OVERFLOW",
	};

	return r < SY_ST2110_21_REASON_MAX ? names[r] : "?";
}

bool sy_analyze_timing_narrow(const struct sy_analyze_timing *t)
{
	return t->has_verdict && (t->verdict.type == SY_ST2110_21_TYPE_N ||
				  t->verdict.type == SY_ST2110_21_TYPE_NL);
}

static struct sy_analyze_frame *find_frame(struct sy_analyze_video *v, uint32_t ts)
{
	if (v->in_frame && (v->cur.ts == ts || (v->fields_seen == 2 && v->cur.ts2 == ts)))
		return &v->cur;
	for (size_t i = v->n_frames, k = 0; i > 0 && k < 16; i--, k++) {
		struct sy_analyze_frame *r = &v->frames[i - 1];

		if (r->ts == ts || (v->fmt.interlaced && r->ts2 == ts))
			return r;
	}
	return NULL;
}

/* A field/frame summary from the stream: into its frame record. */
static void attach(struct sy_analyze_video *v)
{
	const struct sy_st2110_21_frame *lf = &v->timing.st.last_frame;
	struct sy_analyze_frame *r = find_frame(v, lf->rtp_ts);

	if (!r)
		return;
	if (!r->has_timing) {
		r->has_timing = true;
		r->cinst_max = lf->cinst_max;
		r->rtp_offset_ticks = lf->rtp_offset_ticks;
		r->latency_ns = lf->latency_ns;
		for (int i = 0; i < SY_ST2110_21_SCHEDULE_MAX; i++) {
			r->vrx_min[i] = lf->vrx_min[i];
			r->vrx_max[i] = lf->vrx_max[i];
		}
		return;
	}
	if (lf->cinst_max > r->cinst_max)
		r->cinst_max = lf->cinst_max;
	for (int i = 0; i < SY_ST2110_21_SCHEDULE_MAX; i++) {
		if (lf->vrx_min[i] < r->vrx_min[i])
			r->vrx_min[i] = lf->vrx_min[i];
		if (lf->vrx_max[i] > r->vrx_max[i])
			r->vrx_max[i] = lf->vrx_max[i];
	}
}

static void feed(struct sy_analyze_video *v, const struct sy_analyze_timing_ev *e)
{
	if (sy_st2110_21_stream_feed(&v->timing.st, e->arrival_ns, e->frame_start, e->ts, NULL))
		attach(v);
}

static void start(struct sy_analyze_flow *f, uint32_t n)
{
	struct sy_analyze_video *v = f->video;
	struct sy_analyze_timing *t = &v->timing;
	const struct sy_sdp_media *m = sy_analyze_flow_media(f);
	enum sy_st2110_21_tpr0 mode = SY_ST2110_21_TPR0_RTP;

	if (sy_analyze_opts.tpr0 == SY_ANALYZE_TPR0_ARRIVAL) {
		mode = SY_ST2110_21_TPR0_ARRIVAL;
	} else if (sy_analyze_opts.tpr0 == SY_ANALYZE_TPR0_AUTO && t->n_pend) {
		uint32_t now = sy_time_tai_to_rtp(t->pend[0].arrival_ns, SY_TIME_VIDEO_HZ);
		int32_t d = sy_rtp_ts_diff(t->pend[0].ts, now);

		if (d > (int32_t)SY_TIME_VIDEO_HZ || d < -(int32_t)SY_TIME_VIDEO_HZ)
			mode = SY_ST2110_21_TPR0_ARRIVAL;
	}
	t->tpr0 = mode;
	t->n_packets = n;
	if (sy_st2110_21_stream_init(&t->st, &v->fmt, n, mode) < 0) {
		t->failed = true;
	} else {
		if (m && m->video.has_troff)
			for (int i = 0; i < SY_ST2110_21_SCHEDULE_MAX; i++)
				sy_st2110_21_model_set_tro_ns(&t->st.model[i],
							      (uint64_t)m->video.troff_us * 1000u);
		t->ready = true;
		for (size_t i = 0; i < t->n_pend; i++)
			feed(v, &t->pend[i]);
	}
	free(t->pend);
	t->pend = NULL;
	t->n_pend = t->cap_pend = 0;
}

void sy_analyze_timing_packet(struct sy_analyze_flow *f, uint64_t t_ns, uint32_t ts)
{
	struct sy_analyze_video *v = f->video;
	struct sy_analyze_timing *t = &v->timing;
	int64_t a = (int64_t)t_ns - sy_analyze_opts.tai_offset_ns;
	struct sy_analyze_timing_ev e = { .arrival_ns = a > 0 ? (uint64_t)a : 0, .ts = ts };

	if (t->failed)
		return;
	if (!t->have_ts || (ts != t->last_ts && !sy_rtp_ts_lt(ts, t->last_ts))) {
		e.frame_start = true;
		t->have_ts = true;
		t->last_ts = ts;
	}
	if (t->ready) {
		feed(v, &e);
		return;
	}
	if (t->n_pend == t->cap_pend) {
		if (t->cap_pend == PEND_MAX) {
			t->n_guessed = true;
			start(f, t->max_frame_packets ? t->max_frame_packets : 1);
			if (t->ready)
				feed(v, &e);
			return;
		}
		t->cap_pend = t->cap_pend ? 2 * t->cap_pend : 4096;
		t->pend = sy_analyze_xrealloc(t->pend, t->cap_pend * sizeof(*t->pend));
	}
	t->pend[t->n_pend++] = e;
}

void sy_analyze_timing_frame_done(struct sy_analyze_flow *f, uint32_t packets, bool clean)
{
	struct sy_analyze_video *v = f->video;
	struct sy_analyze_timing *t = &v->timing;
	uint32_t fields = sy_format_fields(&v->fmt);
	uint32_t per_field = (packets + fields - 1) / fields;

	if (per_field > t->max_frame_packets)
		t->max_frame_packets = per_field;
	if (!t->ready && !t->failed && clean)
		start(f, per_field);
}

void sy_analyze_timing_finish(struct sy_analyze_flow *f)
{
	struct sy_analyze_video *v = f->video;
	struct sy_analyze_timing *t = &v->timing;

	if (!t->ready && !t->failed && t->n_pend && t->max_frame_packets) {
		t->n_guessed = true;
		start(f, t->max_frame_packets);
	}
	if (!t->ready)
		return;
	if (sy_st2110_21_stream_flush(&t->st))
		attach(v);
	sy_st2110_21_stream_verdict(&t->st, SY_ST2110_21_SCHEDULE_MAX, &t->verdict);
	t->has_verdict = true;
}
