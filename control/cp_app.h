/* SPDX-License-Identifier: MIT */
/*
 * cp_app.h: the running control plane: config, model, engine, HTTP server,
 * persistence and the request router that ties the APIs together.
 *
 * Why: one place owns every long-lived object and the order in which they
 * start and stop; the API modules (cp_api.c, cp_nmos.c, cp_is05.c) get the
 * app and a parsed request and never touch libuv themselves.
 *
 * Router: /x-nmos/node/v1.3/..., /x-nmos/connection/v1.1/...,
 * /x-switchyard/v1/..., /metrics, and the panel assets. Every error body is
 * the NMOS {code, error, debug}. Writes (anything but GET/HEAD/OPTIONS) need
 * "Authorization: Bearer <token>" when a token is configured.
 *
 * Thread: the libuv loop thread.
 */
#ifndef CP_APP_H
#define CP_APP_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>
#include <uv.h>

#include "cp_config.h"
#include "cp_http.h"
#include "cp_model.h"
#include "cp_uuid.h"

#define CP_APP_MAX_SEGS 12u

/* Stable NMOS ids (cp_uuid_name from the node seed). */
struct cp_ids {
	char node[CP_UUID_STRLEN];
	char device[CP_UUID_STRLEN];
	/* per input essence: a Receiver; internal inputs also a Source and Flow */
	char in_receiver[CP_MAX_INPUTS][CP_ESS_MAX][CP_UUID_STRLEN];
	char in_source[CP_MAX_INPUTS][CP_ESS_MAX][CP_UUID_STRLEN];
	char in_flow[CP_MAX_INPUTS][CP_ESS_MAX][CP_UUID_STRLEN];
	/* per output essence: Sender, Source, Flow */
	char out_sender[CP_MAX_OUTPUTS][CP_ESS_MAX][CP_UUID_STRLEN];
	char out_source[CP_MAX_OUTPUTS][CP_ESS_MAX][CP_UUID_STRLEN];
	char out_flow[CP_MAX_OUTPUTS][CP_ESS_MAX][CP_UUID_STRLEN];
};

struct cp_persist;
struct cp_reg;
struct cp_dnssd;
struct cp_tls_ctx;

struct cp_app {
	uv_loop_t *loop;
	const struct cp_config *cfg;
	struct cp_switch *sw;
	struct cp_model model;
	struct cp_ids ids;
	struct cp_http_server *http;
	struct cp_persist *persist;
	struct cp_reg *reg; /* IS-04 registration; idle without registries */
	struct cp_dnssd *dnssd; /* DNS-SD (avahi); NULL when off or unavailable */
	struct cp_tls_ctx *tls; /* http.tls configured; NULL: plain HTTP */
	uv_timer_t tick; /* engine events, scheduled activations, persistence */
	char hostname[64];
	uint16_t port;
	uint64_t auth_failures;
	uint64_t saved_gen; /* model dirty_gen last handed to persistence */
};

/* A request as the API modules see it: path split into segments. */
struct cp_req {
	const struct cp_http_req *http;
	const char *seg[CP_APP_MAX_SEGS];
	uint32_t n_seg;
	char client[CP_CLIENT_MAX]; /* X-Switchyard-Client, else the peer address */
	char segbuf[CP_HTTP_PATH_MAX];
};

/* Build ids, create the model. sw is owned by the app afterwards. */
int cp_app_init(struct cp_app *app, uv_loop_t *loop, const struct cp_config *cfg,
		struct cp_switch *sw);
/* Restore persisted state (if any) and re-apply crosspoints and connections
 * through the engine; listen. */
int cp_app_start(struct cp_app *app, const char *host, uint16_t port, char *err, size_t cap);
void cp_app_stop(struct cp_app *app);
void cp_app_fini(struct cp_app *app);

/* The cp_http_handler. */
void cp_app_handle(void *ctx, const struct cp_http_req *req, struct cp_http_resp *resp);

/* Response helpers (the one error helper: NMOS error body). */
void cp_app_error(struct cp_http_resp *r, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void cp_app_json(struct cp_http_resp *r, int status, json_t *body); /* steals body */
/* Error from a model -errno with its message. */
void cp_app_model_error(struct cp_http_resp *r, int rc, const char *msg);
/* Strict body parse (object, duplicates rejected, JSON content type);
 * NULL with the 400/415 response already set. */
json_t *cp_app_body(const struct cp_req *rq, struct cp_http_resp *r);
bool cp_app_method(const struct cp_req *rq, struct cp_http_resp *r, const char *allowed);

/* The API modules. */
void cp_nmos_handle(struct cp_app *app, const struct cp_req *rq, struct cp_http_resp *r);
void cp_is05_handle(struct cp_app *app, const struct cp_req *rq, struct cp_http_resp *r);
void cp_api_handle(struct cp_app *app, const struct cp_req *rq, struct cp_http_resp *r);
void cp_api_metrics(struct cp_app *app, struct cp_http_resp *r);

/* IS-04 resources (new references), used by the Node API and registration. */
json_t *cp_nmos_self(const struct cp_app *app);
json_t *cp_nmos_device(const struct cp_app *app);
json_t *cp_nmos_sources(const struct cp_app *app);
json_t *cp_nmos_flows(const struct cp_app *app);
json_t *cp_nmos_senders(const struct cp_app *app);
json_t *cp_nmos_receivers(const struct cp_app *app);

/* IS-05 helpers used by IS-04 (subscription) and the tick. */
void cp_is05_tick(struct cp_app *app, uint64_t now_tai_ns);
/* Sender SDP of output o, essence e (malloc'd) or NULL. */
char *cp_is05_sender_sdp(const struct cp_app *app, uint32_t o, unsigned e);
/* Re-apply active receiver connections to the engine (start-up). */
void cp_is05_apply_all(struct cp_app *app);

#endif
