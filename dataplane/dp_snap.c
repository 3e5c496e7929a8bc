/* SPDX-License-Identifier: MIT */
/*
 * dp_snap.c: route snapshots: validate a struct dp_routes from control and
 * derive what the workers need per packet (flow table, expected sizes,
 * frame periods, MACs). Runs on the control thread inside dp_publish(); the
 * result is immutable once published.
 *
 * Why here and not in the worker: every refusal (a take from a source of
 * another format, an input on the wrong worker) must reach the operator as
 * a clear error before anything changes on air.
 */
#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_byteorder.h>

#include "dp_internal.h"
#include "sy_err.h"
#include "sy_time.h"

static const char *const drop_names[] = {
#define DP_DROP(name, text) #name,
#include "dp_drop.def"
#undef DP_DROP
};

static const char *const drop_texts[] = {
#define DP_DROP(name, text) text,
#include "dp_drop.def"
#undef DP_DROP
};

const char *dp_drop_name(enum dp_drop d)
{
	return (unsigned)d < DP_DROP_MAX ? drop_names[d] : "?";
}

const char *dp_drop_text(enum dp_drop d)
{
	return (unsigned)d < DP_DROP_MAX ? drop_texts[d] : "?";
}

const char *dp_essence_name(enum dp_essence e)
{
	switch (e) {
	case DP_ESSENCE_VIDEO: return "video";
	case DP_ESSENCE_AUDIO: return "audio";
	case DP_ESSENCE_ANC: return "anc";
	default: return "none";
	}
}

const char *dp_gen_name(enum dp_gen g)
{
	static const char *const names[DP_GEN_MAX] = {"black", "bars100", "bars75", "moving",
						      "tone", "silence"};

	return (unsigned)g < DP_GEN_MAX ? names[g] : NULL;
}

enum dp_essence dp_gen_essence(enum dp_gen g)
{
	if (g == DP_GEN_TONE || g == DP_GEN_SILENCE)
		return DP_ESSENCE_AUDIO;
	return (unsigned)g < DP_GEN_MAX ? DP_ESSENCE_VIDEO : DP_ESSENCE_NONE;
}

static void rate_str(struct sy_rate r, char *buf, size_t len)
{
	if (r.den == 0) {
		snprintf(buf, len, "?");
	} else if (r.num % r.den == 0) {
		snprintf(buf, len, "%" PRIu32, r.num / r.den);
	} else {
		uint64_t c = (uint64_t)r.num * 100u / r.den; /* 2 decimals, truncated */
		snprintf(buf, len, "%" PRIu64 ".%02" PRIu64, c / 100u, c % 100u);
	}
}

static void format_str(const struct dp_format *f, char *buf, size_t len)
{
	char rate[24];

	switch (f->essence) {
	case DP_ESSENCE_VIDEO:
		rate_str(f->video.rate, rate, sizeof(rate));
		snprintf(buf, len, "video %" PRIu32 "x%" PRIu32 "%c%s %s %u-bit %s %s %s",
			 f->video.width, f->video.height, f->video.interlaced ? 'i' : 'p', rate,
			 sy_format_sampling_name(f->video.sampling), f->video.depth,
			 sy_format_tcs_name(f->video.tcs),
			 sy_format_colorimetry_name(f->video.colorimetry),
			 sy_format_packing_name(f->video.packing));
		break;
	case DP_ESSENCE_AUDIO:
		snprintf(buf, len, "audio %s/%" PRIu32 "/%u ptime %" PRIu32 " us",
			 sy_st2110_30_encoding_name(f->audio.encoding), f->audio.rate_hz,
			 f->audio.channels, f->audio.ptime_ns / 1000u);
		break;
	case DP_ESSENCE_ANC:
		rate_str(f->anc_rate, rate, sizeof(rate));
		snprintf(buf, len, "anc %s%s", rate, f->anc_interlaced ? "i" : "p");
		break;
	default:
		snprintf(buf, len, "none");
	}
}

static bool rate_eq(struct sy_rate a, struct sy_rate b)
{
	return (uint64_t)a.num * b.den == (uint64_t)b.num * a.den;
}

static bool format_eq(const struct dp_format *a, const struct dp_format *b)
{
	if (a->essence != b->essence)
		return false;
	switch (a->essence) {
	case DP_ESSENCE_VIDEO: {
		const struct sy_video_format *x = &a->video, *y = &b->video;
		return x->width == y->width && x->height == y->height &&
		       x->sampling == y->sampling && x->depth == y->depth &&
		       x->interlaced == y->interlaced && x->segmented == y->segmented &&
		       rate_eq(x->rate, y->rate) && x->tcs == y->tcs &&
		       x->colorimetry == y->colorimetry && x->packing == y->packing &&
		       x->range == y->range;
	}
	case DP_ESSENCE_AUDIO:
		return a->audio.encoding == b->audio.encoding &&
		       a->audio.rate_hz == b->audio.rate_hz &&
		       a->audio.channels == b->audio.channels &&
		       a->audio.ptime_ns == b->audio.ptime_ns;
	case DP_ESSENCE_ANC:
		return rate_eq(a->anc_rate, b->anc_rate) && a->anc_interlaced == b->anc_interlaced;
	default:
		return true;
	}
}

int dp_format_match(const struct dp_format *out_fmt, const struct dp_format *src_fmt,
		    char *why, size_t why_len)
{
	char a[160], b[160];

	if (format_eq(out_fmt, src_fmt))
		return 0;
	if (why != NULL && why_len > 0) {
		format_str(src_fmt, a, sizeof(a));
		format_str(out_fmt, b, sizeof(b));
		snprintf(why, why_len, "source is %s, output is %s", a, b);
	}
	return -SY_E_FORMAT;
}


static uint64_t period_ns(struct sy_rate r)
{
	return r.num ? (uint64_t)r.den * SY_TIME_NS_PER_S / r.num : 0;
}

static int derive_input(const struct dp *dp, const struct dp_input *in, unsigned i,
			struct dp_snap_input *si, struct dp_error *err)
{
	int rc;

	if (in->port >= dp->n_ports)
		return dp_error_set(err, -SY_E_RANGE, "input %u '%s': port %u does not exist", i,
			    in->name, in->port);
	if (in->kind >= DP_INPUT_KIND_MAX)
		return dp_error_set(err, -SY_E_RANGE, "input %u '%s': kind invalid", i, in->name);
	if (in->kind == DP_INPUT_INTERNAL) {
		if (in->gen >= DP_GEN_MAX)
			return dp_error_set(err, -SY_E_RANGE, "input %u '%s': internal source kind invalid",
				    i, in->name);
		if (dp_gen_essence(in->gen) != in->fmt.essence)
			return dp_error_set(err, -SY_E_FORMAT,
				    "input %u '%s': internal source '%s' makes %s, the input's format is %s",
				    i, in->name, dp_gen_name(in->gen),
				    dp_essence_name(dp_gen_essence(in->gen)),
				    dp_essence_name(in->fmt.essence));
	} else if (in->key.dst_ip == 0 || in->key.dst_port == 0) {
		return dp_error_set(err, -SY_E_RANGE, "input %u '%s': destination address/port missing",
			    i, in->name);
	}
	memset(si, 0, sizeof(*si));
	si->essence = in->fmt.essence;
	si->pt = in->pt;
	si->ptp_locked = in->ptp_locked || in->kind == DP_INPUT_INTERNAL;
	si->worker = dp->cfg.ports[in->port].worker;
	switch (in->fmt.essence) {
	case DP_ESSENCE_VIDEO:
		rc = sy_format_validate(&in->fmt.video);
		if (rc < 0)
			return dp_error_set(err, rc, "input %u '%s': video format invalid: %s", i,
				    in->name, sy_err_str(rc));
		si->vfmt = in->fmt.video;
		rc = sy_fastpath_video_init(&in->fmt.video, &si->fast);
		if (rc < 0)
			return dp_error_set(err, rc, "input %u '%s': video format has no pgroup", i,
				    in->name);
		si->interlaced = in->fmt.video.interlaced;
		si->clock_hz = SY_TIME_VIDEO_HZ;
		si->period_ns = period_ns(in->fmt.video.rate);
		break;
	case DP_ESSENCE_AUDIO:
		rc = sy_st2110_30_packet_bytes(&in->fmt.audio, &si->audio_bytes);
		if (rc < 0)
			return dp_error_set(err, rc, "input %u '%s': audio format invalid: %s", i,
				    in->name, sy_err_str(rc));
		si->clock_hz = in->fmt.audio.rate_hz;
		si->period_ns = in->fmt.audio.ptime_ns;
		break;
	case DP_ESSENCE_ANC:
		if (in->fmt.anc_rate.num == 0 || in->fmt.anc_rate.den == 0)
			return dp_error_set(err, -SY_E_FORMAT, "input %u '%s': ANC rate missing", i,
				    in->name);
		si->interlaced = in->fmt.anc_interlaced;
		si->clock_hz = SY_TIME_VIDEO_HZ;
		si->period_ns = period_ns(in->fmt.anc_rate);
		break;
	default:
		return dp_error_set(err, -SY_E_FORMAT, "input %u '%s': no essence", i, in->name);
	}
	si->loss_ns = in->loss_timeout_ns ? in->loss_timeout_ns
		    : in->fmt.essence == DP_ESSENCE_AUDIO ? 40000000u : 2u * si->period_ns;
	return 0;
}

static int add_flow(struct dp_snap *s, const struct dp_input *in, int16_t idx,
		    struct dp_error *err)
{
	uint32_t h = dp_flow_hash(in->key.dst_ip, in->key.dst_port);

	for (unsigned n = 0; n < DP_FLOW_TBL; n++, h = (h + 1u) & (DP_FLOW_TBL - 1u)) {
		struct dp_flow_entry *e = &s->tbl[h];

		if (e->input < 0) {
			e->dst_ip = in->key.dst_ip;
			e->dst_port = in->key.dst_port;
			e->port = in->port;
			e->src_ip = in->key.src_ip;
			e->src_port = in->key.src_port;
			e->input = idx;
			return 0;
		}
		if (e->dst_ip == in->key.dst_ip && e->dst_port == in->key.dst_port &&
		    e->port == in->port && e->src_ip == in->key.src_ip &&
		    e->src_port == in->key.src_port) {
			char ip[16];

			sy_net_ip_format(in->key.dst_ip, ip);
			return dp_error_set(err, -EEXIST, "input %d '%s': %s:%u already used by input %d",
				    idx, in->name, ip, in->key.dst_port, e->input);
		}
	}
	return dp_error_set(err, -ENOSPC, "flow table full");
}

int dp_snap_build(const struct dp *dp, const struct dp_routes *r, struct dp_snap *s,
		  struct dp_error *err)
{
	unsigned refs[DP_MAX_INPUTS] = {0};
	char why[DP_ERROR_MAX];
	int rc;

	if (r->n_inputs > DP_MAX_INPUTS || r->n_sources > DP_MAX_SOURCES ||
	    r->n_outputs > DP_MAX_OUTPUTS)
		return dp_error_set(err, -SY_E_RANGE, "too many inputs/sources/outputs");
	memcpy(&s->r, r, sizeof(*r));
	for (unsigned i = 0; i < DP_FLOW_TBL; i++)
		s->tbl[i].input = -1;
	for (unsigned i = 0; i < r->n_inputs; i++) {
		rc = derive_input(dp, &r->inputs[i], i, &s->in[i], err);
		if (rc < 0)
			return rc;
		if (r->inputs[i].kind == DP_INPUT_INTERNAL)
			continue; /* generated, never classified */
		rc = add_flow(s, &r->inputs[i], (int16_t)i, err);
		if (rc < 0)
			return rc;
	}
	for (unsigned i = 0; i < r->n_sources; i++) {
		const struct dp_source *src = &r->sources[i];
		int worker = -1;

		for (unsigned k = 0; k < DP_GROUP_MAX_FLOWS; k++) {
			int in = src->input[k];

			if (in < 0)
				continue;
			if (in >= r->n_inputs)
				return dp_error_set(err, -SY_E_RANGE, "source '%s': slot %u input %d does not exist",
					    src->name, k, in);
			if (worker >= 0 && s->in[in].worker != worker)
				return dp_error_set(err, -SY_E_STATE,
					    "source '%s': its flows arrive on ports polled by different workers",
					    src->name);
			worker = s->in[in].worker;
		}
	}
	for (unsigned o = 0; o < r->n_outputs; o++) {
		const struct dp_output *out = &r->outputs[o];
		const struct dp_crosspoint *x = &r->xpt[o];
		struct dp_snap_output *so = &s->out[o];
		unsigned n_slots = 0;

		if (out->port >= dp->n_ports)
			return dp_error_set(err, -SY_E_RANGE, "output '%s': port %u does not exist",
				    out->name, out->port);
		so->worker = dp->cfg.ports[out->port].worker;
		so->frame_period_ns = 0;
		for (unsigned k = 0; k < DP_GROUP_MAX_FLOWS; k++) {
			const struct dp_output_flow *f = &out->flow[k];

			if (f->fmt.essence == DP_ESSENCE_NONE)
				continue;
			n_slots++;
			if (f->id.dst_ip == 0 || f->id.dst_port == 0)
				return dp_error_set(err, -SY_E_RANGE,
					    "output '%s' %s: destination address/port missing",
					    out->name, dp_essence_name(f->fmt.essence));
			if (f->fmt.essence == DP_ESSENCE_VIDEO &&
			    (rc = sy_format_validate(&f->fmt.video)) < 0)
				return dp_error_set(err, rc, "output '%s': video format invalid: %s",
					    out->name, sy_err_str(rc));
			if (f->fmt.essence == DP_ESSENCE_VIDEO || so->frame_period_ns == 0) {
				if (f->fmt.essence == DP_ESSENCE_VIDEO)
					so->frame_period_ns = period_ns(f->fmt.video.rate);
				else if (f->fmt.essence == DP_ESSENCE_ANC)
					so->frame_period_ns = period_ns(f->fmt.anc_rate);
				else
					so->frame_period_ns = f->fmt.audio.ptime_ns;
			}
			if (sy_net_ip_is_multicast(f->id.dst_ip) &&
			    !(f->id.dst_mac[0] | f->id.dst_mac[1] | f->id.dst_mac[2] |
			      f->id.dst_mac[3] | f->id.dst_mac[4] | f->id.dst_mac[5]))
				sy_net_mcast_mac(f->id.dst_ip, so->dst_mac[k]);
			else
				memcpy(so->dst_mac[k], f->id.dst_mac, 6);
			/* unicast without an explicit MAC: the worker resolves it
			 * by ARP (dp_host.c) and writes the learned MAC */
			so->resolve[k] = !sy_net_ip_is_multicast(f->id.dst_ip) &&
					 !(f->id.dst_mac[0] | f->id.dst_mac[1] | f->id.dst_mac[2] |
					   f->id.dst_mac[3] | f->id.dst_mac[4] | f->id.dst_mac[5]);
			if (f->id.src_mac[0] | f->id.src_mac[1] | f->id.src_mac[2] |
			    f->id.src_mac[3] | f->id.src_mac[4] | f->id.src_mac[5])
				memcpy(so->src_mac[k], f->id.src_mac, 6);
			else
				memcpy(so->src_mac[k], dp->port_mac[out->port], 6);
			struct dp_rw *rw = &so->rw[k];

			memcpy(rw->eth, so->dst_mac[k], 6);
			memcpy(rw->eth + 6, so->src_mac[k], 6);
			rw->src_be = rte_cpu_to_be_32(f->id.src_ip);
			rw->dst_be = rte_cpu_to_be_32(f->id.dst_ip);
			rw->ports_be = rte_cpu_to_be_32((uint32_t)f->id.src_port << 16 | f->id.dst_port);
			rw->ssrc_be = rte_cpu_to_be_32(f->id.ssrc);
			rw->addr_sum = (f->id.src_ip >> 16) + (f->id.src_ip & 0xffffu) +
				       (f->id.dst_ip >> 16) + (f->id.dst_ip & 0xffffu);
			rw->tos_bits = (uint16_t)((f->id.dscp & 0x3fu) << 2);
			rw->ttl = f->id.ttl;
			rw->pt = f->id.pt & 0x7fu;
		}
		if (n_slots == 0)
			return dp_error_set(err, -SY_E_RANGE, "output '%s' has no flow", out->name);
		so->hold_timeout_ns = dp->cfg.hold_timeout_ns ? dp->cfg.hold_timeout_ns
							      : so->frame_period_ns * 3u / 2u;
		if (out->on_loss >= DP_LOSS_MODE_MAX)
			return dp_error_set(err, -SY_E_RANGE, "output '%s': on_loss invalid", out->name);
		if (out->on_loss == DP_LOSS_BLACK) {
			const struct dp_source *ls;

			if (out->loss_source < 0 || out->loss_source >= (int)r->n_sources)
				return dp_error_set(err, -SY_E_RANGE, "output '%s': loss source %d does not exist",
					    out->name, out->loss_source);
			ls = &r->sources[out->loss_source];
			for (unsigned k = 0; k < DP_GROUP_MAX_FLOWS; k++) {
				int in = ls->input[k];

				if (out->flow[k].fmt.essence == DP_ESSENCE_NONE || in < 0)
					continue;
				if (dp_format_match(&out->flow[k].fmt, &r->inputs[in].fmt, why,
						    sizeof(why)) < 0)
					return dp_error_set(err, -SY_E_FORMAT, "output '%s': loss source '%s': %s",
						    out->name, ls->name, why);
				if (s->in[in].worker != so->worker)
					return dp_error_set(err, -SY_E_STATE,
						    "output '%s': loss source '%s' is on another worker",
						    out->name, ls->name);
			}
		}
		if (x->source < -1 || x->source >= (int)r->n_sources)
			return dp_error_set(err, -SY_E_RANGE, "output '%s': source %d does not exist",
				    out->name, x->source);
		if (x->mode >= DP_TAKE_MODE_MAX)
			return dp_error_set(err, -SY_E_RANGE, "output '%s': take mode invalid", out->name);
		if (x->source < 0)
			continue;
		const struct dp_source *src = &r->sources[x->source];

		for (unsigned k = 0; k < DP_GROUP_MAX_FLOWS; k++) {
			const struct dp_output_flow *f = &out->flow[k];
			int in = src->input[k];

			if (f->fmt.essence == DP_ESSENCE_NONE)
				continue;
			if (in < 0)
				return dp_error_set(err, -SY_E_FORMAT,
					    "take refused: output '%s' carries %s in slot %u, source '%s' has none",
					    out->name, dp_essence_name(f->fmt.essence), k, src->name);
			if (dp_format_match(&f->fmt, &r->inputs[in].fmt, why, sizeof(why)) < 0)
				return dp_error_set(err, -SY_E_FORMAT,
					    "take refused: output '%s' <- source '%s': %s",
					    out->name, src->name, why);
			if (s->in[in].worker != so->worker)
				return dp_error_set(err, -SY_E_STATE,
					    "take refused: output '%s' and source '%s' are on different workers",
					    out->name, src->name);
			if (++refs[in] > DP_MAX_FANOUT / 2u)
				return dp_error_set(err, -SY_E_RANGE, "input '%s' feeds more than %u outputs",
					    r->inputs[in].name, DP_MAX_FANOUT / 2u);
		}
	}
	return 0;
}
