/* SPDX-License-Identifier: MIT */
/*
 * cp_reg.c: IS-04 registration over libcurl multi-socket on libuv (see
 * cp_reg.h).
 *
 * One transfer at a time. The work list is rebuilt from the current
 * resources: at registration every resource in dependency order; after that
 * only those whose serialised JSON differs from what the registry last
 * accepted (kept in `sent`, keyed by type/id).
 *
 * Thread: the libuv loop thread.
 */
#include "cp_reg.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <jansson.h>
#include <uv.h>

#include "cp_app.h"
#include "cp_dnssd.h"
#include "cp_json.h"

#define REG_API "/x-nmos/registration/v1.3"
#define REG_TIMEOUT_MS 3000L
#define REG_BACKOFF_MAX_MS 30000u
#define REG_POKE_MS 200u
#define REG_MAX_CANDS (CP_MAX_REGISTRIES + CP_REG_MAX_DISCOVERED)

/* A registration candidate: configured (key "") or discovered by DNS-SD. */
struct reg_cand {
	char url[CP_URL_MAX];
	char key[CP_REG_KEY_MAX];
	int32_t pri;
	bool discovered;
};

struct reg_sock {
	uv_poll_t poll;
	curl_socket_t fd;
	struct cp_reg *r;
};

enum reg_op { OP_POST, OP_HEARTBEAT };

struct cp_reg {
	struct cp_app *app;
	CURLM *multi;
	uv_timer_t curl_timer; /* libcurl's timeout */
	uv_timer_t timer;      /* heartbeat / back-off / change check */
	struct reg_cand cand[REG_MAX_CANDS]; /* configured by priority, then discovered by pri */
	uint32_t n_cand;
	int cur;               /* index into cand */
	uint32_t backoff_ms;
	/* in flight */
	CURL *easy;
	enum reg_op op;
	char *body;
	char resp[512];
	size_t resp_len;
	char key[64]; /* "type/id" of the POST in flight */
	/* pending POSTs: array of {type, data} objects */
	json_t *work;
	json_t *sent; /* key -> compact JSON last accepted */
	bool closing;
	int open_handles;
	uint64_t last_check_ms;
	struct cp_reg_stats stats;
};

static void reg_next(struct cp_reg *r);
static void check_done(struct cp_reg *r);

const char *cp_reg_state_name(enum cp_reg_state s)
{
	static const char *const n[CP_REG_STATE_MAX] = {"idle", "registering", "registered",
							 "backoff"};
	return s < CP_REG_STATE_MAX ? n[s] : "?";
}

static const struct reg_cand *cur_registry(const struct cp_reg *r)
{
	return &r->cand[r->cur];
}

/* ---- libcurl <-> libuv glue ---- */

static void on_poll(uv_poll_t *h, int status, int events)
{
	struct reg_sock *s = h->data;
	int flags = 0, running;
	if (status < 0)
		flags = CURL_CSELECT_ERR;
	if (events & UV_READABLE)
		flags |= CURL_CSELECT_IN;
	if (events & UV_WRITABLE)
		flags |= CURL_CSELECT_OUT;
	struct cp_reg *r = s->r;
	curl_multi_socket_action(r->multi, s->fd, flags, &running);
	check_done(r);
}

static void on_sock_closed(uv_handle_t *h)
{
	struct reg_sock *s = h->data;
	struct cp_reg *r = s->r;
	free(s);
	if (--r->open_handles == 0 && r->closing)
		free(r);
}

static int sock_cb(CURL *e, curl_socket_t fd, int what, void *userp, void *socketp)
{
	(void)e;
	struct cp_reg *r = userp;
	struct reg_sock *s = socketp;
	if (what == CURL_POLL_REMOVE) {
		if (s) {
			uv_poll_stop(&s->poll);
			uv_close((uv_handle_t *)&s->poll, on_sock_closed);
			curl_multi_assign(r->multi, fd, NULL);
		}
		return 0;
	}
	if (!s) {
		s = calloc(1, sizeof(*s));
		if (!s)
			return -1;
		s->fd = fd;
		s->r = r;
		if (uv_poll_init_socket(r->app->loop, &s->poll, fd) < 0) {
			free(s);
			return -1;
		}
		s->poll.data = s;
		r->open_handles++;
		curl_multi_assign(r->multi, fd, s);
	}
	int ev = (what == CURL_POLL_IN ? UV_READABLE : 0) | (what == CURL_POLL_OUT ? UV_WRITABLE : 0) |
		 (what == CURL_POLL_INOUT ? UV_READABLE | UV_WRITABLE : 0);
	uv_poll_start(&s->poll, ev, on_poll);
	return 0;
}

static void on_curl_timer(uv_timer_t *t)
{
	struct cp_reg *r = t->data;
	int running;
	curl_multi_socket_action(r->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	check_done(r);
}

static int timer_cb(CURLM *m, long timeout_ms, void *userp)
{
	(void)m;
	struct cp_reg *r = userp;
	if (timeout_ms < 0)
		uv_timer_stop(&r->curl_timer);
	else
		uv_timer_start(&r->curl_timer, on_curl_timer, (uint64_t)timeout_ms, 0);
	return 0;
}

static size_t write_cb(char *p, size_t sz, size_t n, void *userp)
{
	struct cp_reg *r = userp;
	size_t len = sz * n, room = sizeof(r->resp) - 1 - r->resp_len;
	memcpy(r->resp + r->resp_len, p, len < room ? len : room);
	r->resp_len += len < room ? len : room;
	return len;
}

/* ---- requests ---- */

static int start_request(struct cp_reg *r, const char *path, char *body)
{
	char url[CP_URL_MAX + 128];
	snprintf(url, sizeof(url), "%s%s%s", cur_registry(r)->url, REG_API, path);
	CURL *e = curl_easy_init();
	if (!e) {
		free(body);
		return -ENOMEM;
	}
	static struct curl_slist *hdrs;
	if (!hdrs)
		hdrs = curl_slist_append(NULL, "Content-Type: application/json");
	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_POST, 1L);
	curl_easy_setopt(e, CURLOPT_POSTFIELDS, body ? body : "");
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, REG_TIMEOUT_MS);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	r->resp_len = 0;
	r->easy = e;
	r->body = body;
	curl_multi_add_handle(r->multi, e);
	return 0;
}

static void add_all(json_t *work, const char *type, json_t *items)
{
	size_t i;
	json_t *v;
	json_array_foreach(items, i, v)
		json_array_append_new(work, json_pack("{s:s,s:O}", "type", type, "data", v));
	json_decref(items);
}

/* Every resource, parents first (the registry checks referential integrity). */
static json_t *all_resources(struct cp_reg *r)
{
	json_t *w = json_array();
	add_all(w, "node", json_pack("[o]", cp_nmos_self(r->app)));
	add_all(w, "device", json_pack("[o]", cp_nmos_device(r->app)));
	add_all(w, "source", cp_nmos_sources(r->app));
	add_all(w, "flow", cp_nmos_flows(r->app));
	add_all(w, "sender", cp_nmos_senders(r->app));
	add_all(w, "receiver", cp_nmos_receivers(r->app));
	return w;
}

static void res_key(const json_t *res, char *key, size_t cap)
{
	snprintf(key, cap, "%s/%s", json_string_value(json_object_get(res, "type")),
		 json_string_value(json_object_get(json_object_get(res, "data"), "id")));
}

/* Keep only resources whose JSON differs from what was accepted. */
static json_t *changed_resources(struct cp_reg *r)
{
	json_t *all = all_resources(r), *w = json_array();
	size_t i;
	json_t *v;
	json_array_foreach(all, i, v) {
		char key[64];
		res_key(v, key, sizeof(key));
		char *text = cp_json_dump(json_object_get(v, "data"));
		const char *old = json_string_value(json_object_get(r->sent, key));
		if (!text || !old || strcmp(old, text) != 0)
			json_array_append(w, v);
		free(text);
	}
	json_decref(all);
	return w;
}

static void on_timer(uv_timer_t *t)
{
	reg_next(t->data);
}

static void arm(struct cp_reg *r, uint64_t ms)
{
	uv_timer_start(&r->timer, on_timer, ms, 0);
}

static void fail_over(struct cp_reg *r, const char *why)
{
	uint32_t n = r->n_cand;
	fprintf(stderr, "switchyard: registry %s: %s; trying %s in %u ms\n", cur_registry(r)->url,
		why, n > 1 ? "the next registry" : "again", r->backoff_ms);
	if (n > 1)
		r->stats.failovers++;
	r->cur = (r->cur + 1) % (int)n;
	r->stats.registry_idx = r->cur;
	r->stats.state = CP_REG_BACKOFF;
	json_decref(r->work);
	r->work = NULL;
	json_object_clear(r->sent);
	arm(r, r->backoff_ms);
	r->backoff_ms = r->backoff_ms * 2 > REG_BACKOFF_MAX_MS ? REG_BACKOFF_MAX_MS : r->backoff_ms * 2;
}

static void send_next_post(struct cp_reg *r)
{
	json_t *res = json_array_get(r->work, 0);
	res_key(res, r->key, sizeof(r->key));
	r->op = OP_POST;
	if (start_request(r, "/resource", cp_json_dump(res)) < 0)
		fail_over(r, "out of memory");
}

static void finish(struct cp_reg *r, long code, CURLcode cc)
{
	char err[96];
	if (cc != CURLE_OK)
		snprintf(err, sizeof(err), "%s", curl_easy_strerror(cc));
	else
		snprintf(err, sizeof(err), "HTTP %ld", code);
	if (r->op == OP_HEARTBEAT) {
		if (cc == CURLE_OK && code == 200) {
			r->stats.heartbeats_ok++;
			arm(r, (uint64_t)r->app->cfg->heartbeat_s * 1000u);
			return;
		}
		r->stats.heartbeats_failed++;
		if (cc == CURLE_OK && code == 404) {
			/* the registry garbage-collected us: register everything again */
			r->stats.reregistrations++;
			json_object_clear(r->sent);
			r->stats.state = CP_REG_REGISTERING;
			json_decref(r->work);
			r->work = all_resources(r);
			send_next_post(r);
			return;
		}
		fail_over(r, err);
		return;
	}
	/* POST /resource: 200 updated, 201 created */
	if (cc == CURLE_OK && (code == 200 || code == 201)) {
		r->stats.posts_ok++;
		json_t *res = json_array_get(r->work, 0);
		char *text = cp_json_dump(json_object_get(res, "data"));
		if (text) {
			json_object_set_new(r->sent, r->key, json_string(text));
			free(text);
		}
		json_array_remove(r->work, 0);
		if (json_array_size(r->work)) {
			send_next_post(r);
			return;
		}
		json_decref(r->work);
		r->work = NULL;
		if (r->stats.state != CP_REG_REGISTERED)
			fprintf(stderr, "switchyard: registered with %s\n", cur_registry(r)->url);
		r->stats.state = CP_REG_REGISTERED;
		r->backoff_ms = 1000;
		arm(r, (uint64_t)r->app->cfg->heartbeat_s * 1000u);
		return;
	}
	r->stats.posts_failed++;
	if (cc == CURLE_OK && code >= 400 && code < 500) {
		/* the registry refused a resource: a bug on our side; report it and
		 * keep going with the others rather than loop on it */
		fprintf(stderr, "switchyard: registry refused %s: HTTP %ld %.*s\n", r->key, code,
			(int)r->resp_len, r->resp);
		json_array_remove(r->work, 0);
		if (json_array_size(r->work)) {
			send_next_post(r);
			return;
		}
		r->stats.state = CP_REG_REGISTERED;
		arm(r, (uint64_t)r->app->cfg->heartbeat_s * 1000u);
		return;
	}
	fail_over(r, err);
}

static void check_done(struct cp_reg *r)
{
	CURLMsg *msg;
	int left;
	while ((msg = curl_multi_info_read(r->multi, &left)) != NULL) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		CURL *e = msg->easy_handle;
		CURLcode cc = msg->data.result;
		long code = 0;
		curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &code);
		curl_multi_remove_handle(r->multi, e);
		curl_easy_cleanup(e);
		free(r->body);
		r->body = NULL;
		r->easy = NULL;
		if (!r->closing)
			finish(r, code, cc);
	}
}

/* Timer: start registering, heartbeat, or re-POST changes. */
static void reg_next(struct cp_reg *r)
{
	if (r->easy || r->closing || r->n_cand == 0)
		return;
	if (r->stats.state == CP_REG_REGISTERED) {
		json_t *w = changed_resources(r);
		if (json_array_size(w)) {
			r->work = w;
			send_next_post(r);
			return;
		}
		json_decref(w);
		char path[96];
		snprintf(path, sizeof(path), "/health/nodes/%s", r->app->ids.node);
		r->op = OP_HEARTBEAT;
		if (start_request(r, path, NULL) < 0)
			fail_over(r, "out of memory");
		return;
	}
	r->stats.state = CP_REG_REGISTERING;
	json_decref(r->work);
	r->work = all_resources(r);
	send_next_post(r);
}

void cp_reg_poke(struct cp_reg *r)
{
	if (!r || r->stats.state != CP_REG_REGISTERED || r->easy)
		return;
	uint64_t now = uv_now(r->app->loop);
	if (now - r->last_check_ms < REG_POKE_MS)
		return;
	r->last_check_ms = now;
	json_t *w = changed_resources(r);
	if (json_array_size(w)) {
		uv_timer_stop(&r->timer);
		r->work = w;
		send_next_post(r);
	} else {
		json_decref(w);
	}
}

/* Insert keeping the order: configured ones first (by priority, config order
 * on ties), then discovered ones by pri (arrival order on ties). */
static void cand_insert(struct cp_reg *r, const struct reg_cand *c)
{
	uint32_t i = r->n_cand;
	while (i > 0 && (r->cand[i - 1].discovered > c->discovered ||
			 (r->cand[i - 1].discovered == c->discovered && r->cand[i - 1].pri > c->pri))) {
		r->cand[i] = r->cand[i - 1];
		i--;
	}
	r->cand[i] = *c;
	r->n_cand++;
	if (r->stats.state != CP_REG_IDLE && (int)i <= r->cur)
		r->cur++; /* keep talking to the same registry */
	r->stats.registry_idx = r->cur;
}

int cp_reg_add_discovered(struct cp_reg *r, const char *key, const char *url, int32_t pri)
{
	if (!r || !r->multi)
		return -EINVAL;
	if (strlen(key) >= CP_REG_KEY_MAX || strlen(url) >= CP_URL_MAX)
		return -EINVAL;
	uint32_t n_disc = 0;
	for (uint32_t i = 0; i < r->n_cand; i++) {
		if (!r->cand[i].discovered)
			continue;
		n_disc++;
		if (strcmp(r->cand[i].key, key) == 0) {
			if (strcmp(r->cand[i].url, url) == 0 && r->cand[i].pri == pri)
				return 0; /* re-resolved, unchanged */
			cp_reg_remove_discovered(r, key);
			return cp_reg_add_discovered(r, key, url, pri);
		}
	}
	if (n_disc >= CP_REG_MAX_DISCOVERED)
		return -ENOSPC;
	struct reg_cand c = {.pri = pri, .discovered = true};
	snprintf(c.url, sizeof(c.url), "%s", url);
	snprintf(c.key, sizeof(c.key), "%s", key);
	cand_insert(r, &c);
	fprintf(stderr, "switchyard: DNS-SD: registry %s (pri %d) found\n", url, (int)pri);
	if (r->stats.state == CP_REG_IDLE) {
		r->cur = 0;
		r->stats.registry_idx = 0;
		r->backoff_ms = 1000;
		r->stats.state = CP_REG_REGISTERING;
		arm(r, 0);
	}
	return 0;
}

static void abort_transfer(struct cp_reg *r)
{
	if (!r->easy)
		return;
	curl_multi_remove_handle(r->multi, r->easy);
	curl_easy_cleanup(r->easy);
	free(r->body);
	r->body = NULL;
	r->easy = NULL;
}

void cp_reg_remove_discovered(struct cp_reg *r, const char *key)
{
	if (!r || !r->multi)
		return;
	uint32_t i;
	for (i = 0; i < r->n_cand; i++)
		if (r->cand[i].discovered && strcmp(r->cand[i].key, key) == 0)
			break;
	if (i == r->n_cand)
		return;
	fprintf(stderr, "switchyard: DNS-SD: registry %s gone\n", r->cand[i].url);
	bool was_cur = (int)i == r->cur && r->stats.state != CP_REG_IDLE;
	memmove(&r->cand[i], &r->cand[i + 1], (r->n_cand - i - 1) * sizeof(r->cand[0]));
	r->n_cand--;
	if ((int)i < r->cur)
		r->cur--;
	if (!was_cur) {
		r->stats.registry_idx = r->n_cand ? r->cur : -1;
		return;
	}
	/* the registry we talk to left: start over with the best one left */
	abort_transfer(r);
	uv_timer_stop(&r->timer);
	json_decref(r->work);
	r->work = NULL;
	json_object_clear(r->sent);
	r->cur = 0;
	r->backoff_ms = 1000;
	if (r->n_cand == 0) {
		r->stats.state = CP_REG_IDLE;
		r->stats.registry_idx = -1;
		return;
	}
	r->stats.registry_idx = 0;
	r->stats.state = CP_REG_REGISTERING;
	arm(r, 0);
}

void cp_reg_remove_all_discovered(struct cp_reg *r)
{
	if (!r || !r->multi)
		return;
	for (uint32_t i = r->n_cand; i-- > 0;)
		if (r->cand[i].discovered) {
			char key[CP_REG_KEY_MAX];
			memcpy(key, r->cand[i].key, sizeof(key));
			cp_reg_remove_discovered(r, key);
			if (i > r->n_cand)
				i = r->n_cand;
		}
}

const char *cp_reg_current_url(const struct cp_reg *r)
{
	if (!r || r->stats.state == CP_REG_IDLE || r->n_cand == 0)
		return NULL;
	return r->cand[r->cur].url;
}

int cp_reg_create(struct cp_app *app, struct cp_reg **out)
{
	struct cp_reg *r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->app = app;
	r->stats.registry_idx = -1;
	*out = r;
	if (app->cfg->n_registries == 0 && !(app->cfg->dns_sd && cp_dnssd_built()))
		return 0;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
		free(r);
		*out = NULL;
		return -EIO;
	}
	r->multi = curl_multi_init();
	r->sent = json_object();
	curl_multi_setopt(r->multi, CURLMOPT_SOCKETFUNCTION, sock_cb);
	curl_multi_setopt(r->multi, CURLMOPT_SOCKETDATA, r);
	curl_multi_setopt(r->multi, CURLMOPT_TIMERFUNCTION, timer_cb);
	curl_multi_setopt(r->multi, CURLMOPT_TIMERDATA, r);
	uv_timer_init(app->loop, &r->curl_timer);
	uv_timer_init(app->loop, &r->timer);
	r->curl_timer.data = r->timer.data = r;
	r->open_handles = 2;
	for (uint32_t i = 0; i < app->cfg->n_registries; i++) {
		struct reg_cand c = {.pri = app->cfg->registry[i].priority};
		snprintf(c.url, sizeof(c.url), "%s", app->cfg->registry[i].url);
		cand_insert(r, &c);
	}
	r->cur = 0;
	r->backoff_ms = 1000;
	if (r->n_cand == 0)
		return 0; /* IDLE until DNS-SD finds one */
	r->stats.registry_idx = 0;
	r->stats.state = CP_REG_REGISTERING;
	arm(r, 0);
	return 0;
}

static void on_timer_closed(uv_handle_t *h)
{
	struct cp_reg *r = h->data;
	if (--r->open_handles == 0)
		free(r);
}

void cp_reg_destroy(struct cp_reg *r)
{
	if (!r)
		return;
	if (!r->multi) {
		free(r);
		return;
	}
	r->closing = true;
	abort_transfer(r); /* closes its socket via sock_cb */
	curl_multi_cleanup(r->multi);
	r->multi = NULL;
	json_decref(r->work);
	json_decref(r->sent);
	uv_timer_stop(&r->timer);
	uv_timer_stop(&r->curl_timer);
	uv_close((uv_handle_t *)&r->timer, on_timer_closed);
	uv_close((uv_handle_t *)&r->curl_timer, on_timer_closed);
}

const struct cp_reg_stats *cp_reg_stats(const struct cp_reg *r)
{
	return &r->stats;
}
