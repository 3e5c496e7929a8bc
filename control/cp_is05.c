/* SPDX-License-Identifier: MIT */
/*
 * cp_is05.c: IS-05 Connection API v1.1 (RTP transport) for the Senders
 * (outputs) and Receivers (inputs) of the Node.
 *
 * staged/active/constraints/transporttype for both, transportfile for
 * senders (the exact SDP of that output, from the src/sy_sdp builder), PATCH
 * staged with transport_params (one leg, or two for ST 2022-7),
 * master_enable, sender_id/receiver_id, a receiver's transport_file (parsed
 * with sy_sdp_parse, checked against the input's format), and activations:
 * immediate, scheduled absolute and relative on TAI. Bulk POST for both.
 *
 * A PATCH is all-or-nothing: the new staged state is built in a copy and
 * only committed once it validates and, for an immediate activation, once
 * the engine accepted it. Without an engine an activation answers 503 and
 * nothing changes. While a scheduled activation is pending, a PATCH that
 * does not cancel it (activation mode null) gets 423.
 *
 * Thread: the libuv loop thread.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cp_app.h"
#include "cp_json.h"
#include "sy_sdp.h"

#define SDP_MAX 8192

static const char *const mode_name[CP_ACT_MODE_MAX] = {
	NULL, "activate_immediate", "activate_scheduled_absolute", "activate_scheduled_relative"};

/* What an IS-05 id resolves to. */
struct target {
	bool sender;
	uint32_t idx; /* output or input */
	unsigned ess;
	struct cp_conn *conn;
	const struct cp_essence_cfg *ecfg;
	const char *id;
};

static bool find_target(struct cp_app *app, bool sender, const char *id, struct target *t)
{
	struct cp_model *m = &app->model;
	uint32_t n = sender ? m->n_out : m->n_in;
	for (uint32_t i = 0; i < n; i++)
		for (unsigned e = 0; e < CP_ESS_MAX; e++) {
			const char *x = sender ? app->ids.out_sender[i][e] : app->ids.in_receiver[i][e];
			const struct cp_essence_cfg *ec =
				sender ? &m->out[i].cfg->ess[e] : &m->in[i].cfg->ess[e];
			if (ec->present && !strcmp(x, id) &&
			    (sender || m->in[i].cfg->internal == CP_INTERNAL_NONE)) {
				t->sender = sender;
				t->idx = i;
				t->ess = e;
				t->conn = sender ? &m->out[i].conn[e] : &m->in[i].conn[e];
				t->ecfg = ec;
				t->id = x;
				return true;
			}
		}
	return false;
}

static json_t *ip_json(uint32_t ip)
{
	char b[INET_ADDRSTRLEN];
	struct in_addr a = {.s_addr = htonl(ip)};
	inet_ntop(AF_INET, &a, b, sizeof(b));
	return json_string(b);
}

static json_t *tai_json(uint64_t t)
{
	char b[48];
	cp_model_tai_str(t, b, sizeof(b));
	return json_string(b);
}

static json_t *params_json(const struct cp_app *app, const struct target *t,
			   const struct cp_conn_params *p)
{
	json_t *a = json_array();
	for (uint32_t l = 0; l < p->n_legs; l++) {
		const struct cp_switch_leg *lg = &p->leg[l];
		json_t *o = json_object();
		if (t->sender) {
			json_object_set_new(o, "source_ip",
					    ip_json(lg->src_ip ? lg->src_ip : app->cfg->interface_ip));
			json_object_set_new(o, "destination_ip", ip_json(lg->dst_ip));
			json_object_set_new(o, "source_port", json_integer(lg->src_port ? lg->src_port
											 : lg->dst_port));
			json_object_set_new(o, "destination_port", json_integer(lg->dst_port));
		} else {
			json_object_set_new(o, "source_ip", lg->src_ip ? ip_json(lg->src_ip) : json_null());
			uint32_t top = lg->dst_ip >> 24;
			json_object_set_new(o, "multicast_ip", (top >= 224 && top <= 239)
								       ? ip_json(lg->dst_ip)
								       : json_null());
			json_object_set_new(o, "interface_ip", ip_json(app->cfg->interface_ip));
			json_object_set_new(o, "destination_port", json_integer(lg->dst_port));
		}
		json_object_set_new(o, "rtp_enabled", json_boolean(lg->enabled));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *act_json(const struct cp_activation *a)
{
	json_t *o = json_object();
	json_object_set_new(o, "mode", a->mode ? json_string(mode_name[a->mode]) : json_null());
	json_object_set_new(o, "requested_time",
			    a->mode == CP_ACT_ABSOLUTE || a->mode == CP_ACT_RELATIVE
				    ? tai_json(a->requested_ns)
				    : json_null());
	json_object_set_new(o, "activation_time",
			    a->has_activation_time ? tai_json(a->activation_tai_ns) : json_null());
	return o;
}

static json_t *endpoint_json(const struct cp_app *app, const struct target *t, bool active)
{
	const struct cp_conn *c = t->conn;
	const struct cp_conn_params *p = active ? &c->active : &c->staged;
	json_t *o = json_object();
	json_object_set_new(o, t->sender ? "receiver_id" : "sender_id",
			    p->has_peer ? json_string(p->peer_id) : json_null());
	json_object_set_new(o, "master_enable", json_boolean(p->master_enable));
	json_object_set_new(o, "activation", act_json(active ? &c->active_act : &c->staged_act));
	json_object_set_new(o, "transport_params", params_json(app, t, p));
	if (!t->sender) {
		const char *sdp = active ? c->active_sdp : c->staged_sdp;
		json_object_set_new(o, "transport_file",
				    json_pack("{s:o,s:o}", "data", sdp ? json_string(sdp) : json_null(),
					      "type", sdp ? json_string("application/sdp") : json_null()));
	}
	return o;
}

static json_t *constraints_json(const struct target *t)
{
	json_t *a = json_array();
	for (uint32_t l = 0; l < t->conn->active.n_legs; l++) {
		json_t *o = json_object();
		json_object_set_new(o, "source_ip", json_object());
		json_object_set_new(o, t->sender ? "destination_ip" : "multicast_ip", json_object());
		json_object_set_new(o, t->sender ? "source_port" : "interface_ip", json_object());
		json_object_set_new(o, "destination_port",
				    json_pack("{s:i,s:i}", "minimum", 1, "maximum", 65535));
		json_object_set_new(o, "rtp_enabled", json_object());
		json_array_append_new(a, o);
	}
	return a;
}

char *cp_is05_sender_sdp(const struct cp_app *app, uint32_t o, unsigned e)
{
	const struct cp_output *out = &app->model.out[o];
	const struct cp_essence_cfg *ec = &out->cfg->ess[e];
	const struct cp_conn_params *p = &out->conn[e].active;
	struct sy_sdp *sdp = calloc(1, sizeof(*sdp));
	char *buf = malloc(SDP_MAX);
	if (!sdp || !buf)
		goto err;
	char name[CP_LABEL_MAX + 16];
	snprintf(name, sizeof(name), "%s %s", out->label, e == 0 ? "video" : e == 1 ? "audio" : "anc");
	sy_sdp_init(sdp, name, out->conn[e].version_tai_ns / 1000000000ull, app->cfg->interface_ip);
	for (uint32_t l = 0; l < p->n_legs; l++) {
		struct sy_sdp_transport tr = {
			.dst_ip = p->leg[l].dst_ip,
			.src_ip = p->leg[l].src_ip ? p->leg[l].src_ip : app->cfg->interface_ip,
			.port = p->leg[l].dst_port,
			.ttl = ((p->leg[l].dst_ip >> 24) >= 224 && (p->leg[l].dst_ip >> 24) <= 239)
				       ? ec->tr.ttl
				       : 0,
			.pt = ec->tr.pt,
		};
		int rc = e == CP_ESS_VIDEO   ? sy_sdp_add_video(sdp, &tr, &ec->video, SY_SDP_TP_N)
			 : e == CP_ESS_AUDIO ? sy_sdp_add_audio(sdp, &tr, &ec->audio)
					     : sy_sdp_add_anc(sdp, &tr, NULL);
		if (rc < 0)
			goto err;
	}
	if (p->n_legs == 2 && sy_sdp_set_dup(sdp, 0, 1, "PRIMARY", "SECONDARY") < 0)
		goto err;
	if (app->cfg->has_ptp &&
	    sy_sdp_set_ptp(sdp, -1, app->cfg->ptp_gmid, app->cfg->ptp_domain) < 0)
		goto err;
	if (sy_sdp_emit(sdp, buf, SDP_MAX, SY_SDP_EOL_CRLF) < 0)
		goto err;
	free(sdp);
	return buf;
err:
	free(sdp);
	free(buf);
	return NULL;
}

/* ---- PATCH ---- */

struct patch_err {
	int status;
	char msg[CP_MODEL_ERR_MAX];
};

static bool perr(struct patch_err *pe, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static bool perr(struct patch_err *pe, int status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(pe->msg, sizeof(pe->msg), fmt, ap);
	va_end(ap);
	pe->status = status;
	return false;
}

static bool ip_value(const json_t *v, bool allow_null, uint32_t *out, bool *is_auto)
{
	*is_auto = false;
	if (json_is_null(v) && allow_null) {
		*out = 0;
		return true;
	}
	if (!json_is_string(v))
		return false;
	if (!strcmp(json_string_value(v), "auto")) {
		*is_auto = true;
		return true;
	}
	struct in_addr a;
	if (inet_pton(AF_INET, json_string_value(v), &a) != 1)
		return false;
	*out = ntohl(a.s_addr);
	return true;
}

static bool port_value(const json_t *v, uint16_t *out, bool *is_auto)
{
	*is_auto = false;
	if (json_is_string(v) && !strcmp(json_string_value(v), "auto")) {
		*is_auto = true;
		return true;
	}
	if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 65535)
		return false;
	*out = (uint16_t)json_integer_value(v);
	return true;
}

static bool apply_legs(const struct cp_app *app, const struct target *t, const json_t *tp,
		       struct cp_conn_params *p, struct patch_err *pe)
{
	static const char *const skeys[] = {"source_ip", "destination_ip", "source_port",
					    "destination_port", "rtp_enabled", NULL};
	static const char *const rkeys[] = {"source_ip", "multicast_ip", "interface_ip",
					    "destination_port", "rtp_enabled", NULL};
	if (!json_is_array(tp))
		return perr(pe, 400, "transport_params must be an array");
	if (json_array_size(tp) != p->n_legs)
		return perr(pe, 400, "transport_params has %zu legs; this %s has %u",
			    json_array_size(tp), t->sender ? "sender" : "receiver", p->n_legs);
	for (size_t l = 0; l < json_array_size(tp); l++) {
		json_t *o = json_array_get(tp, l);
		struct cp_switch_leg *lg = &p->leg[l];
		if (!json_is_object(o))
			return perr(pe, 400, "transport_params[%zu] must be an object", l);
		const char *k;
		json_t *v;
		json_object_foreach(o, k, v) {
			const char *const *keys = t->sender ? skeys : rkeys;
			bool known = false;
			for (size_t i = 0; keys[i]; i++)
				known |= !strcmp(k, keys[i]);
			if (!known)
				return perr(pe, 400, "transport_params[%zu].%s: unknown parameter", l, k);
			bool is_auto;
			uint32_t ip = 0;
			uint16_t port = 0;
			if (!strcmp(k, "rtp_enabled")) {
				if (!json_is_boolean(v))
					return perr(pe, 400, "transport_params[%zu].rtp_enabled must be "
							     "boolean", l);
				lg->enabled = json_is_true(v);
			} else if (!strcmp(k, "destination_port") || !strcmp(k, "source_port")) {
				if (!port_value(v, &port, &is_auto))
					return perr(pe, 400, "transport_params[%zu].%s must be 1..65535 "
							     "or \"auto\"", l, k);
				if (!strcmp(k, "destination_port"))
					lg->dst_port = is_auto ? t->ecfg->tr.leg[l].dst_port : port;
				else
					lg->src_port = is_auto ? 0 : port;
			} else if (!strcmp(k, "interface_ip")) {
				if (!ip_value(v, false, &ip, &is_auto))
					return perr(pe, 400, "transport_params[%zu].interface_ip must be "
							     "an IPv4 address or \"auto\"", l);
				if (!is_auto && ip != app->cfg->interface_ip)
					return perr(pe, 400, "transport_params[%zu].interface_ip: this "
							     "node only has its configured interface", l);
			} else {
				bool is_src = !strcmp(k, "source_ip");
				if (!ip_value(v, !t->sender || !is_src, &ip, &is_auto))
					return perr(pe, 400, "transport_params[%zu].%s must be an IPv4 "
							     "address%s", l, k,
						    t->sender ? " or \"auto\"" : ", \"auto\" or null");
				if (is_src)
					lg->src_ip = is_auto ? (t->sender ? 0 : t->ecfg->tr.leg[l].src_ip)
							     : ip;
				else
					lg->dst_ip = is_auto ? t->ecfg->tr.leg[l].dst_ip : ip;
				if (!strcmp(k, "multicast_ip") && ip &&
				    ((ip >> 24) < 224 || (ip >> 24) > 239))
					return perr(pe, 400, "transport_params[%zu].multicast_ip is "
							     "not a multicast address", l);
			}
		}
	}
	return true;
}

static bool video_same(const struct sy_video_format *a, const struct sy_video_format *b)
{
	return a->width == b->width && a->height == b->height && a->interlaced == b->interlaced &&
	       (uint64_t)a->rate.num * b->rate.den == (uint64_t)b->rate.num * a->rate.den &&
	       a->sampling == b->sampling && a->depth == b->depth;
}

/* Receiver transport_file: parse, check against the input, derive legs. */
static bool apply_sdp(const struct target *t, const char *text, struct cp_conn_params *p,
		      struct patch_err *pe)
{
	struct sy_sdp *sdp = calloc(1, sizeof(*sdp));
	struct sy_sdp_error err;
	bool ok = false;
	if (!sdp)
		return perr(pe, 500, "out of memory");
	int rc = sy_sdp_parse(text, strlen(text), sdp, &err);
	if (rc < 0) {
		perr(pe, 400, "transport_file: %s", err.reason);
		goto out;
	}
	static const enum sy_sdp_essence want[CP_ESS_MAX] = {SY_SDP_VIDEO, SY_SDP_AUDIO, SY_SDP_ANC};
	uint32_t n = 0;
	unsigned idx[2] = {0, 0};
	for (unsigned i = 0; i < sdp->n_media; i++) {
		if (sdp->media[i].essence != want[t->ess]) {
			perr(pe, 400, "transport_file: media %u is %s, this receiver takes %s", i + 1,
			     sy_sdp_essence_name(sdp->media[i].essence),
			     sy_sdp_essence_name(want[t->ess]));
			goto out;
		}
		if (n < 2)
			idx[n] = i;
		n++;
	}
	if (n < 1 || n > 2) {
		perr(pe, 400, "transport_file: %u media; expected 1, or 2 for ST 2022-7", n);
		goto out;
	}
	if (n != p->n_legs) {
		perr(pe, 400, "transport_file has %u legs; this receiver has %u", n, p->n_legs);
		goto out;
	}
	const struct sy_sdp_media *m0 = &sdp->media[idx[0]];
	if (t->ess == CP_ESS_VIDEO && !video_same(&m0->video.fmt, &t->ecfg->video)) {
		perr(pe, 400, "transport_file: video format %ux%u%s differs from the input's "
			      "%ux%u%s (%u/%u)", m0->video.fmt.width, m0->video.fmt.height,
		     m0->video.fmt.interlaced ? "i" : "p", t->ecfg->video.width, t->ecfg->video.height,
		     t->ecfg->video.interlaced ? "i" : "p", t->ecfg->video.rate.num,
		     t->ecfg->video.rate.den);
		goto out;
	}
	if (t->ess == CP_ESS_AUDIO && (m0->audio.fmt.channels != t->ecfg->audio.channels ||
				       m0->audio.fmt.rate_hz != t->ecfg->audio.rate_hz)) {
		perr(pe, 400, "transport_file: audio %u ch %u Hz differs from the input's %u ch %u Hz",
		     m0->audio.fmt.channels, m0->audio.fmt.rate_hz, t->ecfg->audio.channels,
		     t->ecfg->audio.rate_hz);
		goto out;
	}
	for (uint32_t l = 0; l < n; l++) {
		const struct sy_sdp_conn *c = sy_sdp_media_conn(sdp, idx[l]);
		if (!c) {
			perr(pe, 400, "transport_file: media %u has no c= line", idx[l] + 1);
			goto out;
		}
		p->leg[l].dst_ip = c->ip;
		p->leg[l].dst_port = sdp->media[idx[l]].port;
		p->leg[l].src_ip = sdp->media[idx[l]].filter.present ? sdp->media[idx[l]].filter.src_ip
								     : 0;
		p->leg[l].enabled = true;
	}
	ok = true;
out:
	free(sdp);
	return ok;
}

/* Push params to the engine. 0 or -errno. */
static int engine_apply(struct cp_app *app, const struct target *t, const struct cp_conn_params *p)
{
	struct cp_switch *sw = app->sw;
	if (t->sender)
		return sw->ops->set_output(sw, t->idx, t->ess, p->leg, p->n_legs, p->master_enable);
	struct cp_switch_leg legs[2];
	memcpy(legs, p->leg, sizeof(legs));
	if (!p->master_enable)
		legs[0].enabled = legs[1].enabled = false;
	return sw->ops->set_input(sw, t->idx, t->ess, legs, p->n_legs);
}

/* Receivers on an engine with schedule_input: arm the activation at
 * at_ns (0: next frame) on the standby slot, frame-accurate. 0 (armed),
 * -EOPNOTSUPP (use engine_apply: disabling, or no standby), or the
 * engine's refusal. */
static int engine_schedule(struct cp_app *app, const struct target *t,
			   const struct cp_conn_params *p, uint64_t at_ns)
{
	struct cp_switch *sw = app->sw;
	if (t->sender || !sw->ops->schedule_input || !p->master_enable)
		return -EOPNOTSUPP;
	return sw->ops->schedule_input(sw, t->idx, t->ess, p->leg, p->n_legs, at_ns);
}

static void activation_event(struct cp_app *app, const struct target *t, const char *client)
{
	json_t *d = json_object();
	json_object_set_new(d, t->sender ? "sender" : "receiver", json_string(t->id));
	json_object_set_new(d, t->sender ? "output" : "input",
			    json_string(t->sender ? app->model.out[t->idx].cfg->id
						  : app->model.in[t->idx].cfg->id));
	json_object_set_new(d, "master_enable", json_boolean(t->conn->active.master_enable));
	cp_model_audit(&app->model, client, "connection", json_deep_copy(d));
	cp_model_event(&app->model, "connection", d);
}

/* Make staged active now (activation_tai_ns = now). applied: the engine
 * already did it (a scheduled activation it reported). */
static int activate(struct cp_app *app, const struct target *t, enum cp_act_mode mode,
		    uint64_t requested_ns, uint64_t now, const char *client, bool applied)
{
	struct cp_conn *c = t->conn;
	int rc = 0;
	if (!applied) {
		/* immediate: receivers switch at the next frame, never torn */
		rc = mode == CP_ACT_IMMEDIATE ? engine_schedule(app, t, &c->staged, 0)
					      : -EOPNOTSUPP;
		if (rc == -EOPNOTSUPP)
			rc = engine_apply(app, t, &c->staged);
	}
	if (rc < 0)
		return rc;
	c->active = c->staged;
	if (!t->sender) {
		free(c->active_sdp);
		c->active_sdp = c->staged_sdp ? strdup(c->staged_sdp) : NULL;
	}
	c->active_act.mode = mode;
	c->active_act.requested_ns = requested_ns;
	c->active_act.activation_tai_ns = now;
	c->active_act.has_activation_time = true;
	c->version_tai_ns = now;
	cp_model_touch(&app->model);
	activation_event(app, t, client);
	return 0;
}

/* Undo a staged commit after its activation was refused (docs/api.md:
 * nothing changes on a 4xx/5xx). */
static void rollback_staged(struct cp_conn *c, const struct cp_conn_params *old_staged,
			    const struct cp_activation *old_act, bool sdp_touched, char *old_sdp)
{
	c->staged = *old_staged;
	c->staged_act = *old_act;
	if (sdp_touched) {
		free(c->staged_sdp);
		c->staged_sdp = old_sdp;
	}
}

static void engine_refused(struct cp_app *app, struct patch_err *pe, int rc)
{
	const char *why = app->sw->ops->last_error ? app->sw->ops->last_error(app->sw) : "";
	if (rc == -ENODEV)
		perr(pe, 503, "no switching engine is running (engine '%s'): nothing staged or "
			      "activated", app->sw->ops->name);
	else if (rc == -EBUSY)
		perr(pe, 423, "engine refused the activation: %s", why[0] ? why : strerror(-rc));
	else if (rc == -EEXIST)
		perr(pe, 409, "engine refused the activation: %s", why[0] ? why : strerror(-rc));
	else
		perr(pe, 500, "engine refused the activation (%s)%s%s", strerror(-rc),
		     why[0] ? ": " : "", why);
}

/*
 * One PATCH (single or one entry of bulk). Fills *out_status and *out_body
 * (new reference, NULL with an error message in pe).
 */
static json_t *do_patch(struct cp_app *app, const struct target *t, const json_t *body,
			const char *client, struct patch_err *pe)
{
	static const char *const skeys[] = {"receiver_id", "master_enable", "activation",
					    "transport_params", NULL};
	static const char *const rkeys[] = {"sender_id",	"master_enable", "activation",
					    "transport_params", "transport_file", NULL};
	struct cp_conn *c = t->conn;
	struct cp_conn_params np = c->staged;
	char *new_sdp = NULL;
	bool sdp_touched = false;
	const char *k;
	json_t *v;
	uint64_t now = cp_model_now(&app->model);
	pe->status = 0;
	if (!json_is_object(body)) {
		perr(pe, 400, "body must be a JSON object");
		return NULL;
	}
	json_object_foreach((json_t *)body, k, v) {
		const char *const *keys = t->sender ? skeys : rkeys;
		bool known = false;
		for (size_t i = 0; keys[i]; i++)
			known |= !strcmp(k, keys[i]);
		if (!known) {
			perr(pe, 400, "%s: unknown key", k);
			return NULL;
		}
	}
	json_t *act = json_object_get(body, "activation");
	enum cp_act_mode mode = CP_ACT_NONE;
	uint64_t req_ns = 0;
	bool has_act = act != NULL;
	if (act) {
		if (!json_is_object(act)) {
			perr(pe, 400, "activation must be an object");
			return NULL;
		}
		json_object_foreach(act, k, v) {
			if (strcmp(k, "mode") && strcmp(k, "requested_time")) {
				perr(pe, 400, "activation.%s: unknown key", k);
				return NULL;
			}
		}
		json_t *jm = json_object_get(act, "mode"), *jt = json_object_get(act, "requested_time");
		if (jm && !json_is_null(jm)) {
			const char *ms = json_string_value(jm);
			mode = CP_ACT_MODE_MAX;
			for (unsigned i = 1; ms && i < CP_ACT_MODE_MAX; i++)
				if (!strcmp(ms, mode_name[i]))
					mode = (enum cp_act_mode)i;
			if (mode == CP_ACT_MODE_MAX) {
				perr(pe, 400, "activation.mode must be null, activate_immediate, "
					      "activate_scheduled_absolute or "
					      "activate_scheduled_relative");
				return NULL;
			}
		}
		if (mode == CP_ACT_ABSOLUTE || mode == CP_ACT_RELATIVE) {
			if (!json_is_string(jt) || cp_model_tai_parse(json_string_value(jt), &req_ns) < 0) {
				perr(pe, 400, "activation.requested_time must be \"<sec>:<nsec>\" for "
					      "scheduled activations");
				return NULL;
			}
		} else if (jt && !json_is_null(jt)) {
			perr(pe, 400, "activation.requested_time must be null unless the activation "
				      "is scheduled");
			return NULL;
		}
	}
	if (c->staged_act.mode == CP_ACT_ABSOLUTE || c->staged_act.mode == CP_ACT_RELATIVE) {
		/* pending scheduled activation: only a cancel (mode null) is accepted */
		if (!(has_act && mode == CP_ACT_NONE)) {
			perr(pe, 423, "a scheduled activation is pending; PATCH activation.mode null "
				      "to cancel it first");
			return NULL;
		}
		if (c->engine_pending && app->sw->ops->cancel_input)
			app->sw->ops->cancel_input(app->sw, t->idx);
		c->engine_pending = c->engine_done = false;
	}
	json_t *jpeer = json_object_get(body, t->sender ? "receiver_id" : "sender_id");
	if (jpeer) {
		if (json_is_null(jpeer)) {
			np.has_peer = false;
			np.peer_id[0] = 0;
		} else if (json_is_string(jpeer) && cp_uuid_valid(json_string_value(jpeer))) {
			np.has_peer = true;
			snprintf(np.peer_id, sizeof(np.peer_id), "%s", json_string_value(jpeer));
		} else {
			perr(pe, 400, "%s must be a UUID or null", t->sender ? "receiver_id" : "sender_id");
			return NULL;
		}
	}
	json_t *jme = json_object_get(body, "master_enable");
	if (jme) {
		if (!json_is_boolean(jme)) {
			perr(pe, 400, "master_enable must be boolean");
			return NULL;
		}
		np.master_enable = json_is_true(jme);
	}
	json_t *tf = json_object_get(body, "transport_file");
	if (tf) {
		json_t *data = json_object_get(tf, "data"), *type = json_object_get(tf, "type");
		if (!json_is_object(tf) || json_object_size(tf) > 2 ||
		    (json_object_size(tf) == 2 && (!data || !type)) ||
		    (json_object_size(tf) == 1 && !data && !type)) {
			perr(pe, 400, "transport_file must be {\"data\": ..., \"type\": ...}");
			return NULL;
		}
		if (data && !json_is_null(data)) {
			if (!json_is_string(data) || !type || !json_is_string(type) ||
			    strcmp(json_string_value(type), "application/sdp") != 0) {
				perr(pe, 400, "transport_file: data must be a string with type "
					      "\"application/sdp\"");
				return NULL;
			}
			if (!apply_sdp(t, json_string_value(data), &np, pe))
				return NULL;
			new_sdp = strdup(json_string_value(data));
		}
		sdp_touched = true;
	}
	json_t *tp = json_object_get(body, "transport_params");
	if (tp && !apply_legs(app, t, tp, &np, pe)) {
		free(new_sdp);
		return NULL;
	}
	/* the patch is valid: commit staged, keeping the old values until the
	 * activation (if any) has succeeded, so a refused PATCH changes nothing */
	struct cp_conn_params old_staged = c->staged;
	struct cp_activation old_act = c->staged_act;
	char *old_sdp = c->staged_sdp;
	c->staged = np;
	if (sdp_touched)
		c->staged_sdp = new_sdp;
	int status = 200;
	if (has_act) {
		c->staged_act.mode = mode;
		c->staged_act.requested_ns = req_ns;
		c->staged_act.has_activation_time = false;
		if (mode == CP_ACT_IMMEDIATE) {
			int rc = activate(app, t, mode, 0, now, client, false);
			if (rc < 0) {
				rollback_staged(c, &old_staged, &old_act, sdp_touched, old_sdp);
				engine_refused(app, pe, rc);
				return NULL;
			}
			if (sdp_touched)
				free(old_sdp);
			json_t *resp = endpoint_json(app, t, false);
			/* immediate: the response's activation shows what happened */
			json_object_set_new(resp, "activation", act_json(&c->active_act));
			c->staged_act.mode = CP_ACT_NONE;
			return resp;
		} else if (mode == CP_ACT_ABSOLUTE || mode == CP_ACT_RELATIVE) {
			if (app->sw->kind == CP_SWITCH_NONE) {
				rollback_staged(c, &old_staged, &old_act, sdp_touched, old_sdp);
				perr(pe, 503, "no switching engine is running (engine 'none'): a "
					      "scheduled activation could never happen");
				return NULL;
			}
			c->staged_act.activation_tai_ns = mode == CP_ACT_ABSOLUTE ? req_ns : now + req_ns;
			c->staged_act.has_activation_time = true;
			/* receivers: armed in the engine now, so the media switches on
			 * the frame at or after that time (not on the control tick) */
			int rc = engine_schedule(app, t, &c->staged, c->staged_act.activation_tai_ns);
			if (rc < 0 && rc != -EOPNOTSUPP) {
				rollback_staged(c, &old_staged, &old_act, sdp_touched, old_sdp);
				engine_refused(app, pe, rc);
				return NULL;
			}
			c->engine_pending = rc == 0;
			c->engine_done = false;
			status = 202;
		}
	}
	(void)status;
	if (sdp_touched)
		free(old_sdp);
	cp_model_touch(&app->model);
	return endpoint_json(app, t, false);
}

void cp_is05_tick(struct cp_app *app, uint64_t now)
{
	struct cp_model *m = &app->model;
	for (int sender = 0; sender < 2; sender++) {
		uint32_t n = sender ? m->n_out : m->n_in;
		for (uint32_t i = 0; i < n; i++)
			for (unsigned e = 0; e < CP_ESS_MAX; e++) {
				struct target t;
				const char *id = sender ? app->ids.out_sender[i][e] : app->ids.in_receiver[i][e];
				if (!find_target(app, sender, id, &t))
					continue;
				struct cp_activation *a = &t.conn->staged_act;
				if (a->mode != CP_ACT_ABSOLUTE && a->mode != CP_ACT_RELATIVE)
					continue;
				/* armed in the engine: active once it reports the frame */
				bool applied = t.conn->engine_pending;
				if (applied ? !t.conn->engine_done : a->activation_tai_ns > now)
					continue;
				uint64_t at = applied ? t.conn->engine_done_tai_ns : now;
				t.conn->engine_pending = t.conn->engine_done = false;
				enum cp_act_mode mode = a->mode;
				uint64_t req = a->requested_ns;
				a->mode = CP_ACT_NONE;
				a->has_activation_time = false;
				if (activate(app, &t, mode, req, at, "scheduled", applied) < 0) {
					json_t *d = json_pack("{s:s}", "id", id);
					cp_model_event(m, "activation_failed", d);
				}
			}
	}
}

void cp_is05_apply_all(struct cp_app *app)
{
	struct cp_model *m = &app->model;
	for (uint32_t o = 0; o < m->n_out; o++)
		for (unsigned e = 0; e < CP_ESS_MAX; e++) {
			struct target t;
			if (find_target(app, true, app->ids.out_sender[o][e], &t))
				engine_apply(app, &t, &t.conn->active);
		}
	for (uint32_t i = 0; i < m->n_in; i++)
		for (unsigned e = 0; e < CP_ESS_MAX; e++) {
			struct target t;
			if (find_target(app, false, app->ids.in_receiver[i][e], &t) &&
			    m->in[i].cfg->internal == CP_INTERNAL_NONE)
				engine_apply(app, &t, &t.conn->active);
		}
}

static json_t *patch_error_json(int status, const char *msg)
{
	return json_pack("{s:i,s:s,s:s}", "code", status, "error", cp_http_reason(status), "debug",
			 msg);
}

static void bulk(struct cp_app *app, const struct cp_req *rq, struct cp_http_resp *r, bool sender)
{
	if (!cp_app_method(rq, r, "POST"))
		return;
	struct cp_json_rd rd;
	cp_json_rd_init(&rd, "body");
	json_t *body = cp_json_load(&rd, rq->http->body, rq->http->body_len, false);
	if (!body) {
		cp_app_error(r, 400, "%s", rd.err);
		return;
	}
	if (!json_is_array(body)) {
		json_decref(body);
		cp_app_error(r, 400, "bulk body must be an array of {id, params}");
		return;
	}
	/* validate the shape of every entry before touching anything */
	size_t i;
	json_t *e;
	json_array_foreach(body, i, e) {
		if (!json_is_object(e) || !json_is_string(json_object_get(e, "id")) ||
		    !json_is_object(json_object_get(e, "params")) || json_object_size(e) != 2) {
			json_decref(body);
			cp_app_error(r, 400, "entry %zu must be {\"id\": <uuid>, \"params\": {...}}", i);
			return;
		}
	}
	json_t *out = json_array();
	json_array_foreach(body, i, e) {
		const char *id = json_string_value(json_object_get(e, "id"));
		struct target t;
		struct patch_err pe;
		if (!find_target(app, sender, id, &t)) {
			json_t *x = patch_error_json(404, "no such id");
			json_object_del(x, "code");
			json_object_set_new(x, "id", json_string(id));
			json_object_set_new(x, "code", json_integer(404));
			json_array_append_new(out, x);
			continue;
		}
		json_t *res = do_patch(app, &t, json_object_get(e, "params"), rq->client, &pe);
		json_t *x;
		if (res) {
			json_decref(res);
			x = json_pack("{s:s,s:i}", "id", id, "code", 200);
		} else {
			x = patch_error_json(pe.status, pe.msg);
			json_object_set_new(x, "id", json_string(id));
		}
		json_array_append_new(out, x);
	}
	json_decref(body);
	cp_app_json(r, 200, out);
}

void cp_is05_handle(struct cp_app *app, const struct cp_req *rq, struct cp_http_resp *r)
{
	/* seg: x-nmos connection v1.1 (single|bulk) (senders|receivers) id leaf */
	struct cp_model *m = &app->model;
	if (rq->n_seg == 2) {
		if (cp_app_method(rq, r, "GET"))
			cp_app_json(r, 200, json_pack("[s]", "v1.1/"));
		return;
	}
	if (strcmp(rq->seg[2], "v1.1") != 0) {
		cp_app_error(r, 404, "Connection API version '%s' not served (v1.1 is)", rq->seg[2]);
		return;
	}
	if (rq->n_seg == 3) {
		if (cp_app_method(rq, r, "GET"))
			cp_app_json(r, 200, json_pack("[s,s]", "bulk/", "single/"));
		return;
	}
	bool single = !strcmp(rq->seg[3], "single");
	if (!single && strcmp(rq->seg[3], "bulk") != 0) {
		cp_app_error(r, 404, "no such resource");
		return;
	}
	if (rq->n_seg == 4) {
		if (cp_app_method(rq, r, "GET"))
			cp_app_json(r, 200, json_pack("[s,s]", "senders/", "receivers/"));
		return;
	}
	bool sender = !strcmp(rq->seg[4], "senders");
	if (!sender && strcmp(rq->seg[4], "receivers") != 0) {
		cp_app_error(r, 404, "no such resource");
		return;
	}
	if (!single) {
		if (rq->n_seg != 5) {
			cp_app_error(r, 404, "no such resource");
			return;
		}
		bulk(app, rq, r, sender);
		return;
	}
	if (rq->n_seg == 5) {
		if (!cp_app_method(rq, r, "GET"))
			return;
		json_t *a = json_array();
		uint32_t n = sender ? m->n_out : m->n_in;
		for (uint32_t i = 0; i < n; i++)
			for (unsigned e = 0; e < CP_ESS_MAX; e++) {
				char b[CP_UUID_STRLEN + 1];
				bool present = sender ? m->out[i].cfg->ess[e].present
						      : m->in[i].cfg->ess[e].present &&
								m->in[i].cfg->internal == CP_INTERNAL_NONE;
				if (!present)
					continue;
				snprintf(b, sizeof(b), "%s/",
					 sender ? app->ids.out_sender[i][e] : app->ids.in_receiver[i][e]);
				json_array_append_new(a, json_string(b));
			}
		cp_app_json(r, 200, a);
		return;
	}
	struct target t;
	if (!find_target(app, sender, rq->seg[5], &t)) {
		cp_app_error(r, 404, "no %s with id '%s'", sender ? "sender" : "receiver", rq->seg[5]);
		return;
	}
	if (rq->n_seg == 6) {
		if (cp_app_method(rq, r, "GET")) {
			if (sender)
				cp_app_json(r, 200, json_pack("[s,s,s,s,s]", "constraints/", "staged/",
							      "active/", "transportfile/",
							      "transporttype/"));
			else
				cp_app_json(r, 200, json_pack("[s,s,s,s]", "constraints/", "staged/",
							      "active/", "transporttype/"));
		}
		return;
	}
	if (rq->n_seg != 7) {
		cp_app_error(r, 404, "no such resource");
		return;
	}
	const char *leaf = rq->seg[6];
	if (!strcmp(leaf, "constraints")) {
		if (cp_app_method(rq, r, "GET"))
			cp_app_json(r, 200, constraints_json(&t));
	} else if (!strcmp(leaf, "active")) {
		if (cp_app_method(rq, r, "GET"))
			cp_app_json(r, 200, endpoint_json(app, &t, true));
	} else if (!strcmp(leaf, "transporttype")) {
		if (cp_app_method(rq, r, "GET"))
			cp_app_json(r, 200, json_string("urn:x-nmos:transport:rtp"));
	} else if (!strcmp(leaf, "transportfile") && sender) {
		if (!cp_app_method(rq, r, "GET"))
			return;
		char *sdp = cp_is05_sender_sdp(app, t.idx, t.ess);
		if (!sdp) {
			cp_app_error(r, 500, "could not build the SDP of this sender");
			return;
		}
		cp_http_resp_set(r, 200, "application/sdp", sdp, strlen(sdp));
		free(sdp);
	} else if (!strcmp(leaf, "staged")) {
		if (rq->http->method == CP_HTTP_PATCH) {
			json_t *body = cp_app_body(rq, r);
			if (!body)
				return;
			struct patch_err pe;
			json_t *res = do_patch(app, &t, body, rq->client, &pe);
			json_decref(body);
			if (!res) {
				cp_app_error(r, pe.status, "%s", pe.msg);
				return;
			}
			bool sched = t.conn->staged_act.mode == CP_ACT_ABSOLUTE ||
				     t.conn->staged_act.mode == CP_ACT_RELATIVE;
			cp_app_json(r, sched ? 202 : 200, res);
		} else if (cp_app_method(rq, r, "GET, PATCH")) {
			cp_app_json(r, 200, endpoint_json(app, &t, false));
		}
	} else {
		cp_app_error(r, 404, "no such resource");
	}
}
