/* SPDX-License-Identifier: MIT */
/*
 * sy_st2110_21.c: ST 2110-21 timing model and streaming Cinst / VRX
 * measurement. Definitions, units and rounding rules are in sy_st2110_21.h.
 *
 * Arithmetic: exact rationals in ns, products in 128 bits. With the init
 * bounds (num <= 2^18, den <= 2^11, N <= 2^20, fields <= 2, R/TRO
 * denominators <= 1125 < 2^11):
 *   T_RS = den*1e9*r_n / (num*fields*r_d*N):  num < 2^52, den < 2^50
 *   T_drain = den*1e9*10 / (num*fields*N*11): num < 2^45, den < 2^43
 *   TPR0 common denominator Q = lcm(num*fields, TRO den) <= 2^30
 *   VRX read count: (x*Q - rem) * T_RS.den with |x| <= 2^31 ns: < 2^112
 *   Cinst drain count: (t - t0) * T_drain.den: < 2^64 * 2^43
 * A frame lasts at most 1 s (rate >= 1 Hz), so |t - TPR0| > 2^31 ns saturates
 * the read count to 0 or N without computing it.
 *
 * Model: pure, any thread. Stream: one owner thread, O(1) per packet.
 */
#include "sy_st2110_21.h"

#include <stddef.h>

#include "sy_err.h"
#include "sy_time.h"

#define U128 unsigned __int128
#define S128 __int128

#define NS_PER_S 1000000000ull
#define X_SATURATE_NS (1ll << 31)

static uint64_t gcd_u64(uint64_t a, uint64_t b)
{
	while (b != 0) {
		uint64_t t = a % b;
		a = b;
		b = t;
	}
	return a;
}

static struct sy_st2110_21_ratio ratio(uint64_t num, uint64_t den)
{
	uint64_t g = gcd_u64(num, den);
	struct sy_st2110_21_ratio r = { num / g, den / g };

	return r;
}

uint64_t sy_st2110_21_ratio_floor(struct sy_st2110_21_ratio r)
{
	return r.den ? r.num / r.den : 0;
}

uint64_t sy_st2110_21_ratio_round(struct sy_st2110_21_ratio r)
{
	/* floor(num/den + 1/2) = floor((2 num + den) / (2 den)) */
	return r.den ? (uint64_t)(((U128)r.num * 2 + r.den) / ((U128)r.den * 2)) : 0;
}

/* floor(a / b), b > 0, a signed. */
static S128 floor_div_s128(S128 a, S128 b)
{
	S128 q = a / b;

	if (a % b != 0 && a < 0)
		q--;
	return q;
}

static uint32_t clamp_u32(U128 v)
{
	return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

/* R_ACTIVE (ST 2110-21 6.3.2 / 6.3.3 / 6.4). */
static void r_active_of(bool interlaced, uint32_t height, enum sy_st2110_21_schedule sched,
			uint64_t *n, uint64_t *d)
{
	if (sched == SY_ST2110_21_LINEAR) {
		*n = 1;
		*d = 1;
	} else if (!interlaced || height >= 1080) {
		*n = 1080; /* = 720/750 for 720p */
		*d = 1125;
	} else if (height >= 576) {
		*n = 576;
		*d = 625;
	} else {
		*n = 487;
		*d = 525;
	}
}

/* TRO_default multiplier of the FRAME period. */
static void tro_mult_of(bool interlaced, uint32_t height, uint64_t *n, uint64_t *d)
{
	if (!interlaced) {
		if (height >= 1080) {
			*n = 43;
			*d = 1125;
		} else {
			*n = 28;
			*d = 750;
		}
	} else if (height >= 1080) {
		*n = 22;
		*d = 1125;
	} else if (height >= 576) {
		*n = 26;
		*d = 625;
	} else {
		*n = 20;
		*d = 525;
	}
}

int sy_st2110_21_model_init(struct sy_st2110_21_model *m, const struct sy_video_format *fmt,
			    uint32_t n_packets, enum sy_st2110_21_schedule schedule)
{
	uint64_t num = fmt->rate.num, den = fmt->rate.den;
	uint64_t fields = fmt->interlaced ? 2 : 1;
	uint64_t rn, rd, tn, td, fr;
	U128 v;

	if (num == 0 || den == 0 || num > SY_ST2110_21_MAX_RATE_NUM ||
	    den > SY_ST2110_21_MAX_RATE_DEN || num < den)
		return -SY_E_RANGE;
	if (n_packets == 0 || n_packets > SY_ST2110_21_MAX_PACKETS)
		return -SY_E_RANGE;
	if ((unsigned)schedule >= SY_ST2110_21_SCHEDULE_MAX)
		return -SY_E_RANGE;
	if (fmt->height == 0)
		return -SY_E_FORMAT;

	r_active_of(fmt->interlaced, fmt->height, schedule, &rn, &rd);
	tro_mult_of(fmt->interlaced, fmt->height, &tn, &td);
	fr = num * fields; /* fields (or frames) per second, numerator */

	m->n_packets = n_packets;
	m->schedule = schedule;
	m->interlaced = fmt->interlaced;
	m->height = fmt->height;
	m->field_rate.num = (uint32_t)fr;
	m->field_rate.den = (uint32_t)den;

	m->t_frame_ns = ratio(den * NS_PER_S, fr);
	m->r_active = ratio(rn, rd);
	m->t_rs_ns = ratio(den * NS_PER_S * rn, fr * rd * n_packets);
	m->tro_default_ns = ratio(tn * den * NS_PER_S, td * num);
	m->tro_ns = m->tro_default_ns;
	m->t_drain_ns = ratio(den * NS_PER_S * 10, fr * n_packets * 11);

	m->t_rs_dns = sy_st2110_21_ratio_round((struct sy_st2110_21_ratio){
		m->t_rs_ns.num * 10, m->t_rs_ns.den });
	m->tro_default_round_ns = sy_st2110_21_ratio_round(m->tro_default_ns);

	/* N / (43200 * R * T) = N * r_d * fr / (43200 * r_n * den), T in s */
	v = (U128)n_packets * rd * fr / ((U128)43200 * rn * den);
	m->cmax_narrow = v < 4 ? 4 : clamp_u32(v);
	v = (U128)n_packets * fr / ((U128)21600 * den);
	m->cmax_wide = v < 16 ? 16 : clamp_u32(v);
	v = (U128)n_packets * fr / ((U128)27000 * den);
	m->vrx_full_narrow = v < 8 ? 8 : clamp_u32(v);
	v = (U128)n_packets * fr / ((U128)300 * den);
	m->vrx_full_wide = v < 720 ? 720 : clamp_u32(v);

	/* ceil(TRO_default [s] * 90000) + 1 = ceil(tn * den * 90000 / (td * num)) + 1 */
	v = (U128)tn * den * SY_TIME_VIDEO_HZ;
	m->rtp_offset_min_ticks = -1;
	m->rtp_offset_max_ticks = (int32_t)(v / ((U128)td * num) + (v % ((U128)td * num) != 0)) + 1;
	return 0;
}

int sy_st2110_21_model_set_tro_ns(struct sy_st2110_21_model *m, uint64_t tro_ns)
{
	/* tro_ns < T_FRAME  <=>  tro_ns * t_frame.den < t_frame.num */
	if ((U128)tro_ns * m->t_frame_ns.den >= m->t_frame_ns.num)
		return -SY_E_RANGE;
	m->tro_ns = ratio(tro_ns, 1);
	return 0;
}

const char *sy_st2110_21_type_name(enum sy_st2110_21_type t)
{
	static const char *const names[SY_ST2110_21_TYPE_MAX] = {
		[SY_ST2110_21_TYPE_N] = "2110TPN",
		[SY_ST2110_21_TYPE_NL] = "2110TPNL",
		[SY_ST2110_21_TYPE_W] = "2110TPW",
		[SY_ST2110_21_TYPE_NOT_COMPLIANT] = "not compliant",
	};

	return (unsigned)t < SY_ST2110_21_TYPE_MAX ? names[t] : NULL;
}

const char *sy_st2110_21_reason_name(enum sy_st2110_21_reason r)
{
	static const char *const names[SY_ST2110_21_REASON_MAX] = {
		[SY_ST2110_21_REASON_NONE] = "none",
		[SY_ST2110_21_REASON_NO_DATA] = "no data",
		[SY_ST2110_21_REASON_CINST] = "cinst",
		[SY_ST2110_21_REASON_VRX_UNDERRUN] = "vrx underrun",
		[SY_ST2110_21_REASON_VRX_OVERFLOW] = "vrx overflow",
	};

	return (unsigned)r < SY_ST2110_21_REASON_MAX ? names[r] : NULL;
}

bool sy_st2110_21_type_meets(enum sy_st2110_21_type measured, enum sy_st2110_21_type declared)
{
	switch (declared) {
	case SY_ST2110_21_TYPE_N:
		return measured == SY_ST2110_21_TYPE_N;
	case SY_ST2110_21_TYPE_NL:
		return measured == SY_ST2110_21_TYPE_N || measured == SY_ST2110_21_TYPE_NL;
	case SY_ST2110_21_TYPE_W:
		return measured == SY_ST2110_21_TYPE_N || measured == SY_ST2110_21_TYPE_NL ||
		       measured == SY_ST2110_21_TYPE_W;
	default:
		return false;
	}
}

/* ---- stream ---- */

static void frame_reset(struct sy_st2110_21_frame *f)
{
	*f = (struct sy_st2110_21_frame){ .gap_after = SY_ST2110_21_SCHEDULE_MAX };
	for (int i = 0; i < SY_ST2110_21_SCHEDULE_MAX; i++) {
		f->vrx_min[i] = INT32_MAX;
		f->vrx_max[i] = INT32_MIN;
	}
}

int sy_st2110_21_stream_init(struct sy_st2110_21_stream *s, const struct sy_video_format *fmt,
			     uint32_t n_packets, enum sy_st2110_21_tpr0 mode)
{
	int err;

	if ((unsigned)mode >= SY_ST2110_21_TPR0_MAX)
		return -SY_E_RANGE;
	*s = (struct sy_st2110_21_stream){ .tpr0_mode = mode };
	for (int i = 0; i < SY_ST2110_21_SCHEDULE_MAX; i++) {
		err = sy_st2110_21_model_init(&s->model[i], fmt, n_packets,
					      (enum sy_st2110_21_schedule)i);
		if (err)
			return err;
		s->vrx_min[i] = INT32_MAX;
		s->vrx_max[i] = INT32_MIN;
	}
	s->rtp_offset_min_ticks = INT32_MAX;
	s->rtp_offset_max_ticks = INT32_MIN;
	s->latency_min_ns = INT64_MAX;
	s->latency_max_ns = INT64_MIN;
	frame_reset(&s->frame);
	frame_reset(&s->last_frame);
	return 0;
}

/* Drains of the Cinst bucket since t0: floor((t - t0) / T_drain). */
static uint64_t cinst_drained(const struct sy_st2110_21_stream *s, uint64_t t)
{
	const struct sy_st2110_21_ratio *d = &s->model[0].t_drain_ns;
	U128 v = (U128)(t - s->t0_ns) * d->den / d->num;

	return v > UINT64_MAX ? UINT64_MAX : (uint64_t)v;
}

/* TPR0 of frame k for model m: k * T_FRAME + TRO, exact. */
static void vrx_start(struct sy_st2110_21_vrx_state *v, const struct sy_st2110_21_model *m,
		      uint64_t k)
{
	uint64_t fr = m->field_rate.num, den = m->field_rate.den;
	uint64_t b = m->tro_ns.den;
	uint64_t q = fr / gcd_u64(fr, b) * b;
	U128 p = (U128)k * den * NS_PER_S * (q / fr) + (U128)m->tro_ns.num * (q / b);
	U128 whole = p / q;

	v->tpr0_den = q;
	v->tpr0_ns = whole > UINT64_MAX ? UINT64_MAX : (uint64_t)whole;
	v->tpr0_rem = (uint64_t)(p % q);
	v->arrived = 0;
}

/* Reads done by time t: clamp(floor((t - TPR0) / T_RS) + 1, 0, N). */
static uint32_t vrx_reads(const struct sy_st2110_21_vrx_state *v,
			  const struct sy_st2110_21_model *m, uint64_t t)
{
	int64_t x;
	S128 a, r;

	if (t >= v->tpr0_ns) {
		if (t - v->tpr0_ns > (uint64_t)X_SATURATE_NS)
			return m->n_packets;
		x = (int64_t)(t - v->tpr0_ns);
	} else {
		if (v->tpr0_ns - t > (uint64_t)X_SATURATE_NS)
			return 0;
		x = -(int64_t)(v->tpr0_ns - t);
	}
	/* (t - TPR0) / T_RS = (x*Q - rem) * rs.den / (Q * rs.num) */
	a = (S128)x * (S128)v->tpr0_den - (S128)v->tpr0_rem;
	r = floor_div_s128(a * (S128)m->t_rs_ns.den,
			   (S128)v->tpr0_den * (S128)m->t_rs_ns.num) + 1;
	if (r < 0)
		return 0;
	if (r > m->n_packets)
		return m->n_packets;
	return (uint32_t)r;
}

static void frame_finish(struct sy_st2110_21_stream *s, bool have_next, uint64_t next_first_ns)
{
	struct sy_st2110_21_frame *f = &s->frame;

	if (have_next && f->n_packets >= 2) {
		/* gapped if gap >= 10 x mean spacing = 10 * span / (n - 1) */
		U128 gap = next_first_ns - f->last_ns;
		U128 span = f->last_ns - f->first_ns;

		if (gap * (f->n_packets - 1) >= span * 10) {
			f->gap_after = SY_ST2110_21_GAPPED;
			s->n_gapped++;
		} else {
			f->gap_after = SY_ST2110_21_LINEAR;
			s->n_linear++;
		}
	}
	s->last_frame = *f;
	s->n_frames++;
	for (int i = 0; i < SY_ST2110_21_SCHEDULE_MAX; i++)
		s->prev[i] = s->cur[i];
	s->have_prev = true;
	s->in_frame = false;
}

static void frame_start(struct sy_st2110_21_stream *s, uint64_t t, uint32_t rtp_ts)
{
	const struct sy_st2110_21_model *m = &s->model[0];
	uint64_t ticks = sy_time_rtp_unwrap(rtp_ts, sy_time_tai_to_ticks(t, SY_TIME_VIDEO_HZ));
	uint64_t k_arrival = sy_time_frame_containing(t, m->field_rate);
	uint64_t k, ts_ns = 0;
	struct sy_time_frame grid = { 0 };
	struct sy_st2110_21_frame *f = &s->frame;

	if (s->tpr0_mode == SY_ST2110_21_TPR0_RTP)
		k = sy_time_frame_nearest_ticks(ticks, m->field_rate, SY_TIME_VIDEO_HZ);
	else
		k = k_arrival;

	frame_reset(f);
	f->index = k;
	f->rtp_ts = rtp_ts;
	f->first_ns = t;
	f->last_ns = t;
	(void)sy_time_frame_info(k_arrival, m->field_rate, SY_TIME_VIDEO_HZ, &grid);
	f->rtp_offset_ticks = (int32_t)(uint32_t)(rtp_ts - grid.rtp_ts);
	(void)sy_time_ticks_to_tai(ticks, SY_TIME_VIDEO_HZ, &ts_ns);
	f->latency_ns = (int64_t)(t - ts_ns);

	if (f->rtp_offset_ticks < s->rtp_offset_min_ticks)
		s->rtp_offset_min_ticks = f->rtp_offset_ticks;
	if (f->rtp_offset_ticks > s->rtp_offset_max_ticks)
		s->rtp_offset_max_ticks = f->rtp_offset_ticks;
	if (f->latency_ns < s->latency_min_ns)
		s->latency_min_ns = f->latency_ns;
	if (f->latency_ns > s->latency_max_ns)
		s->latency_max_ns = f->latency_ns;

	for (int i = 0; i < SY_ST2110_21_SCHEDULE_MAX; i++)
		vrx_start(&s->cur[i], &s->model[i], k);
	s->in_frame = true;
}

bool sy_st2110_21_stream_feed(struct sy_st2110_21_stream *s, uint64_t arrival_ns,
			      bool frame_start_flag, uint32_t rtp_ts,
			      struct sy_st2110_21_packet *out)
{
	bool completed = false;
	uint64_t t = arrival_ns;

	/* Cinst (EBU LIST): one bucket for the whole stream. */
	if (!s->started) {
		s->started = true;
		s->t0_ns = t;
		s->last_drained = 0;
		s->cinst = 0;
	} else {
		uint64_t d, inc;

		if (t < s->last_ns) {
			s->n_time_backwards++;
			t = s->last_ns;
		}
		d = cinst_drained(s, t);
		inc = d - s->last_drained;
		s->last_drained = d;
		s->cinst = inc > (uint64_t)s->cinst ? 0 : s->cinst + 1 - (uint32_t)inc;
	}
	s->last_ns = t;
	s->n_packets++;
	if (s->cinst > s->cinst_max)
		s->cinst_max = s->cinst;
	s->cinst_hist[s->cinst < SY_ST2110_21_HIST_BUCKETS - 1 ? s->cinst
							      : SY_ST2110_21_HIST_BUCKETS - 1]++;
	if (out) {
		out->cinst = s->cinst;
		out->in_frame = false;
		for (int i = 0; i < SY_ST2110_21_SCHEDULE_MAX; i++)
			out->vrx[i] = 0;
	}

	if (frame_start_flag) {
		if (s->in_frame) {
			frame_finish(s, true, t);
			completed = true;
		}
		frame_start(s, t, rtp_ts);
	} else if (!s->in_frame) {
		s->n_packets_unsynced++;
		return false;
	}

	/* VRX per schedule. */
	struct sy_st2110_21_frame *f = &s->frame;
	f->n_packets++;
	f->last_ns = t;
	if (s->cinst > f->cinst_max)
		f->cinst_max = s->cinst;
	for (int i = 0; i < SY_ST2110_21_SCHEDULE_MAX; i++) {
		const struct sy_st2110_21_model *m = &s->model[i];
		struct sy_st2110_21_vrx_state *c = &s->cur[i];
		int64_t vrx;

		if (c->arrived < UINT32_MAX)
			c->arrived++;
		vrx = (int64_t)c->arrived - vrx_reads(c, m, t);
		if (s->have_prev) {
			const struct sy_st2110_21_vrx_state *p = &s->prev[i];
			int64_t backlog = (int64_t)p->arrived - vrx_reads(p, m, t);

			if (backlog > 0)
				vrx += backlog;
		}
		if (vrx > INT32_MAX)
			vrx = INT32_MAX;
		if (vrx < f->vrx_min[i])
			f->vrx_min[i] = (int32_t)vrx;
		if (vrx > f->vrx_max[i])
			f->vrx_max[i] = (int32_t)vrx;
		if (vrx < s->vrx_min[i])
			s->vrx_min[i] = (int32_t)vrx;
		if (vrx > s->vrx_max[i])
			s->vrx_max[i] = (int32_t)vrx;
		if (out)
			out->vrx[i] = (int32_t)vrx;
	}
	if (out)
		out->in_frame = true;
	return completed;
}

bool sy_st2110_21_stream_flush(struct sy_st2110_21_stream *s)
{
	if (!s->in_frame)
		return false;
	frame_finish(s, false, 0);
	return true;
}

enum sy_st2110_21_schedule sy_st2110_21_stream_schedule(const struct sy_st2110_21_stream *s)
{
	if (s->n_gapped == 0 && s->n_linear == 0)
		return SY_ST2110_21_SCHEDULE_MAX;
	return s->n_gapped >= s->n_linear ? SY_ST2110_21_GAPPED : SY_ST2110_21_LINEAR;
}

void sy_st2110_21_stream_verdict(const struct sy_st2110_21_stream *s,
				 enum sy_st2110_21_schedule schedule,
				 struct sy_st2110_21_verdict *out)
{
	enum sy_st2110_21_type narrow, c_type, v_type;
	const struct sy_st2110_21_model *m;

	*out = (struct sy_st2110_21_verdict){ 0 };
	if ((unsigned)schedule >= SY_ST2110_21_SCHEDULE_MAX) {
		schedule = sy_st2110_21_stream_schedule(s);
		if (schedule == SY_ST2110_21_SCHEDULE_MAX) {
			schedule = SY_ST2110_21_GAPPED;
			out->flags |= SY_ST2110_21_F_SCHEDULE_GUESSED;
		}
	}
	m = &s->model[schedule];
	narrow = schedule == SY_ST2110_21_GAPPED ? SY_ST2110_21_TYPE_N : SY_ST2110_21_TYPE_NL;
	out->schedule = schedule;
	out->cinst_max = s->cinst_max;
	out->vrx_min = s->vrx_min[schedule];
	out->vrx_max = s->vrx_max[schedule];
	out->cmax_narrow = m->cmax_narrow;
	out->cmax_wide = m->cmax_wide;
	out->vrx_full_narrow = m->vrx_full_narrow;
	out->vrx_full_wide = m->vrx_full_wide;

	if (s->vrx_max[schedule] == INT32_MIN) { /* no packet inside a frame */
		out->type = SY_ST2110_21_TYPE_NOT_COMPLIANT;
		out->reason = SY_ST2110_21_REASON_NO_DATA;
		out->vrx_min = 0;
		out->vrx_max = 0;
		return;
	}

	if (s->cinst_max > m->cmax_narrow)
		out->flags |= SY_ST2110_21_F_CINST_OVER_NARROW;
	if (s->cinst_max > m->cmax_wide)
		out->flags |= SY_ST2110_21_F_CINST_OVER_WIDE;
	if (out->vrx_max > (int64_t)m->vrx_full_narrow)
		out->flags |= SY_ST2110_21_F_VRX_OVER_NARROW;
	if (out->vrx_max > (int64_t)m->vrx_full_wide)
		out->flags |= SY_ST2110_21_F_VRX_OVER_WIDE;
	if (out->vrx_min < 0)
		out->flags |= SY_ST2110_21_F_VRX_UNDERRUN;
	if (s->rtp_offset_min_ticks < m->rtp_offset_min_ticks ||
	    s->rtp_offset_max_ticks > m->rtp_offset_max_ticks)
		out->flags |= SY_ST2110_21_F_RTP_OFFSET;

	c_type = !(out->flags & SY_ST2110_21_F_CINST_OVER_NARROW) ? narrow
		 : !(out->flags & SY_ST2110_21_F_CINST_OVER_WIDE) ? SY_ST2110_21_TYPE_W
								    : SY_ST2110_21_TYPE_NOT_COMPLIANT;
	v_type = (out->flags & (SY_ST2110_21_F_VRX_UNDERRUN | SY_ST2110_21_F_VRX_OVER_WIDE))
			 ? SY_ST2110_21_TYPE_NOT_COMPLIANT
		 : (out->flags & SY_ST2110_21_F_VRX_OVER_NARROW) ? SY_ST2110_21_TYPE_W
								 : narrow;

	if (c_type == SY_ST2110_21_TYPE_NOT_COMPLIANT || v_type == SY_ST2110_21_TYPE_NOT_COMPLIANT)
		out->type = SY_ST2110_21_TYPE_NOT_COMPLIANT;
	else if (c_type == SY_ST2110_21_TYPE_W || v_type == SY_ST2110_21_TYPE_W)
		out->type = SY_ST2110_21_TYPE_W;
	else
		out->type = narrow;

	if (c_type == SY_ST2110_21_TYPE_NOT_COMPLIANT)
		out->reason = SY_ST2110_21_REASON_CINST;
	else if (out->flags & SY_ST2110_21_F_VRX_UNDERRUN)
		out->reason = SY_ST2110_21_REASON_VRX_UNDERRUN;
	else if (out->flags & SY_ST2110_21_F_VRX_OVER_WIDE)
		out->reason = SY_ST2110_21_REASON_VRX_OVERFLOW;
}
