/* SPDX-License-Identifier: MIT */
/*
 * cp_switch_sim.c: the "sim" engine (see cp_switch.h), for tests only: it is
 * linked into the unit tests and switchyard-test, never into the shipped
 * switchyard binary, because it reports takes that move no media.
 *
 * The sim engine keeps one pending take per output and lands it, when the
 * loop's TAI clock passes it, at the first frame boundary at or after the
 * requested time (sy_time_frame_at_or_after on the output's rate), reporting
 * the same event the dataplane will. Its counters only count takes; packet
 * counters stay 0 because no packet moves.
 *
 * Thread: the libuv loop thread.
 */
#include "cp_switch.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sy_format.h"
#include "sy_time.h"

/* ---- sim ---- */

struct sim_out {
	struct sy_rate rate;
	bool pending;
	int32_t in_idx;
	uint64_t at_tai_ns; /* 0: next frame after the first poll */
	uint64_t takes;
};

struct sim {
	struct cp_switch base; /* first: cast */
	uint32_t n_in, n_out;
	struct sim_out *out;
};

static int sim_take(struct cp_switch *sw, uint32_t o, int32_t i, uint64_t t)
{
	struct sim *s = (struct sim *)sw;
	if (o >= s->n_out || i >= (int32_t)s->n_in || i < -1)
		return -EINVAL;
	s->out[o].pending = true;
	s->out[o].in_idx = i;
	s->out[o].at_tai_ns = t;
	return 0;
}

static int sim_set(struct cp_switch *sw, uint32_t i, uint32_t e, const struct cp_switch_leg l[2],
		   uint32_t n)
{
	struct sim *s = (struct sim *)sw;
	(void)e, (void)l;
	return (i < s->n_in && n >= 1 && n <= 2) ? 0 : -EINVAL;
}

static int sim_set_out(struct cp_switch *sw, uint32_t i, uint32_t e,
		       const struct cp_switch_leg l[2], uint32_t n, bool en)
{
	struct sim *s = (struct sim *)sw;
	(void)e, (void)l, (void)en;
	return (i < s->n_out && n >= 1 && n <= 2) ? 0 : -EINVAL;
}

static int sim_in_counters(struct cp_switch *sw, uint32_t i, struct cp_switch_io_counters *c)
{
	struct sim *s = (struct sim *)sw;
	if (i >= s->n_in)
		return -EINVAL;
	memset(c, 0, sizeof(*c));
	return 0;
}

static int sim_out_counters(struct cp_switch *sw, uint32_t o, struct cp_switch_io_counters *c)
{
	struct sim *s = (struct sim *)sw;
	if (o >= s->n_out)
		return -EINVAL;
	memset(c, 0, sizeof(*c));
	c->takes = s->out[o].takes;
	return 0;
}

static uint32_t sim_poll(struct cp_switch *sw, uint64_t now, struct cp_switch_event *ev,
			 uint32_t max)
{
	struct sim *s = (struct sim *)sw;
	uint32_t n = 0;
	for (uint32_t o = 0; o < s->n_out && n < max; o++) { /* bound: n_out */
		struct sim_out *so = &s->out[o];
		if (!so->pending)
			continue;
		uint64_t want = so->at_tai_ns ? so->at_tai_ns : now;
		struct sy_time_frame f;
		if (sy_time_frame_at_or_after(want, so->rate, SY_TIME_VIDEO_HZ, &f) < 0)
			continue;
		if (f.start_ns > now && so->at_tai_ns)
			continue; /* not due yet */
		so->pending = false;
		so->takes++;
		memset(&ev[n], 0, sizeof(ev[n]));
		ev[n].kind = CP_SWITCH_EV_TAKE_DONE;
		ev[n].out_idx = o;
		ev[n].in_idx = so->in_idx;
		ev[n].tai_ns = f.start_ns;
		ev[n].rtp_ts = f.rtp_ts;
		n++;
	}
	return n;
}

static void sim_destroy(struct cp_switch *sw)
{
	struct sim *s = (struct sim *)sw;
	if (!s)
		return;
	free(s->out);
	free(s);
}

static const struct cp_switch_ops sim_ops = {
	.name = "sim",
	.take = sim_take,
	.set_input = sim_set,
	.set_output = sim_set_out,
	.input_counters = sim_in_counters,
	.output_counters = sim_out_counters,
	.poll = sim_poll,
	.destroy = sim_destroy,
};

int cp_switch_sim_create(uint32_t n_inputs, uint32_t n_outputs, const struct sy_rate *out_rates,
			 struct cp_switch **out)
{
	struct sim *s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->out = calloc(n_outputs ? n_outputs : 1, sizeof(*s->out));
	if (!s->out) {
		free(s);
		return -ENOMEM;
	}
	s->n_in = n_inputs;
	s->n_out = n_outputs;
	for (uint32_t o = 0; o < n_outputs; o++)
		s->out[o].rate = out_rates[o];
	s->base.ops = &sim_ops;
	s->base.kind = CP_SWITCH_SIM;
	*out = &s->base;
	return 0;
}
