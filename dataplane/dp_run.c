/* SPDX-License-Identifier: MIT */
/*
 * dp_run.c: sy-dp-run CONFIG.json: drive the dataplane from a JSON file
 * until the control plane exists (and for pcap-in -> pcap-out tests).
 *
 * The configuration names ports (DPDK device strings), inputs (flow keys,
 * format from an SDP file), sources (groups of inputs), outputs (identity +
 * format), initial crosspoints and a list of takes. The runner polls the
 * single worker inline on the main lcore (deterministic with net_pcap:
 * arrival time = capture time), publishes each take as a new snapshot when
 * the output's previous take has completed, runs until the input captures
 * are exhausted, then prints counters and events as JSON on stdout.
 * Schema: docs/dataplane.md. jansson is allowed here (runner only).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "dp.h"
#include "sy_err.h"
#include "sy_sdp.h"
#include "sy_time.h"

#define MAX_TAKES 4096u

struct take {
	int out, src;
	enum dp_take_mode mode;
	uint64_t tai_ns, not_before_ns, at_packet;
	int64_t after_ms;      /* immediate take published after this much run time; -1 */
	bool published, done;
};

struct run {
	struct dp_config cfg;
	struct dp_routes *routes;
	char *eal_store[DP_MAX_EAL_ARGS];
	struct take takes[MAX_TAKES];
	unsigned n_takes;
	uint32_t take_id[DP_MAX_OUTPUTS];
	int cur_take[DP_MAX_OUTPUTS]; /* index into takes, -1 none in flight */
	json_t *events;
	json_t *refused;
};

static int die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "sy-dp-run: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(2);
}

static const char *jstr(json_t *o, const char *k, const char *def)
{
	json_t *v = json_object_get(o, k);

	return json_is_string(v) ? json_string_value(v) : def;
}

static int64_t jint(json_t *o, const char *k, int64_t def)
{
	json_t *v = json_object_get(o, k);

	return json_is_integer(v) ? json_integer_value(v) : def;
}

static bool jbool(json_t *o, const char *k, bool def)
{
	json_t *v = json_object_get(o, k);

	return json_is_boolean(v) ? json_is_true(v) : def;
}

static void parse_ipport(const char *s, uint32_t *ip, uint16_t *port, const char *what)
{
	const char *c = strchr(s, ':');
	size_t n = c ? (size_t)(c - s) : strlen(s);

	if (sy_net_ip_parse(s, n, ip) < 0)
		die("%s: '%s' is not an IPv4 address[:port]", what, s);
	if (c != NULL && port != NULL) {
		long p = strtol(c + 1, NULL, 10);

		if (p <= 0 || p > 65535)
			die("%s: port in '%s' out of range", what, s);
		*port = (uint16_t)p;
	}
}

static void parse_mac(const char *s, uint8_t mac[6], const char *what)
{
	unsigned v[6];

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]) != 6)
		die("%s: '%s' is not a MAC address", what, s);
	for (unsigned i = 0; i < 6; i++)
		mac[i] = (uint8_t)v[i];
}

/* Format (and destination, PT, locked) of media `media` of an SDP file. */
static void load_sdp(const char *path, unsigned media, struct dp_format *f, struct sy_flow_key *key,
		     uint8_t *pt, bool *locked, json_t *j)
{
	FILE *fp = fopen(path, "rb");
	static char text[65536];
	struct sy_sdp sdp;
	struct sy_sdp_error err;
	size_t n;
	int rc;

	if (fp == NULL)
		die("SDP '%s': %s", path, strerror(errno));
	n = fread(text, 1, sizeof(text), fp);
	fclose(fp);
	rc = sy_sdp_parse(text, n, &sdp, &err);
	if (rc < 0)
		die("SDP '%s': %s", path, err.reason);
	if (media >= sdp.n_media)
		die("SDP '%s': no media %u", path, media);
	const struct sy_sdp_media *m = &sdp.media[media];
	const struct sy_sdp_conn *c = sy_sdp_media_conn(&sdp, media);
	const struct sy_sdp_clock *ck = sy_sdp_media_clock(&sdp, media);

	memset(f, 0, sizeof(*f));
	switch (m->essence) {
	case SY_SDP_VIDEO:
		f->essence = DP_ESSENCE_VIDEO;
		f->video = m->video.fmt;
		break;
	case SY_SDP_AUDIO:
		f->essence = DP_ESSENCE_AUDIO;
		f->audio = m->audio.fmt;
		break;
	case SY_SDP_ANC: {
		json_t *r = json_object_get(j, "anc_rate");

		f->essence = DP_ESSENCE_ANC;
		if (!json_is_array(r) || json_array_size(r) != 2)
			die("SDP '%s': ANC input needs \"anc_rate\": [num, den]", path);
		f->anc_rate.num = (uint32_t)json_integer_value(json_array_get(r, 0));
		f->anc_rate.den = (uint32_t)json_integer_value(json_array_get(r, 1));
		f->anc_interlaced = jbool(j, "anc_interlaced", false);
		break;
	}
	default:
		die("SDP '%s': media %u essence not supported", path, media);
	}
	if (key != NULL) {
		key->dst_ip = c ? c->ip : 0;
		key->dst_port = m->port;
		key->src_ip = m->filter.present ? m->filter.src_ip : 0;
	}
	if (pt)
		*pt = m->pt;
	if (locked) {
		*locked = false;
		for (unsigned i = 0; ck && i < ck->n_refclk; i++)
			*locked |= ck->refclk[i].kind != SY_SDP_REFCLK_LOCALMAC;
	}
}

static int find_name(json_t *arr, const char *name)
{
	size_t i;
	json_t *v;

	json_array_foreach(arr, i, v) {
		if (strcmp(jstr(v, "name", ""), name) == 0)
			return (int)i;
	}
	return -1;
}

static void load_config(struct run *r, const char *path, json_t **root_out)
{
	json_error_t je;
	json_t *root = json_load_file(path, 0, &je);
	json_t *a, *v;
	size_t i;

	if (root == NULL)
		die("%s:%d: %s", path, je.line, je.text);
	*root_out = root;
	struct dp_config *c = &r->cfg;

	c->eal_args[c->n_eal_args++] = "sy-dp-run";
	json_array_foreach(json_object_get(root, "eal"), i, v) {
		if (c->n_eal_args >= DP_MAX_EAL_ARGS - 2 * DP_MAX_PORTS)
			die("too many EAL arguments");
		c->eal_args[c->n_eal_args++] = json_string_value(v);
	}
	c->n_workers = (unsigned)jint(root, "workers", 1);
	c->n_mbufs = (uint32_t)jint(root, "mbufs", 0);
	c->n_hdr_mbufs = (uint32_t)jint(root, "hdr_mbufs", 0);
	c->hold_pkts = (uint32_t)jint(root, "hold_pkts", 0);
	c->hold_timeout_ns = (uint64_t)jint(root, "hold_timeout_ns", 0);
	c->freeze_inputs = (uint16_t)jint(root, "freeze_inputs", 0);
	c->freeze_pkts = (uint32_t)jint(root, "freeze_pkts", 0);
	c->tai_utc_offset_s = (int32_t)jint(root, "tai_utc_offset_s", SY_TIME_TAI_UTC_DEFAULT_S);
	a = json_object_get(root, "ports");
	json_array_foreach(a, i, v) {
		struct dp_port_config *p = &c->ports[c->n_ports++];

		if (c->n_ports > DP_MAX_PORTS)
			die("too many ports");
		snprintf(p->name, sizeof(p->name), "%s", jstr(v, "name", "port"));
		snprintf(p->devargs, sizeof(p->devargs), "%s", jstr(v, "devargs", ""));
		if (jstr(v, "mac", NULL))
			parse_mac(jstr(v, "mac", NULL), p->mac, "port mac");
		if (jstr(v, "ip", NULL))
			parse_ipport(jstr(v, "ip", NULL), &p->ip, NULL, "port ip");
		p->worker = (uint16_t)jint(v, "worker", 0);
		p->rx_timestamps = jbool(v, "rx_timestamps", false);
		p->rx_ts_unit_ns = (uint32_t)jint(v, "rx_ts_unit_ns", 1000);
		p->rx_ts_offset_ns = jint(v, "rx_ts_offset_ns", 0);
	}

	struct dp_routes *rt = r->routes;
	json_t *ins = json_object_get(root, "inputs");

	json_array_foreach(ins, i, v) {
		struct dp_input *in = &rt->inputs[rt->n_inputs++];
		const char *sdp = jstr(v, "sdp", NULL);

		if (rt->n_inputs > DP_MAX_INPUTS)
			die("too many inputs");
		snprintf(in->name, sizeof(in->name), "%s", jstr(v, "name", ""));
		in->port = (uint16_t)jint(v, "port", 0);
		if (sdp == NULL)
			die("input '%s': \"sdp\" missing", in->name);
		load_sdp(sdp, (unsigned)jint(v, "media", 0), &in->fmt, &in->key, &in->pt,
			 &in->ptp_locked, v);
		if (jstr(v, "dst", NULL))
			parse_ipport(jstr(v, "dst", NULL), &in->key.dst_ip, &in->key.dst_port,
				     "input dst");
		if (jstr(v, "src", NULL))
			parse_ipport(jstr(v, "src", NULL), &in->key.src_ip, &in->key.src_port,
				     "input src");
		in->ptp_locked = jbool(v, "ptp_locked", in->ptp_locked);
		in->pt = (uint8_t)jint(v, "pt", in->pt);
		if (jstr(v, "internal", NULL)) {
			const char *g = jstr(v, "internal", NULL);

			in->kind = DP_INPUT_INTERNAL;
			in->gen = DP_GEN_MAX;
			for (unsigned k = 0; k < DP_GEN_MAX; k++)
				if (!strcmp(g, dp_gen_name((enum dp_gen)k)))
					in->gen = (enum dp_gen)k;
			if (in->gen == DP_GEN_MAX)
				die("input '%s': internal '%s' is not black, bars100, bars75, moving, "
				    "tone or silence", in->name, g);
			in->source_id = (uint16_t)jint(v, "source_id", 0);
		}
		in->loss_timeout_ns = (uint64_t)jint(v, "loss_timeout_ns", 0);
	}
	json_t *srcs = json_object_get(root, "sources");

	json_array_foreach(srcs, i, v) {
		struct dp_source *s = &rt->sources[rt->n_sources++];
		size_t k;
		json_t *iv;

		snprintf(s->name, sizeof(s->name), "%s", jstr(v, "name", ""));
		for (unsigned j = 0; j < DP_GROUP_MAX_FLOWS; j++)
			s->input[j] = -1;
		json_array_foreach(json_object_get(v, "inputs"), k, iv) {
			int idx;

			if (k >= DP_GROUP_MAX_FLOWS)
				die("source '%s': more than %u flows", s->name, DP_GROUP_MAX_FLOWS);
			if (json_is_null(iv))
				continue;
			idx = find_name(ins, json_string_value(iv));
			if (idx < 0)
				die("source '%s': no input '%s'", s->name, json_string_value(iv));
			s->input[k] = (int16_t)idx;
		}
	}
	json_t *outs = json_object_get(root, "outputs");

	json_array_foreach(outs, i, v) {
		struct dp_output *o = &rt->outputs[rt->n_outputs];
		struct dp_crosspoint *x = &rt->xpt[rt->n_outputs];
		size_t k;
		json_t *fv;
		const char *cs = jstr(v, "udp_csum", "zero");

		rt->n_outputs++;
		snprintf(o->name, sizeof(o->name), "%s", jstr(v, "name", ""));
		o->port = (uint16_t)jint(v, "port", 0);
		o->restamp = jbool(v, "restamp", false);
		o->udp_csum = strcmp(cs, "update") == 0 ? DP_UDP_CSUM_UPDATE : DP_UDP_CSUM_ZERO;
		json_array_foreach(json_object_get(v, "flows"), k, fv) {
			struct dp_output_flow *f = &o->flow[k];
			const char *sdp = jstr(fv, "sdp", NULL);
			const char *like = jstr(fv, "format_of", NULL);

			if (k >= DP_GROUP_MAX_FLOWS)
				die("output '%s': too many flows", o->name);
			if (json_is_null(fv))
				continue;
			if (sdp != NULL) {
				load_sdp(sdp, (unsigned)jint(fv, "media", 0), &f->fmt, NULL, NULL, NULL,
					 fv);
			} else if (like != NULL) {
				int idx = find_name(ins, like);

				if (idx < 0)
					die("output '%s': format_of: no input '%s'", o->name, like);
				f->fmt = rt->inputs[idx].fmt;
			} else {
				die("output '%s' flow %zu: \"sdp\" or \"format_of\" needed", o->name, k);
			}
			parse_ipport(jstr(fv, "dst", "0.0.0.0:0"), &f->id.dst_ip, &f->id.dst_port,
				     "output dst");
			parse_ipport(jstr(fv, "src", "0.0.0.0:0"), &f->id.src_ip, &f->id.src_port,
				     "output src");
			if (jstr(fv, "dst_mac", NULL))
				parse_mac(jstr(fv, "dst_mac", NULL), f->id.dst_mac, "dst_mac");
			if (jstr(fv, "src_mac", NULL))
				parse_mac(jstr(fv, "src_mac", NULL), f->id.src_mac, "src_mac");
			f->id.ssrc = (uint32_t)jint(fv, "ssrc", 0);
			f->id.pt = (uint8_t)jint(fv, "pt", 96);
			f->id.dscp = (uint8_t)jint(fv, "dscp", 34);
			f->id.ttl = (uint8_t)jint(fv, "ttl", 64);
		}
		if (jstr(v, "on_loss", NULL)) {
			const char *m = jstr(v, "on_loss", NULL);

			if (!strcmp(m, "black"))
				o->on_loss = DP_LOSS_BLACK;
			else if (!strcmp(m, "freeze"))
				o->on_loss = DP_LOSS_FREEZE;
			else if (strcmp(m, "follow"))
				die("output '%s': on_loss '%s' is not follow, black or freeze", o->name,
				    m);
			if (o->on_loss == DP_LOSS_BLACK) {
				int ls = find_name(srcs, jstr(v, "loss_source", ""));

				if (ls < 0)
					die("output '%s': on_loss black needs \"loss_source\"", o->name);
				o->loss_source = (int16_t)ls;
			}
		}
		x->source = -1;
		if (jstr(v, "source", NULL)) {
			int s = find_name(srcs, jstr(v, "source", NULL));

			if (s < 0)
				die("output '%s': no source '%s'", o->name, jstr(v, "source", NULL));
			x->source = (int16_t)s;
		}
		x->take_id = 0;
		x->mode = DP_TAKE_IMMEDIATE;
	}
	/* freeze outputs without "freeze_inputs": one store per freeze output */
	if (jint(root, "freeze_inputs", -1) < 0) {
		for (unsigned o = 0; o < rt->n_outputs; o++)
			c->freeze_inputs += rt->outputs[o].on_loss == DP_LOSS_FREEZE;
	}
	json_array_foreach(json_object_get(root, "takes"), i, v) {
		struct take *t = &r->takes[r->n_takes++];

		if (r->n_takes > MAX_TAKES)
			die("too many takes");
		t->out = find_name(outs, jstr(v, "output", ""));
		t->src = find_name(srcs, jstr(v, "source", ""));
		if (t->out < 0 || t->src < 0)
			die("take %zu: unknown output or source", i);
		if (json_object_get(v, "at_tai_ns")) {
			t->mode = DP_TAKE_AT_TAI;
			t->tai_ns = (uint64_t)jint(v, "at_tai_ns", 0);
		} else {
			t->mode = DP_TAKE_IMMEDIATE;
			/* capture time -> arrival TAI with port 0's offset */
			if (json_object_get(v, "at_capture_ns"))
				t->not_before_ns = (uint64_t)(jint(v, "at_capture_ns", 0) +
							      c->ports[0].rx_ts_offset_ns);
			t->at_packet = (uint64_t)jint(v, "at_packet", 0);
		}
		t->after_ms = jint(v, "after_ms", -1);
		if (t->after_ms >= 0 && t->mode != DP_TAKE_IMMEDIATE) {
			die("take %zu: after_ms is for immediate takes", i);
		}
	}
}

static json_t *event_json(const struct run *r, const struct dp_event *e)
{
	json_t *o = json_object();
	json_t *fl;

	if (e->kind == DP_EV_INPUT_LOST || e->kind == DP_EV_INPUT_RESTORED) {
		json_object_set_new(o, "kind", json_string(e->kind == DP_EV_INPUT_LOST
							   ? "input_lost" : "input_restored"));
		json_object_set_new(o, "input", json_string(r->routes->inputs[e->input].name));
		json_object_set_new(o, "at_ns", json_integer((json_int_t)e->at_ns));
		return o;
	}
	fl = json_array();
	json_object_set_new(o, "kind", json_string(e->kind == DP_EV_TAKE_DONE ? "take_done"
						   : e->kind == DP_EV_PONG ? "pong" : "take_refused"));
	json_object_set_new(o, "output", json_string(r->routes->outputs[e->output].name));
	json_object_set_new(o, "take_id", json_integer(e->take_id));
	json_object_set_new(o, "source", json_string(e->source >= 0
		? r->routes->sources[e->source].name : ""));
	json_object_set_new(o, "prev_source", json_string(e->prev_source >= 0
		? r->routes->sources[e->prev_source].name : ""));
	json_object_set_new(o, "switch_tai_ns", json_integer((json_int_t)e->switch_tai_ns));
	json_object_set_new(o, "arrival_ns", json_integer((json_int_t)e->arrival_ns));
	json_object_set_new(o, "rtp_ts_in", json_integer(e->rtp_ts_in));
	json_object_set_new(o, "rtp_ts_out", json_integer(e->rtp_ts_out));
	json_object_set_new(o, "out_seq", json_integer(e->out_seq));
	json_object_set_new(o, "frames_held", json_integer(e->frames_held));
	json_object_set_new(o, "frames_dropped", json_integer(e->frames_dropped));
	json_object_set_new(o, "held_pkts", json_integer(e->held_pkts));
	if (e->flags & DP_TAKE_F_HELD)
		json_array_append_new(fl, json_string("held"));
	if (e->flags & DP_TAKE_F_TIMEOUT)
		json_array_append_new(fl, json_string("timeout"));
	if (e->flags & DP_TAKE_F_OVERFLOW)
		json_array_append_new(fl, json_string("overflow"));
	if (e->flags & DP_TAKE_F_LATE)
		json_array_append_new(fl, json_string("late"));
	if (e->flags & DP_TAKE_F_LOSS)
		json_array_append_new(fl, json_string("loss"));
	json_object_set_new(o, "flags", fl);
	if (e->code)
		json_object_set_new(o, "error", json_string(sy_err_name(e->code)));
	return o;
}

/* Publish every take whose output is free and whose trigger has come, one
 * snapshot per take, so a refused take (another format) changes nothing
 * else. */
static uint64_t run_ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static uint64_t run_start_ms;

static void publish_due(struct run *r, struct dp *dp, uint64_t rx_total)
{
	for (unsigned i = 0; i < r->n_takes; i++) {
		struct take *t = &r->takes[i];

		if (t->published)
			continue;
		if (r->cur_take[t->out] >= 0)
			continue; /* the output's previous take is in flight */
		/* earlier unpublished takes of the same output go first */
		bool earlier = false;

		for (unsigned j = 0; j < i; j++)
			earlier |= !r->takes[j].published && r->takes[j].out == t->out;
		if (earlier)
			continue;
		if (t->mode == DP_TAKE_IMMEDIATE && t->at_packet && rx_total < t->at_packet)
			continue;
		if (t->after_ms >= 0 && run_ms_now() - run_start_ms < (uint64_t)t->after_ms)
			continue;
		struct dp_crosspoint *x = &r->routes->xpt[t->out];
		struct dp_crosspoint saved = *x;
		struct dp_error err;

		x->source = (int16_t)t->src;
		x->take_id = r->take_id[t->out] + 1;
		x->mode = t->mode;
		x->tai_ns = t->tai_ns;
		x->not_before_ns = t->not_before_ns;
		t->published = true;
		int rc = dp_publish(dp, r->routes, &err);

		if (rc < 0) {
			json_t *j = json_object();

			json_object_set_new(j, "output", json_string(r->routes->outputs[t->out].name));
			json_object_set_new(j, "source", json_string(r->routes->sources[t->src].name));
			json_object_set_new(j, "error", json_string(sy_err_name(rc)));
			json_object_set_new(j, "text", json_string(err.text));
			json_array_append_new(r->refused, j);
			*x = saved;
			t->done = true; /* answered: refused */
			continue;
		}
		r->take_id[t->out]++;
		r->cur_take[t->out] = (int)i;
	}
}

static void drain_events(struct run *r, struct dp *dp)
{
	struct dp_event ev[64];
	unsigned n;

	while ((n = dp_events_drain(dp, ev, 64)) > 0) {
		for (unsigned i = 0; i < n; i++) {
			json_array_append_new(r->events, event_json(r, &ev[i]));
			if (ev[i].kind == DP_EV_TAKE_DONE && !(ev[i].flags & DP_TAKE_F_LOSS) &&
			    ev[i].output < DP_MAX_OUTPUTS &&
			    r->cur_take[ev[i].output] >= 0 &&
			    ev[i].take_id == r->take_id[ev[i].output]) {
				r->takes[r->cur_take[ev[i].output]].done = true;
				r->cur_take[ev[i].output] = -1;
			}
		}
	}
}

static json_t *stats_json(const struct run *r, const struct dp_stats *st)
{
	json_t *o = json_object(), *d = json_object(), *ia = json_array(), *oa = json_array();

	json_object_set_new(o, "rx_pkts", json_integer((json_int_t)st->rx_pkts));
	json_object_set_new(o, "tx_pkts", json_integer((json_int_t)st->tx_pkts));
	json_object_set_new(o, "host_tx_pkts", json_integer((json_int_t)st->host_tx_pkts));
	json_object_set_new(o, "events_lost", json_integer((json_int_t)st->events_lost));
	for (unsigned i = 0; i < DP_DROP_MAX; i++)
		if (st->drops[i])
			json_object_set_new(d, dp_drop_name(i), json_integer((json_int_t)st->drops[i]));
	json_object_set_new(o, "drops", d);
	for (unsigned i = 0; i < r->routes->n_inputs; i++) {
		const struct dp_input_stats *s = &st->inputs[i];

		json_array_append_new(ia, json_pack("{s:s,s:I,s:I,s:I,s:I,s:I,s:I}",
			"name", r->routes->inputs[i].name, "pkts", (json_int_t)s->pkts,
			"bytes", (json_int_t)s->bytes, "frames", (json_int_t)s->frames,
			"malformed", (json_int_t)s->malformed, "forwarded", (json_int_t)s->forwarded,
			"losses", (json_int_t)s->losses));
	}
	json_object_set_new(o, "inputs", ia);
	for (unsigned i = 0; i < r->routes->n_outputs; i++) {
		json_t *fa = json_array();
		uint64_t takes = 0;

		for (unsigned k = 0; k < DP_GROUP_MAX_FLOWS; k++) {
			const struct dp_output_stats *s = &st->outputs[i][k];

			takes += s->takes;
			if (r->routes->outputs[i].flow[k].fmt.essence == DP_ESSENCE_NONE)
				continue;
			json_array_append_new(fa, json_pack("{s:s,s:I,s:I,s:I,s:I,s:I,s:I}",
				"essence", dp_essence_name(r->routes->outputs[i].flow[k].fmt.essence),
				"pkts", (json_int_t)s->pkts, "bytes", (json_int_t)s->bytes,
				"frames", (json_int_t)s->frames, "held_pkts", (json_int_t)s->held_pkts,
				"hold_timeouts", (json_int_t)s->hold_timeouts,
				"freeze_frames", (json_int_t)s->freeze_frames));
		}
		json_array_append_new(oa, json_pack("{s:s,s:I,s:o}", "name",
			r->routes->outputs[i].name, "takes", (json_int_t)takes, "flows", fa));
	}
	json_object_set_new(o, "outputs", oa);
	json_object_set_new(o, "pool_avail", json_pack("[I,I,I]", (json_int_t)st->pool_avail[0],
		(json_int_t)st->pool_avail[1], (json_int_t)st->pool_avail[2]));
	return o;
}

int main(int argc, char **argv)
{
	static struct run r;
	struct dp *dp;
	struct dp_error err = {0};
	json_t *root;
	int rc;

	if (argc != 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: sy-dp-run CONFIG.json\n"
				"  runs the dataplane on the configured ports until the input\n"
				"  captures are exhausted (or for \"run_ms\" of real time: internal\n"
				"  sources); prints counters and events (JSON)\n");
		return 2;
	}
	r.routes = calloc(1, sizeof(*r.routes));
	r.events = json_array();
	r.refused = json_array();
	for (unsigned o = 0; o < DP_MAX_OUTPUTS; o++)
		r.cur_take[o] = -1;
	load_config(&r, argv[1], &root);
	bool threaded = jbool(root, "threaded", r.cfg.n_workers > 1);

	if (!threaded && r.cfg.n_workers != 1)
		return die("inline mode drives one worker: set \"threaded\": true");
	rc = dp_create(&r.cfg, &dp, &err);
	if (rc < 0)
		return die("%s (%s)", err.text, sy_err_name(rc));
	struct dp_stats *st0 = calloc(1, sizeof(*st0));

	dp_stats_read(dp, st0); /* pools at the start (leak check: counters.pool_avail) */
	rc = dp_publish(dp, r.routes, &err);
	if (rc < 0)
		return die("initial routes: %s", err.text);
	/* initial crosspoints are take 0 of each output */
	for (unsigned o = 0; o < r.routes->n_outputs; o++)
		r.take_id[o] = 0;

	uint64_t rx_total = 0;

	int64_t run_ms = jint(root, "run_ms", -1);

	run_start_ms = run_ms_now();
	if (!threaded && run_ms >= 0) {
		/* internal sources: poll for run_ms of real time */
		while (run_ms_now() - run_start_ms < (uint64_t)run_ms) {
			rx_total += dp_poll(dp, 0, 1);
			drain_events(&r, dp);
			publish_due(&r, dp, rx_total);
			dp_reclaim(dp);
		}
		dp_flush(dp, 0);
	} else if (!threaded) {
		/* one worker polled here: deterministic with net_pcap */
		unsigned idle = 0, never = 0;
		unsigned idle_max = (unsigned)jint(root, "idle_polls", 2000);

		while (idle < idle_max) {
			unsigned n = dp_poll(dp, 0, 1);

			rx_total += n;
			idle = (n == 0 && rx_total > 0) ? idle + 1 : 0;
			if (rx_total == 0 && ++never > 1000000)
				break; /* nothing ever arrived */
			drain_events(&r, dp);
			publish_due(&r, dp, rx_total);
			dp_reclaim(dp);
		}
		dp_flush(dp, 0);
	} else {
		/* workers on their lcores; this thread is the control loop */
		struct dp_stats *cur = calloc(1, sizeof(*cur));
		unsigned still_ms = 0, idle_ms = (unsigned)jint(root, "idle_ms", 300);
		const struct timespec tick = {0, 1000000};

		if (dp_start(dp) < 0)
			return die("%u workers need %u worker lcores (EAL -l/--lcores)",
				   r.cfg.n_workers, r.cfg.n_workers);
		for (unsigned ms = 0;; ms++) {
			nanosleep(&tick, NULL);
			dp_stats_read(dp, cur);
			still_ms = cur->rx_pkts == rx_total ? still_ms + 1 : 0;
			rx_total = cur->rx_pkts;
			drain_events(&r, dp);
			publish_due(&r, dp, rx_total);
			dp_reclaim(dp);
			if (run_ms >= 0 ? ms >= (uint64_t)run_ms
					: (rx_total > 0 && still_ms >= idle_ms) || (rx_total == 0 && ms > 10000))
				break;
		}
		dp_stop(dp);
		free(cur);
	}
	drain_events(&r, dp);

	struct dp_stats *st = calloc(1, sizeof(*st));
	json_t *outj = json_object();
	unsigned pending = 0;

	dp_stats_read(dp, st);
	for (unsigned i = 0; i < r.n_takes; i++)
		pending += !r.takes[i].done;
	json_object_set_new(outj, "counters", stats_json(&r, st));
	json_object_set_new(outj, "pool_avail_start", json_pack("[I,I,I]",
		(json_int_t)st0->pool_avail[0], (json_int_t)st0->pool_avail[1],
		(json_int_t)st0->pool_avail[2]));
	free(st0);
	json_object_set_new(outj, "events", r.events);
	json_object_set_new(outj, "refused", r.refused);
	json_object_set_new(outj, "takes_requested", json_integer(r.n_takes));
	json_object_set_new(outj, "takes_not_done", json_integer(pending));
	dp_destroy(dp);
	json_dumpf(outj, stdout, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	json_decref(outj);
	json_decref(root);
	free(st);
	free(r.routes);
	return 0;
}
