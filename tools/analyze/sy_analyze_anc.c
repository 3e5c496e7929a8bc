/* SPDX-License-Identifier: MIT */
/*
 * sy_analyze_anc.c: ST 2110-40 checks of an ANC flow with src/sy_st2110_40:
 * marker on the last RTP packet of each frame or field (RFC 8331 2.1), F bits, parity and
 * checksum errors (a packet the parser rejects is malformed and counted by
 * reason too), ATC timecode (SMPTE ST 12-2) values and the continuity of the
 * frame counter carried in its binary groups.
 *
 * Single-threaded.
 */
#include <stdio.h>

#include "sy_analyze.h"
#include "sy_st2110_40.h"

void sy_analyze_anc_packet(struct sy_analyze_flow *f, const struct sy_rtp *r)
{
	struct sy_analyze_anc *a = f->anc;
	struct sy_st2110_40_view v;
	struct sy_st2110_40_iter it;
	struct sy_st2110_40_anc anc;
	int rc = sy_st2110_40_parse(r->payload, r->payload_len, &v);

	if (r->marker)
		a->markers++;
	else
		a->no_marker++;
	if (a->have_prev && (r->ts != a->prev_ts) != a->prev_marker)
		a->marker_errors++; /* frame ended without M, or M before its last packet */
	a->have_prev = true;
	a->prev_ts = r->ts;
	a->prev_marker = r->marker;
	if (rc < 0) {
		if (rc == -SY_E_ANC_CHECKSUM)
			a->checksum_errors++;
		else if (rc == -SY_E_ANC_PARITY)
			a->parity_errors++;
		sy_analyze_flow_malformed(f, rc, r->seq);
		return;
	}
	a->f_count[v.field & 3]++;
	sy_st2110_40_iter_init(&v, &it);
	while (sy_st2110_40_next(&it, &anc)) {
		struct sy_st2110_40_atc tc;
		char text[16];

		a->anc_packets++;
		if (anc.did != SY_ST2110_40_DID_ATC || anc.sdid != SY_ST2110_40_SDID_ATC)
			continue;
		if (sy_st2110_40_atc_decode(&anc, &tc) < 0) {
			a->atc_errors++;
			continue;
		}
		snprintf(text, sizeof(text), "%02u:%02u:%02u%c%02u", tc.hours, tc.minutes,
			 tc.seconds, tc.drop_frame ? ';' : ':', tc.frames);
		if (!a->have_atc) {
			snprintf(a->atc_first, sizeof(a->atc_first), "%s", text);
			a->bg_first = tc.binary_groups;
		} else if (tc.binary_groups != a->bg_last && tc.binary_groups != a->bg_last + 1) {
			a->atc_jumps++;
		}
		snprintf(a->atc_last, sizeof(a->atc_last), "%s", text);
		a->bg_last = tc.binary_groups;
		a->have_atc = true;
		a->atc_count++;
	}
}
