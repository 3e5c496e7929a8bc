/* SPDX-License-Identifier: MIT */
/*
 * dp_xbar.c: the crosspoint of one output flow: takes, the never-torn rule,
 * hold queues, restamping, take events. Worker lcore context (called per
 * packet by dp_worker.c's process_pkt for each output listening to the
 * packet's input); see docs/dataplane.md, "One packet", step 4.
 *
 * Never-torn rule for a take at switch time t_s (immediate: the arrival time
 * at which the worker arms it; scheduled: the grid frame at/after the TAI
 * time): the old source's frames whose key < t_s are forwarded whole; the new
 * source's frames with key >= t_s are forwarded whole; a decision is made at
 * a frame's first packet and holds for the frame. New-source packets that
 * arrive while the old source's last frame is still running are held in the
 * slot's queue and released when that frame ends (marker, next frame start)
 * or on a timeout. Audio and ANC slots switch at the packet nearest the
 * video switch point K (key >= K - period/2).
 */
#include <errno.h>
#include <string.h>

#include <rte_ring.h>

#include "dp_freeze.h"
#include "dp_tx.h"
#include "dp_xbar.h"
#include "sy_bytes.h"
#include "sy_time.h"

/* ---- restamp and take bookkeeping (once per frame start / take) ------------- */

/* Ticks between output frame m and m + n on the exact grid of rate. */
static uint32_t grid_ticks(uint64_t m, uint64_t n, struct sy_rate r, uint32_t hz)
{
	unsigned __int128 a = (unsigned __int128)m * r.den * hz / r.num;
	unsigned __int128 b = (unsigned __int128)(m + n) * r.den * hz / r.num;

	return (uint32_t)(b - a);
}

static struct sy_rate slot_rate(const struct dp_format *f)
{
	return f->essence == DP_ESSENCE_VIDEO ? f->video.rate : f->anc_rate;
}

/*
 * Timestamp offset of the new source on slot k, from its first accepted
 * frame/packet (key, in_ts): restamp keeps the output cadence continuous
 * across the real time elapsed since the old source's last frame (whole
 * frames on the exact grid for video/ANC, samples for audio). Returns the
 * frame slots left empty (video/ANC); *out_ts is its output timestamp.
 */
static uint32_t restamp_first(const struct dp_snap *s, unsigned o, unsigned k,
			      struct dp_slot_rt *sl, int16_t input, uint64_t key, uint32_t in_ts,
			      uint32_t *out_ts)
{
	/* relative to the old source's last frame/packet */
	uint64_t last_key = sl->last_key_ns;
	uint32_t last_out = sl->last_out_ts;
	const struct dp_format *f = &s->r.outputs[o].flow[k].fmt;
	const struct dp_snap_input *si = &s->in[input];
	uint64_t gap = 1;

	*out_ts = in_ts;
	if (sl->have_last && key > last_key && si->period_ns) {
		uint64_t d = key - last_key;

		if (f->essence == DP_ESSENCE_AUDIO) {
			/* samples, rounded */
			gap = (d * si->clock_hz + SY_TIME_NS_PER_S / 2) / SY_TIME_NS_PER_S;
		} else {
			gap = (d + si->period_ns / 2) / si->period_ns;
			if (gap == 0)
				gap = 1;
		}
	}
	if (s->r.outputs[o].restamp && sl->have_last) {
		if (f->essence == DP_ESSENCE_AUDIO) {
			uint32_t spp = (uint32_t)((uint64_t)si->period_ns * si->clock_hz /
						  SY_TIME_NS_PER_S);

			if (gap < spp) /* at least one packet after the last */
				gap = spp;
			*out_ts = last_out + (uint32_t)gap;
		} else {
			*out_ts = last_out +
				  grid_ticks(sl->out_frames, gap, slot_rate(f), si->clock_hz);
		}
		sl->new_ts_off = *out_ts - in_ts;
	} else if (s->r.outputs[o].restamp) {
		sl->new_ts_off = sl->ts_off;
		*out_ts = in_ts + sl->ts_off;
	} else {
		sl->new_ts_off = 0;
	}
	return f->essence == DP_ESSENCE_AUDIO ? 0 : (uint32_t)(gap - 1);
}

/* The new source's first frame (packet for audio) on slot k was accepted:
 * fix the timestamp offset and the take report. */
static void slot_first_new(struct dp_worker *w, const struct dp_snap *s, unsigned o, unsigned k,
			   const struct dp_pkt_info *pi)
{
	struct dp_out_rt *ort = &w->rt.out[o];
	struct dp_slot_rt *sl = &ort->slot[k];
	enum dp_essence e = s->r.outputs[o].flow[k].fmt.essence;
	uint32_t out_ts, dropped;

	dropped = restamp_first(s, o, k, sl, pi->input, pi->key, pi->ts, &out_ts);

	sl->started = true;
	if (e == DP_ESSENCE_VIDEO || (k == 0 && ort->ev.switch_tai_ns == 0)) {
		ort->ev.switch_tai_ns = pi->key;
		ort->ev.arrival_ns = w->rt.now_ns;
		ort->ev.rtp_ts_in = pi->ts;
		ort->ev.rtp_ts_out = out_ts;
		ort->ev.out_seq = sl->seq32 + (sl->hold_tail - sl->hold_head);
		ort->ev.frames_dropped = dropped;
	}
	if (e == DP_ESSENCE_VIDEO && !ort->have_k) {
		ort->have_k = true;
		ort->k_ns = pi->key;
	}
}

void dp_xbar_rebuild_listeners(struct dp_worker *w)
{
	const struct dp_snap *s = w->rt.snap;

	for (unsigned i = 0; i < DP_MAX_INPUTS; i++)
		w->rt.in[i].n_listeners = 0;
	if (s == NULL)
		return;
	/* bound: n_outputs x DP_GROUP_MAX_FLOWS */
	for (unsigned o = 0; o < s->r.n_outputs; o++) {
		if (s->out[o].worker != w->idx)
			continue;
		for (unsigned k = 0; k < DP_GROUP_MAX_FLOWS; k++) {
			const struct dp_slot_rt *sl = &w->rt.out[o].slot[k];
			int ins[2] = {sl->cur_in, sl->new_in};

			for (unsigned j = 0; j < 2; j++) {
				struct dp_in_rt *ir;

				if (ins[j] < 0 || (j == 1 && ins[1] == ins[0]))
					continue;
				ir = &w->rt.in[ins[j]];
				if (ir->n_listeners < DP_MAX_FANOUT)
					ir->listener[ir->n_listeners++] = (uint16_t)(o << 2 | k);
			}
		}
	}
	dp_freeze_assign(w);
}

void dp_xbar_post_event(struct dp_worker *w, const struct dp_event *ev)
{
	if (rte_ring_sp_enqueue_elem(w->ev_ring, (void *)(uintptr_t)ev, sizeof(*ev)) != 0)
		w->cnt.events_lost++; /* ring full: control too slow */
}


static void finish_take(struct dp_worker *w, unsigned o)
{
	struct dp_out_rt *ort = &w->rt.out[o];

	for (unsigned k = 0; k < DP_GROUP_MAX_FLOWS; k++) {
		struct dp_slot_rt *sl = &ort->slot[k];

		ort->ev.held_pkts += sl->held_total;
		sl->held_total = 0;
	}
	ort->ev.kind = DP_EV_TAKE_DONE;
	ort->ev.flags = ort->flags;
	dp_xbar_post_event(w, &ort->ev);
	w->cnt.out[o][0].takes++;
	ort->source = ort->new_source;
	ort->new_source = -1;
	ort->pending = false;
	ort->armed = false;
	if (!ort->loss_take)
		ort->subst = false; /* control's take: whatever it chose is on air */
	ort->loss_take = false;
	dp_xbar_rebuild_listeners(w);
	dp_xbar_start_take(w, o); /* a later take may already be published */
}

/* Slot k's switch completed: the new input is the current one. */
static void slot_complete(struct dp_worker *w, unsigned o, unsigned k)
{
	struct dp_out_rt *ort = &w->rt.out[o];
	struct dp_slot_rt *sl = &ort->slot[k];
	bool all = true;

	sl->last_key_ns = sl->new_last_key_ns;
	sl->last_out_ts = sl->new_last_in_ts + sl->new_ts_off;
	sl->have_last = true;
	sl->out_frames += sl->new_frames;
	sl->new_frames = 0;
	sl->cur_in = sl->new_in;
	sl->cur_fwd = sl->new_fwd;
	sl->new_in = -1;
	sl->new_fwd = false;
	sl->ts_off = sl->new_ts_off;
	sl->done = true;
	for (unsigned j = 0; j < DP_GROUP_MAX_FLOWS; j++)
		all &= ort->slot[j].done;
	if (all)
		finish_take(w, o);
	else
		dp_xbar_rebuild_listeners(w);
}

/* Release slot k's hold queue (old source reached its switch point). */
void dp_xbar_release(struct dp_worker *w, const struct dp_snap *s, unsigned o, unsigned k)
{
	struct dp_out_rt *ort = &w->rt.out[o];
	struct dp_slot_rt *sl = &ort->slot[k];
	enum dp_essence e = s->r.outputs[o].flow[k].fmt.essence;
	uint64_t thr = 0;

	if (e != DP_ESSENCE_VIDEO && ort->have_k)
		thr = ort->k_ns - s->in[sl->new_in].period_ns / 2u;
	bool filtered = false, first = true;

	/* bound: the queue size */
	while (sl->hold_head != sl->hold_tail) {
		uint32_t i = sl->hold_head++ & sl->hold_mask;

		if (sl->hold_key[i] < thr) {
			/* held before K was known, and before the switch point */
			drop(w, sl->hold[i], DP_DROP_before_switch);
			filtered = true;
			continue;
		}
		if (first && filtered) {
			/* the offset was fixed on a packet now dropped: refix it on
			 * the first one sent (RTP ts of the unmodified header) */
			uint32_t in_ts = sy_load_be32(rte_pktmbuf_mtod(sl->hold[i], uint8_t *) +
						      RTP_OFF + 4);
			uint32_t out_ts;

			restamp_first(s, o, k, sl, sl->new_in, sl->hold_key[i], in_ts, &out_ts);
		}
		first = false;
		sl->ts_off = sl->new_ts_off;
		emit(w, s, o, k, sl->hold[i]);
	}
	if (first && filtered) {
		/* everything held was before the switch point: the next packet of
		 * the new source is its first */
		sl->started = false;
		sl->new_frames = 0;
		return;
	}
	if (sl->started)
		slot_complete(w, o, k);
}

/* Begin a take of output o to source (the crosspoint's, or the loss
 * source / back for a loss take). */
static void begin_take(struct dp_worker *w, unsigned o, int16_t source, enum dp_take_mode mode,
		       uint64_t not_before_ns, uint32_t flags)
{
	const struct dp_snap *s = w->rt.snap;
	struct dp_out_rt *ort = &w->rt.out[o];

	memset(&ort->ev, 0, sizeof(ort->ev));
	ort->ev.worker = w->idx;
	ort->ev.output = (uint16_t)o;
	ort->ev.take_id = ort->take_id;
	ort->ev.source = source;
	ort->ev.prev_source = ort->source;
	ort->ev.input = -1;
	ort->flags = flags;
	ort->pending = true;
	ort->armed = false;
	ort->have_k = false;
	ort->new_source = source;
	ort->mode = mode;
	ort->not_before_ns = not_before_ns;
	for (unsigned k = 0; k < DP_GROUP_MAX_FLOWS; k++) {
		struct dp_slot_rt *sl = &ort->slot[k];
		int ni = -1;

		if (s->r.outputs[o].flow[k].fmt.essence != DP_ESSENCE_NONE && source >= 0)
			ni = s->r.sources[source].input[k];
		if (s->r.outputs[o].flow[k].fmt.essence == DP_ESSENCE_NONE)
			sl->cur_in = -1;
		sl->new_in = (int16_t)ni;
		sl->new_fwd = false;
		sl->started = false;
		sl->new_frames = 0;
		sl->held_total = 0;
		/* a lost input's frame will not end: its side is done */
		sl->old_done = sl->cur_in < 0 || w->rt.in[sl->cur_in].lost;
		sl->done = ni == sl->cur_in; /* unchanged slot (or unused) */
		if (sl->done)
			sl->new_in = -1;
	}
	dp_freeze_take(w, o); /* a frozen output: the repeat in progress ends whole */
	bool all = true;

	for (unsigned k = 0; k < DP_GROUP_MAX_FLOWS; k++)
		all &= ort->slot[k].done;
	if (all) { /* same source again, or idle -> idle */
		finish_take(w, o);
		return;
	}
	dp_xbar_rebuild_listeners(w);
}

void dp_xbar_start_take(struct dp_worker *w, unsigned o)
{
	const struct dp_crosspoint *x = &w->rt.snap->r.xpt[o];
	struct dp_out_rt *ort = &w->rt.out[o];

	/* one take at a time per output: a newer take id starts when the pending
	 * one completes (finish_take calls here again); control cancels a
	 * waiting take with DP_CMD_CANCEL_TAKE */
	if (ort->pending || x->take_id == ort->take_id)
		return;
	ort->take_id = x->take_id;
	ort->loss_take = false;
	begin_take(w, o, x->source, x->mode, x->not_before_ns, 0);
}

void dp_xbar_loss_take(struct dp_worker *w, unsigned o, int16_t source, bool to_loss,
		       int16_t lost_in)
{
	struct dp_out_rt *ort = &w->rt.out[o];

	if (ort->pending)
		return; /* a take is in progress: it decides */
	ort->loss_take = true;
	ort->subst = to_loss;
	ort->lost_in = lost_in;
	begin_take(w, o, source, DP_TAKE_IMMEDIATE, 0, DP_TAKE_F_LOSS);
}

/* Arm the pending take of output o at arrival time now. */
static void arm(struct dp_worker *w, const struct dp_snap *s, unsigned o, uint64_t now)
{
	struct dp_out_rt *ort = &w->rt.out[o];

	ort->armed = true;
	if (ort->mode == DP_TAKE_AT_TAI) {
		struct sy_time_frame fr;
		struct sy_rate r = {0, 0};
		const struct dp_output *out = &s->r.outputs[o];

		for (unsigned k = 0; k < DP_GROUP_MAX_FLOWS && r.num == 0; k++) {
			if (out->flow[k].fmt.essence == DP_ESSENCE_VIDEO)
				r = out->flow[k].fmt.video.rate;
			else if (out->flow[k].fmt.essence == DP_ESSENCE_ANC)
				r = out->flow[k].fmt.anc_rate;
		}
		ort->t_s = s->r.xpt[o].tai_ns;
		if (r.num && sy_time_frame_at_or_after(ort->t_s, r, SY_TIME_VIDEO_HZ, &fr) == 0)
			ort->t_s = fr.start_ns;
		if (ort->t_s < now)
			ort->flags |= DP_TAKE_F_LATE;
	} else {
		ort->t_s = now;
	}
	/* PTP-locked new video: its first frame is the grid frame at/after t_s */
	for (unsigned k = 0; k < DP_GROUP_MAX_FLOWS; k++) {
		const struct dp_slot_rt *sl = &ort->slot[k];
		struct sy_time_frame fr;

		if (sl->new_in < 0 || s->in[sl->new_in].essence != DP_ESSENCE_VIDEO ||
		    !s->in[sl->new_in].ptp_locked)
			continue;
		if (sy_time_frame_at_or_after(ort->t_s, s->in[sl->new_in].vfmt.rate,
					      SY_TIME_VIDEO_HZ, &fr) == 0) {
			ort->have_k = true;
			ort->k_ns = fr.start_ns;
		}
	}
	/* no video in the group: audio/ANC switch at t_s itself */
	bool has_video = false;

	for (unsigned k = 0; k < DP_GROUP_MAX_FLOWS; k++)
		has_video |= s->r.outputs[o].flow[k].fmt.essence == DP_ESSENCE_VIDEO;
	if (!has_video) {
		ort->have_k = true;
		ort->k_ns = ort->t_s;
	}
}

/*
 * The crosspoint decision for one packet of input pi->input on output slot
 * (o, k). May change slot state; *rel set when the hold queue must be
 * released after this packet is emitted.
 */
enum dp_act dp_xbar_decide(struct dp_worker *w, const struct dp_snap *s, unsigned o, unsigned k,
		       const struct dp_pkt_info *pi, bool *rel)
{
	struct dp_out_rt *ort = &w->rt.out[o];
	struct dp_slot_rt *sl = &ort->slot[k];
	enum dp_essence e = s->r.outputs[o].flow[k].fmt.essence;
	uint64_t now = w->rt.now_ns;

	*rel = false;
	if (unlikely(ort->frz.on)) {
		enum dp_act a;

		if (dp_freeze_decide(w, s, o, k, pi, &a))
			return a;
	}
	if (ort->pending && !ort->armed && now >= ort->not_before_ns)
		arm(w, s, o, now);

	if (pi->input == sl->cur_in) {
		if (!ort->pending || sl->done || !ort->armed) {
			if (pi->fs) {
				sl->cur_fwd = true;
				goto fwd_frame_start;
			}
			return sl->cur_fwd ? ACT_EMIT : ACT_DROP;
		}
		/* a take is armed: the old source's side */
		if (sl->old_done)
			return ACT_DROP;
		if (e == DP_ESSENCE_VIDEO) {
			if (pi->fs) {
				if (pi->key >= ort->t_s) {
					sl->old_done = true;
					sl->cur_fwd = false;
					*rel = true; /* nothing of old to emit: release now */
					return ACT_DROP;
				}
				sl->cur_fwd = true;
				goto fwd_frame_start;
			}
			if (!sl->cur_fwd)
				return ACT_DROP;
			if (pi->end) {
				const struct dp_snap_input *si = &s->in[pi->input];

				/* the last old frame: the next would start at or after t_s
				 * (exact on the PTP grid). Placed by arrival, the next
				 * frame's start is predicted an eighth period early: a
				 * source that late is held for (rule a, its next frame
				 * start), never cut. */
				uint64_t next = sl->last_key_ns + si->period_ns;

				if (!si->ptp_locked)
					next -= si->period_ns / 8u;
				if (next >= ort->t_s) {
					sl->old_done = true;
					*rel = true;
				}
			}
			return ACT_EMIT;
		}
		/* audio / ANC: nearest packet (frame) to K */
		if (pi->fs && ort->have_k &&
		    pi->key >= ort->k_ns - s->in[pi->input].period_ns / 2u) {
			sl->old_done = true;
			sl->cur_fwd = false;
			*rel = true;
			return ACT_DROP;
		}
		if (pi->fs) {
			sl->cur_fwd = true;
			goto fwd_frame_start;
		}
		return sl->cur_fwd ? ACT_EMIT : ACT_DROP;
	}

	/* the new source's side */
	if (pi->input != sl->new_in || !ort->armed)
		return ACT_DROP;
	if (pi->fs) {
		if (sl->started) {
			sl->new_fwd = true;
		} else if (e == DP_ESSENCE_VIDEO) {
			sl->new_fwd = pi->key >= ort->t_s && !pi->partial;
		} else if (pi->key + s->in[pi->input].period_ns < ort->t_s) {
			sl->new_fwd = false;
		} else if (ort->have_k) {
			sl->new_fwd = pi->key >= ort->k_ns - s->in[pi->input].period_ns / 2u;
		} else {
			sl->new_fwd = true; /* K not known yet: hold, filter on release */
		}
		if (sl->new_fwd && !sl->started)
			slot_first_new(w, s, o, k, pi);
		if (sl->new_fwd) {
			/* the old side's last_* stay until the slot completes */
			sl->new_last_key_ns = pi->key;
			sl->new_last_in_ts = pi->ts;
			if (e != DP_ESSENCE_AUDIO)
				sl->new_frames++;
			if (e == DP_ESSENCE_VIDEO)
				w->cnt.out[o][k].frames++;
		}
	}
	if (!sl->new_fwd)
		return ACT_DROP;
	if (sl->old_done && sl->hold_head == sl->hold_tail) {
		sl->ts_off = sl->new_ts_off;
		slot_complete(w, o, k);
		return ACT_EMIT;
	}
	/* the old frame is still running: hold */
	if (sl->hold_head == sl->hold_tail)
		sl->hold_start_ns = now;
	else if (now - sl->hold_start_ns > s->out[o].hold_timeout_ns) {
		ort->flags |= DP_TAKE_F_TIMEOUT;
		w->cnt.out[o][k].hold_timeouts++;
		sl->old_done = true;
		*rel = true; /* this packet is held, then all released */
	}
	if (e == DP_ESSENCE_VIDEO)
		ort->ev.frames_held = 1;
	ort->flags |= DP_TAKE_F_HELD;
	return ACT_HOLD;

fwd_frame_start:
	sl->last_key_ns = pi->key;
	sl->last_out_ts = pi->ts + sl->ts_off;
	sl->have_last = true;
	if (e != DP_ESSENCE_AUDIO) {
		sl->out_frames++;
		if (e == DP_ESSENCE_VIDEO)
			w->cnt.out[o][k].frames++;
	}
	return ACT_EMIT;
}

void dp_xbar_hold_push(struct dp_worker *w, unsigned o, unsigned k, struct rte_mbuf *m,
			     uint64_t key)
{
	struct dp_slot_rt *sl = &w->rt.out[o].slot[k];

	if (sl->hold_tail - sl->hold_head > sl->hold_mask) {
		w->rt.out[o].flags |= DP_TAKE_F_OVERFLOW;
		drop(w, m, DP_DROP_hold_full);
		return;
	}
	sl->hold[sl->hold_tail & sl->hold_mask] = m;
	sl->hold_key[sl->hold_tail & sl->hold_mask] = key;
	sl->hold_tail++;
	sl->held_total++;
	w->cnt.out[o][k].held_pkts++;
}

