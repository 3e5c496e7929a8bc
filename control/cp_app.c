/* SPDX-License-Identifier: MIT */
/*
 * cp_app.c: start/stop of the control plane and the request router (see
 * cp_app.h).
 *
 * The 20 ms tick drains engine events, fires due IS-05 activations and hands
 * a coalesced state document to persistence when the model changed.
 *
 * Thread: the libuv loop thread.
 */
#include "cp_app.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "cp_assets.h"
#include "cp_json.h"
#include "cp_persist.h"
#include "cp_dnssd.h"
#include "cp_reg.h"
#include "cp_tls.h"
#include "sy_time.h"

#define CP_APP_TICK_MS 20u

static const char *const ess_names[CP_ESS_MAX] = {"video", "audio", "anc"};

static uint64_t app_clock(void *ctx)
{
	struct cp_app *app = ctx;
	uint64_t t = 0;
	sy_time_now_tai(app->cfg->tai_utc_offset_s, &t);
	return t;
}

void cp_app_error(struct cp_http_resp *r, int status, const char *fmt, ...)
{
	char dbg[CP_MODEL_ERR_MAX * 2];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(dbg, sizeof(dbg), fmt, ap);
	va_end(ap);
	json_t *b = json_pack("{s:i,s:s,s:s}", "code", status, "error", cp_http_reason(status),
			      "debug", dbg);
	cp_app_json(r, status, b);
}

void cp_app_json(struct cp_http_resp *r, int status, json_t *body)
{
	char *text = body ? cp_json_dump(body) : NULL;
	json_decref(body);
	if (!text) {
		static const char oom[] =
			"{\"code\":500,\"error\":\"Internal Server Error\",\"debug\":\"out of memory\"}";
		cp_http_resp_set(r, 500, "application/json", oom, sizeof(oom) - 1);
		return;
	}
	free(r->body);
	r->body = text;
	r->static_body = NULL;
	r->body_len = strlen(text);
	r->status = status;
	r->content_type = "application/json";
}

void cp_app_model_error(struct cp_http_resp *r, int rc, const char *msg)
{
	cp_app_error(r, cp_model_http_status(rc), "%s", msg);
}

json_t *cp_app_body(const struct cp_req *rq, struct cp_http_resp *r)
{
	const char *ct = rq->http->content_type;
	if (ct[0] && strncasecmp(ct, "application/json", 16) != 0) {
		cp_app_error(r, 415, "Content-Type must be application/json (got '%s')", ct);
		return NULL;
	}
	struct cp_json_rd rd;
	cp_json_rd_init(&rd, "body");
	json_t *b = cp_json_load(&rd, rq->http->body, rq->http->body_len, true);
	if (!b)
		cp_app_error(r, 400, "%s", rd.err);
	return b;
}

bool cp_app_method(const struct cp_req *rq, struct cp_http_resp *r, const char *allowed)
{
	const char *m = rq->http->method_name;
	/* HEAD is answered like GET (the server drops the body) */
	if (rq->http->method == CP_HTTP_HEAD)
		m = "GET";
	size_t n = strlen(m);
	for (const char *p = allowed; (p = strstr(p, m)) != NULL; p += n)
		if ((p == allowed || p[-1] == ' ') && (p[n] == 0 || p[n] == ','))
			return true;
	char allow[96];
	snprintf(allow, sizeof(allow), "%s, OPTIONS%s", allowed, strstr(allowed, "GET") ? ", HEAD" : "");
	cp_http_resp_header(r, "Allow", allow);
	cp_app_error(r, 405, "%s not allowed here (allowed: %s)", rq->http->method_name, allowed);
	return false;
}

/* ---- ids ---- */

static void make_ids(struct cp_app *app)
{
	const struct cp_config *c = app->cfg;
	cp_uuid_name(c->node_seed, "node", "self", app->ids.node);
	cp_uuid_name(c->node_seed, "device", "switcher", app->ids.device);
	char name[CP_ID_MAX + 8];
	for (uint32_t i = 0; i < c->n_inputs; i++)
		for (unsigned e = 0; e < CP_ESS_MAX; e++) {
			snprintf(name, sizeof(name), "%s/%s", c->input[i].id, ess_names[e]);
			cp_uuid_name(c->node_seed, "receiver", name, app->ids.in_receiver[i][e]);
			cp_uuid_name(c->node_seed, "gen-source", name, app->ids.in_source[i][e]);
			cp_uuid_name(c->node_seed, "gen-flow", name, app->ids.in_flow[i][e]);
		}
	for (uint32_t o = 0; o < c->n_outputs; o++)
		for (unsigned e = 0; e < CP_ESS_MAX; e++) {
			snprintf(name, sizeof(name), "%s/%s", c->output[o].id, ess_names[e]);
			cp_uuid_name(c->node_seed, "sender", name, app->ids.out_sender[o][e]);
			cp_uuid_name(c->node_seed, "source", name, app->ids.out_source[o][e]);
			cp_uuid_name(c->node_seed, "flow", name, app->ids.out_flow[o][e]);
		}
}

/* ---- events to SSE ---- */

static void on_model_event(void *ctx, const char *event, const json_t *data)
{
	struct cp_app *app = ctx;
	if (!app->http)
		return;
	char *text = cp_json_dump(data);
	if (text) {
		cp_http_sse_broadcast(app->http, event, text);
		free(text);
	}
}

/* ---- tick ---- */

static void save_now(struct cp_app *app)
{
	if (!app->persist || app->saved_gen == app->model.dirty_gen)
		return;
	app->saved_gen = app->model.dirty_gen;
	cp_persist_save(app->persist, cp_model_state_json(&app->model));
}

static void on_tick(uv_timer_t *t)
{
	struct cp_app *app = t->data;
	cp_model_poll(&app->model);
	cp_is05_tick(app, cp_model_now(&app->model));
	save_now(app);
	cp_reg_poke(app->reg);
}

int cp_app_init(struct cp_app *app, uv_loop_t *loop, const struct cp_config *cfg,
		struct cp_switch *sw)
{
	memset(app, 0, sizeof(*app));
	app->loop = loop;
	app->cfg = cfg;
	app->sw = sw;
	if (gethostname(app->hostname, sizeof(app->hostname) - 1) < 0)
		strcpy(app->hostname, "switchyard");
	make_ids(app);
	int rc = cp_model_init(&app->model, cfg, sw, app_clock, app);
	if (rc < 0)
		return rc;
	app->model.notify = on_model_event;
	app->model.notify_ctx = app;
	return 0;
}

int cp_app_start(struct cp_app *app, const char *host, uint16_t port, char *err, size_t cap)
{
	struct cp_model *m = &app->model;
	const struct cp_config *cfg = app->cfg;
	int rc;
	/* initial crosspoints from the config, then whatever was persisted */
	for (uint32_t o = 0; o < m->n_out; o++)
		if (cfg->output[o].initial_input[0])
			m->out[o].req_in = cp_model_find_input(m, cfg->output[o].initial_input);
	if (cfg->state_file[0]) {
		json_t *st = NULL;
		char e[CP_MODEL_ERR_MAX];
		rc = cp_persist_load(cfg->state_file, &st, e, sizeof(e));
		if (rc == 0) {
			rc = cp_model_state_restore(m, st, e);
			json_decref(st);
			if (rc < 0) {
				snprintf(err, cap, "%s: %s", cfg->state_file, e);
				return rc;
			}
			fprintf(stderr, "switchyard: state restored from %s\n", cfg->state_file);
		} else if (rc != -ENOENT) {
			snprintf(err, cap, "%s (move it away to start from the config)", e);
			return rc;
		}
		rc = cp_persist_create(app->loop, cfg->state_file, &app->persist);
		if (rc < 0) {
			snprintf(err, cap, "persistence: %s", strerror(-rc));
			return rc;
		}
	}
	/* re-apply through the engine: nothing is on air until it says so */
	cp_is05_apply_all(app);
	char e[CP_MODEL_ERR_MAX];
	for (uint32_t o = 0; o < m->n_out; o++) {
		int32_t want = m->out[o].req_in;
		if (want < 0)
			continue;
		/* bypass locks: this restores what the operators left */
		rc = app->sw->ops->take(app->sw, o, want, 0);
		if (rc == 0) {
			m->out[o].pending.active = true;
			m->out[o].pending.in_idx = want;
			m->out[o].pending.frame_tai_ns = cp_model_frame_at(m, o, 0);
			snprintf(m->out[o].pending.client, CP_CLIENT_MAX, "restore");
		} else if (rc == -ENODEV && o == 0) {
			fprintf(stderr, "switchyard: no switching engine: crosspoints are kept as "
					"requested but nothing is on air\n");
		}
	}
	(void)e;
	if (app->sw->ops->start) {
		rc = app->sw->ops->start(app->sw);
		if (rc < 0) {
			const char *why = app->sw->ops->last_error ? app->sw->ops->last_error(app->sw)
								   : "";
			snprintf(err, cap, "engine %s: %s", app->sw->ops->name,
				 why[0] ? why : strerror(-rc));
			return rc;
		}
	}
	cp_model_poll(m); /* an engine that lands at once is reported before we listen */
	app->saved_gen = m->dirty_gen;
	if (cfg->tls_cert[0]) {
		rc = cp_tls_ctx_create(cfg->tls_cert, cfg->tls_key, &app->tls, err, cap);
		if (rc < 0)
			return rc;
	}
	struct cp_http_limits lim;
	cp_http_limits_default(&lim);
	lim.request_ms = cfg->request_ms;
	lim.body_bytes = cfg->max_body_bytes;
	rc = cp_http_create(app->loop, host, port, &lim, cp_app_handle, app, &app->http);
	if (rc < 0) {
		snprintf(err, cap, "listen on %s:%u: %s", host, port, uv_strerror(rc));
		return rc;
	}
	app->port = cp_http_port(app->http);
	if (app->tls)
		cp_http_set_tls(app->http, app->tls);
	uv_timer_init(app->loop, &app->tick);
	app->tick.data = app;
	uv_timer_start(&app->tick, on_tick, CP_APP_TICK_MS, CP_APP_TICK_MS);
	rc = cp_reg_create(app, &app->reg);
	if (rc < 0) {
		snprintf(err, cap, "registration: %s", strerror(-rc));
		return rc;
	}
	if (app->reg) {
		rc = cp_dnssd_create(app, app->reg, &app->dnssd);
		if (rc < 0) {
			snprintf(err, cap, "DNS-SD: %s", strerror(-rc));
			return rc;
		}
	}
	return 0;
}

void cp_app_stop(struct cp_app *app)
{
	cp_dnssd_destroy(app->dnssd);
	app->dnssd = NULL;
	cp_reg_destroy(app->reg);
	app->reg = NULL;
	if (app->http) {
		cp_http_destroy(app->http);
		app->http = NULL;
		uv_timer_stop(&app->tick);
		uv_close((uv_handle_t *)&app->tick, NULL);
	}
	if (app->persist) {
		/* final state, synchronously: SIGTERM must not lose the last take */
		cp_persist_flush_sync(app->persist, cp_model_state_json(&app->model));
		cp_persist_destroy(app->persist);
		app->persist = NULL;
	}
}

void cp_app_fini(struct cp_app *app)
{
	cp_model_fini(&app->model);
	cp_tls_ctx_destroy(app->tls);
	app->tls = NULL;
	if (app->sw)
		app->sw->ops->destroy(app->sw);
	app->sw = NULL;
}

/* ---- routing ---- */

static bool write_method(enum cp_http_method m)
{
	return m != CP_HTTP_GET && m != CP_HTTP_HEAD && m != CP_HTTP_OPTIONS;
}

static bool authorized(struct cp_app *app, const struct cp_http_req *req)
{
	const char *tok = app->cfg->token;
	if (!tok[0])
		return true;
	const char *h = req->authorization;
	if (strncasecmp(h, "Bearer ", 7) != 0)
		return false;
	h += 7;
	size_t n = strlen(tok);
	return strlen(h) == n && CRYPTO_memcmp(h, tok, n) == 0;
}

static void client_of(const struct cp_http_req *req, char *out)
{
	const char *s = req->client_name;
	size_t n = strlen(s);
	bool ok = n > 0 && n < CP_CLIENT_MAX && cp_json_label_ok(s);
	const char *src = ok ? s : req->peer;
	size_t len = strnlen(src, CP_CLIENT_MAX - 1); /* out holds CP_CLIENT_MAX */

	memcpy(out, src, len);
	out[len] = '\0';
}

static void serve_asset(struct cp_app *app, const struct cp_req *rq, struct cp_http_resp *r)
{
	(void)app;
	const char *p = rq->http->path;
	if (!strcmp(p, "/"))
		p = "/index.html";
	for (const struct cp_asset *a = cp_assets; a->path; a++) {
		if (!strcmp(a->path, p)) {
			if (!cp_app_method(rq, r, "GET"))
				return;
			r->status = 200;
			r->content_type = a->mime;
			r->static_body = a->data;
			r->body_len = a->len;
			return;
		}
	}
	cp_app_error(r, 404, "no resource at %s", rq->http->path);
}

void cp_app_handle(void *ctx, const struct cp_http_req *req, struct cp_http_resp *resp)
{
	struct cp_app *app = ctx;
	struct cp_req *rq = calloc(1, sizeof(*rq));
	if (!rq) {
		cp_app_error(resp, 500, "out of memory");
		return;
	}
	rq->http = req;
	client_of(req, rq->client);
	/* split the path; empty segments (trailing slash, "//") are dropped */
	snprintf(rq->segbuf, sizeof(rq->segbuf), "%s", req->path);
	char *save = NULL;
	for (char *s = strtok_r(rq->segbuf, "/", &save); s; s = strtok_r(NULL, "/", &save)) {
		if (rq->n_seg == CP_APP_MAX_SEGS) {
			cp_app_error(resp, 404, "path too deep");
			goto out;
		}
		if (!strcmp(s, "..") || !strcmp(s, ".")) {
			cp_app_error(resp, 400, "dot segments are not allowed");
			goto out;
		}
		rq->seg[rq->n_seg++] = s;
	}
	if (req->method == CP_HTTP_OPTIONS) {
		/* CORS preflight, as the NMOS APIs require */
		resp->status = 200;
		cp_http_resp_header(resp, "Access-Control-Allow-Methods",
				    "GET, PUT, POST, PATCH, HEAD, OPTIONS, DELETE");
		cp_http_resp_header(resp, "Access-Control-Allow-Headers",
				    "Content-Type, Accept, Authorization, X-Switchyard-Client");
		cp_http_resp_header(resp, "Access-Control-Max-Age", "3600");
		cp_http_resp_header(resp, "Allow", "GET, PUT, POST, PATCH, HEAD, OPTIONS, DELETE");
		goto out;
	}
	if (req->method == CP_HTTP_OTHER) {
		cp_app_error(resp, 405, "method %s not supported", req->method_name);
		goto out;
	}
	if (write_method(req->method) && !authorized(app, req)) {
		app->auth_failures++;
		cp_http_resp_header(resp, "WWW-Authenticate", "Bearer realm=\"switchyard\"");
		cp_app_error(resp, 401, "this write needs Authorization: Bearer <token>");
		goto out;
	}
	if (rq->n_seg >= 1 && !strcmp(rq->seg[0], "x-nmos")) {
		if (rq->n_seg == 1) {
			if (cp_app_method(rq, resp, "GET"))
				cp_app_json(resp, 200, json_pack("[s,s]", "node/", "connection/"));
		} else if (!strcmp(rq->seg[1], "node")) {
			cp_nmos_handle(app, rq, resp);
		} else if (!strcmp(rq->seg[1], "connection")) {
			cp_is05_handle(app, rq, resp);
		} else {
			cp_app_error(resp, 404, "API '%s' not served", rq->seg[1]);
		}
	} else if (rq->n_seg >= 1 && !strcmp(rq->seg[0], "x-switchyard")) {
		cp_api_handle(app, rq, resp);
	} else if (rq->n_seg == 1 && !strcmp(rq->seg[0], "metrics")) {
		if (cp_app_method(rq, resp, "GET"))
			cp_api_metrics(app, resp);
	} else {
		serve_asset(app, rq, resp);
	}
out:
	free(rq);
}
