/* SPDX-License-Identifier: MIT */
/*
 * sy_sdp_emit.c: the writing half of sy_sdp.h: canonical text (sy_sdp_emit),
 * comparison, accessors, token names and the builder used for flows we send.
 * Split from sy_sdp.c (the parser) so each file has one concern; both keep
 * the sy_sdp_ prefix of their shared header.
 * Control thread / tools; pure; no allocation.
 */
#include "sy_sdp.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sy_err.h"

static const char *const tp_names[SY_SDP_TP_MAX] = { "2110TPN", "2110TPNL", "2110TPW" };

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
