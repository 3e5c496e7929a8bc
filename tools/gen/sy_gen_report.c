/* SPDX-License-Identifier: MIT */
/*
 * sy_gen_report.c: what sy-gen tells the world about a capture it wrote:
 * the SDP of every flow (src/sy_sdp builder + canonical emit) and the JSON
 * manifest (every flow, every leg, every injected fault, with the 16-bit
 * RTP sequence numbers as sent), for sy-analyze and the tests to compare
 * against exactly. The manifest format is documented in docs/sy-gen.md.
 *
 * SDP: one session (s=sy-gen), one m= per flow and leg, ts-refclk PTP +
 * mediaclk:direct=0 on every media, ST 2022-7 legs as a=group:DUP with
 * mids "primary" / "secondary". src/sy_sdp holds at most 4 media and one DUP
 * group per session; a --sdp path containing "%d" writes one file per flow
 * instead (the flow number N, 1-based, replaces %d).
 * Single-threaded tool code.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sy_gen.h"

#include "sy_err.h"
#include "sy_net.h"
#include "sy_sdp.h"
#include "sy_st2110_40.h"

#define SDP_TEXT_MAX 16384u

const char *sy_gen_timing_name(enum sy_gen_timing t)
{
	static const char *const names[SY_GEN_TIMING_MAX] = { "narrow", "narrow-linear", "wide",
							      "burst" };

	return t < SY_GEN_TIMING_MAX ? names[t] : NULL;
}

const char *sy_gen_kind_name(enum sy_gen_kind k)
{
	static const char *const names[SY_GEN_KIND_MAX] = { "video", "audio", "anc" };

	return k < SY_GEN_KIND_MAX ? names[k] : NULL;
}

static enum sy_sdp_tp tp_of(enum sy_gen_timing t)
{
	return t == SY_GEN_TIMING_NARROW	? SY_SDP_TP_N :
	       t == SY_GEN_TIMING_NARROW_LINEAR ? SY_SDP_TP_NL :
						  SY_SDP_TP_W;
}

static int add_media(const struct sy_gen_run *run, struct sy_sdp *sdp,
		     const struct sy_gen_flow *f, unsigned leg)
{
	struct sy_sdp_transport tr = {
		.dst_ip = f->dst_ip[leg],
		.src_ip = f->src_ip[leg],
		.port = f->dst_port[leg],
		.ttl = f->ttl,
		.pt = f->pt,
	};
	struct sy_sdp_anc anc = { .n_did_sdid = 1,
				  .did_sdid = { { SY_ST2110_40_DID_ATC, SY_ST2110_40_SDID_ATC } } };
	int i, rc;

	if (f->kind == SY_GEN_VIDEO)
		i = sy_sdp_add_video(sdp, &tr, &f->video.fmt, tp_of(f->timing));
	else if (f->kind == SY_GEN_AUDIO)
		i = sy_sdp_add_audio(sdp, &tr, &f->audio.fmt);
	else
		i = sy_sdp_add_anc(sdp, &tr, &anc);
	if (i < 0)
		return i;
	rc = sy_sdp_set_ptp(sdp, i, run->ptp_gmid, run->ptp_domain);
	return rc < 0 ? rc : i;
}

static int add_flow(const struct sy_gen_run *run, struct sy_sdp *sdp,
		    const struct sy_gen_flow *f)
{
	int a, b;

	if (f->dup7 && sdp->n_dup) {
		fprintf(stderr, "sy-gen: --sdp: only one ST 2022-7 flow fits one SDP session; "
				"use a path with %%d for one SDP per flow\n");
		return -SY_E_RANGE;
	}
	if (sdp->n_media + (f->dup7 ? 2u : 1u) > SY_SDP_MAX_MEDIA) {
		fprintf(stderr, "sy-gen: --sdp: more than %u media in one session; use a path "
				"with %%d for one SDP per flow\n", SY_SDP_MAX_MEDIA);
		return -SY_E_RANGE;
	}
	a = add_media(run, sdp, f, 0);
	if (a < 0 || !f->dup7)
		return a;
	b = add_media(run, sdp, f, 1);
	if (b < 0)
		return b;
	return sy_sdp_set_dup(sdp, (unsigned)a, (unsigned)b, "primary", "secondary");
}

static int write_sdp(const struct sy_gen_run *run, const char *path, const struct sy_gen_flow *only)
{
	struct sy_sdp *sdp = calloc(1, sizeof(*sdp));
	char *text = malloc(SDP_TEXT_MAX);
	FILE *fp = NULL;
	int rc = -ENOMEM, n;

	if (!sdp || !text)
		goto out;
	sy_sdp_init(sdp, "sy-gen", run->tai_start_ns / 1000000000u,
		    only ? only->src_ip[0] : run->flows[0].src_ip[0]);
	for (unsigned i = 0; i < run->n_flows; i++) {
		if (only && only != &run->flows[i])
			continue;
		rc = add_flow(run, sdp, &run->flows[i]);
		if (rc < 0)
			goto out;
	}
	n = sy_sdp_emit(sdp, text, SDP_TEXT_MAX, SY_SDP_EOL_LF);
	if (n < 0) {
		rc = n;
		goto out;
	}
	fp = fopen(path, "w");
	if (!fp || fwrite(text, 1, (size_t)n, fp) != (size_t)n) {
		rc = -errno;
		fprintf(stderr, "sy-gen: %s: %s\n", path, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (fp && fclose(fp) != 0 && rc == 0)
		rc = -EIO;
	if (rc < 0 && rc != -EIO && rc > -SY_E_BASE)
		fprintf(stderr, "sy-gen: SDP: %s\n", sy_err_str(rc));
	free(sdp);
	free(text);
	return rc;
}

int sy_gen_sdp_write(const struct sy_gen_run *run)
{
	const char *pct = strstr(run->sdp_path, "%d");
	char path[4096];
	int rc;

	if (!pct)
		return write_sdp(run, run->sdp_path, NULL);
	for (unsigned i = 0; i < run->n_flows; i++) {
		snprintf(path, sizeof(path), "%.*s%u%s", (int)(pct - run->sdp_path),
			 run->sdp_path, i + 1, pct + 2);
		rc = write_sdp(run, path, &run->flows[i]);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* ---- manifest ---- */

static void put_list(FILE *o, const char *key, const struct sy_gen_list *l, bool comma)
{
	fprintf(o, "\"%s\":[", key);
	for (uint32_t i = 0; i < l->n; i++)
		fprintf(o, "%s%" PRIu64, i ? "," : "", l->v[i]);
	fprintf(o, "]%s", comma ? "," : "");
}

static void put_faults(FILE *o, const struct sy_gen_leg *l)
{
	const struct sy_gen_fault_log *g = &l->log;

	fprintf(o, "\"faults\":{");
	put_list(o, "lost_seq", &g->lost_seq, true);
	put_list(o, "dup_seq", &g->dup_seq, true);
	put_list(o, "reordered_seq", &g->reordered_seq, true);
	put_list(o, "truncated_seq", &g->truncated_seq, true);
	put_list(o, "bad_srd_seq", &g->bad_srd_seq, true);
	put_list(o, "wrong_pt_seq", &g->wrong_pt_seq, true);
	put_list(o, "wrong_ssrc_seq", &g->wrong_ssrc_seq, true);
	put_list(o, "no_marker_frames", &g->no_marker_frames, true);
	put_list(o, "no_marker_seq", &g->no_marker_seq, false);
	fprintf(o, "}");
}

static void put_leg(FILE *o, const struct sy_gen_leg *l)
{
	const struct sy_gen_flow *f = l->flow;
	char dst[16], src[16];

	sy_net_ip_format(f->dst_ip[l->leg], dst);
	sy_net_ip_format(f->src_ip[l->leg], src);
	fprintf(o, "\"dst\":\"%s:%u\",\"src\":\"%s:%u\",\"skew_ns\":%" PRIu64 ",", dst,
		f->dst_port[l->leg], src, f->src_port[l->leg], l->skew_ns);
	fprintf(o, "\"packets\":%" PRIu64 ",\"first_ns\":%" PRIu64 ",\"last_ns\":%" PRIu64 ",",
		l->n_sent, l->first_ns, l->last_ns);
	fprintf(o, "\"loss_rate\":%.9g,", l->req->loss_rate);
	put_faults(o, l);
}

static void put_format(FILE *o, const struct sy_gen_flow *f)
{
	if (f->kind == SY_GEN_VIDEO) {
		const struct sy_gen_video_cfg *v = &f->video;
		static const char *const pats[SY_PATTERN_MAX] = { "black", "bars", "bars100",
								   "moving" };

		fprintf(o,
			"\"format\":{\"width\":%u,\"height\":%u,\"interlaced\":%s,"
			"\"rate_num\":%u,\"rate_den\":%u,\"sampling\":\"%s\",\"depth\":%u,"
			"\"packing\":\"%s\",\"payload_bytes\":%u,\"layout\":\"%s\","
			"\"colorimetry\":\"%s\",\"tcs\":\"%s\","
			"\"pattern\":\"%s\",\"source_id\":%u,\"frame_bytes\":%zu},",
			v->fmt.width, v->fmt.height, v->fmt.interlaced ? "true" : "false",
			v->fmt.rate.num, v->fmt.rate.den, sy_format_sampling_name(v->fmt.sampling),
			v->fmt.depth, sy_format_packing_name(v->fmt.packing), f->packer.data_max,
			v->layout == SY_RFC4175_LAYOUT_ROW ? "row" : "continuous",
			sy_format_colorimetry_name(v->fmt.colorimetry),
			sy_format_tcs_name(v->fmt.tcs), pats[v->pattern], v->source_id,
			f->frame_bytes);
	} else if (f->kind == SY_GEN_AUDIO) {
		const struct sy_gen_audio_cfg *a = &f->audio;

		fprintf(o,
			"\"format\":{\"encoding\":\"%s\",\"rate_hz\":%u,\"channels\":%u,"
			"\"ptime_ns\":%u,\"frames_per_packet\":%u,\"level_mdbfs\":%d,"
			"\"peak\":%d,\"silence\":%s,\"tone_hz\":[",
			sy_st2110_30_encoding_name(a->fmt.encoding), a->fmt.rate_hz,
			a->fmt.channels, a->fmt.ptime_ns, a->frames_per_packet, a->level_mdbfs,
			f->tone_amp[0], a->silence ? "true" : "false");
		for (unsigned c = 0; c < a->fmt.channels; c++)
			fprintf(o, "%s%u", c ? "," : "", f->tone_freq[c]);
		fprintf(o, "]},");
	} else {
		fprintf(o,
			"\"format\":{\"rate_num\":%u,\"rate_den\":%u,\"interlaced\":%s,"
			"\"did\":%u,\"sdid\":%u},",
			f->anc.rate.num, f->anc.rate.den, f->anc.interlaced ? "true" : "false",
			SY_ST2110_40_DID_ATC, SY_ST2110_40_SDID_ATC);
	}
}

int sy_gen_manifest_write(const struct sy_gen_run *run)
{
	FILE *o = fopen(run->manifest_path, "w");
	int rc;

	if (!o) {
		rc = -errno;
		fprintf(stderr, "sy-gen: %s: %s\n", run->manifest_path, strerror(errno));
		return rc;
	}
	fprintf(o, "{\"generator\":\"sy-gen\",\"manifest_version\":1,\"seed\":%" PRIu64 ","
		   "\"tai_start_ns\":%" PRIu64 ",\"capture_offset_ns\":%" PRId64 ","
		   "\"packets\":%" PRIu64 ",\n\"flows\":[",
		run->seed, run->tai_start_ns, run->capture_offset_ns, run->n_written);
	for (unsigned i = 0; i < run->n_flows; i++) {
		const struct sy_gen_flow *f = &run->flows[i];
		const struct sy_gen_leg *a = run->legs[i][0];

		fprintf(o, "%s\n{\"index\":%u,\"kind\":\"%s\",", i ? "," : "", i + 1,
			sy_gen_kind_name(f->kind));
		put_leg(o, a);
		fprintf(o, ",\"ssrc\":%u,\"pt\":%u,\"ttl\":%u,\"dscp\":%u,\"timing\":\"%s\","
			   "\"link_gbps\":%u,\"seq_start\":%u,",
			f->ssrc, f->pt, f->ttl, f->dscp, sy_gen_timing_name(f->timing),
			f->link_gbps, f->seq_start);
		put_format(o, f);
		fprintf(o, "\"packets_clean\":%" PRIu64 ",\"first_grid_index\":%" PRIu64 ","
			   "\"first_tai_ns\":%" PRIu64 ",",
			f->n_clean, f->first_grid, f->first_tai_ns);
		if (f->kind == SY_GEN_VIDEO) {
			const struct sy_st2110_21_model *m = &f->sched.model;

			fprintf(o, "\"frames\":%u,\"frame_start\":%u,\"packets_per_field\":%u,"
				   "\"fields\":%u,\"t_rs_dns\":%" PRIu64 ","
				   "\"tro_default_ns\":%" PRIu64 ",\"cmax_narrow\":%u,"
				   "\"cmax_wide\":%u,\"burst_pkts\":%u,\"frame_md5\":[",
				f->video.frames, f->video.frame_start, f->pkts_per_field,
				f->fields, m->t_rs_dns, m->tro_default_round_ns, m->cmax_narrow,
				m->cmax_wide, f->sched.burst_pkts);
			for (uint32_t k = 0; k < f->video.frames; k++)
				fprintf(o, "%s\"%s\"", k ? "," : "", f->frame_md5[k]);
			fprintf(o, "]");
		} else if (f->kind == SY_GEN_ANC) {
			fprintf(o, "\"frames\":%u,\"frame_start\":%u,\"fields\":%u",
				f->anc.frames, f->anc.frame_start, f->fields);
		} else {
			fprintf(o, "\"first_sample\":%" PRIu64 ",\"samples_end\":%" PRIu64,
				f->first_grid * f->audio.frames_per_packet, f->audio_samples_end);
		}
		if (f->dup7) {
			fprintf(o, ",\"leg_b\":{");
			put_leg(o, run->legs[i][1]);
			fprintf(o, "}");
		}
		fprintf(o, "}");
	}
	fprintf(o, "\n]}\n");
	rc = ferror(o) ? -EIO : 0;
	if (fclose(o) != 0)
		rc = -EIO;
	return rc;
}
