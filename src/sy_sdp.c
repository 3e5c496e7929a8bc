/* SPDX-License-Identifier: MIT */
/*
 * sy_sdp.c: ST 2110 SDP parser (see sy_sdp.h; writing and building are in
 * sy_sdp_emit.c).
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
			if (span_eq(val, sy_sdp_tp_name((enum sy_sdp_tp)u)))
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
