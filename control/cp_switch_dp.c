/* SPDX-License-Identifier: MIT */
/*
 * cp_switch_dp.c: the production switching engine: struct cp_switch_ops on
 * the DPDK dataplane (dataplane/dp.h).
 *
 * Why: the model (cp_model.c) speaks in config indices, TAI times and IS-05
 * transport parameters; the dataplane speaks in route snapshots, take ids
 * and events. This file is the only translation between the two.
 *
 * Routes, rebuilt from the model on every change and published whole
 * (dp_publish swaps one pointer; the old snapshot is reclaimed later):
 *  - one dp_input per essence of each network input (config order, video,
 *    audio, ANC), keyed by the IS-05 active transport params (leg 0;
 *    ST 2022-7 leg 1 is not received yet);
 *  - one dp_source per model input, same index (internal inputs have no
 *    flows: dp.h has no internal sources yet, so a take from one is refused);
 *    flow slot k = essence k;
 *  - one dp_output per output, same index, flow slot k = essence k, its
 *    identity from the active sender params (or the config), SSRC derived
 *    from the output id;
 *  - the crosspoint: per output a take id that grows by one per take.
 * Indices never move, so republishing for an IS-05 change never disturbs
 * another flow's frame tracking or an output's continuity.
 *
 * Takes: take(out, in, 0) -> DP_TAKE_IMMEDIATE; take(out, in, t) ->
 * DP_TAKE_AT_TAI at t. The take the model asked for last is the one whose
 * DP_EV_TAKE_DONE is reported (CP_SWITCH_EV_TAKE_DONE: the frame time it
 * landed on, RTP timestamp, frames held/dropped). Senders all disabled
 * (master_enable false) make the output idle by an internal take that is not
 * reported; enabling them again takes the requested input back.
 *
 * Receivers disabled: the flow stays classified (and counted) but its source
 * slot is emptied, so nothing is forwarded from it; refused while on air.
 *
 * Thread: the libuv loop thread = the EAL main lcore. Workers run on the
 * worker lcores (dp_start). poll() is called from the app's 20 ms tick: it
 * drains events and reclaims retired snapshots, never blocking.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cp_config.h"
#include "cp_switch.h"
#include "dp.h"
#include "sy_err.h"
#include "sy_time.h"

#define DPE_EVENTS_MAX 64u

struct dpe_out {
	int32_t want_in;      /* requested by the model; -1 none */
	uint32_t take_id;     /* last published */
	uint32_t report_id;   /* take id whose landing the model waits for; 0 none */
	bool enabled[CP_ESS_MAX];
	struct cp_switch_leg leg[CP_ESS_MAX];
	uint64_t takes_landed;
};

struct dpe {
	struct cp_switch base; /* first: cast */
	const struct cp_config *cfg;
	struct dp *dp;
	struct dp_routes *routes; /* last published */
	int16_t in_flow[CP_MAX_INPUTS][CP_ESS_MAX]; /* dp input per model input essence; -1 */
	bool in_enabled[CP_MAX_INPUTS][CP_ESS_MAX];
	struct sy_flow_key key[DP_MAX_INPUTS]; /* per dp input: active IS-05 leg 0 */
	struct dpe_out out[CP_MAX_OUTPUTS];
	struct dp_stats *stats;
	uint64_t stats_at_ns;
	struct cp_switch_event pendq[DPE_EVENTS_MAX]; /* engine-made events (refusals) */
	uint32_t n_pendq;
	char err[DP_ERROR_MAX + 64];
};

static uint64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* dataplane error codes -> the errno values the model maps to HTTP */
static int map_rc(int rc)
{
	if (rc == -SY_E_FORMAT)
		return -EMEDIUMTYPE;
	if (rc == -SY_E_RANGE)
		return -ERANGE;
	if (rc == -SY_E_STATE)
		return -EXDEV;
	return rc < -4095 ? -EIO : rc;
}

static uint32_t ssrc_of(const char *id, unsigned e)
{
	uint32_t h = 2166136261u; /* FNV-1a over "id/e" */
	for (const char *p = id; *p; p++)
		h = (h ^ (uint8_t)*p) * 16777619u;
	h = (h ^ (uint8_t)('0' + e)) * 16777619u;
	return h ? h : 1u;
}

static void dp_fmt(const struct cp_essence_cfg *ess, unsigned e, struct dp_format *f)
{
	memset(f, 0, sizeof(*f));
	switch (e) {
	case CP_ESS_VIDEO:
		f->essence = DP_ESSENCE_VIDEO;
		f->video = ess[CP_ESS_VIDEO].video;
		break;
	case CP_ESS_AUDIO:
		f->essence = DP_ESSENCE_AUDIO;
		f->audio = ess[CP_ESS_AUDIO].audio;
		break;
	default:
		f->essence = DP_ESSENCE_ANC;
		f->anc_rate = ess[CP_ESS_VIDEO].video.rate;
		f->anc_interlaced = ess[CP_ESS_VIDEO].video.interlaced;
		break;
	}
}

/* Rebuild everything but the crosspoints into d->routes (indices fixed). */
static void build_routes(struct dpe *d, struct dp_routes *r)
{
	const struct cp_config *c = d->cfg;
	static const uint8_t dscp[CP_ESS_MAX] = {34, 46, 34}; /* AF41 video/ANC, EF audio */
	r->n_inputs = 0;
	for (uint32_t i = 0; i < c->n_inputs; i++) {
		const struct cp_input_cfg *ic = &c->input[i];
		struct dp_source *s = &r->sources[i];
		memset(s, 0, sizeof(*s));
		snprintf(s->name, sizeof(s->name), "%s", ic->id);
		for (unsigned k = 0; k < DP_GROUP_MAX_FLOWS; k++)
			s->input[k] = -1;
		for (unsigned e = 0; e < CP_ESS_MAX; e++) {
			int16_t fi = d->in_flow[i][e];
			if (fi < 0)
				continue;
			struct dp_input *in = &r->inputs[fi];
			memset(in, 0, sizeof(*in));
			snprintf(in->name, sizeof(in->name), "%s/%s", ic->id,
				 dp_essence_name((enum dp_essence)(e + 1)));
			in->port = (uint16_t)ic->dp_port;
			dp_fmt(ic->ess, e, &in->fmt);
			in->pt = ic->ess[e].tr.pt;
			in->ptp_locked = ic->ptp_locked;
			if (fi + 1 > r->n_inputs)
				r->n_inputs = (uint16_t)(fi + 1);
			if (d->in_enabled[i][e])
				s->input[e] = fi;
		}
	}
	r->n_sources = (uint16_t)c->n_inputs;
	r->n_outputs = (uint16_t)c->n_outputs;
	for (uint32_t o = 0; o < c->n_outputs; o++) {
		const struct cp_output_cfg *oc = &c->output[o];
		struct dp_output *out = &r->outputs[o];
		const struct dpe_out *st = &d->out[o];
		uint32_t src_ip_default = c->dp.port[oc->dp_port].ip ? c->dp.port[oc->dp_port].ip
								     : c->interface_ip;
		memset(out, 0, sizeof(*out));
		snprintf(out->name, sizeof(out->name), "%s", oc->id);
		out->port = (uint16_t)oc->dp_port;
		out->restamp = oc->restamp;
		out->udp_csum = DP_UDP_CSUM_UPDATE;
		bool any = false;
		for (unsigned e = 0; e < CP_ESS_MAX; e++)
			any |= oc->ess[e].present && st->enabled[e];
		for (unsigned e = 0; e < CP_ESS_MAX; e++) {
			if (!oc->ess[e].present)
				continue;
			/* all senders disabled: keep the video flow's identity (an
			 * output needs one flow); the crosspoint is idle then */
			if (!st->enabled[e] && (any || e != CP_ESS_VIDEO))
				continue;
			struct dp_output_flow *f = &out->flow[e];
			const struct cp_switch_leg *lg = &st->leg[e];
			dp_fmt(oc->ess, e, &f->fmt);
			f->id.dst_ip = lg->dst_ip;
			f->id.dst_port = lg->dst_port;
			f->id.src_ip = lg->src_ip ? lg->src_ip : src_ip_default;
			f->id.src_port = lg->src_port ? lg->src_port : lg->dst_port;
			f->id.ssrc = ssrc_of(oc->id, e);
			f->id.pt = oc->ess[e].tr.pt;
			f->id.dscp = dscp[e];
			f->id.ttl = oc->ess[e].tr.ttl ? oc->ess[e].tr.ttl : 32;
		}
	}
}

/* Publish routes (inputs/outputs rebuilt, crosspoints from r->xpt). On
 * failure d->err holds why and nothing changed in the dataplane. */
static int publish(struct dpe *d, struct dp_routes *r)
{
	struct dp_error de = {0};
	build_routes(d, r);
	for (unsigned i = 0; i < r->n_inputs; i++)
		r->inputs[i].key = d->key[i];
	int rc = dp_publish(d->dp, r, &de);
	if (rc < 0) {
		snprintf(d->err, sizeof(d->err), "%s", de.text[0] ? de.text : sy_err_str(rc));
		return map_rc(rc);
	}
	d->err[0] = 0;
	return 0;
}

/* Trial publication: work on a copy so a refusal leaves d->routes as it was. */
static int try_publish(struct dpe *d, struct dp_routes *trial)
{
	int rc = publish(d, trial);
	if (rc == 0)
		memcpy(d->routes, trial, sizeof(*trial));
	return rc;
}

static struct dp_routes *scratch(struct dpe *d)
{
	struct dp_routes *t = malloc(sizeof(*t));
	if (t)
		memcpy(t, d->routes, sizeof(*t));
	return t;
}

static void queue_event(struct dpe *d, const struct cp_switch_event *ev)
{
	if (d->n_pendq < DPE_EVENTS_MAX)
		d->pendq[d->n_pendq++] = *ev;
}

static int dpe_take(struct cp_switch *sw, uint32_t o, int32_t in, uint64_t at_tai_ns)
{
	struct dpe *d = (struct dpe *)sw;
	const struct cp_config *c = d->cfg;
	if (o >= c->n_outputs || in < -1 || in >= (int32_t)c->n_inputs)
		return -EINVAL;
	if (in >= 0 && c->input[in].internal != CP_INTERNAL_NONE) {
		snprintf(d->err, sizeof(d->err),
			 "input '%s' is an internal source: the dataplane has no internal sources "
			 "yet, so it cannot be switched",
			 c->input[in].id);
		return -EOPNOTSUPP;
	}
	struct dpe_out *st = &d->out[o];
	bool any = false;
	for (unsigned e = 0; e < CP_ESS_MAX; e++)
		any |= c->output[o].ess[e].present && st->enabled[e];
	if (!any) {
		/* every sender disabled: remembered, taken when one is enabled */
		if (st->report_id) {
			struct cp_switch_event ev = {.kind = CP_SWITCH_EV_TAKE_FAILED, .out_idx = o,
						     .in_idx = st->want_in};
			queue_event(d, &ev);
		}
		st->want_in = in;
		st->report_id = 0;
		return 0;
	}
	struct dp_routes *t = scratch(d);
	if (!t)
		return -ENOMEM;
	struct dp_crosspoint *x = &t->xpt[o];
	x->source = (int16_t)in;
	x->take_id = st->take_id + 1;
	x->mode = at_tai_ns ? DP_TAKE_AT_TAI : DP_TAKE_IMMEDIATE;
	x->tai_ns = at_tai_ns;
	x->not_before_ns = 0;
	int rc = try_publish(d, t);
	free(t);
	if (rc < 0)
		return rc;
	st->take_id++;
	st->want_in = in;
	st->report_id = st->take_id;
	return 0;
}

static int dpe_set_input(struct cp_switch *sw, uint32_t i, uint32_t e,
			 const struct cp_switch_leg legs[2], uint32_t n_legs)
{
	struct dpe *d = (struct dpe *)sw;
	const struct cp_config *c = d->cfg;
	if (i >= c->n_inputs || e >= CP_ESS_MAX || n_legs < 1 || n_legs > 2)
		return -EINVAL;
	int16_t fi = d->in_flow[i][e];
	if (fi < 0) {
		snprintf(d->err, sizeof(d->err), "input '%s' has no %s flow in the dataplane",
			 c->input[i].id, dp_essence_name((enum dp_essence)(e + 1)));
		return -EINVAL;
	}
	bool enable = legs[0].enabled;
	if (!enable)
		for (uint32_t o = 0; o < c->n_outputs; o++)
			if (d->routes->xpt[o].source == (int16_t)i && c->output[o].ess[e].present) {
				snprintf(d->err, sizeof(d->err),
					 "input '%s' is on air on output '%s': take it off before "
					 "disabling its receiver", c->input[i].id, c->output[o].id);
				return -EBUSY;
			}
	struct sy_flow_key saved = d->key[fi];
	bool saved_en = d->in_enabled[i][e];
	if (enable) {
		d->key[fi].dst_ip = legs[0].dst_ip;
		d->key[fi].dst_port = legs[0].dst_port;
		d->key[fi].src_ip = legs[0].src_ip;
		d->key[fi].src_port = 0;
	}
	d->in_enabled[i][e] = enable;
	struct dp_routes *t = scratch(d);
	if (!t)
		return -ENOMEM;
	int rc = try_publish(d, t);
	free(t);
	if (rc < 0) {
		d->key[fi] = saved;
		d->in_enabled[i][e] = saved_en;
	}
	return rc;
}

static int dpe_set_output(struct cp_switch *sw, uint32_t o, uint32_t e,
			  const struct cp_switch_leg legs[2], uint32_t n_legs, bool enable)
{
	struct dpe *d = (struct dpe *)sw;
	const struct cp_config *c = d->cfg;
	if (o >= c->n_outputs || e >= CP_ESS_MAX || n_legs < 1 || n_legs > 2 ||
	    !c->output[o].ess[e].present)
		return -EINVAL;
	struct dpe_out *st = &d->out[o];
	struct dpe_out saved = *st;
	bool was_any = false, any = false;
	for (unsigned k = 0; k < CP_ESS_MAX; k++)
		was_any |= c->output[o].ess[k].present && st->enabled[k];
	st->leg[e] = legs[0];
	st->enabled[e] = enable;
	for (unsigned k = 0; k < CP_ESS_MAX; k++)
		any |= c->output[o].ess[k].present && st->enabled[k];
	struct dp_routes *t = scratch(d);
	if (!t)
		return -ENOMEM;
	struct dp_crosspoint *x = &t->xpt[o];
	bool retake = false;
	if (was_any && !any && x->source >= 0) {
		/* idle while every sender is off (internal take, not reported) */
		x->source = -1;
		retake = true;
	} else if (!was_any && any && st->want_in >= 0) {
		x->source = (int16_t)st->want_in;
		retake = true;
	}
	if (retake) {
		x->take_id = st->take_id + 1;
		x->mode = DP_TAKE_IMMEDIATE;
		x->tai_ns = x->not_before_ns = 0;
	}
	int rc = try_publish(d, t);
	free(t);
	if (rc < 0) {
		*st = saved;
		return rc;
	}
	if (retake) {
		st->take_id++;
		/* re-enabled: the model sees the requested input land again */
		st->report_id = any ? st->take_id : 0;
	}
	return 0;
}

static const struct dp_stats *stats(struct dpe *d)
{
	uint64_t now = mono_ns();
	uint64_t period = (uint64_t)(d->cfg->dp.stats_ms ? d->cfg->dp.stats_ms : 200) * 1000000u;
	if (!d->stats_at_ns || now - d->stats_at_ns >= period) {
		dp_stats_read(d->dp, d->stats);
		d->stats_at_ns = now;
	}
	return d->stats;
}

static int dpe_in_counters(struct cp_switch *sw, uint32_t i, struct cp_switch_io_counters *c)
{
	struct dpe *d = (struct dpe *)sw;
	if (i >= d->cfg->n_inputs)
		return -EINVAL;
	const struct dp_stats *s = stats(d);
	memset(c, 0, sizeof(*c));
	for (unsigned e = 0; e < CP_ESS_MAX; e++) {
		int16_t fi = d->in_flow[i][e];
		if (fi < 0)
			continue;
		c->packets += s->inputs[fi].pkts;
		c->bytes += s->inputs[fi].bytes;
		c->drops += s->inputs[fi].malformed;
	}
	return 0;
}

static int dpe_out_counters(struct cp_switch *sw, uint32_t o, struct cp_switch_io_counters *c)
{
	struct dpe *d = (struct dpe *)sw;
	if (o >= d->cfg->n_outputs)
		return -EINVAL;
	const struct dp_stats *s = stats(d);
	memset(c, 0, sizeof(*c));
	for (unsigned k = 0; k < DP_GROUP_MAX_FLOWS; k++) {
		c->packets += s->outputs[o][k].pkts;
		c->bytes += s->outputs[o][k].bytes;
	}
	c->takes = d->out[o].takes_landed;
	return 0;
}

static int dpe_engine_stats(struct cp_switch *sw, struct cp_switch_engine_stats *es)
{
	struct dpe *d = (struct dpe *)sw;
	const struct dp_stats *s = stats(d);
	memset(es, 0, sizeof(*es));
	es->rx_pkts = s->rx_pkts;
	es->tx_pkts = s->tx_pkts;
	es->events_lost = s->events_lost;
	es->n_workers = dp_n_workers(d->dp);
	es->snapshots_waiting = dp_reclaim(d->dp);
	for (unsigned k = 0; k < DP_DROP_MAX && k < CP_SWITCH_MAX_DROPS; k++) {
		es->drop_name[k] = dp_drop_name((enum dp_drop)k);
		es->drops[k] = s->drops[k];
		es->n_drops = k + 1;
	}
	return 0;
}

static uint32_t dpe_poll(struct cp_switch *sw, uint64_t now, struct cp_switch_event *ev,
			 uint32_t max)
{
	struct dpe *d = (struct dpe *)sw;
	struct dp_event de[32];
	uint32_t n = 0;
	(void)now;
	dp_reclaim(d->dp);
	while (d->n_pendq && n < max) {
		ev[n++] = d->pendq[0];
		memmove(d->pendq, d->pendq + 1, --d->n_pendq * sizeof(d->pendq[0]));
	}
	/* never take more from the rings than fits in ev */
	while (n < max) {
		unsigned want = max - n < 32 ? max - n : 32;
		unsigned got = dp_events_drain(d->dp, de, want);
		for (unsigned k = 0; k < got; k++) {
			const struct dp_event *e = &de[k];
			if (e->output >= d->cfg->n_outputs || e->kind == DP_EV_PONG)
				continue;
			struct dpe_out *st = &d->out[e->output];
			if (e->kind == DP_EV_TAKE_DONE)
				st->takes_landed++;
			if (e->take_id != st->report_id || st->report_id == 0)
				continue; /* superseded or internal (sender disable) */
			st->report_id = 0;
			memset(&ev[n], 0, sizeof(ev[n]));
			ev[n].out_idx = e->output;
			ev[n].in_idx = e->source;
			if (e->kind == DP_EV_TAKE_DONE) {
				ev[n].kind = CP_SWITCH_EV_TAKE_DONE;
				ev[n].tai_ns = e->switch_tai_ns;
				ev[n].rtp_ts = e->rtp_ts_out;
				ev[n].frames_held = e->frames_held;
				ev[n].frames_lost = e->frames_dropped;
			} else {
				ev[n].kind = CP_SWITCH_EV_TAKE_FAILED;
				snprintf(d->err, sizeof(d->err), "the dataplane refused the take on "
								 "'%s': %s",
					 d->cfg->output[e->output].id, sy_err_str(e->code));
			}
			n++;
		}
		if (got < want)
			break;
	}
	return n;
}

/* Workers start after the app applied restored state (cp_switch.h). */
static int dpe_start(struct cp_switch *sw)
{
	struct dpe *d = (struct dpe *)sw;
	int rc = dp_start(d->dp);
	if (rc < 0)
		snprintf(d->err, sizeof(d->err), "cannot start %u worker(s): %s (give the EAL one "
						 "lcore per worker besides the main one)",
			 dp_n_workers(d->dp), sy_err_str(rc));
	return rc;
}

static const char *dpe_last_error(struct cp_switch *sw)
{
	return ((struct dpe *)sw)->err;
}

static void dpe_destroy(struct cp_switch *sw)
{
	struct dpe *d = (struct dpe *)sw;
	if (!d)
		return;
	dp_destroy(d->dp);
	free(d->routes);
	free(d->stats);
	free(d);
}

static const struct cp_switch_ops dpe_ops = {
	.name = "dataplane",
	.take = dpe_take,
	.set_input = dpe_set_input,
	.set_output = dpe_set_output,
	.input_counters = dpe_in_counters,
	.output_counters = dpe_out_counters,
	.poll = dpe_poll,
	.destroy = dpe_destroy,
	.last_error = dpe_last_error,
	.start = dpe_start,
	.engine_stats = dpe_engine_stats,
};

static bool has_lcore_arg(const struct cp_dataplane_cfg *dc)
{
	for (uint32_t k = 0; k < dc->n_eal; k++)
		if (!strcmp(dc->eal[k], "-l") || !strncmp(dc->eal[k], "--lcores", 8) ||
		    !strcmp(dc->eal[k], "-c") || !strncmp(dc->eal[k], "-l", 2))
			return true;
	return false;
}

int cp_switch_dp_create(const struct cp_config *cfg, struct cp_switch **out, char *err,
			size_t err_cap)
{
	static bool eal_used;
	static char lcores[16];
	const struct cp_dataplane_cfg *dc = &cfg->dp;
	if (!dc->present) {
		snprintf(err, err_cap, "%s: engine 'dataplane' needs a \"dataplane\" section (EAL "
				       "arguments and ports, see docs/api.md); use --engine none "
				       "for the API alone", cfg->origin);
		return -EINVAL;
	}
	if (eal_used) {
		snprintf(err, err_cap, "the DPDK EAL can start only once per process");
		return -EALREADY;
	}
	struct dpe *d = calloc(1, sizeof(*d));
	struct dp_config *dcfg = calloc(1, sizeof(*dcfg));
	int rc = -ENOMEM;
	if (!d || !dcfg)
		goto fail;
	d->routes = calloc(1, sizeof(*d->routes));
	d->stats = calloc(1, sizeof(*d->stats));
	if (!d->routes || !d->stats)
		goto fail;
	d->cfg = cfg;
	d->base.ops = &dpe_ops;
	d->base.kind = CP_SWITCH_DATAPLANE;
	/* dp inputs: every essence of every network input, config order */
	uint32_t n_flows = 0;
	for (uint32_t i = 0; i < cfg->n_inputs; i++)
		for (unsigned e = 0; e < CP_ESS_MAX; e++) {
			const struct cp_input_cfg *ic = &cfg->input[i];
			d->in_flow[i][e] = -1;
			if (ic->internal != CP_INTERNAL_NONE || !ic->ess[e].present)
				continue;
			if (n_flows == DP_MAX_INPUTS) {
				snprintf(err, err_cap, "more than %u network flows: the dataplane "
						       "holds at most %u", DP_MAX_INPUTS, DP_MAX_INPUTS);
				rc = -ERANGE;
				goto fail;
			}
			const struct cp_switch_leg *lg = &ic->ess[e].tr.leg[0];
			d->key[n_flows].dst_ip = lg->dst_ip;
			d->key[n_flows].dst_port = lg->dst_port;
			d->key[n_flows].src_ip = lg->src_ip;
			d->in_flow[i][e] = (int16_t)n_flows++;
			d->in_enabled[i][e] = true;
		}
	for (uint32_t o = 0; o < cfg->n_outputs; o++) {
		struct dpe_out *st = &d->out[o];
		st->want_in = -1;
		for (unsigned e = 0; e < CP_ESS_MAX; e++) {
			st->enabled[e] = cfg->output[o].ess[e].present;
			st->leg[e] = cfg->output[o].ess[e].tr.leg[0];
		}
		d->routes->xpt[o].source = -1;
	}
	/* EAL: argv[0], the configured arguments, lcores if not given */
	dcfg->eal_args[dcfg->n_eal_args++] = "switchyard";
	for (uint32_t k = 0; k < dc->n_eal && dcfg->n_eal_args < DP_MAX_EAL_ARGS - 2; k++)
		dcfg->eal_args[dcfg->n_eal_args++] = dc->eal[k];
	if (!has_lcore_arg(dc)) {
		snprintf(lcores, sizeof(lcores), "0-%u", dc->workers);
		dcfg->eal_args[dcfg->n_eal_args++] = "-l";
		dcfg->eal_args[dcfg->n_eal_args++] = lcores;
	}
	dcfg->n_ports = dc->n_ports;
	for (uint32_t p = 0; p < dc->n_ports; p++) {
		struct dp_port_config *pc = &dcfg->ports[p];
		const struct cp_dp_port_cfg *cp = &dc->port[p];
		snprintf(pc->name, sizeof(pc->name), "%s", cp->name);
		snprintf(pc->devargs, sizeof(pc->devargs), "%s", cp->devargs);
		memcpy(pc->mac, cp->mac, 6);
		pc->ip = cp->ip ? cp->ip : cfg->interface_ip;
		pc->worker = cp->worker;
		pc->rx_timestamps = cp->rx_timestamps;
		pc->rx_ts_unit_ns = cp->rx_ts_unit_ns;
		pc->rx_ts_offset_ns = cp->rx_ts_offset_ns;
	}
	dcfg->n_workers = dc->workers;
	dcfg->n_mbufs = dc->mbufs;
	dcfg->n_hdr_mbufs = dc->hdr_mbufs;
	dcfg->hold_pkts = dc->hold_pkts;
	dcfg->hold_timeout_ns = dc->hold_timeout_ns;
	dcfg->tai_utc_offset_s = cfg->tai_utc_offset_s;
	struct dp_error de = {0};
	eal_used = true;
	rc = dp_create(dcfg, &d->dp, &de);
	if (rc < 0) {
		snprintf(err, err_cap, "dataplane: %s (%s)", de.text[0] ? de.text : sy_err_str(rc),
			 sy_err_name(rc));
		goto fail;
	}
	rc = publish(d, d->routes);
	if (rc < 0) {
		snprintf(err, err_cap, "dataplane routes: %s", d->err);
		goto fail;
	}
	free(dcfg);
	*out = &d->base;
	return 0;
fail:
	if (d) {
		dp_destroy(d->dp);
		free(d->routes);
		free(d->stats);
	}
	free(d);
	free(dcfg);
	return rc;
}
