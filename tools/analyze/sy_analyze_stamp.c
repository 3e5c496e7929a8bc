/* SPDX-License-Identifier: MIT */
/*
 * sy_analyze_stamp.c: picture stamps of a video flow (src/sy_stamp): for
 * each closed frame the source id and frame counter it carries, switch
 * points (frame N: source A frame x -> source B frame y) and torn frames.
 *
 * Each band (top, bottom) is decoded on its own, per field when interlaced,
 * trusting only rows the depacketizer saw complete
 * (sy_rfc4175_frame_row_complete through the sy_stamp coverage callback).
 * The frame's stamp is the first that decodes (top band, first field).
 *
 * Torn frame, in this order:
 *   bands_differ   two bands of one field carry different stamps
 *   fields_differ  the fields carry different stamps
 *   stamp_damaged  one band decodes and another has a sync but a bad check
 *                  value (a band cut by the change of source)
 *   incomplete     not every row and pixel of the frame arrived
 * Switch points are read in scan order: the previous frame's last stamp
 * against this frame's first (a switch between frames), and within a torn
 * frame first against last (within_frame). Frame counters of one source
 * that do not step by one between frames count as counter jumps.
 *
 * Cost per frame: the band rows only (a few % of a frame). Single-threaded.
 */
#include <stdlib.h>
#include <string.h>

#include "sy_analyze.h"

struct row_cache {
	const struct sy_rfc4175_frame *fr;
	uint8_t *state; /* per frame row: 0 unknown, 1 complete, 2 not */
};

static bool row_ok(void *arg, uint32_t row)
{
	struct row_cache *c = arg;

	if (row >= c->fr->rows)
		return false;
	if (!c->state[row])
		c->state[row] = sy_rfc4175_frame_row_complete(c->fr, row) ? 1 : 2;
	return c->state[row] == 1;
}

static bool stamp_eq(const struct sy_stamp *a, const struct sy_stamp *b)
{
	return a->source_id == b->source_id && a->frame_counter == b->frame_counter;
}

static void add_switch(struct sy_analyze_video *v, uint64_t frame, const struct sy_stamp *from,
		       const struct sy_stamp *to, bool within)
{
	if (v->n_switches == v->cap_switches) {
		v->cap_switches = v->cap_switches ? 2 * v->cap_switches : 16;
		v->switches = sy_analyze_xrealloc(v->switches,
						  v->cap_switches * sizeof(*v->switches));
	}
	v->switches[v->n_switches++] = (struct sy_analyze_switch){
		.frame = frame, .from = *from, .to = *to, .within_frame = within,
	};
}

void sy_analyze_stamp_frame(struct sy_analyze_flow *f, struct sy_analyze_frame *rec)
{
	static uint8_t *state;
	static uint32_t state_rows;
	struct sy_analyze_video *v = f->video;
	struct row_cache cache = { .fr = &v->fr };
	struct sy_stamp_coverage cov = { .row_ok = row_ok, .arg = &cache };
	struct sy_stamp got[4];
	int rc[4];
	unsigned n = 0, n_ok = 0, first = 0, last = 0;
	bool any_check = false;
	uint64_t idx = v->n_frames; /* this frame's index once appended */

	rec->torn = rec->complete ? SY_ANALYZE_TORN_NONE : SY_ANALYZE_TORN_INCOMPLETE;
	rec->stamp_rc = -SY_E_UNSUPPORTED;
	if (!v->stamp_capable)
		goto out;
	if (state_rows < v->fr.rows) {
		state = sy_analyze_xrealloc(state, v->fr.rows);
		state_rows = v->fr.rows;
	}
	memset(state, 0, v->fr.rows);
	cache.state = state;
	for (int fld = 0; fld < (v->fmt.interlaced ? 2 : 1); fld++)
		for (int b = 0; b < SY_STAMP_BAND_MAX; b++) {
			enum sy_stamp_field sf = v->fmt.interlaced ? (enum sy_stamp_field)fld
								   : SY_STAMP_FIELD_BOTH;

			rc[n] = sy_stamp_decode_band(&v->fmt, v->fb, v->fb_bytes,
						     (enum sy_stamp_band)b, sf, &cov, &got[n]);
			if (rc[n] == 0) {
				if (!n_ok)
					first = n;
				last = n;
				n_ok++;
			} else if (rc[n] == -SY_E_STAMP_CHECK) {
				any_check = true;
			}
			n++;
		}
	if (!n_ok) {
		rec->stamp_rc = any_check ? -SY_E_STAMP_CHECK : -SY_E_STAMP_MISSING;
		v->unstamped++;
		goto out;
	}
	rec->stamp_rc = 0;
	rec->stamp = got[first];
	v->stamped++;
	for (unsigned i = 0; i < n; i++) {
		if (rc[i] != 0 || stamp_eq(&got[i], &got[first]))
			continue;
		/* i and first differ: same field (bands) or not (fields) */
		rec->torn = (i / 2 == first / 2 || !v->fmt.interlaced) ? SY_ANALYZE_TORN_BANDS
								     : SY_ANALYZE_TORN_FIELDS;
		rec->torn_other = got[i];
		break;
	}
	if (rec->torn == SY_ANALYZE_TORN_NONE || rec->torn == SY_ANALYZE_TORN_INCOMPLETE)
		if (any_check)
			rec->torn = SY_ANALYZE_TORN_DAMAGED;
	if (v->have_last_stamp) {
		const struct sy_stamp *p = &v->last_stamp;

		if (p->source_id != rec->stamp.source_id)
			add_switch(v, idx, p, &rec->stamp, false);
		else if (rec->stamp.frame_counter != p->frame_counter + 1)
			v->counter_jumps++;
	}
	v->last_stamp = got[last];
	v->have_last_stamp = true;
	if (got[last].source_id != got[first].source_id)
		add_switch(v, idx, &got[first], &got[last], true);
out:
	if (rec->torn != SY_ANALYZE_TORN_NONE)
		v->torn++;
}
