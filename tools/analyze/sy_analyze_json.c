/* SPDX-License-Identifier: MIT */
/*
 * sy_analyze_json.c: the JSON report of sy-analyze, {"flows":[...]} with
 * stable snake_case keys, documented field by field in docs/sy-analyze.md.
 * A small hand-written emitter (objects, arrays, numbers, strings): the
 * report is written once, in order, so no tree is built.
 *
 * Single-threaded.
 */
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "sy_analyze.h"

/* ---- emitter ---- */

#define JSON_DEPTH 16

struct json {
	FILE *o;
	int depth;
	bool first[JSON_DEPTH];
	int inline_from; /* depth at and beyond which containers stay on one line */
};

static void sep(struct json *j, const char *key)
{
	if (j->depth > 0) {
		bool first = j->first[j->depth];

		if (!first)
			fputc(',', j->o);
		if (j->depth < j->inline_from)
			fprintf(j->o, "\n%*s", 2 * j->depth, "");
		else if (!first)
			fputc(' ', j->o);
		j->first[j->depth] = false;
	}
	if (key)
		fprintf(j->o, "\"%s\": ", key);
}

static void open_c(struct json *j, const char *key, char c, bool one_line)
{
	sep(j, key);
	fputc(c, j->o);
	j->depth++;
	j->first[j->depth] = true;
	if (one_line && j->inline_from > j->depth)
		j->inline_from = j->depth;
}

static void close_c(struct json *j, char c)
{
	bool empty = j->first[j->depth];
	bool was_inline = j->depth >= j->inline_from;

	if (j->depth == j->inline_from)
		j->inline_from = JSON_DEPTH + 1;
	j->depth--;
	if (!empty && !was_inline)
		fprintf(j->o, "\n%*s", 2 * j->depth, "");
	fputc(c, j->o);
}

static void obj(struct json *j, const char *key) { open_c(j, key, '{', false); }
static void obj1(struct json *j, const char *key) { open_c(j, key, '{', true); }
static void obj_end(struct json *j) { close_c(j, '}'); }
static void arr(struct json *j, const char *key) { open_c(j, key, '[', false); }
static void arr1(struct json *j, const char *key) { open_c(j, key, '[', true); }
static void arr_end(struct json *j) { close_c(j, ']'); }

static void u64(struct json *j, const char *key, uint64_t v)
{
	sep(j, key);
	fprintf(j->o, "%" PRIu64, v);
}

static void i64(struct json *j, const char *key, int64_t v)
{
	sep(j, key);
	fprintf(j->o, "%" PRId64, v);
}

static void dbl(struct json *j, const char *key, double v)
{
	sep(j, key);
	if (isfinite(v))
		fprintf(j->o, "%.6g", v);
	else
		fputs("null", j->o);
}

static void boolean(struct json *j, const char *key, bool v)
{
	sep(j, key);
	fputs(v ? "true" : "false", j->o);
}

static void null(struct json *j, const char *key)
{
	sep(j, key);
	fputs("null", j->o);
}

static void str(struct json *j, const char *key, const char *s)
{
	sep(j, key);
	if (!s) {
		fputs("null", j->o);
		return;
	}
	fputc('"', j->o);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(j->o, "\\%c", c);
		else if (c < 0x20)
			fprintf(j->o, "\\u%04x", c);
		else
			fputc(c, j->o);
	}
	fputc('"', j->o);
}

static void list(struct json *j, const char *key, const struct sy_analyze_list *l)
{
	arr1(j, key);
	for (uint32_t i = 0; i < l->n; i++)
		u64(j, NULL, l->v[i]);
	arr_end(j);
}

/* ---- report ---- */

static void seq_obj(struct json *j, const char *key, const struct sy_analyze_seq *s)
{
	obj(j, key);
	u64(j, "lost", s->lost);
	u64(j, "duplicates", s->dup);
	u64(j, "reordered", s->reordered);
	u64(j, "too_old", s->too_old);
	list(j, "lost_seq", &s->lost_seq);
	list(j, "dup_seq", &s->dup_seq);
	list(j, "reordered_seq", &s->reordered_seq);
	boolean(j, "lists_truncated", s->lost_seq.total > s->lost_seq.n ||
					      s->dup_seq.total > s->dup_seq.n ||
					      s->reordered_seq.total > s->reordered_seq.n);
	obj_end(j);
}

static void stamp_val(struct json *j, const char *key, const struct sy_stamp *s)
{
	obj1(j, key);
	u64(j, "source_id", s->source_id);
	u64(j, "frame_counter", s->frame_counter);
	obj_end(j);
}

static void video_json(struct json *j, const struct sy_analyze_flow *f)
{
	const struct sy_analyze_video *v = f->video;
	const struct sy_analyze_timing *t = &v->timing;
	const struct sy_video_format *fmt = &v->fmt;
	uint32_t ppf_min = UINT32_MAX, ppf_max = 0;
	int sch = t->has_verdict ? (int)t->verdict.schedule : 0;
	uint64_t complete = sy_analyze_video_complete(v);
	char name[64];

	if (sch >= SY_ST2110_21_SCHEDULE_MAX)
		sch = 0;
	for (size_t i = 0; i < v->n_frames; i++) {
		if (v->frames[i].packets < ppf_min)
			ppf_min = v->frames[i].packets;
		if (v->frames[i].packets > ppf_max)
			ppf_max = v->frames[i].packets;
	}
	obj(j, "video");
	snprintf(name, sizeof(name), "%ux%u%c %u/%u", fmt->width, fmt->height,
		 fmt->interlaced ? 'i' : 'p', fmt->rate.num, fmt->rate.den);
	str(j, "format", name);
	str(j, "sampling", sy_format_sampling_name(fmt->sampling));
	u64(j, "depth", fmt->depth);
	str(j, "packing", sy_format_packing_name(fmt->packing));
	u64(j, "frames", v->n_frames);
	u64(j, "frames_complete", complete);
	u64(j, "frames_incomplete", v->n_frames - complete);
	u64(j, "packets_per_frame_min", v->n_frames ? ppf_min : 0);
	u64(j, "packets_per_frame_max", ppf_max);
	u64(j, "srd_max", v->srd_max);
	boolean(j, "ext_seq_used", v->ext_seq_nonzero > 0);
	u64(j, "marker_errors", sy_analyze_video_marker_errors(v));
	u64(j, "late_packets", v->late_packets);
	obj(j, "rtp_delta");
	u64(j, "expected_lo", v->delta_lo);
	u64(j, "expected_hi", v->delta_hi);
	u64(j, "bad", v->delta_bad);
	u64(j, "frames_skipped", v->frames_skipped);
	arr(j, "histogram");
	for (uint32_t i = 0; i < v->n_delta_val; i++) {
		obj1(j, NULL);
		i64(j, "delta", (int32_t)v->delta_val[i]);
		u64(j, "count", v->delta_cnt[i]);
		obj_end(j);
	}
	arr_end(j);
	obj_end(j);

	obj(j, "timing");
	if (!t->ready) {
		boolean(j, "measured", false);
	} else {
		const struct sy_st2110_21_stream *st = &t->st;
		const struct sy_st2110_21_verdict *vd = &t->verdict;

		boolean(j, "measured", true);
		u64(j, "n_packets", t->n_packets);
		boolean(j, "n_guessed", t->n_guessed);
		str(j, "tpr0", t->tpr0 == SY_ST2110_21_TPR0_RTP ? "rtp" : "arrival");
		str(j, "verdict", sy_analyze_timing_verdict_name(vd->type));
		str(j, "reason", sy_analyze_timing_reason_name(vd->reason));
		str(j, "schedule", vd->schedule == SY_ST2110_21_LINEAR ? "linear" : "gapped");
		boolean(j, "schedule_guessed", vd->flags & SY_ST2110_21_F_SCHEDULE_GUESSED);
		u64(j, "frames_gapped", st->n_gapped);
		u64(j, "frames_linear", st->n_linear);
		u64(j, "cinst_max", vd->cinst_max);
		u64(j, "cmax_narrow", vd->cmax_narrow);
		u64(j, "cmax_wide", vd->cmax_wide);
		i64(j, "vrx_min", vd->vrx_min);
		i64(j, "vrx_max", vd->vrx_max);
		u64(j, "vrx_full_narrow", vd->vrx_full_narrow);
		u64(j, "vrx_full_wide", vd->vrx_full_wide);
		obj1(j, "vrx_by_schedule");
		i64(j, "gapped_min", st->vrx_min[SY_ST2110_21_GAPPED]);
		i64(j, "gapped_max", st->vrx_max[SY_ST2110_21_GAPPED]);
		i64(j, "linear_min", st->vrx_min[SY_ST2110_21_LINEAR]);
		i64(j, "linear_max", st->vrx_max[SY_ST2110_21_LINEAR]);
		obj_end(j);
		i64(j, "rtp_offset_min_ticks", st->rtp_offset_min_ticks);
		i64(j, "rtp_offset_max_ticks", st->rtp_offset_max_ticks);
		i64(j, "rtp_offset_limit_min_ticks", st->model[sch].rtp_offset_min_ticks);
		i64(j, "rtp_offset_limit_max_ticks", st->model[sch].rtp_offset_max_ticks);
		boolean(j, "rtp_offset_ok", !(vd->flags & SY_ST2110_21_F_RTP_OFFSET));
		i64(j, "latency_min_ns", st->latency_min_ns);
		i64(j, "latency_max_ns", st->latency_max_ns);
		u64(j, "t_rs_dns", st->model[sch].t_rs_dns);
		u64(j, "tro_default_ns", st->model[sch].tro_default_round_ns);
		u64(j, "time_backwards", st->n_time_backwards);
		arr1(j, "cinst_histogram");
		for (unsigned i = 0; i < SY_ST2110_21_HIST_BUCKETS; i++)
			u64(j, NULL, st->cinst_hist[i]);
		arr_end(j);
	}
	obj_end(j);

	obj(j, "stamps");
	boolean(j, "capable", v->stamp_capable);
	u64(j, "stamped", v->stamped);
	u64(j, "unstamped", v->unstamped);
	u64(j, "torn", v->torn);
	u64(j, "counter_jumps", v->counter_jumps);
	arr(j, "switches");
	for (size_t i = 0; i < v->n_switches; i++) {
		const struct sy_analyze_switch *s = &v->switches[i];

		obj1(j, NULL);
		u64(j, "frame", s->frame);
		u64(j, "from_source", s->from.source_id);
		u64(j, "from_frame", s->from.frame_counter);
		u64(j, "to_source", s->to.source_id);
		u64(j, "to_frame", s->to.frame_counter);
		boolean(j, "within_frame", s->within_frame);
		obj_end(j);
	}
	arr_end(j);
	arr(j, "torn_frames");
	for (size_t i = 0; i < v->n_frames; i++) {
		const struct sy_analyze_frame *r = &v->frames[i];

		if (r->torn == SY_ANALYZE_TORN_NONE)
			continue;
		obj1(j, NULL);
		u64(j, "frame", i);
		u64(j, "ts", r->ts);
		str(j, "reason", sy_analyze_torn_name(r->torn));
		if (r->stamp_rc == 0)
			stamp_val(j, "stamp", &r->stamp);
		if (r->torn == SY_ANALYZE_TORN_BANDS || r->torn == SY_ANALYZE_TORN_FIELDS)
			stamp_val(j, "other", &r->torn_other);
		obj_end(j);
	}
	arr_end(j);
	obj_end(j);

	if (!sy_analyze_opts.list_frames) {
		obj_end(j);
		return;
	}
	arr(j, "frame_list");
	for (size_t i = 0; i < v->n_frames; i++) {
		const struct sy_analyze_frame *r = &v->frames[i];

		obj1(j, NULL);
		u64(j, "index", i);
		u64(j, "ts", r->ts);
		u64(j, "first_seq", r->first_seq);
		u64(j, "packets", r->packets);
		boolean(j, "complete", r->complete);
		u64(j, "rows_incomplete", r->rows_incomplete);
		boolean(j, "marker", r->marker_last && !r->marker_early &&
					     r->markers == sy_format_fields(fmt));
		i64(j, "rtp_delta", r->rtp_delta);
		if (r->stamp_rc == 0) {
			u64(j, "source_id", r->stamp.source_id);
			u64(j, "frame_counter", r->stamp.frame_counter);
		} else {
			null(j, "source_id");
			null(j, "frame_counter");
		}
		str(j, "torn", r->torn ? sy_analyze_torn_name(r->torn) : NULL);
		str(j, "md5", r->has_md5 ? r->md5 : NULL);
		if (r->has_timing) {
			u64(j, "cinst_max", r->cinst_max);
			i64(j, "vrx_min", r->vrx_min[sch]);
			i64(j, "vrx_max", r->vrx_max[sch]);
			i64(j, "rtp_offset_ticks", r->rtp_offset_ticks);
			i64(j, "latency_ns", r->latency_ns);
		}
		obj_end(j);
	}
	arr_end(j);
	obj_end(j);
}

static void audio_json(struct json *j, const struct sy_analyze_flow *f)
{
	const struct sy_analyze_audio *a = f->audio;
	const struct sy_st2110_30_format *fmt = &sy_analyze_flow_media(f)->audio.fmt;
	uint32_t full = fmt->encoding == SY_ST2110_30_L24 ? 8388608u : 32768u;
	uint32_t spp = 0;

	sy_st2110_30_frames_per_packet(fmt->rate_hz, fmt->ptime_ns, &spp);
	obj(j, "audio");
	str(j, "encoding", sy_st2110_30_encoding_name(fmt->encoding));
	u64(j, "rate_hz", fmt->rate_hz);
	u64(j, "channels", fmt->channels);
	u64(j, "ptime_ns", fmt->ptime_ns);
	u64(j, "samples_per_packet_expected", spp);
	u64(j, "samples_per_packet_min", a->spp_min == UINT32_MAX ? 0 : a->spp_min);
	u64(j, "samples_per_packet_max", a->spp_max);
	u64(j, "packet_time_ns",
	    a->spp_max ? (uint64_t)a->spp_max * 1000000000u / fmt->rate_hz : 0);
	u64(j, "samples", a->samples);
	u64(j, "ptime_errors", a->ptime_bad);
	u64(j, "ts_discontinuities", a->ts_discont);
	u64(j, "tsdf_max_us", a->tsdf_max_us);
	u64(j, "tsdf_windows", a->tsdf_windows);
	if (a->have_latency) {
		i64(j, "latency_min_ns", a->latency_min_ns);
		i64(j, "latency_max_ns", a->latency_max_ns);
	} else {
		null(j, "latency_min_ns");
		null(j, "latency_max_ns");
	}
	arr1(j, "peak_dbfs");
	for (uint32_t c = 0; c < fmt->channels && c < 64; c++)
		if (a->peak[c])
			dbl(j, NULL, round(20 * log10((double)a->peak[c] / full) * 100) / 100);
		else
			null(j, NULL);
	arr_end(j);
	obj_end(j);
}

static void anc_json(struct json *j, const struct sy_analyze_flow *f)
{
	const struct sy_analyze_anc *a = f->anc;

	obj(j, "anc");
	u64(j, "anc_packets", a->anc_packets);
	u64(j, "markers", a->markers);
	u64(j, "no_marker", a->no_marker);
	u64(j, "marker_errors", a->marker_errors);
	obj1(j, "f_bits");
	u64(j, "progressive", a->f_count[0]);
	u64(j, "field1", a->f_count[2]);
	u64(j, "field2", a->f_count[3]);
	obj_end(j);
	u64(j, "checksum_errors", a->checksum_errors);
	u64(j, "parity_errors", a->parity_errors);
	u64(j, "atc_packets", a->atc_count);
	u64(j, "atc_errors", a->atc_errors);
	u64(j, "atc_counter_jumps", a->atc_jumps);
	str(j, "atc_first", a->have_atc ? a->atc_first : NULL);
	str(j, "atc_last", a->have_atc ? a->atc_last : NULL);
	if (a->have_atc) {
		u64(j, "atc_counter_first", a->bg_first);
		u64(j, "atc_counter_last", a->bg_last);
	}
	obj_end(j);
}

static void flow_json(struct json *j, const struct sy_analyze_flow *f)
{
	const struct sy_sdp_media *m = sy_analyze_flow_media(f);
	const char *faults[32];
	unsigned n_faults = sy_analyze_flow_faults(f, faults, 32);
	uint64_t dur = f->last_ns - f->first_ns;
	char buf[24], ip[16];
	uint64_t mal = 0;

	obj(j, NULL);
	sy_analyze_flow_dst(f, buf);
	str(j, "dst", buf);
	sy_net_ip_format(f->key.src_ip, ip);
	snprintf(buf, sizeof(buf), "%s:%u", ip, f->key.src_port);
	str(j, "src", buf);
	u64(j, "ssrc", f->ssrc);
	u64(j, "pt", f->pt);
	str(j, "essence", m ? sy_sdp_essence_name(m->essence) : "unknown");
	str(j, "sdp", f->sdp_path);
	if (f->sdp) {
		u64(j, "sdp_media", f->media_idx);
		str(j, "mid", m->mid[0] ? m->mid : NULL);
	}
	if (f->dup_leg >= 0)
		u64(j, "dup_leg", (uint64_t)f->dup_leg);
	else
		null(j, "dup_leg");
	u64(j, "packets", f->packets);
	u64(j, "rtp_packets", f->rtp_packets);
	u64(j, "bytes", f->bytes);
	u64(j, "first_ns", f->first_ns);
	u64(j, "last_ns", f->last_ns);
	u64(j, "duration_ns", dur);
	/* bits over the time between the first and the last packet, plus one
	 * mean inter-packet gap so N packets span N gaps */
	if (f->packets > 1 && dur > 0)
		u64(j, "bit_rate_bps", (uint64_t)((double)f->bytes * 8 * 1e9 /
						  ((double)dur * (double)f->packets /
						   (double)(f->packets - 1))));
	else
		null(j, "bit_rate_bps");
	u64(j, "first_ts", f->first_ts);
	u64(j, "last_ts", f->last_ts);
	u64(j, "markers", f->markers);
	seq_obj(j, "sequence", &f->seq16);
	if (f->seq32_used)
		seq_obj(j, "sequence32", &f->seq32);
	else
		null(j, "sequence32");
	u64(j, "wrong_pt", f->wrong_pt_seq.total);
	list(j, "wrong_pt_seq", &f->wrong_pt_seq);
	u64(j, "wrong_ssrc", f->wrong_ssrc_seq.total);
	list(j, "wrong_ssrc_seq", &f->wrong_ssrc_seq);
	obj(j, "malformed");
	for (unsigned e = 0; e <= SY_ANALYZE_N_ERR; e++)
		mal += f->err_count[e];
	u64(j, "total", mal);
	obj1(j, "by_reason");
	for (unsigned e = 0; e <= SY_ANALYZE_N_ERR; e++)
		if (f->err_count[e])
			u64(j, e ? sy_analyze_err_name(-(int)(SY_E_BASE + e)) : "OTHER", f->err_count[e]);
	obj_end(j);
	arr(j, "packets");
	for (uint32_t i = 0; i < f->malformed_seq.n; i++) {
		uint32_t c = f->malformed_reason.v[i];

		obj1(j, NULL);
		u64(j, "seq", f->malformed_seq.v[i]);
		str(j, "reason", sy_analyze_err_name(-(int)c));
		obj_end(j);
	}
	arr_end(j);
	obj_end(j);
	u64(j, "fault_count", n_faults);
	arr1(j, "faults");
	for (unsigned i = 0; i < n_faults; i++)
		str(j, NULL, faults[i]);
	arr_end(j);
	if (f->video)
		video_json(j, f);
	if (f->audio)
		audio_json(j, f);
	if (f->anc)
		anc_json(j, f);
	obj_end(j);
}

int sy_analyze_json_report(FILE *o, char **captures, int n_captures)
{
	struct json j = { .o = o, .inline_from = JSON_DEPTH + 1 };

	obj(&j, NULL);
	str(&j, "tool", "sy-analyze");
	u64(&j, "version", 1);
	arr1(&j, "captures");
	for (int i = 0; i < n_captures; i++)
		str(&j, NULL, captures[i]);
	arr_end(&j);
	i64(&j, "tai_offset_ns", sy_analyze_opts.tai_offset_ns);
	arr(&j, "flows");
	for (unsigned i = 0; i < sy_analyze_n_flows; i++)
		flow_json(&j, &sy_analyze_flows[i]);
	arr_end(&j);
	obj_end(&j);
	fputc('\n', o);
	return ferror(o) ? -1 : 0;
}
