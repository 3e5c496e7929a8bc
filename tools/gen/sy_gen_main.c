/* SPDX-License-Identifier: MIT */
/*
 * sy_gen_main.c: sy-gen's main: set the flows up, open one leg per flow
 * (two with --2022-7), merge every leg's packets in time order into one
 * capture, then write the SDP and the manifest.
 *
 * Merge order: the earliest send time (TAI + leg skew) first; equal times
 * go in flow order, leg A before leg B, so the file is deterministic.
 * Exit codes: 0 written, 1 error while generating or writing, 2 usage.
 * Single-threaded command-line tool.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sy_gen.h"

#include "sy_err.h"

static int setup_flows(struct sy_gen_run *run)
{
	uint64_t end_ns = 0;
	int rc;

	for (unsigned i = 0; i < run->n_flows; i++) {
		struct sy_gen_flow *f = &run->flows[i];

		if (f->kind == SY_GEN_AUDIO)
			continue;
		rc = f->kind == SY_GEN_VIDEO ? sy_gen_video_setup(f, run->tai_start_ns) :
					       sy_gen_anc_setup(f, run->tai_start_ns);
		if (rc < 0)
			return rc;
		if (sy_gen_flow_end_ns(f) > end_ns)
			end_ns = sy_gen_flow_end_ns(f);
	}
	for (unsigned i = 0; i < run->n_flows; i++) {
		struct sy_gen_flow *f = &run->flows[i];

		if (f->kind != SY_GEN_AUDIO)
			continue;
		rc = sy_gen_audio_setup(f, run->tai_start_ns, end_ns);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* Fault indices must name packets / frames the flow has. */
static int check_faults(const struct sy_gen_flow *f)
{
	uint64_t frames = f->kind == SY_GEN_VIDEO ? f->video.frames :
			  f->kind == SY_GEN_ANC	  ? f->anc.frames :
						    0;

	for (unsigned leg = 0; leg < SY_GEN_LEGS; leg++) {
		const struct sy_gen_faults *fl = &f->faults[leg];
		const struct sy_gen_list *pk[] = { &fl->burst_at, &fl->reorder, &fl->dup,
						   &fl->truncate, &fl->bad_srd_len,
						   &fl->bad_srd_offset, &fl->wrong_pt,
						   &fl->wrong_ssrc };

		for (unsigned i = 0; i < sizeof(pk) / sizeof(pk[0]); i++)
			for (uint32_t k = 0; k < pk[i]->n; k++)
				if (pk[i]->v[k] >= f->n_clean) {
					fprintf(stderr, "sy-gen: flow %u: packet index %" PRIu64
							" beyond the flow's %" PRIu64 " packets\n",
						f->idx + 1, pk[i]->v[k], f->n_clean);
					return -1;
				}
		for (uint32_t k = 0; k < fl->no_marker.n; k++)
			if (fl->no_marker.v[k] >= frames) {
				fprintf(stderr, "sy-gen: flow %u: --no-marker %" PRIu64
						" beyond the flow's %" PRIu64 " frames\n",
					f->idx + 1, fl->no_marker.v[k], frames);
				return -1;
			}
	}
	return 0;
}

static int generate(struct sy_gen_run *run)
{
	struct sy_gen_leg *all[SY_GEN_MAX_FLOWS * SY_GEN_LEGS];
	struct sy_gen_pcap *pcap = NULL;
	unsigned n = 0;
	int rc;

	for (unsigned i = 0; i < run->n_flows; i++) {
		struct sy_gen_flow *f = &run->flows[i];

		for (unsigned leg = 0; leg < (f->dup7 ? 2u : 1u); leg++) {
			struct sy_gen_leg *l = calloc(1, sizeof(*l));

			if (!l)
				return -ENOMEM;
			run->legs[i][leg] = l;
			rc = sy_gen_leg_init(l, f, leg, run->seed);
			if (rc < 0)
				return rc;
			all[n++] = l;
		}
	}
	rc = sy_gen_pcap_open(run->out_path, &pcap);
	if (rc < 0) {
		fprintf(stderr, "sy-gen: %s: %s\n", run->out_path, sy_err_str(rc));
		return rc;
	}
	for (;;) {
		struct sy_gen_leg *best = NULL;
		struct sy_gen_pkt *bp = NULL;
		uint64_t best_t = 0, t;
		int64_t cap_t;

		for (unsigned i = 0; i < n; i++) {
			struct sy_gen_pkt *p = sy_gen_leg_peek(all[i], &rc);

			if (rc < 0) {
				fprintf(stderr, "sy-gen: flow %u: %s\n", all[i]->flow->idx + 1,
					sy_err_str(rc));
				goto out;
			}
			if (!p)
				continue;
			t = p->time_ns + all[i]->skew_ns;
			if (!best || t < best_t) {
				best = all[i];
				bp = p;
				best_t = t;
			}
		}
		if (!best)
			break;
		cap_t = (int64_t)best_t + run->capture_offset_ns;
		if (cap_t < 0) {
			fprintf(stderr, "sy-gen: --capture-offset-ns makes a capture time negative\n");
			rc = -SY_E_RANGE;
			goto out;
		}
		sy_gen_pcap_write(pcap, best, bp, (uint64_t)cap_t);
		if (!best->n_sent)
			best->first_ns = best_t;
		best->last_ns = best_t;
		best->n_sent++;
		run->n_written++;
		sy_gen_leg_pop(best);
	}
	rc = 0;
out:
	if (sy_gen_pcap_close(pcap) < 0 && rc == 0) {
		fprintf(stderr, "sy-gen: %s: write error\n", run->out_path);
		rc = -EIO;
	}
	return rc;
}

int main(int argc, char **argv)
{
	static struct sy_gen_run run; /* large: flows with their fault lists */
	int rc = sy_gen_opts_parse(argc, argv, &run);

	if (rc)
		return rc > 0 ? 0 : 2;
	rc = setup_flows(&run);
	for (unsigned i = 0; rc == 0 && i < run.n_flows; i++)
		if (check_faults(&run.flows[i]) < 0)
			rc = -1;
	if (rc == 0)
		rc = generate(&run);
	if (rc == 0 && run.sdp_path)
		rc = sy_gen_sdp_write(&run);
	if (rc == 0 && run.manifest_path) {
		rc = sy_gen_manifest_write(&run);
		if (rc < 0)
			fprintf(stderr, "sy-gen: %s: write error\n", run.manifest_path);
	}
	if (rc == 0)
		fprintf(stderr, "sy-gen: %s: %" PRIu64 " packets, %u flow(s)\n", run.out_path,
			run.n_written, run.n_flows);
	for (unsigned i = 0; i < run.n_flows; i++) {
		for (unsigned leg = 0; leg < SY_GEN_LEGS; leg++) {
			sy_gen_leg_free(run.legs[i][leg]);
			free(run.legs[i][leg]);
			sy_gen_faults_free(&run.flows[i].faults[leg]);
		}
		free(run.flows[i].frame_md5);
	}
	return rc == 0 ? 0 : 1;
}
