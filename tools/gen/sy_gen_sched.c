/* SPDX-License-Identifier: MIT */
/*
 * sy_gen_sched.c: sy-gen's packet send times on the ST 2110-21 schedule.
 *
 * Times are exact rationals (the model's T_FRAME, TRO_default and T_RS from
 * src/sy_st2110_21) summed in 128-bit integers and rounded up once to whole
 * ns, the rule of src/sy_time ("first whole ns at or after the exact
 * instant"). Packet j of grid field g (fields counted from the SMPTE epoch,
 * T_FRAME is the field period for interlaced formats):
 *
 *   narrow, narrow-linear  ceil(g * T_FRAME + TRO_default + j * T_RS)
 *                          (gapped R_ACTIVE 1080/1125 or linear R_ACTIVE 1)
 *   wide                   bursts of B = Cmax_wide - max(2, Cmax_wide / 8)
 *                          packets: burst b starts at the narrow time of its
 *                          first packet b * B, its packets follow each other
 *                          at the wire time of the link; so Cinst peaks near
 *                          B - 1 (above the narrow Cmax, below the wide one)
 *                          and the average rate stays 1 / T_RS
 *   burst                  ceil(g * T_FRAME), then back to back at line rate
 *
 * Wide and burst packets are never earlier than the previous packet's end
 * on the wire (when the link is too slow for the flow, bursts merge).
 * Single-threaded tool code.
 */
#include "sy_gen.h"

#include "sy_err.h"

typedef unsigned __int128 u128;

struct q {
	u128 n;
	u128 d;
};

static u128 gcd128(u128 a, u128 b)
{
	while (b) {
		u128 t = a % b;

		a = b;
		b = t;
	}
	return a;
}

static struct q q_add(struct q a, struct q b)
{
	u128 g = gcd128(a.d, b.d);
	struct q r = { a.n * (b.d / g) + b.n * (a.d / g), a.d / g * b.d };
	u128 h = gcd128(r.n, r.d);

	if (h > 1) {
		r.n /= h;
		r.d /= h;
	}
	return r;
}

static struct q q_mul(struct sy_st2110_21_ratio r, uint64_t k)
{
	struct q x = { (u128)r.num * k, r.den };

	return x;
}

static uint64_t q_ceil(struct q a)
{
	return (uint64_t)((a.n + a.d - 1) / a.d);
}

uint64_t sy_gen_grid_ns(uint64_t idx, struct sy_rate rate, uint64_t add_num, uint64_t add_den)
{
	struct q t = { (u128)idx * rate.den * 1000000000u, rate.num };
	struct q a = { add_num, add_den ? add_den : 1 };

	return q_ceil(q_add(t, a));
}

static const uint32_t links_gbps[] = { 10, 25, 40, 100, 200, 400 };

uint32_t sy_gen_sched_default_link(const struct sy_st2110_21_model *m, uint32_t max_bytes)
{
	u128 bits = (u128)(max_bytes + SY_GEN_WIRE_EXTRA_BYTES) * 8u;

	/* bits / G <= T_RS / 8  <=>  8 * bits * den <= G * num */
	for (unsigned i = 0; i < sizeof(links_gbps) / sizeof(links_gbps[0]); i++)
		if (8u * bits * m->t_rs_ns.den <= (u128)links_gbps[i] * m->t_rs_ns.num)
			return links_gbps[i];
	return 400;
}

int sy_gen_sched_init(struct sy_gen_sched *s, const struct sy_video_format *fmt,
		      uint32_t n_per_field, enum sy_gen_timing timing, uint32_t link_gbps)
{
	enum sy_st2110_21_schedule sch = timing == SY_GEN_TIMING_NARROW_LINEAR ?
						 SY_ST2110_21_LINEAR :
						 SY_ST2110_21_GAPPED;
	int rc;

	*s = (struct sy_gen_sched){ .timing = timing, .n_per_field = n_per_field };
	rc = sy_st2110_21_model_init(&s->model, fmt, n_per_field, sch);
	if (rc < 0)
		return rc;
	s->link_gbps = link_gbps ? link_gbps : sy_gen_sched_default_link(&s->model, 1460u + 14u);
	{
		uint32_t cw = s->model.cmax_wide, margin = cw / 8 > 2 ? cw / 8 : 2;

		s->burst_pkts = cw - margin;
		if (s->burst_pkts <= s->model.cmax_narrow)
			s->burst_pkts = s->model.cmax_narrow + 2;
	}
	return 0;
}

static uint64_t wire_ns(uint32_t bytes, uint32_t gbps)
{
	uint64_t bits = (uint64_t)(bytes + SY_GEN_WIRE_EXTRA_BYTES) * 8u;

	return (bits + gbps - 1) / gbps;
}

uint64_t sy_gen_sched_time(const struct sy_gen_sched *s, struct sy_gen_cursor *c,
			   uint64_t grid_field, uint32_t j, uint32_t wire_bytes)
{
	const struct sy_st2110_21_model *m = &s->model;
	struct q start = q_mul(m->t_frame_ns, grid_field);
	uint64_t t;

	switch (s->timing) {
	case SY_GEN_TIMING_NARROW:
	case SY_GEN_TIMING_NARROW_LINEAR:
		start = q_add(start, q_mul(m->tro_default_ns, 1));
		return q_ceil(q_add(start, q_mul(m->t_rs_ns, j)));
	case SY_GEN_TIMING_WIDE:
		if (j % s->burst_pkts == 0) {
			start = q_add(start, q_mul(m->tro_default_ns, 1));
			start = q_add(start, q_mul(m->t_rs_ns, j));
			c->burst_start_ns = q_ceil(start);
			c->burst_bits = 0;
		}
		break;
	default: /* burst */
		if (j == 0) {
			c->burst_start_ns = q_ceil(start);
			c->burst_bits = 0;
		}
		break;
	}
	t = c->burst_start_ns + (c->burst_bits + s->link_gbps - 1) / s->link_gbps;
	c->burst_bits += (uint64_t)(wire_bytes + SY_GEN_WIRE_EXTRA_BYTES) * 8u;
	if (c->have_prev && t < c->prev_ns + c->prev_wire_ns)
		t = c->prev_ns + c->prev_wire_ns;
	c->have_prev = true;
	c->prev_ns = t;
	c->prev_wire_ns = wire_ns(wire_bytes, s->link_gbps);
	return t;
}
