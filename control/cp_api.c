/* SPDX-License-Identifier: MIT */
/*
 * cp_api.c: the switcher API, /x-switchyard/v1/, and /metrics.
 *
 * Operators and automation: inputs and outputs (labels, formats, status),
 * takes now or at a TAI time, the preview bus with cut, salvos, locks and
 * protects, tally, engine counters, the event log (polled or streamed as
 * Server-Sent Events) and the audit log. Documented in docs/api.md and
 * docs/openapi.yaml. Every write names its client (X-Switchyard-Client, else
 * the peer address) in the audit log.
 *
 * Thread: the libuv loop thread.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cp_app.h"
#include "cp_json.h"
#include "cp_persist.h"
#include "cp_reg.h"
#include "sy_time.h"

#define API_VERSION "v1"

/* "at": absent/null -> 0 (now), "sec:nsec" TAI. */
static bool parse_at(const json_t *body, uint64_t *at, struct cp_http_resp *r)
{
	json_t *v = json_object_get(body, "at");
	*at = 0;
	if (!v || json_is_null(v))
		return true;
	if (!json_is_string(v) || cp_model_tai_parse(json_string_value(v), at) < 0 || *at == 0) {
		cp_app_error(r, 400, "at must be a TAI time \"<seconds>:<nanoseconds>\" or null");
		return false;
	}
	return true;
}

/* "input": id or null (-1). -2 on error (response set). */
static int parse_input(struct cp_app *app, const json_t *body, const char *key, bool required,
		       struct cp_http_resp *r)
{
	json_t *v = json_object_get(body, key);
	if (!v) {
		if (required) {
			cp_app_error(r, 400, "%s: required key missing", key);
			return -2;
		}
		return -1;
	}
	if (json_is_null(v))
		return -1;
	if (!json_is_string(v)) {
		cp_app_error(r, 400, "%s must be an input id (string) or null", key);
		return -2;
	}
	int i = cp_model_find_input(&app->model, json_string_value(v));
	if (i < 0) {
		cp_app_error(r, 404, "no input '%s'", json_string_value(v));
		return -2;
	}
	return i;
}

static bool only_keys(const json_t *body, const char *const *keys, struct cp_http_resp *r)
{
	struct cp_json_rd rd;
	cp_json_rd_init(&rd, "body");
	if (!cp_json_only(&rd, body, keys)) {
		cp_app_error(r, 400, "%s", rd.err);
		return false;
	}
	return true;
}

static void take_reply(struct cp_app *app, uint32_t o, struct cp_http_resp *r)
{
	cp_app_json(r, 202, cp_model_output_json(&app->model, o));
}

/* GET, or PATCH {"label"}, of one output or input: the two resources share it. */
static void io_resource(const struct cp_req *rq, struct cp_http_resp *r, struct cp_model *m,
			bool output, uint32_t idx)
{
	char err[CP_MODEL_ERR_MAX];

	if (rq->http->method == CP_HTTP_PATCH) {
		static const char *const keys[] = {"label", NULL};
		json_t *b = cp_app_body(rq, r);
		if (!b)
			return;
		json_t *l = json_object_get(b, "label");
		if (!only_keys(b, keys, r)) {
		} else if (!json_is_string(l)) {
			cp_app_error(r, 400, "label must be a string");
		} else {
			int rc = cp_model_set_label(m, output, idx, json_string_value(l), rq->client,
						    err);
			if (rc < 0)
				cp_app_model_error(r, rc, err);
			else
				cp_app_json(r, 200, output ? cp_model_output_json(m, idx)
							   : cp_model_input_json(m, idx));
		}
		json_decref(b);
	} else if (cp_app_method(rq, r, "GET, PATCH")) {
		cp_app_json(r, 200, output ? cp_model_output_json(m, idx) : cp_model_input_json(m, idx));
	}
}

static void do_take(struct cp_app *app, const struct cp_req *rq, struct cp_http_resp *r, int o,
		    json_t *body)
{
	static const char *const keys[] = {"output", "input", "at", NULL};
	char err[CP_MODEL_ERR_MAX];
	uint64_t at;
	if (!only_keys(body, keys, r) || !parse_at(body, &at, r))
		return;
	if (o < 0) {
		json_t *ov = json_object_get(body, "output");
		if (!json_is_string(ov)) {
			cp_app_error(r, 400, "output must be an output id (string)");
			return;
		}
		o = cp_model_find_output(&app->model, json_string_value(ov));
		if (o < 0) {
			cp_app_error(r, 404, "no output '%s'", json_string_value(ov));
			return;
		}
	}
	int i = parse_input(app, body, "input", true, r);
	if (i == -2)
		return;
	int rc = cp_model_take(&app->model, (uint32_t)o, i, at, rq->client, err);
	if (rc < 0) {
		cp_app_model_error(r, rc, err);
		return;
	}
	cp_model_poll(&app->model); /* an engine that lands at once is reported at once */
	take_reply(app, (uint32_t)o, r);
}

static uint64_t query_since(const struct cp_req *rq)
{
	const char *q = strstr(rq->http->query, "since=");
	return q ? strtoull(q + 6, NULL, 10) : 0;
}

static json_t *ring_since(json_t *const *ring, size_t cap, uint64_t last, uint64_t since)
{
	json_t *a = json_array();
	uint64_t first = last >= cap ? last - cap + 1 : 1;
	if (since + 1 > first)
		first = since + 1;
	for (uint64_t s = first; s <= last; s++)
		if (ring[s % cap])
			json_array_append(a, ring[s % cap]);
	return a;
}

static void outputs_sub(struct cp_app *app, const struct cp_req *rq, struct cp_http_resp *r)
{
	struct cp_model *m = &app->model;
	char err[CP_MODEL_ERR_MAX];
	if (rq->n_seg == 3) {
		if (!cp_app_method(rq, r, "GET"))
			return;
		json_t *a = json_array();
		for (uint32_t o = 0; o < m->n_out; o++)
			json_array_append_new(a, cp_model_output_json(m, o));
		cp_app_json(r, 200, a);
		return;
	}
	int o = cp_model_find_output(m, rq->seg[3]);
	if (o < 0) {
		cp_app_error(r, 404, "no output '%s'", rq->seg[3]);
		return;
	}
	if (rq->n_seg == 4) {
		io_resource(rq, r, m, true, (uint32_t)o);
		return;
	}
	if (rq->n_seg != 5) {
		cp_app_error(r, 404, "no such resource");
		return;
	}
	const char *leaf = rq->seg[4];
	if (!strcmp(leaf, "take")) {
		if (!cp_app_method(rq, r, "POST"))
			return;
		json_t *b = cp_app_body(rq, r);
		if (b) {
			if (json_object_get(b, "output"))
				cp_app_error(r, 400, "output is given by the path here");
			else
				do_take(app, rq, r, o, b);
			json_decref(b);
		}
	} else if (!strcmp(leaf, "preview")) {
		if (!cp_app_method(rq, r, "PUT"))
			return;
		static const char *const keys[] = {"input", NULL};
		json_t *b = cp_app_body(rq, r);
		if (!b)
			return;
		int i;
		if (only_keys(b, keys, r) && (i = parse_input(app, b, "input", true, r)) != -2) {
			int rc = cp_model_preview(m, (uint32_t)o, i, rq->client, err);
			if (rc < 0)
				cp_app_model_error(r, rc, err);
			else
				cp_app_json(r, 200, cp_model_output_json(m, (uint32_t)o));
		}
		json_decref(b);
	} else if (!strcmp(leaf, "cut")) {
		if (!cp_app_method(rq, r, "POST"))
			return;
		static const char *const keys[] = {"at", NULL};
		json_t *b = rq->http->body_len ? cp_app_body(rq, r) : json_object();
		uint64_t at;
		if (!b)
			return;
		if (only_keys(b, keys, r) && parse_at(b, &at, r)) {
			int rc = cp_model_cut(m, (uint32_t)o, at, rq->client, err);
			if (rc < 0) {
				cp_app_model_error(r, rc, err);
			} else {
				cp_model_poll(m);
				take_reply(app, (uint32_t)o, r);
			}
		}
		json_decref(b);
	} else if (!strcmp(leaf, "lock")) {
		bool del = rq->http->method == CP_HTTP_DELETE;
		if (!del && !cp_app_method(rq, r, "PUT, DELETE"))
			return;
		static const char *const keys[] = {"kind", "force", NULL};
		json_t *b = rq->http->body_len ? cp_app_body(rq, r) : json_object();
		if (!b)
			return;
		struct cp_json_rd rd;
		char kind[16] = "";
		bool force = false;
		cp_json_rd_init(&rd, "body");
		if (cp_json_only(&rd, b, keys) &&
		    cp_json_str(&rd, b, "kind", !del, kind, sizeof(kind)) &&
		    cp_json_bool(&rd, b, "force", false, &force)) {
			enum cp_lock_kind k = del ? CP_LOCK_NONE
					      : !strcmp(kind, "lock")	 ? CP_LOCK_LOCK
					      : !strcmp(kind, "protect") ? CP_LOCK_PROTECT
					      : !strcmp(kind, "none")	 ? CP_LOCK_NONE
									 : CP_LOCK_KIND_MAX;
			if (k == CP_LOCK_KIND_MAX) {
				cp_app_error(r, 400, "kind must be lock, protect or none");
			} else {
				int rc = cp_model_lock(m, (uint32_t)o, k, rq->client, force, err);
				if (rc < 0)
					cp_app_model_error(r, rc, err);
				else
					cp_app_json(r, 200, cp_model_output_json(m, (uint32_t)o));
			}
		} else {
			cp_app_error(r, 400, "%s", rd.err);
		}
		json_decref(b);
	} else {
		cp_app_error(r, 404, "no such resource");
	}
}

static void inputs_sub(struct cp_app *app, const struct cp_req *rq, struct cp_http_resp *r)
{
	struct cp_model *m = &app->model;
	if (rq->n_seg == 3) {
		if (!cp_app_method(rq, r, "GET"))
			return;
		json_t *a = json_array();
		for (uint32_t i = 0; i < m->n_in; i++)
			json_array_append_new(a, cp_model_input_json(m, i));
		cp_app_json(r, 200, a);
		return;
	}
	int i = cp_model_find_input(m, rq->seg[3]);
	if (i < 0 || rq->n_seg != 4) {
		cp_app_error(r, 404, "no input '%s'", rq->seg[3]);
		return;
	}
	io_resource(rq, r, m, false, (uint32_t)i);
}

static void salvos_sub(struct cp_app *app, const struct cp_req *rq, struct cp_http_resp *r)
{
	struct cp_model *m = &app->model;
	char err[CP_MODEL_ERR_MAX];
	if (rq->n_seg == 3) {
		if (!cp_app_method(rq, r, "GET"))
			return;
		json_t *a = json_array();
		for (uint32_t s = 0; s < m->n_salvos; s++)
			json_array_append_new(a, cp_model_salvo_json(m, s));
		cp_app_json(r, 200, a);
		return;
	}
	const char *id = rq->seg[3];
	int s = cp_model_find_salvo(m, id);
	if (rq->n_seg == 4) {
		if (rq->http->method == CP_HTTP_PUT) {
			static const char *const keys[] = {"label", "takes", NULL};
			static const char *const tkeys[] = {"output", "input", NULL};
			json_t *b = cp_app_body(rq, r);
			if (!b)
				return;
			struct cp_json_rd rd;
			struct cp_salvo sv;
			memset(&sv, 0, sizeof(sv));
			cp_json_rd_init(&rd, "body");
			snprintf(sv.id, sizeof(sv.id), "%s", id);
			json_t *takes;
			if (strlen(id) >= CP_ID_MAX || !cp_config_id_ok(id)) {
				cp_app_error(r, 400, "salvo id must be 1..31 of [A-Za-z0-9_-]");
			} else if (!cp_json_only(&rd, b, keys) ||
				   !cp_json_str(&rd, b, "label", false, sv.label, sizeof(sv.label)) ||
				   !(takes = cp_json_arr(&rd, b, "takes", true))) {
				cp_app_error(r, 400, "%s", rd.err);
			} else if (json_array_size(takes) > CP_MAX_OUTPUTS) {
				cp_app_error(r, 400, "takes: at most %u", CP_MAX_OUTPUTS);
			} else {
				size_t k;
				json_t *t;
				bool ok = true;
				json_array_foreach(takes, k, t) {
					size_t p = cp_json_push_key(&rd, "takes");
					cp_json_push_idx(&rd, k);
					char oid[CP_ID_MAX] = "";
					if (!json_is_object(t))
						cp_json_fail(&rd, NULL, "expected object");
					else if (cp_json_only(&rd, t, tkeys) &&
						 cp_json_str(&rd, t, "output", true, oid, sizeof(oid))) {
						json_t *iv = json_object_get(t, "input");
						int o = cp_model_find_output(m, oid);
						int i = iv && json_is_string(iv)
								? cp_model_find_input(m, json_string_value(iv))
								: -1;
						if (!iv || (!json_is_null(iv) && !json_is_string(iv)))
							cp_json_fail(&rd, "input", "input id or null required");
						else if (o < 0)
							cp_json_fail(&rd, "output", "no output '%s'", oid);
						else if (json_is_string(iv) && i < 0)
							cp_json_fail(&rd, "input", "no input '%s'",
								     json_string_value(iv));
						else {
							sv.take[sv.n_takes].out_idx = (uint32_t)o;
							sv.take[sv.n_takes].in_idx = i;
							sv.n_takes++;
						}
					}
					cp_json_pop(&rd, p);
					if (rd.failed) {
						ok = false;
						break;
					}
				}
				if (!ok) {
					cp_app_error(r, strstr(rd.err, "no ") ? 404 : 400, "%s", rd.err);
				} else if (sv.label[0] && !cp_json_label_ok(sv.label)) {
					cp_app_error(r, 400, "control characters in label");
				} else {
					int rc = cp_model_salvo_put(m, &sv, rq->client, err);
					if (rc < 0)
						cp_app_model_error(r, rc, err);
					else
						cp_app_json(r, s < 0 ? 201 : 200,
							    cp_model_salvo_json(m, (uint32_t)cp_model_find_salvo(m, id)));
				}
			}
			json_decref(b);
			return;
		}
		if (s < 0) {
			if (cp_app_method(rq, r, "GET, PUT, DELETE"))
				cp_app_error(r, 404, "no salvo '%s'", id);
			return;
		}
		if (rq->http->method == CP_HTTP_DELETE) {
			int rc = cp_model_salvo_delete(m, id, rq->client, err);
			if (rc < 0)
				cp_app_model_error(r, rc, err);
			else
				r->status = 204;
		} else if (cp_app_method(rq, r, "GET, PUT, DELETE")) {
			cp_app_json(r, 200, cp_model_salvo_json(m, (uint32_t)s));
		}
		return;
	}
	if (s < 0) {
		cp_app_error(r, 404, "no salvo '%s'", id);
		return;
	}
	if (rq->n_seg == 5 && !strcmp(rq->seg[4], "fire")) {
		if (!cp_app_method(rq, r, "POST"))
			return;
		static const char *const keys[] = {"at", NULL};
		json_t *b = rq->http->body_len ? cp_app_body(rq, r) : json_object();
		uint64_t at, shared = 0;
		if (!b)
			return;
		if (only_keys(b, keys, r) && parse_at(b, &at, r)) {
			int rc = cp_model_salvo_fire(m, (uint32_t)s, at, rq->client, err, &shared);
			if (rc < 0) {
				cp_app_model_error(r, rc, err);
			} else {
				cp_model_poll(m);
				const struct cp_salvo *sv = &m->salvo[s];
				json_t *outs = json_array();
				for (uint32_t k = 0; k < sv->n_takes; k++)
					json_array_append_new(outs,
							      cp_model_output_json(m, sv->take[k].out_idx));
				char tb[48];
				cp_model_tai_str(shared, tb, sizeof(tb));
				cp_app_json(r, 202,
					    json_pack("{s:s,s:s,s:o}", "salvo", sv->id, "at", tb,
						      "outputs", outs));
			}
		}
		json_decref(b);
		return;
	}
	cp_app_error(r, 404, "no such resource");
}

static json_t *counters_json(const struct cp_switch_io_counters *c)
{
	return json_pack("{s:I,s:I,s:I,s:I,s:I}", "packets", (json_int_t)c->packets, "bytes",
			 (json_int_t)c->bytes, "drops", (json_int_t)c->drops, "seq_errors",
			 (json_int_t)c->seq_errors, "takes", (json_int_t)c->takes);
}

static void counters(struct cp_app *app, const struct cp_req *rq, struct cp_http_resp *r)
{
	struct cp_model *m = &app->model;
	struct cp_switch *sw = app->sw;
	struct cp_switch_io_counters c;
	if (!cp_app_method(rq, r, "GET"))
		return;
	json_t *ins = json_object(), *outs = json_object();
	for (uint32_t i = 0; i < m->n_in; i++) {
		if (sw->ops->input_counters(sw, i, &c) < 0) {
			json_decref(ins);
			json_decref(outs);
			cp_app_error(r, 503, "no switching engine is running (engine '%s'): no counters",
				     sw->ops->name);
			return;
		}
		json_object_set_new(ins, m->in[i].cfg->id, counters_json(&c));
	}
	for (uint32_t o = 0; o < m->n_out; o++) {
		if (sw->ops->output_counters(sw, o, &c) < 0) {
			json_decref(ins);
			json_decref(outs);
			cp_app_error(r, 503, "no switching engine is running (engine '%s'): no counters",
				     sw->ops->name);
			return;
		}
		json_object_set_new(outs, m->out[o].cfg->id, counters_json(&c));
	}
	json_t *body = json_pack("{s:s,s:o,s:o}", "engine", sw->ops->name, "inputs", ins,
				 "outputs", outs);
	struct cp_switch_engine_stats es;
	if (body && sw->ops->engine_stats && sw->ops->engine_stats(sw, &es) == 0) {
		json_t *drops = json_object();
		for (uint32_t k = 0; k < es.n_drops; k++)
			if (es.drops[k])
				json_object_set_new(drops, es.drop_name[k],
						    json_integer((json_int_t)es.drops[k]));
		json_object_set_new(body, "engine_stats",
				    json_pack("{s:I,s:I,s:I,s:i,s:i,s:o}", "rx_packets",
					      (json_int_t)es.rx_pkts, "tx_packets",
					      (json_int_t)es.tx_pkts, "events_lost",
					      (json_int_t)es.events_lost, "workers", (int)es.n_workers,
					      "snapshots_waiting", (int)es.snapshots_waiting, "drops",
					      drops));
	}
	cp_app_json(r, 200, body);
}

static void status(struct cp_app *app, struct cp_http_resp *r)
{
	uint64_t now = cp_model_now(&app->model);
	char tb[48];
	cp_model_tai_str(now, tb, sizeof(tb));
	json_t *s = json_object();
	json_object_set_new(s, "api", json_string(API_VERSION));
	json_object_set_new(s, "engine", json_string(app->sw->ops->name));
	json_object_set_new(s, "engine_switches_media",
			    json_boolean(app->sw->kind == CP_SWITCH_DATAPLANE));
	json_object_set_new(s, "config", json_string(app->cfg->origin));
	json_object_set_new(s, "demo", json_boolean(app->cfg->demo));
	json_object_set_new(s, "time", json_string(tb));
	json_object_set_new(s, "tai_utc_offset_s", json_integer(app->cfg->tai_utc_offset_s));
	json_object_set_new(s, "node_id", json_string(app->ids.node));
	json_object_set_new(s, "auth_required_for_writes", json_boolean(app->cfg->token[0] != 0));
	json_object_set_new(s, "tls", json_boolean(app->tls != NULL));
	json_object_set_new(s, "persistence",
			    app->persist ? json_string(app->cfg->state_file) : json_null());
	if (app->reg) {
		const struct cp_reg_stats *rs = cp_reg_stats(app->reg);
		json_object_set_new(s, "registration",
				    json_pack("{s:s,s:o}", "state", cp_reg_state_name(rs->state),
					      "registry", cp_reg_current_url(app->reg)
								  ? json_string(cp_reg_current_url(app->reg))
								  : json_null()));
	}
	cp_app_json(r, 200, s);
}

void cp_api_handle(struct cp_app *app, const struct cp_req *rq, struct cp_http_resp *r)
{
	struct cp_model *m = &app->model;
	if (rq->n_seg == 1) {
		if (cp_app_method(rq, r, "GET"))
			cp_app_json(r, 200, json_pack("[s]", API_VERSION "/"));
		return;
	}
	if (strcmp(rq->seg[1], API_VERSION) != 0) {
		cp_app_error(r, 404, "switcher API version '%s' not served (" API_VERSION " is)",
			     rq->seg[1]);
		return;
	}
	if (rq->n_seg == 2) {
		if (cp_app_method(rq, r, "GET"))
			cp_app_json(r, 200,
				    json_pack("[s,s,s,s,s,s,s,s,s]", "status", "inputs/", "outputs/",
					      "take", "salvos/", "tally", "counters", "events",
					      "audit"));
		return;
	}
	const char *top = rq->seg[2];
	if (!strcmp(top, "outputs")) {
		outputs_sub(app, rq, r);
	} else if (!strcmp(top, "inputs")) {
		inputs_sub(app, rq, r);
	} else if (!strcmp(top, "salvos")) {
		salvos_sub(app, rq, r);
	} else if (rq->n_seg != 3 && !(rq->n_seg == 4 && !strcmp(top, "events") &&
				       !strcmp(rq->seg[3], "stream"))) {
		cp_app_error(r, 404, "no such resource");
	} else if (!strcmp(top, "take")) {
		if (!cp_app_method(rq, r, "POST"))
			return;
		json_t *b = cp_app_body(rq, r);
		if (b) {
			do_take(app, rq, r, -1, b);
			json_decref(b);
		}
	} else if (!strcmp(top, "status")) {
		if (cp_app_method(rq, r, "GET"))
			status(app, r);
	} else if (!strcmp(top, "tally")) {
		if (cp_app_method(rq, r, "GET"))
			cp_app_json(r, 200, cp_model_tally_json(m));
	} else if (!strcmp(top, "counters")) {
		counters(app, rq, r);
	} else if (!strcmp(top, "events")) {
		if (!cp_app_method(rq, r, "GET"))
			return;
		if (rq->n_seg == 4) {
			r->sse = true;
			r->status = 200;
			return;
		}
		cp_app_json(r, 200, ring_since(m->events, CP_EVENTS_MAX, m->event_seq, query_since(rq)));
	} else if (!strcmp(top, "audit")) {
		if (cp_app_method(rq, r, "GET"))
			cp_app_json(r, 200, ring_since(m->audit, CP_AUDIT_MAX, m->audit_seq,
						       query_since(rq)));
	} else {
		cp_app_error(r, 404, "no such resource");
	}
}

/* ---- Prometheus text exposition (format 0.0.4) ---- */

struct mbuf {
	char *p;
	size_t len, cap;
};

static void mprintf(struct mbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void mprintf(struct mbuf *b, const char *fmt, ...)
{
	for (;;) {
		va_list ap;
		va_start(ap, fmt);
		int n = vsnprintf(b->p ? b->p + b->len : NULL, b->p ? b->cap - b->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0)
			return;
		if (b->p && b->len + (size_t)n < b->cap) {
			b->len += (size_t)n;
			return;
		}
		size_t cap = b->cap ? b->cap * 2 : 8192;
		while (cap < b->len + (size_t)n + 1)
			cap *= 2;
		char *np = realloc(b->p, cap);
		if (!np)
			return;
		b->p = np;
		b->cap = cap;
	}
}

static void metric(struct mbuf *b, const char *name, const char *type, const char *help)
{
	mprintf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

void cp_api_metrics(struct cp_app *app, struct cp_http_resp *r)
{
	struct mbuf b = {0};
	const struct cp_model *m = &app->model;
	static const struct cp_http_stats no_http;
	const struct cp_http_stats *hs = app->http ? cp_http_stats(app->http) : &no_http;
	metric(&b, "switchyard_engine_info", "gauge", "Switching engine in use (1 for the active one).");
	for (unsigned k = 0; k < CP_SWITCH_KIND_MAX; k++)
		mprintf(&b, "switchyard_engine_info{engine=\"%s\"} %d\n", cp_switch_kind_name(k),
			app->sw->kind == k);
	metric(&b, "switchyard_takes_requested_total", "counter", "Takes accepted and armed.");
	mprintf(&b, "switchyard_takes_requested_total %" PRIu64 "\n", m->stats.takes_requested);
	metric(&b, "switchyard_takes_done_total", "counter", "Takes the engine reported landed.");
	mprintf(&b, "switchyard_takes_done_total %" PRIu64 "\n", m->stats.takes_done);
	metric(&b, "switchyard_takes_refused_total", "counter",
	       "Takes refused (locks, formats, no engine, bad time).");
	mprintf(&b, "switchyard_takes_refused_total %" PRIu64 "\n", m->stats.takes_refused);
	metric(&b, "switchyard_salvos_fired_total", "counter", "Salvos fired.");
	mprintf(&b, "switchyard_salvos_fired_total %" PRIu64 "\n", m->stats.salvos_fired);
	metric(&b, "switchyard_output_on_air", "gauge", "1 when the output carries the input.");
	for (uint32_t o = 0; o < m->n_out; o++)
		if (m->out[o].cur_in >= 0)
			mprintf(&b, "switchyard_output_on_air{output=\"%s\",input=\"%s\"} 1\n",
				m->out[o].cfg->id, m->in[m->out[o].cur_in].cfg->id);
	metric(&b, "switchyard_http_requests_total", "counter", "HTTP requests parsed.");
	mprintf(&b, "switchyard_http_requests_total %" PRIu64 "\n", hs->requests);
	metric(&b, "switchyard_http_responses_total", "counter", "HTTP responses by class.");
	for (int c = 1; c <= 5; c++)
		mprintf(&b, "switchyard_http_responses_total{class=\"%dxx\"} %" PRIu64 "\n", c,
			hs->responses_by_class[c]);
	metric(&b, "switchyard_http_timeouts_total", "counter", "Requests not received in time.");
	mprintf(&b, "switchyard_http_timeouts_total %" PRIu64 "\n", hs->timeouts);
	metric(&b, "switchyard_http_limit_rejects_total", "counter", "413/414/431 answers.");
	mprintf(&b, "switchyard_http_limit_rejects_total %" PRIu64 "\n", hs->limit_rejects);
	metric(&b, "switchyard_http_auth_failures_total", "counter", "Writes without a valid token.");
	mprintf(&b, "switchyard_http_auth_failures_total %" PRIu64 "\n", app->auth_failures);
	metric(&b, "switchyard_http_tls_failures_total", "counter",
	       "TLS handshakes or records refused.");
	mprintf(&b, "switchyard_http_tls_failures_total %" PRIu64 "\n", hs->tls_failures);
	metric(&b, "switchyard_http_connections", "gauge", "Open HTTP connections.");
	mprintf(&b, "switchyard_http_connections %u\n", hs->conns_open);
	metric(&b, "switchyard_sse_clients", "gauge", "Event-stream subscribers.");
	mprintf(&b, "switchyard_sse_clients %u\n", hs->sse_clients);
	metric(&b, "switchyard_sse_dropped_total", "counter", "Subscribers dropped for lagging.");
	mprintf(&b, "switchyard_sse_dropped_total %" PRIu64 "\n", hs->sse_dropped);
	if (app->persist) {
		const struct cp_persist_stats *ps = cp_persist_stats(app->persist);
		metric(&b, "switchyard_state_writes_total", "counter", "State file writes.");
		mprintf(&b, "switchyard_state_writes_total{result=\"ok\"} %" PRIu64 "\n", ps->writes_ok);
		mprintf(&b, "switchyard_state_writes_total{result=\"failed\"} %" PRIu64 "\n",
			ps->writes_failed);
	}
	if (app->reg && (app->cfg->n_registries || app->dnssd)) {
		const struct cp_reg_stats *rs = cp_reg_stats(app->reg);
		metric(&b, "switchyard_registration_registered", "gauge",
		       "1 while registered with an IS-04 registry.");
		mprintf(&b, "switchyard_registration_registered %d\n", rs->state == CP_REG_REGISTERED);
		metric(&b, "switchyard_registration_heartbeats_total", "counter", "Heartbeats.");
		mprintf(&b, "switchyard_registration_heartbeats_total{result=\"ok\"} %" PRIu64 "\n",
			rs->heartbeats_ok);
		mprintf(&b, "switchyard_registration_heartbeats_total{result=\"failed\"} %" PRIu64 "\n",
			rs->heartbeats_failed);
		metric(&b, "switchyard_registration_failovers_total", "counter",
		       "Moves to the next registry.");
		mprintf(&b, "switchyard_registration_failovers_total %" PRIu64 "\n", rs->failovers);
		metric(&b, "switchyard_registration_reregistrations_total", "counter",
		       "Heartbeat 404 followed by a full registration.");
		mprintf(&b, "switchyard_registration_reregistrations_total %" PRIu64 "\n",
			rs->reregistrations);
	}
	struct cp_switch_io_counters c;
	bool first = true;
	for (uint32_t o = 0; o < m->n_out; o++) {
		if (app->sw->ops->output_counters(app->sw, o, &c) < 0)
			break;
		if (first) {
			metric(&b, "switchyard_output_packets_total", "counter", "Packets sent.");
			metric(&b, "switchyard_output_bytes_total", "counter", "Bytes sent.");
		}
		first = false;
		mprintf(&b, "switchyard_output_packets_total{output=\"%s\"} %" PRIu64 "\n",
			m->out[o].cfg->id, c.packets);
		mprintf(&b, "switchyard_output_bytes_total{output=\"%s\"} %" PRIu64 "\n",
			m->out[o].cfg->id, c.bytes);
	}
	first = true;
	for (uint32_t i = 0; i < m->n_in; i++) {
		if (app->sw->ops->input_counters(app->sw, i, &c) < 0)
			break;
		if (first) {
			metric(&b, "switchyard_input_packets_total", "counter", "Packets received.");
			metric(&b, "switchyard_input_malformed_total", "counter",
			       "Packets of the input dropped as malformed.");
		}
		first = false;
		mprintf(&b, "switchyard_input_packets_total{input=\"%s\"} %" PRIu64 "\n",
			m->in[i].cfg->id, c.packets);
		mprintf(&b, "switchyard_input_malformed_total{input=\"%s\"} %" PRIu64 "\n",
			m->in[i].cfg->id, c.drops);
	}
	struct cp_switch_engine_stats es;
	if (app->sw->ops->engine_stats && app->sw->ops->engine_stats(app->sw, &es) == 0) {
		metric(&b, "switchyard_dataplane_rx_packets_total", "counter",
		       "Packets received by the dataplane workers.");
		mprintf(&b, "switchyard_dataplane_rx_packets_total %" PRIu64 "\n", es.rx_pkts);
		metric(&b, "switchyard_dataplane_tx_packets_total", "counter",
		       "Packets sent by the dataplane workers.");
		mprintf(&b, "switchyard_dataplane_tx_packets_total %" PRIu64 "\n", es.tx_pkts);
		metric(&b, "switchyard_dataplane_drops_total", "counter",
		       "Packets dropped by the dataplane, by reason.");
		for (uint32_t k = 0; k < es.n_drops; k++)
			mprintf(&b, "switchyard_dataplane_drops_total{reason=\"%s\"} %" PRIu64 "\n",
				es.drop_name[k], es.drops[k]);
		metric(&b, "switchyard_dataplane_events_lost_total", "counter",
		       "Worker events lost (ring full).");
		mprintf(&b, "switchyard_dataplane_events_lost_total %" PRIu64 "\n", es.events_lost);
		metric(&b, "switchyard_dataplane_snapshots_waiting", "gauge",
		       "Retired route snapshots waiting for every worker to move on.");
		mprintf(&b, "switchyard_dataplane_snapshots_waiting %u\n", es.snapshots_waiting);
	}
	r->status = 200;
	r->content_type = "text/plain; version=0.0.4; charset=utf-8";
	r->body = b.p;
	r->body_len = b.len;
}
