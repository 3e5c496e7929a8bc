/* SPDX-License-Identifier: MIT */
/*
 * cp_http.h: the HTTP/1.1 server of the control plane (libuv + llhttp).
 *
 * Why our own: every packaged server failed a probe (see
 * shared notes/control.md). This one is small enough to read in one sitting:
 * keep-alive and pipelining (responses are produced synchronously, in request
 * order), hard limits checked while bytes arrive (URL -> 414, header block ->
 * 431, body -> 413 before it is read), a per-request deadline armed at accept
 * and after every response (slowloris gets 408 and a close), strict header
 * syntax on top of llhttp 8.1 (no "Name : value", no obs-fold), and
 * Server-Sent Events subscribers whose write queue is bounded (a laggard is
 * dropped, never buffered without limit).
 *
 * Handlers fill a struct cp_http_resp; the server adds Content-Length,
 * Connection and the CORS headers NMOS asks for (IS-04 APIs section "CORS").
 *
 * Thread: the libuv loop thread only.
 */
#ifndef CP_HTTP_H
#define CP_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uv.h>

#define CP_HTTP_PATH_MAX 1024u
#define CP_HTTP_CLIENT_MAX 64u
#define CP_HTTP_HDR_VALUE_MAX 512u

enum cp_http_method {
	CP_HTTP_GET,
	CP_HTTP_HEAD,
	CP_HTTP_POST,
	CP_HTTP_PUT,
	CP_HTTP_PATCH,
	CP_HTTP_DELETE,
	CP_HTTP_OPTIONS,
	CP_HTTP_OTHER,
	CP_HTTP_METHOD_MAX
};

struct cp_http_limits {
	uint32_t url_bytes;       /* request-target; more -> 414 */
	uint32_t header_bytes;    /* all field names + values; more -> 431 */
	uint32_t header_count;    /* more -> 431 */
	uint32_t body_bytes;      /* Content-Length or chunked total; more -> 413 */
	uint32_t request_ms;      /* whole request must arrive within this; else 408 */
	uint32_t sse_queue_bytes; /* unsent SSE bytes per subscriber before it is dropped */
	uint32_t max_conns;       /* accepted connections; more are closed at once */
};

/* A complete request, valid during the handler call only. */
struct cp_http_req {
	enum cp_http_method method;
	const char *method_name;
	char path[CP_HTTP_PATH_MAX];  /* percent-decoded, without query */
	char query[CP_HTTP_PATH_MAX]; /* raw, without '?' */
	char authorization[CP_HTTP_HDR_VALUE_MAX];
	char content_type[CP_HTTP_HDR_VALUE_MAX];
	char client_name[CP_HTTP_HDR_VALUE_MAX]; /* X-Switchyard-Client */
	char peer[CP_HTTP_CLIENT_MAX];           /* "127.0.0.1:41234" */
	const char *body;
	size_t body_len;
};

struct cp_http_resp {
	int status;
	const char *content_type; /* static string; NULL: none */
	char *body;               /* malloc'd, freed by the server; or static_body */
	const void *static_body;  /* used when body is NULL */
	size_t body_len;
	char extra_headers[512];  /* "Name: value\r\n" lines, e.g. Location */
	bool sse;                 /* turn this connection into an event stream */
};

struct cp_http_server;

/* The one handler: fills resp. Never blocks. */
typedef void (*cp_http_handler)(void *ctx, const struct cp_http_req *req,
				struct cp_http_resp *resp);

struct cp_http_stats {
	uint64_t requests;
	uint64_t responses_by_class[6]; /* [2] = 2xx ... [5] = 5xx */
	uint64_t conns_accepted;
	uint64_t conns_rejected;
	uint64_t timeouts;
	uint64_t limit_rejects; /* 413/414/431 */
	uint64_t bad_requests;  /* 400 from the parser */
	uint64_t sse_sent;
	uint64_t sse_dropped;   /* subscribers dropped for lagging */
	uint64_t tls_failures;  /* handshakes / records refused */
	uint32_t conns_open;
	uint32_t sse_clients;
};

/* Defaults: 2048 URL, 8192 header bytes, 64 headers, 1 MiB body, 10 s,
 * 256 KiB SSE queue, 256 connections. */
void cp_http_limits_default(struct cp_http_limits *l);

/*
 * Listen on host:port (IPv4 literal). 0, or -errno (bind/listen), -EINVAL.
 * If port is 0 an ephemeral port is chosen: see cp_http_port().
 */
int cp_http_create(uv_loop_t *loop, const char *host, uint16_t port,
		   const struct cp_http_limits *limits, cp_http_handler handler, void *ctx,
		   struct cp_http_server **out);
uint16_t cp_http_port(const struct cp_http_server *s);

/* Serve HTTPS on every connection accepted from now on (cp_tls.h); the
 * context must outlive the server. */
struct cp_tls_ctx;
void cp_http_set_tls(struct cp_http_server *s, struct cp_tls_ctx *tls);

/* Close the listener and every connection; the struct is freed once libuv
 * has closed all handles (run the loop afterwards). NULL is fine. */
void cp_http_destroy(struct cp_http_server *s);

/* Push one event ("event: name\ndata: json\n\n") to every SSE subscriber.
 * data must not contain newlines (compact JSON). */
void cp_http_sse_broadcast(struct cp_http_server *s, const char *event, const char *data);

const struct cp_http_stats *cp_http_stats(const struct cp_http_server *s);

/* Reason phrase ("Not Found"); "Unknown" for codes we never send. */
const char *cp_http_reason(int status);

/* Helpers for handlers: set a body (copies). */
void cp_http_resp_set(struct cp_http_resp *r, int status, const char *ctype, const char *body,
		      size_t len);
void cp_http_resp_header(struct cp_http_resp *r, const char *name, const char *value);

#endif
