/* SPDX-License-Identifier: MIT */
/*
 * dp_freeze.c: input loss mode DP_LOSS_FREEZE (issue 4): an output whose
 * video input is lost repeats that input's last complete frame on the frame
 * grid until the input returns, then goes back at the input's next whole
 * frame. See docs/dataplane.md, "Input loss".
 *
 * Keeping (per received packet of a video input a freeze output is on): the
 * worker takes one more reference on the packet's mbuf (no copy) into the
 * frame being collected of the input's store; a frame that started at row
 * 0 offset 0, had no sequence gap and ended with its marker replaces the
 * kept one, whose references are then released. Two frames per store at
 * most: the pool is grown for it at dp_create (freeze_inputs x 2 x
 * freeze_pkts per worker).
 *
 * Repeating (dp_freeze_run, per loop iteration, at most DP_FREEZE_BUDGET
 * packets per frozen output): per kept packet a header mbuf (hdr pool: the
 * kept packet's header bytes, RTP timestamp set) chained to an indirect
 * clone of it past the headers (rte_pktmbuf_clone: the payload is shared,
 * reference counted), sent through emit() like any packet (addresses,
 * continuous sequence, PT, SSRC; marker kept). Each packet leaves at the
 * repeat's start + its arrival offset in the kept frame (the source's own
 * pacing); a repeat starts on the grid (the input's last frame start + n
 * periods, worker clock) and only after the previous one ended, so frames
 * are whole. RTP timestamp: the output's cadence, last output frame + the
 * frames elapsed on the exact grid.
 *
 * Audio and ANC slots of a frozen output send nothing (silence would need a
 * generated flow of the output's audio format, and a live sound under a
 * frozen picture would be out of sync by definition): their receivers see
 * the gap they would see under follow.
 *
 * Hot path: no allocation but mbufs, no locks, syscalls or floating point.
 */
#include <errno.h>
#include <string.h>

#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "dp_freeze.h"
#include "dp_xbar.h"
#include "sy_bytes.h"
#include "sy_time.h"

static void frame_release(struct dp_frz_frame *f)
{
	if (f->n)
		rte_pktmbuf_free_bulk(f->m, f->n);
	f->n = 0;
	f->ok = false;
}

int dp_freeze_init(struct dp_worker *w)
{
	const struct dp_config *c = &w->dp->cfg;

	w->rt.n_frz = 0;
	w->rt.frz_cap = c->freeze_pkts;
	if (c->freeze_inputs == 0)
		return 0;
	w->rt.frz = rte_zmalloc("dp_frz", c->freeze_inputs * sizeof(*w->rt.frz), 0);
	if (w->rt.frz == NULL)
		return -ENOMEM;
	w->rt.n_frz = c->freeze_inputs;
	for (unsigned j = 0; j < w->rt.n_frz; j++) {
		struct dp_frz_store *st = &w->rt.frz[j];

		st->input = -1;
		for (unsigned f = 0; f < 2; f++) {
			st->f[f].m = rte_zmalloc("dp_frz_m", c->freeze_pkts * sizeof(*st->f[f].m), 0);
			st->f[f].off_ns = rte_zmalloc("dp_frz_off",
						      c->freeze_pkts * sizeof(uint32_t), 0);
			if (st->f[f].m == NULL || st->f[f].off_ns == NULL)
				return -ENOMEM;
		}
	}
	return 0;
}

void dp_freeze_fini(struct dp_worker *w)
{
	if (w->rt.frz == NULL)
		return;
	dp_freeze_release_all(w);
	for (unsigned j = 0; j < w->rt.n_frz; j++) {
		for (unsigned f = 0; f < 2; f++) {
			rte_free(w->rt.frz[j].f[f].m);
			rte_free(w->rt.frz[j].f[f].off_ns);
		}
	}
	rte_free(w->rt.frz);
	w->rt.frz = NULL;
	w->rt.n_frz = 0;
}

/* Output o stops repeating (back on its input, a take, reset). */
static void unfreeze(struct dp_worker *w, unsigned o)
{
	struct dp_frz_out *z = &w->rt.out[o].frz;

	if (!z->on)
		return;
	z->on = false;
	z->back = z->stop = z->held = false;
	w->rt.frz[z->store].pinned--;
	w->rt.n_frozen--;
}

static void store_free(struct dp_worker *w, struct dp_frz_store *st)
{
	frame_release(&st->f[0]);
	frame_release(&st->f[1]);
	st->have = false;
	if (st->input >= 0)
		w->rt.in[st->input].frz1 = 0;
	st->input = -1;
}

/* Is input i wanted by a freeze output of this worker? */
static bool wanted(const struct dp_worker *w, const struct dp_snap *s, int16_t i)
{
	if (i < 0 || i >= (int)s->r.n_inputs || s->r.inputs[i].kind != DP_INPUT_NETWORK ||
	    s->in[i].essence != DP_ESSENCE_VIDEO)
		return false;
	for (unsigned o = 0; o < s->r.n_outputs; o++) {
		const struct dp_out_rt *ort = &w->rt.out[o];

		if (s->out[o].worker != w->idx || s->r.outputs[o].on_loss != DP_LOSS_FREEZE)
			continue;
		if (ort->frz.on && ort->frz.in == i)
			return true;
		for (unsigned k = 0; k < DP_GROUP_MAX_FLOWS; k++)
			if (ort->slot[k].cur_in == i &&
			    s->r.outputs[o].flow[k].fmt.essence == DP_ESSENCE_VIDEO)
				return true;
	}
	return false;
}

void dp_freeze_assign(struct dp_worker *w)
{
	const struct dp_snap *s = w->rt.snap;

	if (w->rt.n_frz == 0 || s == NULL)
		return;
	/* bound: stores x outputs x slots, then outputs x slots x stores */
	for (unsigned j = 0; j < w->rt.n_frz; j++) {
		struct dp_frz_store *st = &w->rt.frz[j];

		if (st->input >= 0 && st->pinned == 0 && !wanted(w, s, st->input))
			store_free(w, st);
	}
	for (unsigned o = 0; o < s->r.n_outputs; o++) {
		if (s->out[o].worker != w->idx || s->r.outputs[o].on_loss != DP_LOSS_FREEZE)
			continue;
		for (unsigned k = 0; k < DP_GROUP_MAX_FLOWS; k++) {
			int16_t i = w->rt.out[o].slot[k].cur_in;
			unsigned j;

			if (i < 0 || w->rt.in[i].frz1 || !wanted(w, s, i) ||
			    s->r.outputs[o].flow[k].fmt.essence != DP_ESSENCE_VIDEO)
				continue;
			for (j = 0; j < w->rt.n_frz && w->rt.frz[j].input >= 0; j++)
				;
			if (j == w->rt.n_frz) {
				w->cnt.drops[DP_DROP_freeze_no_store]++;
				continue;
			}
			w->rt.frz[j].input = i;
			w->rt.frz[j].have = false;
			w->rt.frz[j].pinned = 0;
			w->rt.in[i].frz1 = (uint8_t)(j + 1u);
		}
	}
}

void dp_freeze_keep(struct dp_worker *w, struct rte_mbuf *m, const struct dp_pkt_info *pi,
		    uint64_t clk_ns)
{
	struct dp_frz_store *st = &w->rt.frz[w->rt.in[pi->input].frz1 - 1u];
	struct dp_frz_frame *c = &st->f[st->kept ^ 1u];
	uint16_t seq = sy_load_be16(rte_pktmbuf_mtod(m, const uint8_t *) + RTP_OFF + 2);

	if (pi->fs) {
		frame_release(c);
		c->ok = !pi->partial;
		c->ts = c->ts1 = pi->ts;
		c->t0_ns = w->rt.now_ns;
		st->fs_clk_ns = clk_ns;
	} else if (!c->ok) {
		return;
	} else if (seq != c->next_seq) {
		frame_release(c); /* a gap: this frame is not whole */
		return;
	}
	if (!c->ok)
		return;
	if (unlikely(c->n == w->rt.frz_cap)) {
		frame_release(c);
		w->cnt.drops[DP_DROP_freeze_too_big]++;
		return;
	}
	if (pi->ts != c->ts)
		c->ts1 = pi->ts; /* field 1 */
	rte_mbuf_refcnt_update(m, 1);
	c->m[c->n] = m;
	{
		uint64_t d = w->rt.now_ns > c->t0_ns ? w->rt.now_ns - c->t0_ns : 0;

		c->off_ns[c->n] = d > UINT32_MAX ? UINT32_MAX : (uint32_t)d;
	}
	c->n++;
	c->next_seq = (uint16_t)(seq + 1u);
	if (!pi->end)
		return;
	if (st->pinned) {
		frame_release(c); /* an output repeats the kept one: not replaced */
		return;
	}
	frame_release(&st->f[st->kept]);
	st->kept ^= 1u;
	st->have = true;
	st->hdr_len = pi->hdr_len;
}

void dp_freeze_input_reset(struct dp_worker *w, int16_t i)
{
	unsigned j = w->rt.in[i].frz1;

	if (j == 0)
		return;
	for (unsigned o = 0; o < DP_MAX_OUTPUTS; o++)
		if (w->rt.out[o].frz.on && w->rt.out[o].frz.in == i)
			unfreeze(w, o);
	store_free(w, &w->rt.frz[j - 1u]);
}

void dp_freeze_lost(struct dp_worker *w, const struct dp_snap *s, int16_t i, uint64_t now_ns)
{
	unsigned j = w->rt.in[i].frz1;
	struct dp_frz_store *st;
	uint64_t period = s->in[i].period_ns;

	if (j == 0 || period == 0)
		return;
	st = &w->rt.frz[j - 1u];
	if (!st->have)
		return; /* no whole frame yet: as follow */
	/* bound: outputs x slots */
	for (unsigned o = 0; o < s->r.n_outputs; o++) {
		struct dp_out_rt *ort = &w->rt.out[o];
		struct dp_frz_out *z = &ort->frz;
		unsigned k;

		if (s->out[o].worker != w->idx || s->r.outputs[o].on_loss != DP_LOSS_FREEZE ||
		    ort->pending || ort->subst)
			continue;
		if (z->on) {
			/* lost again while waiting for its return frame: repeat
			 * again, from the next grid frame */
			if (z->in == i && z->back && !z->held) {
				z->back = false;
				if (now_ns > z->start_ns) {
					uint64_t m = (now_ns - z->start_ns + period - 1u) / period;

					z->start_ns += m * period;
					z->adv += (uint32_t)m;
				}
			}
			continue;
		}
		for (k = 0; k < DP_GROUP_MAX_FLOWS; k++)
			if (ort->slot[k].cur_in == i &&
			    s->r.outputs[o].flow[k].fmt.essence == DP_ESSENCE_VIDEO)
				break;
		if (k == DP_GROUP_MAX_FLOWS)
			continue;
		/* the first grid frame (input's last frame start + n periods) not
		 * before now */
		uint64_t n = now_ns > st->fs_clk_ns ? (now_ns - st->fs_clk_ns + period - 1u) / period
						    : 1u;

		if (n == 0)
			n = 1;
		memset(z, 0, sizeof(*z));
		z->on = true;
		z->k = (uint8_t)k;
		z->store = (uint8_t)(j - 1u);
		z->in = i;
		z->adv = (uint32_t)n;
		z->start_ns = st->fs_clk_ns + n * period;
		st->pinned++;
		w->rt.n_frozen++;
		/* the rest of a frame cut by the loss is not sent */
		ort->slot[k].cur_fwd = false;
	}
}

void dp_freeze_restored(struct dp_worker *w, int16_t i)
{
	for (unsigned o = 0; o < DP_MAX_OUTPUTS && w->rt.n_frozen; o++)
		if (w->rt.out[o].frz.on && w->rt.out[o].frz.in == i)
			w->rt.out[o].frz.back = true;
}

/* Ticks between output frame m and m + n on the exact grid of rate. */
static uint32_t grid_ticks(uint64_t m, uint64_t n, struct sy_rate r)
{
	unsigned __int128 a = (unsigned __int128)m * r.den * SY_TIME_VIDEO_HZ / r.num;
	unsigned __int128 b = (unsigned __int128)(m + n) * r.den * SY_TIME_VIDEO_HZ / r.num;

	return (uint32_t)(b - a);
}

/* The freeze of output o ends at a frame boundary because of a take:
 * release the new source's held frame. */
static void stop_for_take(struct dp_worker *w, const struct dp_snap *s, unsigned o)
{
	struct dp_out_rt *ort = &w->rt.out[o];
	unsigned k = ort->frz.k;

	unfreeze(w, o);
	if (ort->pending && !ort->slot[k].done && !ort->slot[k].old_done) {
		ort->slot[k].old_done = true;
		dp_xbar_release(w, s, o, k);
	}
}

/* The repeat in progress ended and the input's return frame is held: the
 * output is back on the input, the held packets go out. Bound: the queue. */
static void back_release(struct dp_worker *w, const struct dp_snap *s, unsigned o)
{
	struct dp_out_rt *ort = &w->rt.out[o];
	unsigned k = ort->frz.k;
	struct dp_slot_rt *sl = &ort->slot[k];

	unfreeze(w, o);
	for (unsigned j = 0; j < DP_GROUP_MAX_FLOWS; j++)
		if (j != k)
			ort->slot[j].cur_fwd = false; /* audio/ANC resume at their next start */
	while (sl->hold_head != sl->hold_tail)
		emit(w, s, o, k, sl->hold[sl->hold_head++ & sl->hold_mask]);
}

/* A repeated packet: header bytes of kept packet p + an indirect clone of
 * its payload. NULL: pools empty (counted). */
static struct rte_mbuf *repeat_pkt(struct dp_worker *w, struct rte_mbuf *p, uint16_t hdr_len)
{
	struct rte_mbuf *h = rte_pktmbuf_alloc(w->dp->hdr_pool), *c;

	if (unlikely(h == NULL)) {
		w->cnt.drops[DP_DROP_freeze_no_mbuf]++;
		return NULL;
	}
	c = rte_pktmbuf_clone(p, w->dp->ind_pool);
	if (unlikely(c == NULL)) {
		rte_pktmbuf_free(h);
		w->cnt.drops[DP_DROP_freeze_no_mbuf]++;
		return NULL;
	}
	rte_memcpy(rte_pktmbuf_append(h, hdr_len), rte_pktmbuf_mtod(p, void *), hdr_len);
	rte_pktmbuf_adj(c, hdr_len);
	rte_pktmbuf_chain(h, c);
	return h;
}

static void run_output(struct dp_worker *w, const struct dp_snap *s, unsigned o, uint64_t now)
{
	struct dp_out_rt *ort = &w->rt.out[o];
	struct dp_frz_out *z = &ort->frz;
	struct dp_frz_store *st = &w->rt.frz[z->store];
	const struct dp_frz_frame *f = &st->f[st->kept];
	unsigned k = z->k;
	struct dp_slot_rt *sl = &ort->slot[k];
	uint64_t period = s->in[z->in].period_ns;
	struct sy_rate rate = s->r.outputs[o].flow[k].fmt.video.rate;

	/* bound: DP_FREEZE_BUDGET packets */
	for (unsigned n = 0; n < DP_FREEZE_BUDGET; n++) {
		if (z->next == 0) {
			if (z->stop) {
				stop_for_take(w, s, o);
				return;
			}
			/* the input is back: no new repeat; its next frame start
			 * goes out (dp_freeze_decide), at most one frame slot
			 * later */
			if (z->start_ns > now || z->back)
				return;
			if (now - z->start_ns >= period) {
				/* more than a frame behind: the next grid frame, whole */
				uint64_t skip = (now - z->start_ns) / period;

				z->start_ns += skip * period;
				z->adv += (uint32_t)skip;
				w->cnt.drops[DP_DROP_freeze_late] += skip;
			}
			z->ts = sl->last_out_ts + grid_ticks(sl->out_frames, z->adv, rate);
			sl->last_out_ts = z->ts;
			sl->out_frames += z->adv;
			sl->last_key_ns += (uint64_t)z->adv * period;
			sl->have_last = true;
			z->adv = 1;
			z->last_start_ns = z->start_ns;
			w->cnt.out[o][k].frames++;
			w->cnt.out[o][k].freeze_frames++;
		}
		if (z->start_ns + (f->off_ns[z->next] < period ? f->off_ns[z->next] : period - 1u) >
		    now)
			return;
		struct rte_mbuf *m = repeat_pkt(w, f->m[z->next], st->hdr_len);

		if (m != NULL) {
			uint8_t *rtp = rte_pktmbuf_mtod(m, uint8_t *) + RTP_OFF;
			/* field 1 of an interlaced frame: its own timestamp offset */
			bool f1 = s->in[z->in].interlaced && (rtp[16] & 0x80u);
			uint32_t ts = z->ts + (f1 ? f->ts1 - f->ts : 0u);

			sy_store_be32(rtp + 4, ts - sl->ts_off); /* emit adds ts_off */
			emit(w, s, o, k, m);
		}
		if (++z->next == f->n) {
			z->next = 0;
			z->start_ns += period;
			if (z->held) {
				back_release(w, s, o);
				return;
			}
		}
	}
}

void dp_freeze_run(struct dp_worker *w, const struct dp_snap *s, uint64_t now_ns)
{
	/* bound: outputs x DP_FREEZE_BUDGET */
	for (unsigned o = 0; o < DP_MAX_OUTPUTS && w->rt.n_frozen; o++) {
		if (!w->rt.out[o].frz.on)
			continue;
		if (o >= s->r.n_outputs || s->out[o].worker != w->idx) {
			unfreeze(w, o); /* the output is gone from this worker */
			continue;
		}
		if (s->r.outputs[o].on_loss != DP_LOSS_FREEZE)
			w->rt.out[o].frz.stop = true; /* reconfigured: ends whole */
		run_output(w, s, o, now_ns);
	}
}

bool dp_freeze_decide(struct dp_worker *w, const struct dp_snap *s, unsigned o, unsigned k,
		      const struct dp_pkt_info *pi, enum dp_act *act)
{
	struct dp_out_rt *ort = &w->rt.out[o];
	struct dp_frz_out *z = &ort->frz;
	struct dp_slot_rt *sl = &ort->slot[k];

	*act = ACT_DROP;
	if (ort->pending) /* a take decides (the freeze ends with it); the lost
			   * input, if back, is not mixed into the repeat */
		return k == z->k && pi->input == z->in;
	if (k != z->k)
		return true; /* audio / ANC: nothing while frozen */
	if (pi->input != z->in || !z->back || z->stop)
		return true;
	if (z->held && !pi->fs) {
		*act = sl->cur_fwd ? ACT_HOLD : ACT_DROP;
		return true;
	}
	if (!pi->fs || pi->partial)
		return true;
	/* the input's first whole frame since it returned: the output goes
	 * back to it, at once between two repeats, else held until the repeat
	 * in progress ends (whole frames both) */
	if (s->r.outputs[o].restamp && !z->held) {
		uint64_t period = s->in[z->in].period_ns;
		uint64_t d = w->rt.burst_tai_ns > z->last_start_ns
			     ? w->rt.burst_tai_ns - z->last_start_ns : 0;
		uint64_t gap = (d + period / 2u) / period;
		uint32_t out_ts;

		if (gap == 0)
			gap = 1;
		out_ts = sl->last_out_ts +
			 grid_ticks(sl->out_frames, gap, s->r.outputs[o].flow[k].fmt.video.rate);
		sl->ts_off = out_ts - pi->ts;
		sl->out_frames += gap - 1u; /* the frame start adds one */
	}
	if (z->next != 0 || z->held) {
		/* as the normal path's frame start, but queued */
		sl->cur_fwd = true;
		sl->last_key_ns = pi->key;
		sl->last_out_ts = pi->ts + sl->ts_off;
		sl->have_last = true;
		sl->out_frames++;
		w->cnt.out[o][k].frames++;
		if (!z->held)
			sl->hold_start_ns = w->rt.now_ns;
		z->held = true;
		*act = ACT_HOLD;
		return true;
	}
	unfreeze(w, o);
	for (unsigned j = 0; j < DP_GROUP_MAX_FLOWS; j++)
		ort->slot[j].cur_fwd = false; /* audio/ANC resume at their next start */
	return false;
}

void dp_freeze_take(struct dp_worker *w, unsigned o)
{
	struct dp_out_rt *ort = &w->rt.out[o];
	struct dp_frz_out *z = &ort->frz;

	if (!z->on)
		return;
	if (z->next == 0) {
		unfreeze(w, o);
		return;
	}
	if (z->held) {
		/* the input's return frame waits in the queue the take needs:
		 * not shown (the take decides what follows the repeat) */
		struct dp_slot_rt *sl = &ort->slot[z->k];

		while (sl->hold_head != sl->hold_tail)
			drop(w, sl->hold[sl->hold_head++ & sl->hold_mask], DP_DROP_before_switch);
		sl->cur_fwd = false;
		z->held = false;
	}
	z->stop = true;
	if (!ort->slot[z->k].done)
		ort->slot[z->k].old_done = false; /* held until the repeat ends */
}

void dp_freeze_release_all(struct dp_worker *w)
{
	for (unsigned o = 0; o < DP_MAX_OUTPUTS; o++)
		unfreeze(w, o);
	for (unsigned j = 0; j < w->rt.n_frz; j++)
		store_free(w, &w->rt.frz[j]);
}
