/* SPDX-License-Identifier: MIT */
/*
 * cp_http.c: HTTP/1.1 server on libuv + llhttp (see cp_http.h for the why).
 *
 * One struct cp_http_conn per TCP connection. Bytes go straight into llhttp;
 * the callbacks copy the URL, the few header values we use and the body into
 * per-request buffers, counting every byte against the limits before copying.
 * on_message_complete calls the handler and queues the response; llhttp then
 * continues with the next pipelined request in the same read, so responses
 * leave in request order. When the client does not read its responses the
 * write queue grows: above CP_HTTP_WQ_PAUSE_BYTES we stop reading until it
 * drains.
 *
 * TLS (cp_http_set_tls): each connection gets a cp_tls session on memory
 * BIOs; socket bytes are decrypted before llhttp sees them and every write
 * is encrypted before it is queued, so the HTTP code above is unchanged.
 *
 * Thread: the libuv loop thread only.
 */
#include "cp_http.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <llhttp.h>

#include "cp_tls.h"

#define CP_HTTP_WQ_PAUSE_BYTES (1u << 20)

struct cp_http_conn;

struct cp_http_server {
	uv_loop_t *loop;
	uv_tcp_t listener;
	struct cp_http_limits lim;
	cp_http_handler handler;
	void *ctx;
	llhttp_settings_t settings;
	struct cp_tls_ctx *tls; /* NULL: plain HTTP */
	struct cp_http_conn *conns; /* doubly linked list */
	struct cp_http_stats stats;
	uint16_t port;
	bool closing;
	uint32_t open_handles; /* listener + conns, for deferred free */
};

enum cp_http_hdr { HDR_NONE, HDR_AUTH, HDR_CTYPE, HDR_CLIENT, HDR_EXPECT, HDR_MAX };

struct cp_http_conn {
	uv_tcp_t tcp;
	uv_timer_t timer;
	struct cp_http_server *srv;
	struct cp_http_conn *prev, *next;
	llhttp_t parser;
	char peer[CP_HTTP_CLIENT_MAX];
	/* request being parsed */
	char url[CP_HTTP_PATH_MAX * 2 + 2];
	uint32_t url_len;
	uint32_t hdr_bytes, hdr_count;
	char field[64];
	uint32_t field_len;
	bool field_overflow;
	bool value_done; /* on_header_value_complete seen for the current field */
	const char *buf_base, *buf_end; /* the buffer llhttp_execute is working on */
	bool value_seen;       /* a value span of the current field was seen */
	bool value_at_end;     /* ... and it ended exactly at the end of its buffer */
	enum cp_http_hdr cur_hdr;
	char hv[HDR_MAX][CP_HTTP_HDR_VALUE_MAX];
	uint32_t hv_len[HDR_MAX];
	char *body;
	size_t body_len, body_cap;
	bool in_request;   /* bytes of a request seen, not yet complete */
	int reject_status; /* limit hit inside a callback: 413/414/431/400 */
	bool close_after;  /* close once queued writes are done */
	bool closing;
	bool sse;
	bool reading;
	uint32_t handles; /* 2 while tcp + timer are open */
	struct cp_tls *tls;
};

struct cp_http_wreq {
	uv_write_t req;
	struct cp_http_conn *conn;
	char data[];
};

static void conn_close(struct cp_http_conn *c);
static void conn_arm_timer(struct cp_http_conn *c);

void cp_http_limits_default(struct cp_http_limits *l)
{
	l->url_bytes = 2048;
	l->header_bytes = 8192;
	l->header_count = 64;
	l->body_bytes = 1u << 20;
	l->request_ms = 10000;
	l->sse_queue_bytes = 256u * 1024u;
	l->max_conns = 256;
}

const char *cp_http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 202: return "Accepted";
	case 204: return "No Content";
	case 301: return "Moved Permanently";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 406: return "Not Acceptable";
	case 408: return "Request Timeout";
	case 409: return "Conflict";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 415: return "Unsupported Media Type";
	case 417: return "Expectation Failed";
	case 423: return "Locked";
	case 429: return "Too Many Requests";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 503: return "Service Unavailable";
	default: return "Unknown";
	}
}

void cp_http_resp_set(struct cp_http_resp *r, int status, const char *ctype, const char *body,
		      size_t len)
{
	free(r->body);
	r->body = NULL;
	r->static_body = NULL;
	r->body_len = 0;
	r->status = status;
	r->content_type = ctype;
	if (body && len) {
		r->body = malloc(len);
		if (!r->body) {
			r->status = 500;
			r->content_type = NULL;
			return;
		}
		memcpy(r->body, body, len);
		r->body_len = len;
	}
}

void cp_http_resp_header(struct cp_http_resp *r, const char *name, const char *value)
{
	size_t used = strlen(r->extra_headers);
	snprintf(r->extra_headers + used, sizeof(r->extra_headers) - used, "%s: %s\r\n", name,
		 value);
}

static enum cp_http_method method_of(uint8_t m)
{
	switch (m) {
	case HTTP_GET: return CP_HTTP_GET;
	case HTTP_HEAD: return CP_HTTP_HEAD;
	case HTTP_POST: return CP_HTTP_POST;
	case HTTP_PUT: return CP_HTTP_PUT;
	case HTTP_PATCH: return CP_HTTP_PATCH;
	case HTTP_DELETE: return CP_HTTP_DELETE;
	case HTTP_OPTIONS: return CP_HTTP_OPTIONS;
	default: return CP_HTTP_OTHER;
	}
}

/* ---- writing ---- */

static void on_write(uv_write_t *w, int status)
{
	struct cp_http_wreq *wr = (struct cp_http_wreq *)w;
	struct cp_http_conn *c = wr->conn;
	free(wr);
	if (c->closing)
		return;
	if (status < 0) {
		conn_close(c);
		return;
	}
	size_t q = uv_stream_get_write_queue_size((uv_stream_t *)&c->tcp);
	if (c->close_after && q == 0) {
		conn_close(c);
		return;
	}
	if (!c->reading && !c->close_after && !c->sse && q < CP_HTTP_WQ_PAUSE_BYTES / 2)
		conn_arm_timer(c); /* resumes reading too */
}

static void alloc_cb(uv_handle_t *h, size_t suggested, uv_buf_t *buf);
static void read_cb(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf);

static int raw_write(struct cp_http_conn *c, const char *a, size_t alen, const void *b,
		     size_t blen)
{
	struct cp_http_wreq *wr = malloc(sizeof(*wr) + alen + blen);
	if (!wr)
		return -ENOMEM;
	wr->conn = c;
	memcpy(wr->data, a, alen);
	if (blen)
		memcpy(wr->data + alen, b, blen);
	uv_buf_t buf = uv_buf_init(wr->data, (unsigned)(alen + blen));
	int rc = uv_write(&wr->req, (uv_stream_t *)&c->tcp, &buf, 1, on_write);
	if (rc < 0) {
		free(wr);
		return rc;
	}
	return 0;
}

/* Queue whatever ciphertext the TLS session produced. */
static int tls_flush(struct cp_http_conn *c)
{
	size_t n;
	void *p = cp_tls_take(c->tls, &n);
	if (!p)
		return 0;
	int rc = raw_write(c, p, n, NULL, 0);
	free(p);
	return rc;
}

static int conn_write(struct cp_http_conn *c, const char *a, size_t alen, const void *b,
		      size_t blen)
{
	if (c->closing)
		return -EPIPE;
	if (!c->tls)
		return raw_write(c, a, alen, b, blen);
	if (cp_tls_write(c->tls, a, alen) < 0 || (blen && cp_tls_write(c->tls, b, blen) < 0))
		return -EPROTO;
	return tls_flush(c);
}

static void count_status(struct cp_http_server *s, int status)
{
	int cls = status / 100;
	if (cls >= 1 && cls <= 5)
		s->stats.responses_by_class[cls]++;
}

static void send_resp(struct cp_http_conn *c, struct cp_http_resp *r, bool head, bool keep)
{
	char hdr[1536];
	const void *body = r->body ? (const void *)r->body : r->static_body;
	size_t blen = body ? r->body_len : 0;
	int n;
	count_status(c->srv, r->status);
	if (r->sse) {
		n = snprintf(hdr, sizeof(hdr),
			     "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
			     "Cache-Control: no-store\r\nConnection: keep-alive\r\n"
			     "Access-Control-Allow-Origin: *\r\n%s\r\n: switchyard events\n\n",
			     r->extra_headers);
		conn_write(c, hdr, (size_t)n, NULL, 0);
		return;
	}
	n = snprintf(hdr, sizeof(hdr),
		     "HTTP/1.1 %d %s\r\n"
		     "%s%s%s"
		     "Content-Length: %zu\r\n"
		     "Access-Control-Allow-Origin: *\r\n"
		     "Access-Control-Expose-Headers: Content-Length, Content-Type, Location\r\n"
		     "Cache-Control: no-store\r\n"
		     "X-Content-Type-Options: nosniff\r\n"
		     "%s"
		     "%s"
		     "\r\n",
		     r->status, cp_http_reason(r->status), r->content_type ? "Content-Type: " : "",
		     r->content_type ? r->content_type : "", r->content_type ? "\r\n" : "", blen,
		     keep ? "" : "Connection: close\r\n", r->extra_headers);
	if (n < 0 || (size_t)n >= sizeof(hdr)) {
		c->close_after = true;
		return;
	}
	conn_write(c, hdr, (size_t)n, head ? NULL : body, head ? 0 : blen);
}

/* An error before or instead of the handler: NMOS error body, then close. */
static void send_error_close(struct cp_http_conn *c, int status, const char *debug)
{
	char body[384];
	int n = snprintf(body, sizeof(body), "{\"code\":%d,\"error\":\"%s\",\"debug\":\"%s\"}",
			 status, cp_http_reason(status), debug);
	struct cp_http_resp r;
	memset(&r, 0, sizeof(r));
	r.status = status;
	r.content_type = "application/json";
	r.static_body = body;
	r.body_len = (size_t)n;
	send_resp(c, &r, false, false);
	c->close_after = true;
	if (uv_stream_get_write_queue_size((uv_stream_t *)&c->tcp) == 0)
		conn_close(c);
}

/* ---- SSE ---- */

void cp_http_sse_broadcast(struct cp_http_server *s, const char *event, const char *data)
{
	char head[96];
	int n = snprintf(head, sizeof(head), "event: %s\ndata: ", event);
	size_t dlen = strlen(data);
	struct cp_http_conn *next;
	for (struct cp_http_conn *c = s->conns; c; c = next) {
		next = c->next;
		if (!c->sse || c->closing)
			continue;
		if (uv_stream_get_write_queue_size((uv_stream_t *)&c->tcp) >
		    s->lim.sse_queue_bytes) {
			s->stats.sse_dropped++;
			conn_close(c);
			continue;
		}
		char *buf = malloc((size_t)n + dlen + 2);
		if (!buf)
			continue;
		memcpy(buf, head, (size_t)n);
		memcpy(buf + n, data, dlen);
		memcpy(buf + n + dlen, "\n\n", 2);
		conn_write(c, buf, (size_t)n + dlen + 2, NULL, 0);
		free(buf);
		s->stats.sse_sent++;
	}
}

/* ---- parsing ---- */

static struct cp_http_conn *conn_of(llhttp_t *p)
{
	return (struct cp_http_conn *)p->data;
}

static int on_message_begin(llhttp_t *p)
{
	struct cp_http_conn *c = conn_of(p);
	c->url_len = 0;
	c->hdr_bytes = c->hdr_count = 0;
	c->field_len = 0;
	c->value_done = false;
	c->value_seen = false;
	c->cur_hdr = HDR_NONE;
	memset(c->hv_len, 0, sizeof(c->hv_len));
	c->body_len = 0;
	c->in_request = true;
	return 0;
}

static int on_url(llhttp_t *p, const char *at, size_t len)
{
	struct cp_http_conn *c = conn_of(p);
	if (c->url_len + len > c->srv->lim.url_bytes || c->url_len + len >= sizeof(c->url)) {
		c->reject_status = 414;
		return HPE_USER;
	}
	memcpy(c->url + c->url_len, at, len);
	c->url_len += (uint32_t)len;
	return 0;
}

static int hdr_budget(struct cp_http_conn *c, size_t len)
{
	c->hdr_bytes += (uint32_t)len;
	if (c->hdr_bytes > c->srv->lim.header_bytes) {
		c->reject_status = 431;
		return HPE_USER;
	}
	return 0;
}

static int on_header_field(llhttp_t *p, const char *at, size_t len)
{
	struct cp_http_conn *c = conn_of(p);
	if (hdr_budget(c, len))
		return HPE_USER;
	c->value_done = false;
	c->value_seen = false;
	if (c->field_len + len >= sizeof(c->field)) {
		c->field_overflow = true;
		return 0;
	}
	memcpy(c->field + c->field_len, at, len);
	c->field_len += (uint32_t)len;
	return 0;
}

static int on_header_field_complete(llhttp_t *p)
{
	struct cp_http_conn *c = conn_of(p);
	if (++c->hdr_count > c->srv->lim.header_count) {
		c->reject_status = 431;
		return HPE_USER;
	}
	/* llhttp 8.1 accepts "Name : value": RFC 9112 5.1 says reject it */
	if (c->field_len && (c->field[c->field_len - 1] == ' ' || c->field[c->field_len - 1] == '\t')) {
		c->reject_status = 400;
		return HPE_USER;
	}
	c->field[c->field_len] = 0;
	c->cur_hdr = HDR_NONE;
	if (!c->field_overflow) {
		if (!strcasecmp(c->field, "authorization"))
			c->cur_hdr = HDR_AUTH;
		else if (!strcasecmp(c->field, "content-type"))
			c->cur_hdr = HDR_CTYPE;
		else if (!strcasecmp(c->field, "x-switchyard-client"))
			c->cur_hdr = HDR_CLIENT;
		else if (!strcasecmp(c->field, "expect"))
			c->cur_hdr = HDR_EXPECT;
	}
	c->field_len = 0;
	c->field_overflow = false;
	if (c->cur_hdr != HDR_NONE)
		c->hv_len[c->cur_hdr] = 0; /* a repeated header: last one wins */
	return 0;
}

static int on_header_value(llhttp_t *p, const char *at, size_t len)
{
	struct cp_http_conn *c = conn_of(p);
	if (hdr_budget(c, len))
		return HPE_USER;
	/* llhttp 8.1 passes obs-fold as a second value span of the same field
	 * ("a", " b"). A value merely split across two reads ends at the end of
	 * one buffer and continues at the start of the next; anything else is a
	 * fold. RFC 9112 5.2: reject. */
	if (c->value_done || (c->value_seen && !(c->value_at_end && at == c->buf_base))) {
		c->reject_status = 400;
		return HPE_USER;
	}
	c->value_seen = true;
	c->value_at_end = at + len == c->buf_end;
	for (size_t i = 0; i < len; i++) {
		if (at[i] == '\r' || at[i] == '\n') { /* obs-fold */
			c->reject_status = 400;
			return HPE_USER;
		}
	}
	if (c->cur_hdr == HDR_NONE)
		return 0;
	uint32_t *vl = &c->hv_len[c->cur_hdr];
	if (*vl + len >= CP_HTTP_HDR_VALUE_MAX) {
		c->reject_status = 431;
		return HPE_USER;
	}
	memcpy(c->hv[c->cur_hdr] + *vl, at, len);
	*vl += (uint32_t)len;
	return 0;
}

static int on_header_value_complete(llhttp_t *p)
{
	conn_of(p)->value_done = true;
	return 0;
}

static int on_headers_complete(llhttp_t *p)
{
	struct cp_http_conn *c = conn_of(p);
	if (p->flags & F_CONTENT_LENGTH && p->content_length > c->srv->lim.body_bytes) {
		c->reject_status = 413;
		return -1; /* llhttp: error */
	}
	if (llhttp_get_upgrade(p)) {
		c->reject_status = 400; /* no upgrades (WebSocket is not offered) */
		return -1;
	}
	/* RFC 9110 10.1.1: answer "Expect: 100-continue" with 100 before the
	 * body (or with the final status, as the 413 above does); refuse any
	 * other expectation with 417. Clients such as curl otherwise wait about
	 * a second before sending the body. */
	if (c->hv_len[HDR_EXPECT]) {
		static const char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";
		uint32_t n = c->hv_len[HDR_EXPECT];

		while (n && (c->hv[HDR_EXPECT][n - 1] == ' ' || c->hv[HDR_EXPECT][n - 1] == '\t'))
			n--;
		bool is_continue = n == 12 && !strncasecmp(c->hv[HDR_EXPECT], "100-continue", 12);

		if (!is_continue) {
			c->reject_status = 417;
			return -1;
		}
		if (p->http_major == 1 && p->http_minor >= 1 &&
		    ((p->flags & F_CONTENT_LENGTH && p->content_length > 0) || (p->flags & F_CHUNKED)))
			conn_write(c, cont, sizeof(cont) - 1, NULL, 0);
	}
	return 0;
}

static int on_body(llhttp_t *p, const char *at, size_t len)
{
	struct cp_http_conn *c = conn_of(p);
	if (c->body_len + len > c->srv->lim.body_bytes) {
		c->reject_status = 413;
		return HPE_USER;
	}
	if (c->body_len + len + 1 > c->body_cap) {
		size_t cap = c->body_cap ? c->body_cap : 4096;
		while (cap < c->body_len + len + 1)
			cap *= 2;
		char *nb = realloc(c->body, cap);
		if (!nb) {
			c->reject_status = 500;
			return HPE_USER;
		}
		c->body = nb;
		c->body_cap = cap;
	}
	memcpy(c->body + c->body_len, at, len);
	c->body_len += len;
	return 0;
}

static int hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch = tolower(ch);
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	return -1;
}

/* Split the request-target into a decoded path and a raw query. -1 if the
 * target is not origin-form or decodes to a NUL / bad escape. */
static int split_url(const char *url, size_t len, char *path, char *query)
{
	size_t i = 0, o = 0;
	if (len == 0 || url[0] != '/')
		return -1;
	for (; i < len && url[i] != '?' && url[i] != '#'; i++) {
		char ch = url[i];
		if (ch == '%') {
			if (i + 2 >= len)
				return -1;
			int h = hexval((unsigned char)url[i + 1]), l = hexval((unsigned char)url[i + 2]);
			if (h < 0 || l < 0 || (h == 0 && l == 0))
				return -1;
			ch = (char)(h * 16 + l);
			i += 2;
		}
		if (o + 1 >= CP_HTTP_PATH_MAX)
			return -1;
		path[o++] = ch;
	}
	path[o] = 0;
	o = 0;
	if (i < len && url[i] == '?') {
		for (i++; i < len && url[i] != '#'; i++) {
			if (o + 1 >= CP_HTTP_PATH_MAX)
				return -1;
			query[o++] = url[i];
		}
	}
	query[o] = 0;
	return 0;
}

static int on_message_complete(llhttp_t *p)
{
	struct cp_http_conn *c = conn_of(p);
	struct cp_http_server *s = c->srv;
	struct cp_http_req *req = calloc(1, sizeof(*req));
	struct cp_http_resp resp;
	memset(&resp, 0, sizeof(resp));
	c->in_request = false;
	s->stats.requests++;
	if (!req) {
		c->reject_status = 500;
		return HPE_USER;
	}
	if (split_url(c->url, c->url_len, req->path, req->query) < 0) {
		free(req);
		c->reject_status = 400;
		return HPE_USER;
	}
	req->method = method_of(llhttp_get_method(p));
	req->method_name = llhttp_method_name((llhttp_method_t)llhttp_get_method(p));
	memcpy(req->authorization, c->hv[HDR_AUTH], c->hv_len[HDR_AUTH]);
	memcpy(req->content_type, c->hv[HDR_CTYPE], c->hv_len[HDR_CTYPE]);
	memcpy(req->client_name, c->hv[HDR_CLIENT], c->hv_len[HDR_CLIENT]);
	memcpy(req->peer, c->peer, sizeof(req->peer));
	if (c->body) {
		c->body[c->body_len] = 0;
		req->body = c->body;
	} else {
		req->body = "";
	}
	req->body_len = c->body_len;
	bool keep = llhttp_should_keep_alive(p) != 0;
	s->handler(s->ctx, req, &resp);
	if (resp.status == 0)
		resp.status = 500;
	if (resp.sse) {
		keep = true;
		c->sse = true;
		s->stats.sse_clients++;
		/* bound the kernel's share too: what a subscriber may hold unread is
		 * this plus sse_queue_bytes, not the 4 MiB tcp_wmem autotuning allows */
		int sndbuf = 65536;
		uv_send_buffer_size((uv_handle_t *)&c->tcp, &sndbuf);
		uv_timer_stop(&c->timer);
	}
	send_resp(c, &resp, req->method == CP_HTTP_HEAD, keep);
	free(resp.body);
	free(req);
	/* keep memory bounded between requests on a long-lived connection */
	if (c->body_cap > 65536) {
		free(c->body);
		c->body = NULL;
		c->body_cap = 0;
	}
	c->body_len = 0;
	if (c->sse)
		return HPE_PAUSED; /* ignore anything the subscriber sends */
	if (!keep) {
		c->close_after = true;
		return HPE_PAUSED;
	}
	conn_arm_timer(c);
	return 0;
}

/* ---- connections ---- */

static void on_handle_closed(uv_handle_t *h);

static void server_maybe_free(struct cp_http_server *s)
{
	if (s->closing && s->open_handles == 0)
		free(s);
}

static void on_conn_handle_closed(uv_handle_t *h)
{
	struct cp_http_conn *c = h->data;
	struct cp_http_server *s = c->srv;
	if (--c->handles == 0) {
		free(c->body);
		cp_tls_free(c->tls);
		free(c);
		s->open_handles--;
		server_maybe_free(s);
	}
}

static void conn_close(struct cp_http_conn *c)
{
	if (c->closing)
		return;
	c->closing = true;
	struct cp_http_server *s = c->srv;
	if (c->prev)
		c->prev->next = c->next;
	else
		s->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	s->stats.conns_open--;
	if (c->sse)
		s->stats.sse_clients--;
	uv_timer_stop(&c->timer);
	uv_close((uv_handle_t *)&c->timer, on_conn_handle_closed);
	uv_close((uv_handle_t *)&c->tcp, on_conn_handle_closed);
}

static void on_timeout(uv_timer_t *t)
{
	struct cp_http_conn *c = t->data;
	c->srv->stats.timeouts++;
	if (c->in_request)
		send_error_close(c, 408, "request not received in time");
	else
		conn_close(c);
}

/* Arm the per-request deadline and make sure we read. */
static void conn_arm_timer(struct cp_http_conn *c)
{
	if (c->closing || c->sse)
		return;
	uv_timer_start(&c->timer, on_timeout, c->srv->lim.request_ms, 0);
	if (!c->reading) {
		if (uv_read_start((uv_stream_t *)&c->tcp, alloc_cb, read_cb) == 0)
			c->reading = true;
	}
}

static void alloc_cb(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	(void)h;
	(void)suggested;
	static char slab[65536]; /* the loop is single-threaded; data is consumed at once */
	buf->base = slab;
	buf->len = sizeof(slab);
}

/* Plaintext request bytes into llhttp. */
static void conn_feed(struct cp_http_conn *c, const char *data, size_t len);

static void read_cb(uv_stream_t *st, ssize_t nread, const uv_buf_t *buf)
{
	struct cp_http_conn *c = st->data;
	if (c->closing)
		return;
	if (nread < 0) {
		conn_close(c);
		return;
	}
	if (nread == 0)
		return;
	if (!c->tls) {
		conn_feed(c, buf->base, (size_t)nread);
		return;
	}
	/* decrypt: the handshake and every record go through the session */
	static char plain[16384 + 256]; /* one TLS record; single-threaded loop */
	if (cp_tls_feed(c->tls, buf->base, (size_t)nread) < 0) {
		conn_close(c);
		return;
	}
	for (;;) {
		ssize_t n = cp_tls_read(c->tls, plain, sizeof(plain));
		tls_flush(c); /* handshake answers, alerts */
		if (n < 0) {
			if (n == -EPROTO)
				c->srv->stats.tls_failures++;
			c->close_after = true;
			if (uv_stream_get_write_queue_size((uv_stream_t *)&c->tcp) == 0)
				conn_close(c);
			return;
		}
		if (n == 0 || c->closing)
			return;
		conn_feed(c, plain, (size_t)n);
		if (c->closing)
			return;
	}
}

static void conn_feed(struct cp_http_conn *c, const char *data, size_t len)
{
	uv_stream_t *st = (uv_stream_t *)&c->tcp;
	if (c->sse || c->close_after)
		return; /* input after the last request is ignored */
	c->buf_base = data;
	c->buf_end = data + len;
	enum llhttp_errno e = llhttp_execute(&c->parser, data, len);
	if (e == HPE_PAUSED) {
		if (!c->sse && c->close_after &&
		    uv_stream_get_write_queue_size((uv_stream_t *)&c->tcp) == 0)
			conn_close(c);
		return;
	} else if (e != HPE_OK) {
		int st_code = c->reject_status ? c->reject_status : 400;
		if (st_code == 413 || st_code == 414 || st_code == 431)
			c->srv->stats.limit_rejects++;
		else
			c->srv->stats.bad_requests++;
		char dbg[160];
		snprintf(dbg, sizeof(dbg), "%s",
			 c->reject_status == 413   ? "request body exceeds the limit"
			 : c->reject_status == 414 ? "request-target exceeds the limit"
			 : c->reject_status == 431 ? "header block exceeds the limit"
			 : c->reject_status == 500 ? "out of memory"
			 : c->reject_status == 417 ? "only Expect: 100-continue is supported"
						   : llhttp_errno_name(e));
		c->in_request = false;
		send_error_close(c, st_code, dbg);
		return;
	}
	if (uv_stream_get_write_queue_size((uv_stream_t *)&c->tcp) > CP_HTTP_WQ_PAUSE_BYTES) {
		uv_read_stop(st);
		c->reading = false;
	}
}

static void on_connection(uv_stream_t *ls, int status)
{
	struct cp_http_server *s = ls->data;
	if (status < 0)
		return;
	struct cp_http_conn *c = calloc(1, sizeof(*c));
	if (!c)
		return;
	c->srv = s;
	uv_tcp_init(s->loop, &c->tcp);
	uv_timer_init(s->loop, &c->timer);
	c->tcp.data = c;
	c->timer.data = c;
	c->handles = 2;
	s->open_handles++;
	c->next = s->conns;
	if (s->conns)
		s->conns->prev = c;
	s->conns = c;
	s->stats.conns_open++;
	if (uv_accept(ls, (uv_stream_t *)&c->tcp) < 0) {
		conn_close(c);
		return;
	}
	if (s->stats.conns_open > s->lim.max_conns) {
		s->stats.conns_rejected++;
		conn_close(c);
		return;
	}
	s->stats.conns_accepted++;
	uv_tcp_nodelay(&c->tcp, 1);
	struct sockaddr_storage ss;
	int sl = sizeof(ss);
	if (uv_tcp_getpeername(&c->tcp, (struct sockaddr *)&ss, &sl) == 0 &&
	    ss.ss_family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
		char ip[INET_ADDRSTRLEN];
		inet_ntop(AF_INET, &sin->sin_addr, ip, sizeof(ip));
		snprintf(c->peer, sizeof(c->peer), "%s:%u", ip, ntohs(sin->sin_port));
	}
	if (s->tls && cp_tls_new(s->tls, &c->tls) < 0) {
		conn_close(c);
		return;
	}
	llhttp_init(&c->parser, HTTP_REQUEST, &s->settings);
	c->parser.data = c;
	conn_arm_timer(c);
}

static void on_handle_closed(uv_handle_t *h)
{
	struct cp_http_server *s = h->data;
	s->open_handles--;
	server_maybe_free(s);
}

int cp_http_create(uv_loop_t *loop, const char *host, uint16_t port,
		   const struct cp_http_limits *limits, cp_http_handler handler, void *ctx,
		   struct cp_http_server **out)
{
	struct sockaddr_in addr;
	int rc = uv_ip4_addr(host, port, &addr);
	if (rc < 0)
		return -EINVAL;
	struct cp_http_server *s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->loop = loop;
	s->lim = *limits;
	s->handler = handler;
	s->ctx = ctx;
	llhttp_settings_init(&s->settings);
	s->settings.on_message_begin = on_message_begin;
	s->settings.on_url = on_url;
	s->settings.on_header_field = on_header_field;
	s->settings.on_header_field_complete = on_header_field_complete;
	s->settings.on_header_value = on_header_value;
	s->settings.on_header_value_complete = on_header_value_complete;
	s->settings.on_headers_complete = on_headers_complete;
	s->settings.on_body = on_body;
	s->settings.on_message_complete = on_message_complete;
	uv_tcp_init(loop, &s->listener);
	s->listener.data = s;
	s->open_handles = 1;
	rc = uv_tcp_bind(&s->listener, (const struct sockaddr *)&addr, 0);
	if (rc == 0)
		rc = uv_listen((uv_stream_t *)&s->listener, 128, on_connection);
	if (rc < 0) {
		s->closing = true;
		uv_close((uv_handle_t *)&s->listener, on_handle_closed);
		return rc;
	}
	struct sockaddr_storage ss;
	int sl = sizeof(ss);
	uv_tcp_getsockname(&s->listener, (struct sockaddr *)&ss, &sl);
	s->port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
	*out = s;
	return 0;
}

void cp_http_set_tls(struct cp_http_server *s, struct cp_tls_ctx *tls)
{
	s->tls = tls;
}

uint16_t cp_http_port(const struct cp_http_server *s)
{
	return s->port;
}

const struct cp_http_stats *cp_http_stats(const struct cp_http_server *s)
{
	return &s->stats;
}

void cp_http_destroy(struct cp_http_server *s)
{
	if (!s)
		return;
	s->closing = true;
	while (s->conns)
		conn_close(s->conns);
	uv_close((uv_handle_t *)&s->listener, on_handle_closed);
}
