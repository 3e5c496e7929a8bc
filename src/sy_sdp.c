/* SPDX-License-Identifier: MIT */
/*
 * sy_sdp.c: ST 2110 SDP parser, canonical writer and builder (see sy_sdp.h).
 * Control thread / tools; pure; no allocation (the caller owns every struct).
 *
 * Structure: one pass over the lines fills the session and the media; the
 * fmtp line of a media is kept as a span and interpreted when the media ends
 * (its meaning depends on the rtpmap encoding, which may come later).
 * Cross-references (a=group:DUP -> a=mid) are resolved at the end.
 *
 * Boundary cases handled (tests/unit/src/test_sy_sdp.c):
 *   - input not NUL-terminated, CRLF or LF, last line without newline,
 *     empty lines (ignored with a warning), NUL/control bytes (syntax error);
 *   - exactframerate 25, 60000/1001, 0 and 60000/0; depth 16f (unsupported);
 *   - fmtp parameters repeated, unknown (warning), trailing ';';
 *   - ptime 0.125 / 0.333 / 1 / 4, more than 6 decimals;
 *   - group:DUP naming an unknown mid, a mid used twice;
 *   - 4 media accepted, a 5th refused.
 */
#include "sy_sdp.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sy_err.h"

struct span {
	const char *p;
	size_t n;
};

/* Clip a span for "%.*s" in messages. */
#define Q(s) (int)((s).n > 40 ? 40 : (s).n), (s).p

struct media_ctx {
	struct span fmtp;
	uint32_t fmtp_line, rtpmap_line, ptime_line, filter_line;
	bool has_rtpmap, has_fmtp, m_audio, has_dir;
};

struct ctx {
	struct sy_sdp *sdp;
	struct sy_sdp_error *err;
	uint32_t line;
	int cur; /* -1: session level, else media index */
	bool seen_v, seen_o, seen_s, seen_t, has_dir, has_group;
	uint32_t group_line;
	struct media_ctx mc[SY_SDP_MAX_MEDIA];
};

__attribute__((format(printf, 4, 5))) static int fail(struct ctx *c, uint32_t line, int code,
						     const char *fmt, ...)
{
	if (c->err) {
		va_list ap;
		int n;

		c->err->line = line;
		c->err->code = -code;
		n = snprintf(c->err->reason, sizeof(c->err->reason), "line %u: ", line);
		va_start(ap, fmt);
		if (n > 0 && (size_t)n < sizeof(c->err->reason))
			vsnprintf(c->err->reason + n, sizeof(c->err->reason) - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -code;
}

__attribute__((format(printf, 4, 5))) static void warn(struct ctx *c, uint32_t line,
						      enum sy_sdp_warn code, const char *fmt, ...)
{
	struct sy_sdp_warning *w;
	va_list ap;

	if (c->sdp->n_warnings >= SY_SDP_MAX_WARNINGS) {
		c->sdp->warnings_truncated = true;
		return;
	}
	w = &c->sdp->warnings[c->sdp->n_warnings++];
	w->line = line;
	w->code = code;
	va_start(ap, fmt);
	vsnprintf(w->text, sizeof(w->text), fmt, ap);
	va_end(ap);
}

/* --- small lexing helpers --- */

static bool span_eq(struct span s, const char *lit)
{
	size_t n = strlen(lit);

	return s.n == n && memcmp(s.p, lit, n) == 0;
}

static bool span_ieq(struct span s, const char *lit)
{
	size_t n = strlen(lit);

	if (s.n != n)
		return false;
	for (size_t i = 0; i < n; i++) {
		char a = s.p[i], b = lit[i];

		if (a >= 'A' && a <= 'Z')
			a = (char)(a - 'A' + 'a');
		if (b >= 'A' && b <= 'Z')
			b = (char)(b - 'A' + 'a');
		if (a != b)
			return false;
	}
	return true;
}

static struct span trim(struct span s)
{
	while (s.n && s.p[0] == ' ')
		s.p++, s.n--;
	while (s.n && s.p[s.n - 1] == ' ')
		s.n--;
	return s;
}

/* Next space-separated token of *rest; false when none is left. */
static bool next_tok(struct span *rest, struct span *tok)
{
	*rest = trim(*rest);
	if (rest->n == 0)
		return false;
	tok->p = rest->p;
	tok->n = 0;
	while (tok->n < rest->n && rest->p[tok->n] != ' ')
		tok->n++;
	rest->p += tok->n;
	rest->n -= tok->n;
	return true;
}

/* Split s at the first c: head before, *tail after; false if no c. */
static bool split_at(struct span s, char c, struct span *head, struct span *tail)
{
	const char *q = memchr(s.p, c, s.n);

	if (!q)
		return false;
	head->p = s.p;
	head->n = (size_t)(q - s.p);
	tail->p = q + 1;
	tail->n = s.n - head->n - 1;
	return true;
}

static bool span_u64(struct span s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (s.n == 0 || s.n > 20)
		return false;
	for (size_t i = 0; i < s.n; i++) {
		unsigned d = (unsigned)(s.p[i] - '0');

		if (d > 9 || v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	if (v > max)
		return false;
	*out = v;
	return true;
}

static bool span_u32(struct span s, uint32_t max, uint32_t *out)
{
	uint64_t v;

	if (!span_u64(s, max, &v))
		return false;
	*out = (uint32_t)v;
	return true;
}

static bool span_ipv4(struct span s, uint32_t *out)
{
	uint32_t ip = 0;
	struct span rest = s, part;

	for (int i = 0; i < 4; i++) {
		uint32_t v;

		if (i < 3) {
			if (!split_at(rest, '.', &part, &rest))
				return false;
		} else {
			part = rest;
		}
		if (part.n > 3 || !span_u32(part, 255, &v))
			return false;
		ip = ip << 8 | v;
	}
	*out = ip;
	return true;
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* "39-A7-94-FF-FE-07-CB-D0" (n = 8) or a MAC (n = 6), '-' separated. */
static bool span_hexbytes(struct span s, uint8_t *out, size_t n)
{
	if (s.n != n * 3 - 1)
		return false;
	for (size_t i = 0; i < n; i++) {
		int hi = hexval(s.p[i * 3]), lo = hexval(s.p[i * 3 + 1]);

		if (hi < 0 || lo < 0 || (i + 1 < n && s.p[i * 3 + 2] != '-'))
			return false;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return true;
}

/* Decimal milliseconds ("1", "0.125", "0.333") to ns: at most 6 decimals. */
static bool span_ms_ns(struct span s, uint32_t *ns)
{
	struct span ip = s, fp = { s.p + s.n, 0 };
	uint64_t ms, frac = 0;

	if (split_at(s, '.', &ip, &fp) && (fp.n == 0 || fp.n > 6))
		return false;
	if (!span_u64(ip, 4000, &ms))
		return false;
	if (fp.n) {
		if (!span_u64(fp, 999999, &frac))
			return false;
		for (size_t i = fp.n; i < 6; i++)
			frac *= 10;
	}
	if (ms * 1000000u + frac == 0)
		return false;
	*ns = (uint32_t)(ms * 1000000u + frac);
	return true;
}

static bool copy_str(char *dst, size_t cap, struct span s)
{
	if (s.n >= cap)
		return false;
	memcpy(dst, s.p, s.n);
	dst[s.n] = '\0';
	return true;
}

/* --- line handlers --- */

static int parse_conn(struct ctx *c, struct span v, struct sy_sdp_conn *conn)
{
	struct span net, type, addr, ip, ttl, rest = v;
	uint32_t t;

	if (conn->present)
		return fail(c, c->line, SY_E_SDP_DUPLICATE, "second c= line");
	if (!next_tok(&rest, &net) || !next_tok(&rest, &type) || !next_tok(&rest, &addr) ||
	    trim(rest).n)
		return fail(c, c->line, SY_E_SDP_SYNTAX, "c= needs 'IN IP4 <address>'");
	if (!span_eq(net, "IN"))
		return fail(c, c->line, SY_E_SDP_UNSUPPORTED, "c= network type '%.*s' is not IN",
			    Q(net));
	if (!span_eq(type, "IP4"))
		return fail(c, c->line, SY_E_SDP_UNSUPPORTED, "c= address type '%.*s' not supported",
			    Q(type));
	ip = addr;
	if (split_at(addr, '/', &ip, &ttl)) {
		if (memchr(ttl.p, '/', ttl.n))
			return fail(c, c->line, SY_E_SDP_UNSUPPORTED,
				    "c= address count '%.*s' not supported", Q(addr));
		if (!span_u32(ttl, 255, &t))
			return fail(c, c->line, SY_E_SDP_VALUE, "c= TTL '%.*s' is not 0..255", Q(ttl));
		conn->has_ttl = true;
		conn->ttl = (uint8_t)t;
	}
	if (!span_ipv4(ip, &conn->ip))
		return fail(c, c->line, SY_E_SDP_VALUE, "c= address '%.*s' is not IPv4", Q(ip));
	conn->present = true;
	if ((conn->ip >> 28) == 0xe && !conn->has_ttl)
		warn(c, c->line, SY_SDP_W_NO_TTL, "multicast c= without /ttl");
	return 0;
}

static int parse_origin(struct ctx *c, struct span v)
{
	struct sy_sdp *s = c->sdp;
	struct span user, id, ver, net, type, addr, rest = v;

	if (!next_tok(&rest, &user) || !next_tok(&rest, &id) || !next_tok(&rest, &ver) ||
	    !next_tok(&rest, &net) || !next_tok(&rest, &type) || !next_tok(&rest, &addr) ||
	    trim(rest).n)
		return fail(c, c->line, SY_E_SDP_SYNTAX,
			    "o= needs 6 fields: user sess-id version IN IP4 address");
	if (!copy_str(s->username, sizeof(s->username), user))
		return fail(c, c->line, SY_E_SDP_VALUE, "o= username too long");
	if (!span_u64(id, UINT64_MAX, &s->sess_id))
		return fail(c, c->line, SY_E_SDP_VALUE, "o= sess-id '%.*s' is not a number", Q(id));
	if (!span_u64(ver, UINT64_MAX, &s->sess_version))
		return fail(c, c->line, SY_E_SDP_VALUE, "o= sess-version '%.*s' is not a number",
			    Q(ver));
	if (!span_eq(net, "IN"))
		return fail(c, c->line, SY_E_SDP_UNSUPPORTED, "o= network type '%.*s' is not IN",
			    Q(net));
	if (span_eq(type, "IP6"))
		s->origin_ip6 = true;
	else if (!span_eq(type, "IP4"))
		return fail(c, c->line, SY_E_SDP_VALUE, "o= address type '%.*s' is not IP4/IP6",
			    Q(type));
	if (!copy_str(s->origin_addr, sizeof(s->origin_addr), addr))
		return fail(c, c->line, SY_E_SDP_VALUE, "o= address too long");
	return 0;
}

static int parse_media_line(struct ctx *c, struct span v)
{
	struct sy_sdp *s = c->sdp;
	struct sy_sdp_media *m;
	struct span kind, port, proto, pt, rest = v;
	uint32_t u;

	if (s->n_media >= SY_SDP_MAX_MEDIA)
		return fail(c, c->line, SY_E_SDP_UNSUPPORTED, "more than %u media descriptions",
			    SY_SDP_MAX_MEDIA);
	m = &s->media[s->n_media];
	c->cur = s->n_media++;
	m->line = c->line;
	if (!next_tok(&rest, &kind) || !next_tok(&rest, &port) || !next_tok(&rest, &proto) ||
	    !next_tok(&rest, &pt))
		return fail(c, c->line, SY_E_SDP_SYNTAX, "m= needs 'video|audio <port> RTP/AVP <pt>'");
	if (span_eq(kind, "audio"))
		c->mc[c->cur].m_audio = true;
	else if (!span_eq(kind, "video"))
		return fail(c, c->line, SY_E_SDP_UNSUPPORTED, "m= media '%.*s' not supported",
			    Q(kind));
	if (memchr(port.p, '/', port.n))
		return fail(c, c->line, SY_E_SDP_UNSUPPORTED, "m= port count '%.*s' not supported",
			    Q(port));
	if (!span_u32(port, 65535, &u))
		return fail(c, c->line, SY_E_SDP_VALUE, "m= port '%.*s' is not a number 0..65535",
			    Q(port));
	m->port = (uint16_t)u;
	if (!span_eq(proto, "RTP/AVP"))
		return fail(c, c->line, SY_E_SDP_UNSUPPORTED, "m= protocol '%.*s' is not RTP/AVP",
			    Q(proto));
	if (!span_u32(pt, 127, &u))
		return fail(c, c->line, SY_E_SDP_VALUE, "m= payload type '%.*s' is not 0..127",
			    Q(pt));
	m->pt = (uint8_t)u;
	if (trim(rest).n)
		return fail(c, c->line, SY_E_SDP_UNSUPPORTED, "m= with several payload types");
	return 0;
}

static int parse_pt_prefix(struct ctx *c, const char *what, struct span v, struct span *rest)
{
	const struct sy_sdp_media *m = &c->sdp->media[c->cur];
	struct span pt;
	uint32_t u;

	*rest = v;
	if (!next_tok(rest, &pt))
		return fail(c, c->line, SY_E_SDP_SYNTAX, "a=%s without payload type", what);
	if (!span_u32(pt, 127, &u))
		return fail(c, c->line, SY_E_SDP_VALUE, "a=%s payload type '%.*s' is not 0..127",
			    what, Q(pt));
	if (u != m->pt)
		return fail(c, c->line, SY_E_SDP_VALUE,
			    "a=%s for payload type %u, but m= declares %u", what, u, m->pt);
	*rest = trim(*rest);
	return 0;
}

static int parse_rtpmap(struct ctx *c, struct span v)
{
	struct sy_sdp_media *m = &c->sdp->media[c->cur];
	struct media_ctx *mc = &c->mc[c->cur];
	struct span rest, enc, rate, ch;
	bool has_ch;
	uint32_t u;
	int rc;

	if (mc->has_rtpmap)
		return fail(c, c->line, SY_E_SDP_DUPLICATE, "second a=rtpmap");
	rc = parse_pt_prefix(c, "rtpmap", v, &rest);
	if (rc < 0)
		return rc;
	mc->has_rtpmap = true;
	mc->rtpmap_line = c->line;
	if (!split_at(rest, '/', &enc, &rate))
		return fail(c, c->line, SY_E_SDP_SYNTAX, "a=rtpmap needs <encoding>/<clock rate>");
	has_ch = split_at(rate, '/', &rate, &ch);
	if (!span_u32(rate, UINT32_MAX, &m->clock_hz) || m->clock_hz == 0)
		return fail(c, c->line, SY_E_SDP_VALUE, "rtpmap clock rate '%.*s' is not a number",
			    Q(rate));
	if (span_ieq(enc, "raw") || span_ieq(enc, "smpte291")) {
		m->essence = span_ieq(enc, "raw") ? SY_SDP_VIDEO : SY_SDP_ANC;
		if (mc->m_audio)
			return fail(c, c->line, SY_E_SDP_VALUE, "rtpmap %.*s needs m=video", Q(enc));
		if (m->clock_hz != 90000 || has_ch)
			return fail(c, c->line, SY_E_SDP_VALUE, "rtpmap %.*s must be %.*s/90000",
				    Q(enc), Q(enc));
		return 0;
	}
	if (sy_st2110_30_encoding_parse(enc.p, enc.n, &m->audio.fmt.encoding) < 0)
		return fail(c, c->line, SY_E_SDP_UNSUPPORTED, "rtpmap encoding '%.*s' not supported",
			    Q(enc));
	m->essence = SY_SDP_AUDIO;
	if (!mc->m_audio)
		return fail(c, c->line, SY_E_SDP_VALUE, "rtpmap %.*s needs m=audio", Q(enc));
	if (m->clock_hz != 48000 && m->clock_hz != 96000 && m->clock_hz != 44100)
		return fail(c, c->line, SY_E_SDP_UNSUPPORTED,
			    "audio rate %u not supported (48000, 96000, 44100)", m->clock_hz);
	m->audio.fmt.rate_hz = m->clock_hz;
	m->audio.fmt.channels = 1; /* RFC 4566: omitted channel count means 1 */
	if (has_ch) {
		if (!span_u32(ch, UINT32_MAX, &u))
			return fail(c, c->line, SY_E_SDP_VALUE,
				    "rtpmap channel count '%.*s' is not a number", Q(ch));
		if (u < 1 || u > SY_ST2110_30_MAX_CHANNELS)
			return fail(c, c->line, SY_E_AUDIO_CHANNELS,
				    "rtpmap channel count %u is not 1..64", u);
		m->audio.fmt.channels = (uint16_t)u;
		m->audio.channels_explicit = true;
	}
	return 0;
}

static int parse_filter(struct ctx *c, struct span v, struct sy_sdp_filter *f)
{
	struct span mode, net, type, dst, src, rest = v;

	if (f->present)
		return fail(c, c->line, SY_E_SDP_DUPLICATE, "second a=source-filter");
	if (!next_tok(&rest, &mode) || !next_tok(&rest, &net) || !next_tok(&rest, &type) ||
	    !next_tok(&rest, &dst) || !next_tok(&rest, &src))
		return fail(c, c->line, SY_E_SDP_SYNTAX,
			    "a=source-filter needs 'incl IN IP4 <dest> <source>'");
	if (!span_eq(mode, "incl"))
		return fail(c, c->line, SY_E_SDP_UNSUPPORTED, "source-filter mode '%.*s' not supported",
			    Q(mode));
	if (!span_eq(net, "IN") || !span_eq(type, "IP4"))
		return fail(c, c->line, SY_E_SDP_UNSUPPORTED, "source-filter: only IN IP4");
	if (trim(rest).n)
		return fail(c, c->line, SY_E_SDP_UNSUPPORTED, "source-filter with several sources");
	if (span_eq(dst, "*"))
		f->dst_any = true;
	else if (!span_ipv4(dst, &f->dst_ip))
		return fail(c, c->line, SY_E_SDP_VALUE, "source-filter destination '%.*s' is not IPv4",
			    Q(dst));
	if (!span_ipv4(src, &f->src_ip))
		return fail(c, c->line, SY_E_SDP_VALUE, "source-filter source '%.*s' is not IPv4",
			    Q(src));
	f->present = true;
	return 0;
}

/* Returns 1 if the value is a form we do not support (caller ignores it). */
static int parse_refclk(struct ctx *c, struct span v, struct sy_sdp_clock *clk)
{
	struct sy_sdp_refclk r;
	struct span kind, val, ver, gm, dom;
	uint32_t u;

	memset(&r, 0, sizeof(r));
	if (!split_at(v, '=', &kind, &val))
		return 1;
	if (span_eq(kind, "localmac")) {
		if (!span_hexbytes(val, r.mac, 6))
			return fail(c, c->line, SY_E_SDP_VALUE, "ts-refclk localmac '%.*s' is not a MAC",
				    Q(val));
		r.kind = SY_SDP_REFCLK_LOCALMAC;
	} else if (span_eq(kind, "ptp")) {
		if (!split_at(val, ':', &ver, &gm))
			return fail(c, c->line, SY_E_SDP_VALUE,
				    "ts-refclk ptp needs IEEE1588-<year>:<gmid>[:<domain>]");
		if (span_eq(ver, "IEEE1588-2002"))
			r.ptp_version = 2002;
		else if (span_eq(ver, "IEEE1588-2008"))
			r.ptp_version = 2008;
		else if (span_eq(ver, "IEEE1588-2019"))
			r.ptp_version = 2019;
		else
			return 1; /* IEEE802.1AS etc. */
		if (span_eq(gm, "traceable")) {
			r.kind = SY_SDP_REFCLK_PTP_TRACEABLE;
		} else {
			if (split_at(gm, ':', &gm, &dom)) {
				if (!span_u32(dom, 255, &u))
					return fail(c, c->line, SY_E_SDP_VALUE,
						    "ts-refclk PTP domain '%.*s' is not 0..255",
						    Q(dom));
				r.has_domain = true;
				r.domain = (uint8_t)u;
			}
			if (!span_hexbytes(gm, r.gmid, 8))
				return fail(c, c->line, SY_E_SDP_VALUE,
					    "ts-refclk grandmaster '%.*s' is not an EUI-64",
					    Q(gm));
			r.kind = SY_SDP_REFCLK_PTP;
			if (!r.has_domain)
				warn(c, c->line, SY_SDP_W_PTP_NO_DOMAIN,
				     "ts-refclk without PTP domain (ST 2110-10 requires it)");
		}
	} else {
		return 1;
	}
	if (clk->n_refclk >= SY_SDP_MAX_REFCLK)
		return fail(c, c->line, SY_E_SDP_DUPLICATE, "more than %u a=ts-refclk",
			    SY_SDP_MAX_REFCLK);
	clk->refclk[clk->n_refclk++] = r;
	return 0;
}

static int parse_mediaclk(struct ctx *c, struct span v, struct sy_sdp_clock *clk)
{
	struct sy_sdp_mediaclk *mk = &clk->mediaclk;
	struct span rest = v, tok, name, val, num, den;

	if (mk->kind != SY_SDP_MEDIACLK_NONE)
		return fail(c, c->line, SY_E_SDP_DUPLICATE, "second a=mediaclk");
	if (!next_tok(&rest, &tok))
		return fail(c, c->line, SY_E_SDP_SYNTAX, "empty a=mediaclk");
	if (span_eq(tok, "sender")) {
		mk->kind = SY_SDP_MEDIACLK_SENDER;
	} else if (span_eq(tok, "direct")) {
		mk->kind = SY_SDP_MEDIACLK_DIRECT;
	} else if (split_at(tok, '=', &name, &val) && span_eq(name, "direct")) {
		if (!span_u32(val, UINT32_MAX, &mk->offset))
			return fail(c, c->line, SY_E_SDP_VALUE, "mediaclk offset '%.*s' is not a number",
				    Q(val));
		mk->kind = SY_SDP_MEDIACLK_DIRECT;
		mk->has_offset = true;
	} else {
		return 1;
	}
	if (next_tok(&rest, &tok)) {
		if (!split_at(tok, '=', &name, &val) || !span_eq(name, "rate") || trim(rest).n)
			return fail(c, c->line, SY_E_SDP_SYNTAX, "mediaclk: unexpected '%.*s'", Q(tok));
		num = val;
		mk->rate_den = 1;
		if (split_at(val, '/', &num, &den) &&
		    (!span_u32(den, UINT32_MAX, &mk->rate_den) || mk->rate_den == 0))
			return fail(c, c->line, SY_E_SDP_VALUE, "mediaclk rate '%.*s' invalid", Q(val));
		if (!span_u32(num, UINT32_MAX, &mk->rate_num) || mk->rate_num == 0)
			return fail(c, c->line, SY_E_SDP_VALUE, "mediaclk rate '%.*s' invalid", Q(val));
		mk->has_rate = true;
	}
	return 0;
}

static int parse_dir(struct ctx *c, struct span name, bool *has, enum sy_sdp_dir *dir)
{
	static const char *const names[SY_SDP_DIR_MAX] = { NULL, "sendonly", "recvonly",
							   "sendrecv", "inactive" };

	for (int i = 1; i < (int)SY_SDP_DIR_MAX; i++) {
		if (span_eq(name, names[i])) {
			if (*has)
				return fail(c, c->line, SY_E_SDP_DUPLICATE, "second direction attribute");
			*has = true;
			*dir = (enum sy_sdp_dir)i;
			return 0;
		}
	}
	return 1;
}

static int parse_group(struct ctx *c, struct span v)
{
	struct sy_sdp *s = c->sdp;
	struct span rest = v, sem, mid;

	if (!next_tok(&rest, &sem) || !span_eq(sem, "DUP"))
		return 1;
	if (c->has_group)
		return fail(c, c->line, SY_E_SDP_DUPLICATE, "second a=group:DUP");
	c->has_group = true;
	c->group_line = c->line;
	while (next_tok(&rest, &mid)) {
		if (s->n_dup >= SY_SDP_MAX_MEDIA)
			return fail(c, c->line, SY_E_SDP_VALUE, "a=group:DUP with more than %u mids",
				    SY_SDP_MAX_MEDIA);
		if (!copy_str(s->dup_mid[s->n_dup], SY_SDP_MID_MAX, mid))
			return fail(c, c->line, SY_E_SDP_VALUE, "a=group:DUP mid too long");
		for (unsigned i = 0; i < s->n_dup; i++)
			if (strcmp(s->dup_mid[i], s->dup_mid[s->n_dup]) == 0)
				return fail(c, c->line, SY_E_SDP_VALUE,
					    "a=group:DUP names mid '%.*s' twice", Q(mid));
		s->n_dup++;
	}
	if (s->n_dup < 2)
		return fail(c, c->line, SY_E_SDP_MISSING, "a=group:DUP needs two mids");
	return 0;
}

static int parse_attr(struct ctx *c, struct span v)
{
	struct sy_sdp *s = c->sdp;
	struct sy_sdp_media *m = c->cur >= 0 ? &s->media[c->cur] : NULL;
	struct media_ctx *mc = c->cur >= 0 ? &c->mc[c->cur] : NULL;
	struct sy_sdp_clock *clk = m ? &m->clock : &s->clock;
	struct span name = v, val = { v.p + v.n, 0 };
	bool has_val = split_at(v, ':', &name, &val);
	int rc = 1;

	if (name.n == 0)
		return fail(c, c->line, SY_E_SDP_SYNTAX, "a= without attribute name");
	if (!has_val) {
		rc = m ? parse_dir(c, name, &mc->has_dir, &m->dir)
		       : parse_dir(c, name, &c->has_dir, &s->dir);
	} else if (span_eq(name, "ts-refclk")) {
		rc = parse_refclk(c, val, clk);
		if (rc > 0)
			warn(c, c->line, SY_SDP_W_IGNORED, "ts-refclk '%.*s' not supported, ignored",
			     Q(val));
	} else if (span_eq(name, "mediaclk")) {
		rc = parse_mediaclk(c, val, clk);
		if (rc > 0)
			warn(c, c->line, SY_SDP_W_IGNORED, "mediaclk '%.*s' not supported, ignored",
			     Q(val));
	} else if (!m) {
		if (span_eq(name, "rtpmap") || span_eq(name, "fmtp") || span_eq(name, "mid"))
			return fail(c, c->line, SY_E_SDP_SYNTAX, "a=%.*s outside a media description",
				    Q(name));
		if (span_eq(name, "group"))
			rc = parse_group(c, val);
	} else if (span_eq(name, "rtpmap")) {
		rc = parse_rtpmap(c, val);
	} else if (span_eq(name, "fmtp")) {
		if (mc->has_fmtp)
			return fail(c, c->line, SY_E_SDP_DUPLICATE, "second a=fmtp");
		rc = parse_pt_prefix(c, "fmtp", val, &mc->fmtp);
		mc->has_fmtp = true;
		mc->fmtp_line = c->line;
	} else if (span_eq(name, "ptime") || span_eq(name, "maxptime")) {
		bool max = name.n == 8;
		bool *has = max ? &m->has_maxptime : &m->has_ptime;

		if (*has)
			return fail(c, c->line, SY_E_SDP_DUPLICATE, "second a=%.*s", Q(name));
		if (!span_ms_ns(val, max ? &m->maxptime_ns : &m->ptime_ns))
			return fail(c, c->line, SY_E_SDP_VALUE,
				    "%.*s '%.*s' is not a positive number of ms (<= 6 decimals)",
				    Q(name), Q(val));
		*has = true;
		if (!max)
			mc->ptime_line = c->line;
		rc = 0;
	} else if (span_eq(name, "framecount")) {
		if (m->has_framecount)
			return fail(c, c->line, SY_E_SDP_DUPLICATE, "second a=framecount");
		if (!span_u32(val, UINT32_MAX, &m->framecount))
			return fail(c, c->line, SY_E_SDP_VALUE, "framecount '%.*s' is not a number",
				    Q(val));
		m->has_framecount = true;
		rc = 0;
	} else if (span_eq(name, "source-filter")) {
		rc = parse_filter(c, val, &m->filter);
		mc->filter_line = c->line;
	} else if (span_eq(name, "mid")) {
		if (m->mid[0])
			return fail(c, c->line, SY_E_SDP_DUPLICATE, "second a=mid");
		if (val.n == 0 || memchr(val.p, ' ', val.n) || !copy_str(m->mid, SY_SDP_MID_MAX, val))
			return fail(c, c->line, SY_E_SDP_VALUE, "mid '%.*s' is not a token of 1..%u bytes",
				    Q(val), SY_SDP_MID_MAX - 1);
		for (int i = 0; i < c->cur; i++)
			if (strcmp(s->media[i].mid, m->mid) == 0)
				return fail(c, c->line, SY_E_SDP_DUPLICATE, "mid '%s' used twice", m->mid);
		rc = 0;
	}
	if (rc > 0)
		s->n_unknown++;
	return rc < 0 ? rc : 0;
}

/* --- fmtp --- */

/* Next "name[=value]" of a ';'-separated list; false at the end. */
static bool next_param(struct span *rest, struct span *name, struct span *val, bool *has_val)
{
	struct span item;

	for (;;) {
		if (rest->n == 0)
			return false;
		if (!split_at(*rest, ';', &item, rest)) {
			item = *rest;
			rest->p += rest->n;
			rest->n = 0;
		}
		item = trim(item);
		if (item.n)
			break; /* skip empty items: "a; ;b", trailing ';' */
	}
	*has_val = split_at(item, '=', name, val);
	if (!*has_val) {
		*name = item;
		val->p = item.p + item.n;
		val->n = 0;
	}
	*name = trim(*name);
	*val = trim(*val);
	return true;
}

enum vparam {
	VP_SAMPLING, VP_WIDTH, VP_HEIGHT, VP_RATE, VP_DEPTH, VP_TCS, VP_COLORIMETRY, VP_PM,
	VP_SSN, VP_TP, VP_INTERLACE, VP_SEGMENTED, VP_RANGE, VP_PAR, VP_MAXUDP, VP_TROFF,
	VP_CMAX, VP_MAX
};

static const char *const vparam_names[VP_MAX] = {
	"sampling", "width", "height", "exactframerate", "depth", "TCS", "colorimetry", "PM",
	"SSN", "TP", "interlace", "segmented", "RANGE", "PAR", "MAXUDP", "TROFF", "CMAX",
};

static const char *const tp_names[SY_SDP_TP_MAX] = { "2110TPN", "2110TPNL", "2110TPW" };

static int fmtp_num(struct ctx *c, uint32_t line, struct span name, struct span val,
		    uint32_t min, uint32_t max, uint32_t *out)
{
	uint64_t v;

	for (size_t i = 0; i < val.n; i++)
		if (val.p[i] < '0' || val.p[i] > '9')
			return fail(c, line, SY_E_SDP_VALUE, "fmtp %.*s '%.*s' is not a number",
				    Q(name), Q(val));
	if (val.n == 0)
		return fail(c, line, SY_E_SDP_VALUE, "fmtp %.*s '' is not a number", Q(name));
	if (!span_u64(val, max, &v) || v < min)
		return fail(c, line, SY_E_SDP_VALUE, "fmtp %.*s %.*s is not in %u..%u", Q(name),
			    Q(val), min, max);
	*out = (uint32_t)v;
	return 0;
}

static int video_param(struct ctx *c, uint32_t line, struct sy_sdp_video *vd, int k,
		       struct span name, struct span val, bool has_val)
{
	static const char *const unsupported_sampling[] = {
		"CLYCbCr-4:4:4", "CLYCbCr-4:2:2", "CLYCbCr-4:2:0", "ICtCp-4:4:4",
		"ICtCp-4:2:2",	 "ICtCp-4:2:0",	  "XYZ",	   "KEY",
	};
	struct sy_video_format *f = &vd->fmt;
	struct span a, b;
	uint32_t u;
	int rc = 0;

	if (!has_val && k != VP_INTERLACE && k != VP_SEGMENTED)
		return fail(c, line, SY_E_SDP_VALUE, "fmtp %.*s without a value", Q(name));
	switch (k) {
	case VP_SAMPLING:
		if (sy_format_sampling_parse(val.p, val.n, &f->sampling) == 0)
			break;
		for (size_t i = 0; i < sizeof(unsupported_sampling) / sizeof(unsupported_sampling[0]); i++)
			if (span_eq(val, unsupported_sampling[i]))
				return fail(c, line, SY_E_SDP_UNSUPPORTED,
					    "fmtp sampling %.*s not supported", Q(val));
		return fail(c, line, SY_E_SDP_VALUE, "fmtp sampling '%.*s' unknown", Q(val));
	case VP_WIDTH: rc = fmtp_num(c, line, name, val, 1, 32767, &f->width); break;
	case VP_HEIGHT: rc = fmtp_num(c, line, name, val, 1, 32767, &f->height); break;
	case VP_RATE:
		a = val;
		f->rate.den = 1;
		if (split_at(val, '/', &a, &b)) {
			if (span_eq(b, "0"))
				return fail(c, line, SY_E_SDP_VALUE,
					    "fmtp exactframerate '%.*s' has denominator 0", Q(val));
			rc = fmtp_num(c, line, name, b, 1, UINT32_MAX, &f->rate.den);
			if (rc < 0)
				return rc;
		}
		if (span_eq(a, "0"))
			return fail(c, line, SY_E_SDP_VALUE, "fmtp exactframerate '%.*s' is zero",
				    Q(val));
		rc = fmtp_num(c, line, name, a, 1, UINT32_MAX, &f->rate.num);
		break;
	case VP_DEPTH:
		if (span_eq(val, "16f"))
			return fail(c, line, SY_E_SDP_UNSUPPORTED, "fmtp depth 16f not supported");
		rc = fmtp_num(c, line, name, val, 8, 16, &u);
		if (rc == 0 && u != 8 && u != 10 && u != 12 && u != 16)
			return fail(c, line, SY_E_SDP_VALUE, "fmtp depth %u is not 8, 10, 12 or 16", u);
		f->depth = (uint8_t)u;
		break;
	case VP_TCS:
		if (sy_format_tcs_parse(val.p, val.n, &f->tcs) < 0)
			return fail(c, line, SY_E_SDP_VALUE, "fmtp TCS '%.*s' unknown", Q(val));
		vd->has_tcs = true;
		break;
	case VP_COLORIMETRY:
		if (sy_format_colorimetry_parse(val.p, val.n, &f->colorimetry) < 0)
			return fail(c, line, SY_E_SDP_VALUE, "fmtp colorimetry '%.*s' unknown", Q(val));
		vd->has_colorimetry = true;
		break;
	case VP_PM:
		if (sy_format_packing_parse(val.p, val.n, &f->packing) < 0)
			return fail(c, line, SY_E_SDP_VALUE, "fmtp PM '%.*s' unknown", Q(val));
		vd->has_pm = true;
		break;
	case VP_SSN:
		if (val.n == 0 || !copy_str(vd->ssn, sizeof(vd->ssn), val))
			return fail(c, line, SY_E_SDP_VALUE, "fmtp SSN '%.*s' invalid", Q(val));
		if (!span_eq(val, "ST2110-20:2017") && !span_eq(val, "ST2110-20:2022"))
			warn(c, line, SY_SDP_W_SSN_UNKNOWN, "fmtp SSN '%.*s' unknown", Q(val));
		break;
	case VP_TP:
		for (u = 0; u < SY_SDP_TP_MAX; u++)
			if (span_eq(val, tp_names[u]))
				break;
		if (u == SY_SDP_TP_MAX)
			return fail(c, line, SY_E_SDP_VALUE, "fmtp TP '%.*s' unknown", Q(val));
		vd->tp = (enum sy_sdp_tp)u;
		vd->has_tp = true;
		break;
	case VP_INTERLACE:
	case VP_SEGMENTED:
		if (has_val && !span_eq(val, "1"))
			return fail(c, line, SY_E_SDP_VALUE, "fmtp %.*s takes no value", Q(name));
		if (k == VP_INTERLACE)
			f->interlaced = true;
		else
			f->segmented = true;
		break;
	case VP_RANGE:
		if (sy_format_range_parse(val.p, val.n, &f->range) < 0)
			return fail(c, line, SY_E_SDP_VALUE, "fmtp RANGE '%.*s' unknown", Q(val));
		vd->has_range = true;
		break;
	case VP_PAR:
		if (!split_at(val, ':', &a, &b))
			return fail(c, line, SY_E_SDP_VALUE, "fmtp PAR '%.*s' is not <w>:<h>", Q(val));
		rc = fmtp_num(c, line, name, a, 1, 65535, &u);
		f->par_w = (uint16_t)u;
		if (rc == 0)
			rc = fmtp_num(c, line, name, b, 1, 65535, &u);
		f->par_h = (uint16_t)u;
		vd->has_par = true;
		break;
	case VP_MAXUDP:
		rc = fmtp_num(c, line, name, val, 1, 65535, &vd->maxudp);
		vd->has_maxudp = true;
		break;
	case VP_TROFF:
		rc = fmtp_num(c, line, name, val, 0, UINT32_MAX, &vd->troff_us);
		vd->has_troff = true;
		break;
	case VP_CMAX:
		rc = fmtp_num(c, line, name, val, 1, UINT32_MAX, &vd->cmax);
		vd->has_cmax = true;
		break;
	default: break;
	}
	return rc;
}

static int finish_video(struct ctx *c, struct sy_sdp_media *m, struct media_ctx *mc)
{
	struct sy_sdp_video *vd = &m->video;
	struct span rest = mc->fmtp, name, val;
	uint32_t seen = 0, line = mc->fmtp_line;
	bool has_val;
	int rc;

	if (!mc->has_fmtp)
		return fail(c, m->line, SY_E_SDP_MISSING, "video media has no a=fmtp");
	vd->fmt = sy_format_make(0, 0, false, 0, 1, 0); /* the ST 2110-20 defaults */
	while (next_param(&rest, &name, &val, &has_val)) {
		int k;

		for (k = 0; k < VP_MAX; k++)
			if (span_ieq(name, vparam_names[k]))
				break;
		if (k == VP_MAX) {
			warn(c, line, SY_SDP_W_UNKNOWN_FMTP, "fmtp parameter '%.*s' unknown, ignored",
			     Q(name));
			continue;
		}
		if (seen & (1u << k))
			return fail(c, line, SY_E_SDP_DUPLICATE, "fmtp %s given twice", vparam_names[k]);
		seen |= 1u << k;
		rc = video_param(c, line, vd, k, name, val, has_val);
		if (rc < 0)
			return rc;
	}
	for (int k = VP_SAMPLING; k <= VP_DEPTH; k++)
		if (!(seen & (1u << k)))
			return fail(c, line, SY_E_SDP_MISSING, "fmtp lacks %s", vparam_names[k]);
	if (!vd->has_tcs)
		warn(c, line, SY_SDP_W_NO_TCS, "fmtp without TCS: SDR assumed");
	if (!vd->has_colorimetry)
		warn(c, line, SY_SDP_W_NO_COLORIMETRY, "fmtp without colorimetry: BT709 assumed");
	if (!vd->has_pm)
		warn(c, line, SY_SDP_W_NO_PM, "fmtp without PM: 2110GPM assumed");
	if (!vd->ssn[0])
		warn(c, line, SY_SDP_W_NO_SSN, "fmtp without SSN");
	if (!vd->has_tp)
		warn(c, line, SY_SDP_W_NO_TP, "fmtp without TP: 2110TPN assumed");
	if (vd->fmt.segmented && !vd->fmt.interlaced)
		return fail(c, line, SY_E_SDP_VALUE, "fmtp segmented without interlace");
	rc = sy_format_validate(&vd->fmt);
	if (rc < 0)
		return fail(c, line, rc == -SY_E_UNSUPPORTED ? SY_E_SDP_UNSUPPORTED : SY_E_SDP_VALUE,
			    "fmtp describes no valid format (%ux%u %s depth %u): %s", vd->fmt.width,
			    vd->fmt.height, sy_format_sampling_name(vd->fmt.sampling), vd->fmt.depth,
			    sy_err_str(rc));
	return 0;
}

static int finish_audio(struct ctx *c, struct sy_sdp_media *m, struct media_ctx *mc)
{
	struct sy_st2110_30_format *f = &m->audio.fmt;
	struct span rest = mc->fmtp, name, val;
	bool has_val, seen = false;
	uint32_t frames, total;

	while (mc->has_fmtp && next_param(&rest, &name, &val, &has_val)) {
		if (!span_ieq(name, "channel-order")) {
			warn(c, mc->fmtp_line, SY_SDP_W_UNKNOWN_FMTP,
			     "fmtp parameter '%.*s' unknown, ignored", Q(name));
			continue;
		}
		if (seen)
			return fail(c, mc->fmtp_line, SY_E_SDP_DUPLICATE, "fmtp channel-order given twice");
		seen = true;
		if (sy_st2110_30_order_parse(val.p, val.n, &f->order) < 0)
			return fail(c, mc->fmtp_line, SY_E_CHANNEL_ORDER,
				    "fmtp channel-order '%.*s' invalid", Q(val));
		total = sy_st2110_30_order_channels(&f->order);
		if (sy_st2110_30_order_check(&f->order, f->channels) < 0)
			return fail(c, mc->fmtp_line, SY_E_CHANNEL_ORDER,
				    "channel-order declares %u channels, rtpmap has %u", total,
				    f->channels);
		if (total < f->channels)
			warn(c, mc->fmtp_line, SY_SDP_W_ORDER_SHORT,
			     "channel-order declares %u of %u channels", total, f->channels);
	}
	if (!seen)
		warn(c, m->line, SY_SDP_W_NO_CHANNEL_ORDER, "audio without channel-order");
	if (m->has_ptime) {
		f->ptime_ns = m->ptime_ns;
	} else {
		f->ptime_ns = 1000000;
		warn(c, m->line, SY_SDP_W_NO_PTIME, "audio without a=ptime: 1 ms assumed");
	}
	if (sy_st2110_30_frames_per_packet(f->rate_hz, f->ptime_ns, &frames) < 0)
		return fail(c, mc->ptime_line, SY_E_PTIME,
			    "ptime %u ns is not a whole number of samples at %u Hz", f->ptime_ns,
			    f->rate_hz);
	return 0;
}

static int finish_anc(struct ctx *c, struct sy_sdp_media *m, struct media_ctx *mc)
{
	struct sy_sdp_anc *a = &m->anc;
	struct span rest = mc->fmtp, name, val, d, s;
	bool has_val;
	uint32_t u;
	int rc;

	while (mc->has_fmtp && next_param(&rest, &name, &val, &has_val)) {
		if (span_ieq(name, "DID_SDID")) {
			int hi[4];

			/* {0xDD,0xSS} */
			if (val.n < 2 || val.p[0] != '{' || val.p[val.n - 1] != '}')
				goto bad_did;
			val.p++;
			val.n -= 2;
			if (!split_at(val, ',', &d, &s))
				goto bad_did;
			d = trim(d);
			s = trim(s);
			if (d.n != 4 || s.n != 4 || d.p[0] != '0' || (d.p[1] | 0x20) != 'x' ||
			    s.p[0] != '0' || (s.p[1] | 0x20) != 'x')
				goto bad_did;
			hi[0] = hexval(d.p[2]);
			hi[1] = hexval(d.p[3]);
			hi[2] = hexval(s.p[2]);
			hi[3] = hexval(s.p[3]);
			if (hi[0] < 0 || hi[1] < 0 || hi[2] < 0 || hi[3] < 0)
				goto bad_did;
			if (a->n_did_sdid >= SY_SDP_MAX_DID_SDID)
				return fail(c, mc->fmtp_line, SY_E_SDP_UNSUPPORTED,
					    "more than %u DID_SDID", SY_SDP_MAX_DID_SDID);
			a->did_sdid[a->n_did_sdid].did = (uint8_t)(hi[0] << 4 | hi[1]);
			a->did_sdid[a->n_did_sdid].sdid = (uint8_t)(hi[2] << 4 | hi[3]);
			a->n_did_sdid++;
		} else if (span_ieq(name, "VPID_Code")) {
			if (a->has_vpid)
				return fail(c, mc->fmtp_line, SY_E_SDP_DUPLICATE,
					    "fmtp VPID_Code given twice");
			rc = fmtp_num(c, mc->fmtp_line, name, val, 0, 255, &u);
			if (rc < 0)
				return rc;
			a->has_vpid = true;
			a->vpid_code = (uint8_t)u;
		} else {
			warn(c, mc->fmtp_line, SY_SDP_W_UNKNOWN_FMTP,
			     "fmtp parameter '%.*s' unknown, ignored", Q(name));
		}
	}
	return 0;
bad_did:
	return fail(c, mc->fmtp_line, SY_E_SDP_VALUE, "fmtp DID_SDID '%.*s' is not {0xDD,0xSS}",
		    Q(val));
}

static int finish_media(struct ctx *c)
{
	struct sy_sdp *s = c->sdp;
	struct sy_sdp_media *m;
	struct media_ctx *mc;
	const struct sy_sdp_conn *conn;
	int rc;

	if (c->cur < 0)
		return 0;
	m = &s->media[c->cur];
	mc = &c->mc[c->cur];
	if (!mc->has_rtpmap)
		return fail(c, m->line, SY_E_SDP_MISSING, "no a=rtpmap for payload type %u", m->pt);
	conn = m->conn.present ? &m->conn : s->conn.present ? &s->conn : NULL;
	if (!conn)
		return fail(c, m->line, SY_E_SDP_MISSING, "no c= line for this media or the session");
	switch (m->essence) {
	case SY_SDP_VIDEO: rc = finish_video(c, m, mc); break;
	case SY_SDP_AUDIO: rc = finish_audio(c, m, mc); break;
	default: rc = finish_anc(c, m, mc); break;
	}
	if (rc < 0)
		return rc;
	if (m->filter.present && !m->filter.dst_any && m->filter.dst_ip != conn->ip)
		warn(c, mc->filter_line, SY_SDP_W_FILTER_MISMATCH,
		     "source-filter destination differs from c= address");
	if (m->clock.n_refclk == 0 && s->clock.n_refclk == 0)
		warn(c, m->line, SY_SDP_W_NO_REFCLK, "no a=ts-refclk (ST 2110-10 requires one)");
	if (m->clock.mediaclk.kind == SY_SDP_MEDIACLK_NONE &&
	    s->clock.mediaclk.kind == SY_SDP_MEDIACLK_NONE)
		warn(c, m->line, SY_SDP_W_NO_MEDIACLK, "no a=mediaclk");
	return 0;
}

int sy_sdp_parse(const char *text, size_t len, struct sy_sdp *out, struct sy_sdp_error *err)
{
	struct ctx c;
	size_t pos = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&c, 0, sizeof(c));
	if (err)
		memset(err, 0, sizeof(*err));
	c.sdp = out;
	c.err = err;
	c.cur = -1;
	while (pos < len) {
		struct span l = { text + pos, 0 }, v;
		char t;

		while (pos + l.n < len && text[pos + l.n] != '\n')
			l.n++;
		pos += l.n + 1;
		c.line++;
		if (l.n && l.p[l.n - 1] == '\r')
			l.n--;
		if (l.n == 0) {
			warn(&c, c.line, SY_SDP_W_IGNORED, "empty line ignored");
			continue;
		}
		for (size_t i = 0; i < l.n; i++) {
			unsigned char ch = (unsigned char)l.p[i];

			if (ch < 0x20 || ch == 0x7f)
				return fail(&c, c.line, SY_E_SDP_SYNTAX, "control byte 0x%02x", ch);
		}
		t = l.p[0];
		if (l.n < 2 || l.p[1] != '=' || t < 'a' || t > 'z')
			return fail(&c, c.line, SY_E_SDP_SYNTAX, "line is not <letter>=<value>: '%.*s'",
				    Q(l));
		v.p = l.p + 2;
		v.n = l.n - 2;
		if (!c.seen_v && t != 'v')
			return fail(&c, c.line, SY_E_SDP_MISSING, "first line must be v=0");
		if (c.seen_v && !c.seen_o && t != 'o')
			return fail(&c, c.line, t == 'v' ? SY_E_SDP_DUPLICATE : SY_E_SDP_MISSING,
				    "o= must follow v=");
		if (c.seen_o && !c.seen_s && t != 's')
			return fail(&c, c.line, t == 'o' ? SY_E_SDP_DUPLICATE : SY_E_SDP_MISSING,
				    "s= must follow o=");
		if (c.cur >= 0 && strchr("vosueptrz", t))
			return fail(&c, c.line, SY_E_SDP_SYNTAX, "'%c=' not allowed in a media description",
				    t);
		switch (t) {
		case 'v':
			if (c.seen_v)
				return fail(&c, c.line, SY_E_SDP_DUPLICATE, "second v= line");
			if (!span_eq(v, "0"))
				return fail(&c, c.line, SY_E_SDP_VALUE, "v=%.*s: only version 0 exists",
					    Q(v));
			c.seen_v = true;
			break;
		case 'o':
			rc = parse_origin(&c, v);
			if (rc < 0)
				return rc;
			c.seen_o = true;
			break;
		case 's':
			if (c.seen_s)
				return fail(&c, c.line, SY_E_SDP_DUPLICATE, "second s= line");
			if (!copy_str(out->name, sizeof(out->name), v))
				return fail(&c, c.line, SY_E_SDP_VALUE, "s= longer than %u bytes",
					    SY_SDP_NAME_MAX - 1);
			c.seen_s = true;
			break;
		case 't':
			if (c.seen_t) {
				out->n_unknown++; /* repeat times: only the first is kept */
				break;
			} else {
				struct span a, b, rest = v;

				if (!next_tok(&rest, &a) || !next_tok(&rest, &b) || trim(rest).n)
					return fail(&c, c.line, SY_E_SDP_SYNTAX, "t= needs '<start> <stop>'");
				if (!span_u64(a, UINT64_MAX, &out->t_start) ||
				    !span_u64(b, UINT64_MAX, &out->t_stop))
					return fail(&c, c.line, SY_E_SDP_VALUE, "t= times are not numbers");
				c.seen_t = true;
			}
			break;
		case 'c':
			rc = parse_conn(&c, v, c.cur >= 0 ? &out->media[c.cur].conn : &out->conn);
			if (rc < 0)
				return rc;
			break;
		case 'm':
			if (!c.seen_t)
				return fail(&c, c.line, SY_E_SDP_MISSING, "t= missing before the first m=");
			rc = finish_media(&c);
			if (rc == 0)
				rc = parse_media_line(&c, v);
			if (rc < 0)
				return rc;
			break;
		case 'a':
			rc = parse_attr(&c, v);
			if (rc < 0)
				return rc;
			break;
		case 'i': case 'u': case 'e': case 'p': case 'b': case 'r': case 'z': case 'k':
			out->n_unknown++;
			break;
		default:
			return fail(&c, c.line, SY_E_SDP_SYNTAX, "unknown line type '%c='", t);
		}
	}
	if (c.line == 0)
		c.line = 1; /* empty input: report line 1 */
	if (!c.seen_s || !c.seen_t)
		return fail(&c, c.line, SY_E_SDP_MISSING, "%s missing",
			    !c.seen_v ? "v=" : !c.seen_o ? "o=" : !c.seen_s ? "s=" : "t=");
	if (out->n_media == 0)
		return fail(&c, c.line, SY_E_SDP_MISSING, "no m= line");
	rc = finish_media(&c);
	if (rc < 0)
		return rc;
	for (unsigned i = 0; i < out->n_dup; i++) {
		unsigned j;

		for (j = 0; j < out->n_media; j++)
			if (strcmp(out->media[j].mid, out->dup_mid[i]) == 0)
				break;
		if (j == out->n_media)
			return fail(&c, c.group_line, SY_E_SDP_MISSING,
				    "a=group:DUP names mid '%s' which no media has", out->dup_mid[i]);
		out->dup_media[i] = (uint8_t)j;
	}
	return 0;
}

/* --- emit --- */

struct writer {
	char *buf;
	size_t cap, n;
	bool over;
	const char *eol;
};

__attribute__((format(printf, 2, 3))) static void put(struct writer *w, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (w->over)
		return;
	va_start(ap, fmt);
	k = vsnprintf(w->buf + w->n, w->cap - w->n, fmt, ap);
	va_end(ap);
	if (k < 0 || (size_t)k >= w->cap - w->n) {
		w->over = true;
		return;
	}
	w->n += (size_t)k;
}

static void put_ip(struct writer *w, uint32_t ip)
{
	put(w, "%u.%u.%u.%u", ip >> 24, ip >> 16 & 0xff, ip >> 8 & 0xff, ip & 0xff);
}

static void put_ms(struct writer *w, uint32_t ns)
{
	uint32_t frac = ns % 1000000u;
	int digits = 6;

	put(w, "%u", ns / 1000000u);
	if (!frac)
		return;
	while (frac % 10 == 0) {
		frac /= 10;
		digits--;
	}
	put(w, ".%0*u", digits, frac);
}

static void put_conn(struct writer *w, const struct sy_sdp_conn *cn)
{
	if (!cn->present)
		return;
	put(w, "c=IN IP4 ");
	put_ip(w, cn->ip);
	if (cn->has_ttl)
		put(w, "/%u", cn->ttl);
	put(w, "%s", w->eol);
}

static int put_clock(struct writer *w, const struct sy_sdp_clock *k)
{
	const struct sy_sdp_mediaclk *mk = &k->mediaclk;

	if (k->n_refclk > SY_SDP_MAX_REFCLK)
		return -SY_E_SDP_VALUE;
	for (unsigned i = 0; i < k->n_refclk; i++) {
		const struct sy_sdp_refclk *r = &k->refclk[i];
		const uint8_t *b = r->kind == SY_SDP_REFCLK_LOCALMAC ? r->mac : r->gmid;

		if (r->kind == SY_SDP_REFCLK_LOCALMAC) {
			put(w, "a=ts-refclk:localmac=%02X-%02X-%02X-%02X-%02X-%02X%s", b[0], b[1],
			    b[2], b[3], b[4], b[5], w->eol);
			continue;
		}
		if (r->ptp_version != 2002 && r->ptp_version != 2008 && r->ptp_version != 2019)
			return -SY_E_SDP_VALUE;
		put(w, "a=ts-refclk:ptp=IEEE1588-%u:", r->ptp_version);
		if (r->kind == SY_SDP_REFCLK_PTP_TRACEABLE) {
			put(w, "traceable");
		} else if (r->kind == SY_SDP_REFCLK_PTP) {
			put(w, "%02X-%02X-%02X-%02X-%02X-%02X-%02X-%02X", b[0], b[1], b[2], b[3],
			    b[4], b[5], b[6], b[7]);
			if (r->has_domain)
				put(w, ":%u", r->domain);
		} else {
			return -SY_E_SDP_VALUE;
		}
		put(w, "%s", w->eol);
	}
	switch (mk->kind) {
	case SY_SDP_MEDIACLK_NONE: return 0;
	case SY_SDP_MEDIACLK_SENDER: put(w, "a=mediaclk:sender"); break;
	case SY_SDP_MEDIACLK_DIRECT:
		put(w, "a=mediaclk:direct");
		if (mk->has_offset)
			put(w, "=%u", mk->offset);
		break;
	default: return -SY_E_SDP_VALUE;
	}
	if (mk->has_rate)
		put(w, " rate=%u/%u", mk->rate_num, mk->rate_den);
	put(w, "%s", w->eol);
	return 0;
}

static void put_dir(struct writer *w, enum sy_sdp_dir d)
{
	static const char *const names[SY_SDP_DIR_MAX] = { NULL, "sendonly", "recvonly",
							   "sendrecv", "inactive" };

	if (d > SY_SDP_DIR_NONE && d < SY_SDP_DIR_MAX)
		put(w, "a=%s%s", names[d], w->eol);
}

static int put_video_fmtp(struct writer *w, const struct sy_sdp_video *vd)
{
	const struct sy_video_format *f = &vd->fmt;
	const char *smp = sy_format_sampling_name(f->sampling);

	if (!smp || (unsigned)vd->tp >= SY_SDP_TP_MAX ||
	    (vd->has_tcs && !sy_format_tcs_name(f->tcs)) ||
	    (vd->has_colorimetry && !sy_format_colorimetry_name(f->colorimetry)) ||
	    (vd->has_pm && !sy_format_packing_name(f->packing)) ||
	    (vd->has_range && !sy_format_range_name(f->range)))
		return -SY_E_SDP_VALUE;
	put(w, "sampling=%s; width=%u; height=%u; exactframerate=%u", smp, f->width, f->height,
	    f->rate.num);
	if (f->rate.den != 1)
		put(w, "/%u", f->rate.den);
	put(w, "; depth=%u", f->depth);
	if (vd->has_tcs)
		put(w, "; TCS=%s", sy_format_tcs_name(f->tcs));
	if (vd->has_colorimetry)
		put(w, "; colorimetry=%s", sy_format_colorimetry_name(f->colorimetry));
	if (vd->has_pm)
		put(w, "; PM=%s", sy_format_packing_name(f->packing));
	if (vd->ssn[0])
		put(w, "; SSN=%s", vd->ssn);
	if (vd->has_tp)
		put(w, "; TP=%s", tp_names[vd->tp]);
	if (f->interlaced)
		put(w, "; interlace");
	if (f->segmented)
		put(w, "; segmented");
	if (vd->has_range)
		put(w, "; RANGE=%s", sy_format_range_name(f->range));
	if (vd->has_par)
		put(w, "; PAR=%u:%u", f->par_w, f->par_h);
	if (vd->has_maxudp)
		put(w, "; MAXUDP=%u", vd->maxudp);
	if (vd->has_troff)
		put(w, "; TROFF=%u", vd->troff_us);
	if (vd->has_cmax)
		put(w, "; CMAX=%u", vd->cmax);
	return 0;
}

static int put_media(struct writer *w, const struct sy_sdp_media *m)
{
	const struct sy_sdp_audio *au = &m->audio;
	int rc;

	if ((unsigned)m->essence >= SY_SDP_ESSENCE_MAX || m->pt > 127)
		return -SY_E_SDP_VALUE;
	put(w, "m=%s %u RTP/AVP %u%s", m->essence == SY_SDP_AUDIO ? "audio" : "video", m->port,
	    m->pt, w->eol);
	put_conn(w, &m->conn);
	if (m->filter.present) {
		put(w, "a=source-filter: incl IN IP4 ");
		if (m->filter.dst_any)
			put(w, "*");
		else
			put_ip(w, m->filter.dst_ip);
		put(w, " ");
		put_ip(w, m->filter.src_ip);
		put(w, "%s", w->eol);
	}
	switch (m->essence) {
	case SY_SDP_VIDEO:
		put(w, "a=rtpmap:%u raw/90000%sa=fmtp:%u ", m->pt, w->eol, m->pt);
		rc = put_video_fmtp(w, &m->video);
		if (rc < 0)
			return rc;
		put(w, "%s", w->eol);
		break;
	case SY_SDP_AUDIO:
		if (!sy_st2110_30_encoding_name(au->fmt.encoding))
			return -SY_E_SDP_VALUE;
		put(w, "a=rtpmap:%u %s/%u", m->pt, sy_st2110_30_encoding_name(au->fmt.encoding),
		    m->clock_hz);
		if (au->channels_explicit || au->fmt.channels != 1)
			put(w, "/%u", au->fmt.channels);
		put(w, "%s", w->eol);
		if (au->fmt.order.n_groups) {
			char order[SY_ST2110_30_ORDER_TEXT_MAX];

			if (sy_st2110_30_order_emit(&au->fmt.order, order, sizeof(order)) < 0)
				return -SY_E_SDP_VALUE;
			put(w, "a=fmtp:%u channel-order=%s%s", m->pt, order, w->eol);
		}
		break;
	default:
		put(w, "a=rtpmap:%u smpte291/90000%s", m->pt, w->eol);
		if (m->anc.n_did_sdid > SY_SDP_MAX_DID_SDID)
			return -SY_E_SDP_VALUE;
		if (m->anc.n_did_sdid || m->anc.has_vpid) {
			put(w, "a=fmtp:%u ", m->pt);
			for (unsigned i = 0; i < m->anc.n_did_sdid; i++)
				put(w, "%sDID_SDID={0x%02X,0x%02X}", i ? "; " : "",
				    m->anc.did_sdid[i].did, m->anc.did_sdid[i].sdid);
			if (m->anc.has_vpid)
				put(w, "%sVPID_Code=%u", m->anc.n_did_sdid ? "; " : "",
				    m->anc.vpid_code);
			put(w, "%s", w->eol);
		}
		break;
	}
	if (m->has_ptime) {
		put(w, "a=ptime:");
		put_ms(w, m->ptime_ns);
		put(w, "%s", w->eol);
	}
	if (m->has_maxptime) {
		put(w, "a=maxptime:");
		put_ms(w, m->maxptime_ns);
		put(w, "%s", w->eol);
	}
	if (m->has_framecount)
		put(w, "a=framecount:%u%s", m->framecount, w->eol);
	rc = put_clock(w, &m->clock);
	if (rc < 0)
		return rc;
	if (m->mid[0])
		put(w, "a=mid:%s%s", m->mid, w->eol);
	put_dir(w, m->dir);
	return 0;
}

int sy_sdp_emit(const struct sy_sdp *sdp, char *buf, size_t cap, enum sy_sdp_eol eol)
{
	struct writer w = { buf, cap, 0, false, eol == SY_SDP_EOL_CRLF ? "\r\n" : "\n" };
	int rc;

	if (cap == 0)
		return -SY_E_NOSPACE;
	buf[0] = '\0';
	if (sdp->n_media == 0 || sdp->n_media > SY_SDP_MAX_MEDIA || sdp->n_dup > SY_SDP_MAX_MEDIA)
		return -SY_E_SDP_VALUE;
	put(&w, "v=0%so=%s %llu %llu IN %s %s%ss=%s%s", w.eol, sdp->username,
	    (unsigned long long)sdp->sess_id, (unsigned long long)sdp->sess_version,
	    sdp->origin_ip6 ? "IP6" : "IP4", sdp->origin_addr, w.eol, sdp->name, w.eol);
	put_conn(&w, &sdp->conn);
	put(&w, "t=%llu %llu%s", (unsigned long long)sdp->t_start,
	    (unsigned long long)sdp->t_stop, w.eol);
	if (sdp->n_dup) {
		put(&w, "a=group:DUP");
		for (unsigned i = 0; i < sdp->n_dup; i++)
			put(&w, " %s", sdp->dup_mid[i]);
		put(&w, "%s", w.eol);
	}
	rc = put_clock(&w, &sdp->clock);
	if (rc < 0)
		return rc;
	put_dir(&w, sdp->dir);
	for (unsigned i = 0; i < sdp->n_media; i++) {
		rc = put_media(&w, &sdp->media[i]);
		if (rc < 0)
			return rc;
	}
	if (w.over)
		return -SY_E_NOSPACE;
	return (int)w.n;
}

/* --- compare, accessors, names --- */

static bool conn_eq(const struct sy_sdp_conn *a, const struct sy_sdp_conn *b)
{
	return a->present == b->present && a->has_ttl == b->has_ttl && a->ttl == b->ttl &&
	       a->ip == b->ip;
}

static bool clock_eq(const struct sy_sdp_clock *a, const struct sy_sdp_clock *b)
{
	const struct sy_sdp_mediaclk *x = &a->mediaclk, *y = &b->mediaclk;

	if (a->n_refclk != b->n_refclk || x->kind != y->kind || x->has_offset != y->has_offset ||
	    x->offset != y->offset || x->has_rate != y->has_rate || x->rate_num != y->rate_num ||
	    x->rate_den != y->rate_den)
		return false;
	for (unsigned i = 0; i < a->n_refclk && i < SY_SDP_MAX_REFCLK; i++) {
		const struct sy_sdp_refclk *r = &a->refclk[i], *s = &b->refclk[i];

		if (r->kind != s->kind || r->ptp_version != s->ptp_version ||
		    memcmp(r->gmid, s->gmid, 8) || r->has_domain != s->has_domain ||
		    r->domain != s->domain || memcmp(r->mac, s->mac, 6))
			return false;
	}
	return true;
}

static bool video_eq(const struct sy_sdp_video *a, const struct sy_sdp_video *b)
{
	const struct sy_video_format *f = &a->fmt, *g = &b->fmt;

	return f->width == g->width && f->height == g->height && f->sampling == g->sampling &&
	       f->depth == g->depth && f->interlaced == g->interlaced &&
	       f->segmented == g->segmented && f->rate.num == g->rate.num &&
	       f->rate.den == g->rate.den && f->tcs == g->tcs && f->colorimetry == g->colorimetry &&
	       f->packing == g->packing && f->range == g->range && f->par_w == g->par_w &&
	       f->par_h == g->par_h && a->has_tcs == b->has_tcs &&
	       a->has_colorimetry == b->has_colorimetry && a->has_pm == b->has_pm &&
	       a->has_range == b->has_range && a->has_par == b->has_par && a->has_tp == b->has_tp &&
	       a->has_maxudp == b->has_maxudp && a->has_troff == b->has_troff &&
	       a->has_cmax == b->has_cmax && strcmp(a->ssn, b->ssn) == 0 && a->tp == b->tp &&
	       a->maxudp == b->maxudp && a->troff_us == b->troff_us && a->cmax == b->cmax;
}

static bool media_eq(const struct sy_sdp_media *a, const struct sy_sdp_media *b)
{
	const struct sy_st2110_30_format *f = &a->audio.fmt, *g = &b->audio.fmt;

	if (a->essence != b->essence || a->port != b->port || a->pt != b->pt ||
	    a->clock_hz != b->clock_hz || !conn_eq(&a->conn, &b->conn) ||
	    a->filter.present != b->filter.present || a->filter.dst_any != b->filter.dst_any ||
	    a->filter.dst_ip != b->filter.dst_ip || a->filter.src_ip != b->filter.src_ip ||
	    a->has_ptime != b->has_ptime || a->ptime_ns != b->ptime_ns ||
	    a->has_maxptime != b->has_maxptime || a->maxptime_ns != b->maxptime_ns ||
	    a->has_framecount != b->has_framecount || a->framecount != b->framecount ||
	    !clock_eq(&a->clock, &b->clock) || strcmp(a->mid, b->mid) != 0 || a->dir != b->dir)
		return false;
	switch (a->essence) {
	case SY_SDP_VIDEO: return video_eq(&a->video, &b->video);
	case SY_SDP_AUDIO:
		return f->encoding == g->encoding && f->rate_hz == g->rate_hz &&
		       f->channels == g->channels && f->ptime_ns == g->ptime_ns &&
		       a->audio.channels_explicit == b->audio.channels_explicit &&
		       f->order.n_groups == g->order.n_groups &&
		       f->order.n_groups <= SY_ST2110_30_MAX_GROUPS &&
		       memcmp(f->order.groups, g->order.groups,
			      f->order.n_groups * sizeof(f->order.groups[0])) == 0;
	default:
		return a->anc.n_did_sdid == b->anc.n_did_sdid &&
		       a->anc.n_did_sdid <= SY_SDP_MAX_DID_SDID &&
		       memcmp(a->anc.did_sdid, b->anc.did_sdid,
			      a->anc.n_did_sdid * sizeof(a->anc.did_sdid[0])) == 0 &&
		       a->anc.has_vpid == b->anc.has_vpid && a->anc.vpid_code == b->anc.vpid_code;
	}
}

bool sy_sdp_equal(const struct sy_sdp *a, const struct sy_sdp *b)
{
	if (strcmp(a->username, b->username) || a->sess_id != b->sess_id ||
	    a->sess_version != b->sess_version || a->origin_ip6 != b->origin_ip6 ||
	    strcmp(a->origin_addr, b->origin_addr) || strcmp(a->name, b->name) ||
	    a->t_start != b->t_start || a->t_stop != b->t_stop || !conn_eq(&a->conn, &b->conn) ||
	    !clock_eq(&a->clock, &b->clock) || a->dir != b->dir || a->n_dup != b->n_dup ||
	    a->n_media != b->n_media || a->n_media > SY_SDP_MAX_MEDIA || a->n_dup > SY_SDP_MAX_MEDIA)
		return false;
	for (unsigned i = 0; i < a->n_dup; i++)
		if (strcmp(a->dup_mid[i], b->dup_mid[i]) || a->dup_media[i] != b->dup_media[i])
			return false;
	for (unsigned i = 0; i < a->n_media; i++)
		if (!media_eq(&a->media[i], &b->media[i]))
			return false;
	return true;
}

const struct sy_sdp_conn *sy_sdp_media_conn(const struct sy_sdp *sdp, unsigned i)
{
	if (i >= sdp->n_media || i >= SY_SDP_MAX_MEDIA)
		return NULL;
	if (sdp->media[i].conn.present)
		return &sdp->media[i].conn;
	return sdp->conn.present ? &sdp->conn : NULL;
}

const struct sy_sdp_clock *sy_sdp_media_clock(const struct sy_sdp *sdp, unsigned i)
{
	const struct sy_sdp_clock *m;

	if (i >= sdp->n_media || i >= SY_SDP_MAX_MEDIA)
		return NULL;
	m = &sdp->media[i].clock;
	return m->n_refclk || m->mediaclk.kind != SY_SDP_MEDIACLK_NONE ? m : &sdp->clock;
}

const char *sy_sdp_tp_name(enum sy_sdp_tp tp)
{
	return (unsigned)tp < SY_SDP_TP_MAX ? tp_names[tp] : NULL;
}

const char *sy_sdp_warn_name(enum sy_sdp_warn w)
{
	static const char *const names[SY_SDP_W_MAX] = {
		"NO_REFCLK", "NO_MEDIACLK", "PTP_NO_DOMAIN", "NO_SSN",	   "SSN_UNKNOWN",
		"NO_TP",     "NO_TCS",	    "NO_COLORIMETRY", "NO_PM",	   "UNKNOWN_FMTP",
		"NO_PTIME",  "NO_CHANNEL_ORDER", "ORDER_SHORT", "NO_TTL", "FILTER_MISMATCH",
		"IGNORED",
	};

	return (unsigned)w < SY_SDP_W_MAX ? names[w] : NULL;
}

const char *sy_sdp_essence_name(enum sy_sdp_essence e)
{
	static const char *const names[SY_SDP_ESSENCE_MAX] = { "video", "audio", "anc" };

	return (unsigned)e < SY_SDP_ESSENCE_MAX ? names[e] : NULL;
}

/* --- builder --- */

void sy_sdp_init(struct sy_sdp *sdp, const char *name, uint64_t sess_id, uint32_t origin_ip)
{
	memset(sdp, 0, sizeof(*sdp));
	strcpy(sdp->username, "-");
	sdp->sess_id = sess_id;
	sdp->sess_version = sess_id;
	snprintf(sdp->origin_addr, sizeof(sdp->origin_addr), "%u.%u.%u.%u", origin_ip >> 24,
		 origin_ip >> 16 & 0xff, origin_ip >> 8 & 0xff, origin_ip & 0xff);
	snprintf(sdp->name, sizeof(sdp->name), "%s", name ? name : "");
}

static int add_media(struct sy_sdp *sdp, const struct sy_sdp_transport *tr,
		     enum sy_sdp_essence e, uint32_t clock_hz, struct sy_sdp_media **out)
{
	struct sy_sdp_media *m;

	if (sdp->n_media >= SY_SDP_MAX_MEDIA)
		return -SY_E_NOSPACE;
	if (tr->pt > 127)
		return -SY_E_RANGE;
	m = &sdp->media[sdp->n_media];
	memset(m, 0, sizeof(*m));
	m->essence = e;
	m->port = tr->port;
	m->pt = tr->pt;
	m->clock_hz = clock_hz;
	m->conn.present = true;
	m->conn.ip = tr->dst_ip;
	m->conn.has_ttl = tr->ttl != 0;
	m->conn.ttl = tr->ttl;
	if (tr->src_ip) {
		m->filter.present = true;
		m->filter.dst_ip = tr->dst_ip;
		m->filter.src_ip = tr->src_ip;
	}
	*out = m;
	return sdp->n_media++;
}

int sy_sdp_add_video(struct sy_sdp *sdp, const struct sy_sdp_transport *tr,
		     const struct sy_video_format *fmt, enum sy_sdp_tp tp)
{
	struct sy_sdp_media *m;
	int i;

	if (sy_format_validate(fmt) < 0 || (fmt->segmented && !fmt->interlaced) ||
	    (unsigned)tp >= SY_SDP_TP_MAX)
		return -SY_E_FORMAT;
	i = add_media(sdp, tr, SY_SDP_VIDEO, 90000, &m);
	if (i < 0)
		return i;
	m->video.fmt = *fmt;
	m->video.has_tcs = m->video.has_colorimetry = m->video.has_pm = m->video.has_tp = true;
	m->video.has_range = fmt->range != SY_RANGE_NARROW;
	m->video.has_par = fmt->par_w && fmt->par_h && (fmt->par_w != 1 || fmt->par_h != 1);
	if (!m->video.has_par)
		m->video.fmt.par_w = m->video.fmt.par_h = 1;
	strcpy(m->video.ssn, "ST2110-20:2017");
	m->video.tp = tp;
	return i;
}

int sy_sdp_add_audio(struct sy_sdp *sdp, const struct sy_sdp_transport *tr,
		     const struct sy_st2110_30_format *fmt)
{
	struct sy_sdp_media *m;
	int i;

	if (sy_st2110_30_format_validate(fmt) < 0)
		return -SY_E_FORMAT;
	i = add_media(sdp, tr, SY_SDP_AUDIO, fmt->rate_hz, &m);
	if (i < 0)
		return i;
	m->audio.fmt = *fmt;
	m->audio.channels_explicit = true;
	m->has_ptime = true;
	m->ptime_ns = fmt->ptime_ns;
	return i;
}

int sy_sdp_add_anc(struct sy_sdp *sdp, const struct sy_sdp_transport *tr,
		   const struct sy_sdp_anc *anc)
{
	struct sy_sdp_media *m;
	int i;

	if (anc && anc->n_did_sdid > SY_SDP_MAX_DID_SDID)
		return -SY_E_FORMAT;
	i = add_media(sdp, tr, SY_SDP_ANC, 90000, &m);
	if (i < 0)
		return i;
	if (anc)
		m->anc = *anc;
	return i;
}

int sy_sdp_set_ptp(struct sy_sdp *sdp, int i, const uint8_t gmid[8], uint8_t domain)
{
	struct sy_sdp_clock *k;

	if (i >= (int)sdp->n_media)
		return -SY_E_RANGE;
	k = i < 0 ? &sdp->clock : &sdp->media[i].clock;
	memset(k, 0, sizeof(*k));
	k->n_refclk = 1;
	k->refclk[0].kind = SY_SDP_REFCLK_PTP;
	k->refclk[0].ptp_version = 2008;
	memcpy(k->refclk[0].gmid, gmid, 8);
	k->refclk[0].has_domain = true;
	k->refclk[0].domain = domain;
	k->mediaclk.kind = SY_SDP_MEDIACLK_DIRECT;
	k->mediaclk.has_offset = true;
	return 0;
}

static bool mid_ok(const char *mid)
{
	size_t n = mid ? strlen(mid) : 0;

	if (n == 0 || n >= SY_SDP_MID_MAX)
		return false;
	for (size_t j = 0; j < n; j++)
		if ((unsigned char)mid[j] <= 0x20 || mid[j] == 0x7f)
			return false;
	return true;
}

int sy_sdp_set_dup(struct sy_sdp *sdp, unsigned a, unsigned b, const char *mid_a,
		   const char *mid_b)
{
	if (a >= sdp->n_media || b >= sdp->n_media || a == b || !mid_ok(mid_a) || !mid_ok(mid_b) ||
	    strcmp(mid_a, mid_b) == 0)
		return -SY_E_RANGE;
	strcpy(sdp->media[a].mid, mid_a);
	strcpy(sdp->media[b].mid, mid_b);
	sdp->n_dup = 2;
	strcpy(sdp->dup_mid[0], mid_a);
	strcpy(sdp->dup_mid[1], mid_b);
	sdp->dup_media[0] = (uint8_t)a;
	sdp->dup_media[1] = (uint8_t)b;
	return 0;
}
