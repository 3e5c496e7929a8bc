/* SPDX-License-Identifier: MIT */
/*
 * sy_analyze_text.c: the human-readable report of sy-analyze (the JSON
 * report carries the same facts; see docs/sy-analyze.md).
 *
 * Single-threaded.
 */
#include <inttypes.h>
#include <math.h>

#include "sy_analyze.h"

static void seq_line(FILE *o, const char *what, const struct sy_analyze_seq *s)
{
	fprintf(o, "  %s: %" PRIu64 " lost, %" PRIu64 " duplicate, %" PRIu64 " reordered",
		what, s->lost, s->dup, s->reordered);
	if (s->too_old)
		fprintf(o, ", %" PRIu64 " too old", s->too_old);
	fputc('\n', o);
	if (s->lost_seq.n) {
		fprintf(o, "    lost seq:");
		for (uint32_t i = 0; i < s->lost_seq.n && i < 20; i++)
			fprintf(o, " %u", s->lost_seq.v[i]);
		fprintf(o, "%s\n", s->lost_seq.n > 20 ? " ..." : "");
	}
}

static void video_text(FILE *o, const struct sy_analyze_flow *f)
{
	const struct sy_analyze_video *v = f->video;
	const struct sy_analyze_timing *t = &v->timing;
	const struct sy_video_format *fmt = &v->fmt;
	uint64_t complete = sy_analyze_video_complete(v);

	fprintf(o, "  video %ux%u%c %u/%u %s %u-bit %s\n", fmt->width, fmt->height,
		fmt->interlaced ? 'i' : 'p', fmt->rate.num, fmt->rate.den,
		sy_format_sampling_name(fmt->sampling), fmt->depth,
		sy_format_packing_name(fmt->packing));
	fprintf(o, "  frames: %" PRIu64 " complete, %" PRIu64 " incomplete; marker errors %" PRIu64
		   "; late packets %" PRIu64 "; up to %u SRDs/packet; extended seq %s\n",
		complete, (uint64_t)v->n_frames - complete, sy_analyze_video_marker_errors(v),
		v->late_packets, v->srd_max, v->ext_seq_nonzero ? "used" : "always 0");
	fprintf(o, "  RTP delta (expected %u/%u):", v->delta_lo, v->delta_hi);
	for (uint32_t i = 0; i < v->n_delta_val; i++)
		fprintf(o, " %d x%" PRIu64, (int32_t)v->delta_val[i], v->delta_cnt[i]);
	fprintf(o, "; %" PRIu64 " off, %" PRIu64 " frames skipped\n", v->delta_bad,
		v->frames_skipped);
	if (t->ready) {
		const struct sy_st2110_21_verdict *vd = &t->verdict;
		const struct sy_st2110_21_stream *st = &t->st;

		fprintf(o, "  ST 2110-21: %s%s%s (%s, N %u%s, TPR0 %s)\n",
			sy_analyze_timing_verdict_name(vd->type),
			vd->type == SY_ST2110_21_TYPE_NOT_COMPLIANT ? ", reason " : "",
			vd->type == SY_ST2110_21_TYPE_NOT_COMPLIANT
				? sy_analyze_timing_reason_name(vd->reason)
				: "",
			vd->schedule == SY_ST2110_21_LINEAR ? "linear" : "gapped", t->n_packets,
			t->n_guessed ? " guessed" : "",
			t->tpr0 == SY_ST2110_21_TPR0_RTP ? "rtp" : "arrival");
		fprintf(o, "    Cinst max %u (narrow %u, wide %u); VRX %d..%d (narrow %u, wide %u)\n",
			vd->cinst_max, vd->cmax_narrow, vd->cmax_wide, vd->vrx_min, vd->vrx_max,
			vd->vrx_full_narrow, vd->vrx_full_wide);
		fprintf(o, "    RTP offset %d..%d ticks%s; latency %.3f..%.3f us\n",
			st->rtp_offset_min_ticks, st->rtp_offset_max_ticks,
			vd->flags & SY_ST2110_21_F_RTP_OFFSET ? " (OUT OF WINDOW)" : "",
			(double)st->latency_min_ns / 1e3, (double)st->latency_max_ns / 1e3);
		fprintf(o, "    Cinst histogram:");
		for (unsigned i = 0; i < SY_ST2110_21_HIST_BUCKETS; i++)
			if (st->cinst_hist[i])
				fprintf(o, " %u:%" PRIu64, i, st->cinst_hist[i]);
		fputc('\n', o);
	} else {
		fprintf(o, "  ST 2110-21: not measured\n");
	}
	if (v->stamp_capable)
		fprintf(o, "  stamps: %" PRIu64 " stamped, %" PRIu64 " without; %" PRIu64
			   " torn; %" PRIu64 " counter jumps; %zu switch points\n",
			v->stamped, v->unstamped, v->torn, v->counter_jumps, v->n_switches);
	for (size_t i = 0; i < v->n_switches; i++) {
		const struct sy_analyze_switch *s = &v->switches[i];

		fprintf(o, "    switch at frame %" PRIu64 ": source %u frame %u -> source %u frame %u%s\n",
			s->frame, s->from.source_id, s->from.frame_counter, s->to.source_id,
			s->to.frame_counter, s->within_frame ? " (inside the frame: torn)" : "");
	}
	for (size_t i = 0; i < v->n_frames; i++)
		if (v->frames[i].torn)
			fprintf(o, "    torn frame %zu (ts %u): %s\n", i, v->frames[i].ts,
				sy_analyze_torn_name(v->frames[i].torn));
	for (size_t i = 0; sy_analyze_opts.list_frames && i < v->n_frames; i++) {
		const struct sy_analyze_frame *r = &v->frames[i];

		fprintf(o, "  frame %zu ts %u packets %u %s", i, r->ts, r->packets,
			r->complete ? "complete" : "INCOMPLETE");
		if (!r->complete)
			fprintf(o, " (%u rows)", r->rows_incomplete);
		if (!r->marker_last)
			fprintf(o, " no-marker");
		if (r->marker_early)
			fprintf(o, " early-marker");
		if (r->stamp_rc == 0)
			fprintf(o, " source %u frame %u", r->stamp.source_id, r->stamp.frame_counter);
		if (r->has_md5)
			fprintf(o, " md5 %s", r->md5);
		if (r->has_timing)
			fprintf(o, " cinst %u", r->cinst_max);
		fputc('\n', o);
	}
}

static void audio_text(FILE *o, const struct sy_analyze_flow *f)
{
	const struct sy_analyze_audio *a = f->audio;
	const struct sy_st2110_30_format *fmt = &sy_analyze_flow_media(f)->audio.fmt;
	uint32_t full = fmt->encoding == SY_ST2110_30_L24 ? 8388608u : 32768u;

	fprintf(o, "  audio %s %u Hz %u ch, ptime %u us: %" PRIu64
		   " sample frames, %u..%u per packet, %" PRIu64 " ptime errors\n",
		sy_st2110_30_encoding_name(fmt->encoding), fmt->rate_hz, fmt->channels,
		fmt->ptime_ns / 1000, a->samples, a->spp_min == UINT32_MAX ? 0 : a->spp_min,
		a->spp_max, a->ptime_bad);
	fprintf(o, "  timestamps: %" PRIu64 " discontinuities; TS-DF max %" PRIu64
		   " us over %" PRIu64 " windows",
		a->ts_discont, a->tsdf_max_us, a->tsdf_windows);
	if (a->have_latency)
		fprintf(o, "; latency %.3f..%.3f ms", (double)a->latency_min_ns / 1e6,
			(double)a->latency_max_ns / 1e6);
	fprintf(o, "\n  peak dBFS:");
	for (uint32_t c = 0; c < fmt->channels && c < 64; c++)
		fprintf(o, " %.1f", a->peak[c] ? 20 * log10((double)a->peak[c] / full) : -INFINITY);
	fputc('\n', o);
}

static void anc_text(FILE *o, const struct sy_analyze_flow *f)
{
	const struct sy_analyze_anc *a = f->anc;

	fprintf(o, "  anc: %" PRIu64 " ANC packets; RTP packets with marker %" PRIu64 ", without %" PRIu64
		   ", misplaced markers %" PRIu64 "; F progressive %" PRIu64 " field1 %" PRIu64
		   " field2 %" PRIu64 "\n",
		a->anc_packets, a->markers, a->no_marker, a->marker_errors, a->f_count[0],
		a->f_count[2], a->f_count[3]);
	fprintf(o, "  checksum errors %" PRIu64 ", parity errors %" PRIu64 "; ATC %" PRIu64
		   " (%" PRIu64 " bad, %" PRIu64 " counter jumps)",
		a->checksum_errors, a->parity_errors, a->atc_count, a->atc_errors, a->atc_jumps);
	if (a->have_atc)
		fprintf(o, " %s .. %s, counter %u .. %u", a->atc_first, a->atc_last, a->bg_first,
			a->bg_last);
	fputc('\n', o);
}

void sy_analyze_text_report(FILE *o, char **captures, int n_captures)
{
	(void)captures;
	(void)n_captures;
	for (unsigned i = 0; i < sy_analyze_n_flows; i++) {
		const struct sy_analyze_flow *f = &sy_analyze_flows[i];
		const struct sy_sdp_media *m = sy_analyze_flow_media(f);
		const char *faults[32];
		unsigned n_faults = sy_analyze_flow_faults(f, faults, 32);
		double dur = (double)(f->last_ns - f->first_ns) / 1e9;
		char dst[24];

		sy_analyze_flow_dst(f, dst);
		fprintf(o, "flow %s ssrc 0x%08x pt %u", dst, f->ssrc, f->pt);
		if (m)
			fprintf(o, "  %s (%s%s)", sy_sdp_essence_name(m->essence), f->sdp_path,
				f->dup_leg >= 0 ? (f->dup_leg ? ", 2022-7 leg B" : ", 2022-7 leg A")
						: "");
		else
			fprintf(o, "  (no SDP: RTP checks only)");
		fprintf(o, "\n  packets %" PRIu64 "  bytes %" PRIu64 "  duration %.6f s", f->packets,
			f->bytes, dur);
		if (dur > 0 && f->packets > 1)
			fprintf(o, "  rate %.3f Mb/s",
				(double)f->bytes * 8 / (dur * f->packets / (f->packets - 1)) / 1e6);
		fputc('\n', o);
		seq_line(o, "sequence", &f->seq16);
		if (f->seq32_used)
			seq_line(o, "sequence (32-bit)", &f->seq32);
		if (f->wrong_pt_seq.total)
			fprintf(o, "  wrong payload type: %" PRIu64 "\n", f->wrong_pt_seq.total);
		if (f->wrong_ssrc_seq.total)
			fprintf(o, "  wrong SSRC: %" PRIu64 "\n", f->wrong_ssrc_seq.total);
		for (unsigned e = 0; e <= SY_ANALYZE_N_ERR; e++)
			if (f->err_count[e])
				fprintf(o, "  malformed: %" PRIu64 " x %s (%s)\n", f->err_count[e],
					e ? sy_analyze_err_name(-(int)(SY_E_BASE + e)) : "OTHER",
					e ? sy_err_str(-(int)(SY_E_BASE + e)) : "");
		if (f->video)
			video_text(o, f);
		if (f->audio)
			audio_text(o, f);
		if (f->anc)
			anc_text(o, f);
		fprintf(o, "  faults:");
		if (!n_faults)
			fprintf(o, " none");
		for (unsigned k = 0; k < n_faults; k++)
			fprintf(o, " %s", faults[k]);
		fputc('\n', o);
	}
}
