/* SPDX-License-Identifier: MIT */
/*
 * sy_igmp.c: IGMPv3 host side (RFC 3376) with v1/v2 compat (RFC 2236):
 * report building, message parsing and the per-port membership state.
 * See sy_igmp.h for the wire layout and the contract.
 * Any thread; pure; integer only; no allocation.
 *
 * Boundary cases:
 *  - Max Resp Code / QQIC 127 (linear) vs 128 (= 0x80, first float code),
 *    0xff = 31744 (largest);
 *  - query of exactly 8 bytes with code 0 = v1 (Max Resp Time 10 s), code
 *    != 0 = v2; 9..11 bytes = ignored (FORMAT); 12 bytes = v3 without
 *    sources; a v3 query longer than 12 + 4n (extra bytes) is accepted;
 *  - a record that alone exceeds the MTU: split by sources (IS_IN, TO_IN,
 *    ALLOW, BLOCK) or truncated (IS_EX, TO_EX), RFC 3376 4.2.16;
 *  - a group-and-source query whose source list overflows the table's
 *    SY_IGMP_MAX_SOURCES: answered as a group-specific query (a superset);
 *  - leaving the last source of an INCLUDE group: BLOCK({s}) in v3, but
 *    TO_IN({}) in v1/v2 compat mode so that a v2 Leave can be sent.
 */
#include <string.h>

#include "sy_bytes.h"
#include "sy_err.h"
#include "sy_igmp.h"
#include "sy_net.h"

static bool is_mcast(uint32_t ip)
{
	return (ip >> 28) == 0xe;
}

uint32_t sy_igmp_code_decode(uint8_t code)
{
	if (code < 128)
		return code;
	return (uint32_t)((code & 0x0f) | 0x10) << (((code >> 4) & 7) + 3);
}

uint8_t sy_igmp_code_encode(uint32_t value)
{
	if (value < 128)
		return (uint8_t)value;
	for (int exp = 7; exp >= 0; exp--) {
		uint32_t mant = value >> (exp + 3);

		if (mant >= 16) {
			if (mant > 31)
				mant = 31;
			return (uint8_t)(0x80 | exp << 4 | (mant - 16));
		}
	}
	return 0x80; /* not reached: value >= 128 gives mant >= 16 at exp 0 */
}

uint32_t sy_igmp_delay_ms(uint32_t max_resp_ds, uint32_t rand32)
{
	uint64_t span = (uint64_t)max_resp_ds * 100u + 1u;

	return (uint32_t)(((uint64_t)rand32 * span) >> 32);
}

/* --- building --- */

/* Ethernet header (+ tag) for dst_ip's MAC; returns the IP offset. */
static size_t put_l2(uint8_t *buf, const struct sy_igmp_host *h, uint32_t dst_ip)
{
	size_t off = 12;

	sy_net_mcast_mac(dst_ip, buf);
	memcpy(buf + 6, h->mac, 6);
	if (h->vlan) {
		sy_store_be16(buf + 12, 0x8100);
		sy_store_be16(buf + 14, h->vlan_tci);
		off += 4;
	}
	sy_store_be16(buf + off, 0x0800);
	return off + 2;
}

/* IPv4 header with Router Alert; DF set and id 0 (RFC 6864: atomic). */
static void put_ip(uint8_t *ip, size_t igmp_len, uint32_t src, uint32_t dst)
{
	ip[0] = 0x46;
	ip[1] = 0xc0; /* precedence "internetwork control", as Linux sends IGMP */
	sy_store_be16(ip + 2, (uint16_t)(SY_IGMP_IP_HDR_BYTES + igmp_len));
	sy_store_be16(ip + 4, 0);
	sy_store_be16(ip + 6, 0x4000);
	ip[8] = 1;
	ip[9] = 2;
	sy_store_be16(ip + 10, 0);
	sy_store_be32(ip + 12, src);
	sy_store_be32(ip + 16, dst);
	ip[20] = 0x94;
	ip[21] = 4;
	ip[22] = 0;
	ip[23] = 0;
	sy_store_be16(ip + 10, sy_net_ipv4_csum(ip, SY_IGMP_IP_HDR_BYTES));
}

static void put_igmp_csum(uint8_t *igmp, size_t len)
{
	sy_store_be16(igmp + 2, 0);
	sy_store_be16(igmp + 2, (uint16_t)~sy_net_csum_partial(igmp, len, 0));
}

static size_t min_frame(const struct sy_igmp_host *h)
{
	return h->vlan ? 64u : 60u;
}

static size_t finish(uint8_t *buf, const struct sy_igmp_host *h, size_t frame_len)
{
	size_t min = min_frame(h);

	if (frame_len < min) {
		memset(buf + frame_len, 0, min - frame_len);
		frame_len = min;
	}
	return frame_len;
}

static bool record_ok(const struct sy_igmp_record *r)
{
	return r->type >= SY_IGMP_MODE_IS_INCLUDE && r->type < SY_IGMP_REC_TYPE_MAX &&
	       is_mcast(r->group) && r->n_sources <= SY_IGMP_MAX_SOURCES;
}

static size_t put_record(uint8_t *p, const struct sy_igmp_record *r, uint32_t from, uint32_t k)
{
	p[0] = r->type;
	p[1] = 0;
	sy_store_be16(p + 2, (uint16_t)k);
	sy_store_be32(p + 4, r->group);
	for (uint32_t i = 0; i < k; i++)
		sy_store_be32(p + 8 + 4 * i, r->sources[from + i]);
	return 8 + 4 * (size_t)k;
}

int sy_igmp_build_report(const struct sy_igmp_host *h, const struct sy_igmp_record *records,
			 size_t n, struct sy_igmp_report_cursor *cur, uint8_t *buf, size_t cap)
{
	size_t mtu = h->mtu ? h->mtu : 1500u;
	size_t l2 = h->vlan ? 18u : 14u;
	size_t ri = cur->rec_idx, limit, used = 8, nrec = 0;
	uint32_t si = cur->src_idx;
	uint8_t *igmp;

	if (mtu < SY_IGMP_MIN_MTU)
		return -SY_E_RANGE;
	if (ri >= n)
		return 0;
	if (buf == NULL || cap < min_frame(h))
		return -SY_E_NOSPACE;
	limit = cap - l2 < mtu ? cap - l2 : mtu;
	/* room for one record with one source, so every report makes progress */
	if (limit < SY_IGMP_IP_HDR_BYTES + 8 + 8 + 4)
		return -SY_E_NOSPACE;
	limit -= SY_IGMP_IP_HDR_BYTES; /* now: IGMP message bytes */
	igmp = buf + l2 + SY_IGMP_IP_HDR_BYTES;

	while (ri < n && nrec < 0xffff) {
		const struct sy_igmp_record *r = &records[ri];
		uint32_t rest, k;

		if (!record_ok(r) || si > r->n_sources)
			return -SY_E_RANGE;
		rest = r->n_sources - si;
		if (8 + 4 * (size_t)rest <= limit - used) {
			used += put_record(igmp + used, r, si, rest);
			nrec++;
			ri++;
			si = 0;
			continue;
		}
		if (nrec > 0)
			break; /* starts the next report */
		/* alone too large: as many sources as fit, then split or drop */
		k = (uint32_t)((limit - used - 8) / 4);
		used += put_record(igmp + used, r, si, k);
		nrec++;
		if (r->type == SY_IGMP_MODE_IS_EXCLUDE || r->type == SY_IGMP_CHANGE_TO_EXCLUDE) {
			ri++;
			si = 0;
		} else {
			si += k;
		}
		break;
	}
	igmp[0] = SY_IGMP_V3_REPORT;
	igmp[1] = 0;
	sy_store_be16(igmp + 4, 0);
	sy_store_be16(igmp + 6, (uint16_t)nrec);
	put_igmp_csum(igmp, used);
	put_l2(buf, h, SY_IGMP_V3_ROUTERS);
	put_ip(buf + l2, used, h->ip, SY_IGMP_V3_ROUTERS);
	cur->rec_idx = ri;
	cur->src_idx = si;
	return (int)finish(buf, h, l2 + SY_IGMP_IP_HDR_BYTES + used);
}

int sy_igmp_build_v2(const struct sy_igmp_host *h, uint8_t type, uint32_t group, uint8_t *buf,
		     size_t cap)
{
	size_t l2 = h->vlan ? 18u : 14u;
	uint32_t dst = type == SY_IGMP_V2_LEAVE ? SY_IGMP_ALL_ROUTERS : group;
	uint8_t *igmp;

	if ((type != SY_IGMP_V1_REPORT && type != SY_IGMP_V2_REPORT && type != SY_IGMP_V2_LEAVE) ||
	    !is_mcast(group))
		return -SY_E_RANGE;
	if (buf == NULL || cap < min_frame(h))
		return -SY_E_NOSPACE;
	igmp = buf + l2 + SY_IGMP_IP_HDR_BYTES;
	igmp[0] = type;
	igmp[1] = 0;
	sy_store_be32(igmp + 4, group);
	put_igmp_csum(igmp, 8);
	put_l2(buf, h, dst);
	put_ip(buf + l2, 8, h->ip, dst);
	return (int)finish(buf, h, l2 + SY_IGMP_IP_HDR_BYTES + 8);
}

int sy_igmp_build_compat(const struct sy_igmp_host *h, uint8_t version,
			 const struct sy_igmp_record *rec, uint8_t *buf, size_t cap)
{
	uint8_t report = version == 1 ? SY_IGMP_V1_REPORT : SY_IGMP_V2_REPORT;

	if ((version != 1 && version != 2) || !record_ok(rec))
		return -SY_E_RANGE;
	switch (rec->type) {
	case SY_IGMP_MODE_IS_EXCLUDE:
	case SY_IGMP_CHANGE_TO_EXCLUDE:
		return sy_igmp_build_v2(h, report, rec->group, buf, cap);
	case SY_IGMP_CHANGE_TO_INCLUDE:
		if (rec->n_sources == 0)
			return version == 2 ?
				sy_igmp_build_v2(h, SY_IGMP_V2_LEAVE, rec->group, buf, cap) : 0;
		return sy_igmp_build_v2(h, report, rec->group, buf, cap);
	case SY_IGMP_MODE_IS_INCLUDE:
	case SY_IGMP_ALLOW_NEW_SOURCES:
		return rec->n_sources ? sy_igmp_build_v2(h, report, rec->group, buf, cap) : 0;
	default: /* BLOCK: v1/v2 cannot say it */
		return 0;
	}
}

/* --- parsing --- */

static bool has_router_alert(const uint8_t *opt, size_t len)
{
	size_t i = 0;

	while (i < len) {
		if (opt[i] == 0) /* end of options */
			return false;
		if (opt[i] == 1) { /* no-op */
			i++;
			continue;
		}
		if (i + 1 >= len || opt[i + 1] < 2 || opt[i + 1] > len - i)
			return false;
		if (opt[i] == 0x94)
			return true;
		i += opt[i + 1];
	}
	return false;
}

static int parse_query(struct sy_igmp_view *v)
{
	const uint8_t *g = v->igmp;

	if (v->igmp_len == 8) {
		v->version = g[1] == 0 ? 1 : 2;
		v->max_resp_ds = g[1] == 0 ? 100 : g[1];
	} else if (v->igmp_len >= 12) {
		v->version = 3;
		v->max_resp_ds = sy_igmp_code_decode(g[1]);
		v->s_flag = (g[8] & 0x08) != 0;
		v->qrv = g[8] & 0x07;
		v->qqi_s = sy_igmp_code_decode(g[9]);
		v->n_sources = sy_load_be16(g + 10);
		if (12 + 4 * (size_t)v->n_sources > v->igmp_len)
			return -SY_E_TRUNCATED;
		v->sources = v->n_sources ? g + 12 : NULL;
	} else {
		return -SY_E_FORMAT; /* RFC 3376 7.1: ignore other lengths */
	}
	if (v->group == 0) {
		if (v->n_sources != 0 || v->dst_ip != SY_IGMP_ALL_HOSTS)
			return -SY_E_FORMAT;
		v->kind = SY_IGMP_QUERY_GENERAL;
	} else if (!is_mcast(v->group)) {
		return -SY_E_FORMAT;
	} else {
		v->kind = v->n_sources ? SY_IGMP_QUERY_GROUP_SOURCE : SY_IGMP_QUERY_GROUP;
	}
	return 0;
}

static int parse_v3_report(struct sy_igmp_view *v)
{
	size_t off = 8;

	v->n_records = sy_load_be16(v->igmp + 6);
	for (uint32_t i = 0; i < v->n_records; i++) {
		const uint8_t *r = v->igmp + off;

		if (v->igmp_len - off < 8)
			return -SY_E_TRUNCATED;
		off += 8 + 4 * (size_t)sy_load_be16(r + 2) + 4 * (size_t)r[1];
		if (off > v->igmp_len)
			return -SY_E_TRUNCATED;
	}
	v->records_end = off; /* bytes after it (if any) are not records */
	return 0;
}

int sy_igmp_parse(const uint8_t *frame, size_t len, struct sy_igmp_view *out)
{
	size_t off = 12, ihl, total;
	const uint8_t *ip;
	uint16_t type;

	memset(out, 0, sizeof(*out));
	if (len < 14)
		return -SY_E_TRUNCATED;
	memcpy(out->eth_src, frame + 6, 6);
	type = sy_load_be16(frame + off);
	if (type == 0x8100) {
		if (len < 18)
			return -SY_E_TRUNCATED;
		out->vlan = true;
		out->vlan_tci = sy_load_be16(frame + 14);
		off += 4;
		type = sy_load_be16(frame + off);
	}
	if (type != 0x0800)
		return -SY_E_ETH_TYPE;
	off += 2;
	if (len < off + 20)
		return -SY_E_TRUNCATED;
	ip = frame + off;
	ihl = (size_t)(ip[0] & 0x0f) * 4;
	if ((ip[0] >> 4) != 4)
		return -SY_E_IP_VERSION;
	if (ihl < 20 || len < off + ihl)
		return -SY_E_IP_HDR_LEN;
	total = sy_load_be16(ip + 2);
	if (total < ihl || total > len - off)
		return -SY_E_IP_TOTAL_LEN;
	if (sy_load_be16(ip + 6) & 0x3fff)
		return -SY_E_IP_FRAGMENT;
	if (ip[9] != 2)
		return -SY_E_IP_PROTO;
	if (sy_net_ipv4_csum(ip, ihl) != sy_load_be16(ip + 10))
		return -SY_E_IP_CHECKSUM;
	out->ttl = ip[8];
	out->src_ip = sy_load_be32(ip + 12);
	out->dst_ip = sy_load_be32(ip + 16);
	out->router_alert = has_router_alert(ip + 20, ihl - 20);
	out->igmp = ip + ihl;
	out->igmp_len = total - ihl;
	if (out->igmp_len < 8)
		return -SY_E_TRUNCATED;
	if (sy_net_csum_partial(out->igmp, out->igmp_len, 0) != 0xffff)
		return -SY_E_IGMP_CHECKSUM;
	out->type = out->igmp[0];
	switch (out->type) {
	case SY_IGMP_QUERY:
		out->group = sy_load_be32(out->igmp + 4);
		return parse_query(out);
	case SY_IGMP_V1_REPORT:
	case SY_IGMP_V2_REPORT:
	case SY_IGMP_V2_LEAVE:
		out->group = sy_load_be32(out->igmp + 4);
		return is_mcast(out->group) ? 0 : -SY_E_FORMAT;
	case SY_IGMP_V3_REPORT:
		return parse_v3_report(out);
	default:
		return 0;
	}
}

int sy_igmp_report_next(const struct sy_igmp_view *v, size_t *off, struct sy_igmp_record *rec,
			uint32_t *wire_sources)
{
	size_t o = *off ? *off : 8;
	const uint8_t *r;
	uint32_t n;

	/* parse checked the n_records records end at records_end <= igmp_len */
	if (v->type != SY_IGMP_V3_REPORT || o + 8 > v->records_end)
		return 0;
	r = v->igmp + o;
	n = sy_load_be16(r + 2);
	if (o + 8 + 4 * (size_t)n + 4 * (size_t)r[1] > v->records_end)
		return 0;
	memset(rec, 0, sizeof(*rec));
	rec->type = r[0];
	rec->group = sy_load_be32(r + 4);
	rec->n_sources = (uint8_t)(n < SY_IGMP_MAX_SOURCES ? n : SY_IGMP_MAX_SOURCES);
	for (uint32_t i = 0; i < rec->n_sources; i++)
		rec->sources[i] = sy_load_be32(r + 8 + 4 * i);
	if (wire_sources)
		*wire_sources = n;
	*off = o + 8 + 4 * (size_t)n + 4 * (size_t)r[1];
	return 1;
}

/* --- membership --- */

void sy_igmp_memb_init(struct sy_igmp_memb *m)
{
	memset(m, 0, sizeof(*m));
}

uint8_t sy_igmp_memb_version(const struct sy_igmp_memb *m, uint64_t now_ms)
{
	if (m->v1_until_ms > now_ms)
		return 1;
	if (m->v2_until_ms > now_ms)
		return 2;
	return 3;
}

static int find_group(const struct sy_igmp_memb *m, uint32_t group)
{
	for (uint32_t i = 0; i < m->n_groups; i++)
		if (m->groups[i].group == group)
			return (int)i;
	return -1;
}

static int find_source(const struct sy_igmp_memb_group *g, uint32_t ip)
{
	for (uint32_t i = 0; i < g->n_sources; i++)
		if (g->sources[i].ip == ip)
			return (int)i;
	return -1;
}

static void remove_group(struct sy_igmp_memb *m, uint32_t idx)
{
	memmove(&m->groups[idx], &m->groups[idx + 1],
		(m->n_groups - idx - 1) * sizeof(m->groups[0]));
	m->n_groups--;
	if (idx < m->general_next)
		m->general_next--;
}

static void one_source(struct sy_igmp_record *rec, uint8_t type, uint32_t group, uint32_t src)
{
	memset(rec, 0, sizeof(*rec));
	rec->type = type;
	rec->group = group;
	rec->n_sources = 1;
	rec->sources[0] = src;
}

/* INCLUDE(sources) or EXCLUDE({}) as a record of the given INCLUDE type. */
static void state_record(const struct sy_igmp_memb_group *g, uint8_t in_type, uint8_t ex_type,
			 struct sy_igmp_record *rec)
{
	memset(rec, 0, sizeof(*rec));
	rec->group = g->group;
	if (g->asm_refs) {
		rec->type = ex_type;
		return;
	}
	rec->type = in_type;
	rec->n_sources = g->n_sources;
	for (uint32_t i = 0; i < g->n_sources; i++)
		rec->sources[i] = g->sources[i].ip;
}

int sy_igmp_memb_join(struct sy_igmp_memb *m, uint32_t group, uint32_t source,
		      uint64_t now_ms, struct sy_igmp_record *rec)
{
	struct sy_igmp_memb_group *g;
	int gi, si;

	(void)now_ms; /* a join reads the same in every compat mode */
	if (!is_mcast(group) || group == SY_IGMP_ALL_HOSTS ||
	    (source != 0 && (is_mcast(source) || source == 0xffffffffu)))
		return -SY_E_RANGE;
	gi = find_group(m, group);
	if (gi < 0) {
		if (m->n_groups >= SY_IGMP_MEMB_MAX_GROUPS)
			return -SY_E_NOSPACE;
		gi = (int)m->n_groups++;
		memset(&m->groups[gi], 0, sizeof(m->groups[gi]));
		m->groups[gi].group = group;
	}
	g = &m->groups[gi];
	if (source == 0) {
		if (g->asm_refs++ > 0)
			return 0;
		memset(rec, 0, sizeof(*rec));
		rec->type = SY_IGMP_CHANGE_TO_EXCLUDE;
		rec->group = group;
		return 1;
	}
	si = find_source(g, source);
	if (si >= 0) {
		g->sources[si].refs++;
		return 0;
	}
	if (g->n_sources >= SY_IGMP_MAX_SOURCES)
		return -SY_E_NOSPACE; /* g existed: a new group has no sources */
	g->sources[g->n_sources].ip = source;
	g->sources[g->n_sources].refs = 1;
	g->n_sources++;
	if (g->asm_refs)
		return 0; /* EXCLUDE({}) already receives every source */
	one_source(rec, SY_IGMP_ALLOW_NEW_SOURCES, group, source);
	return 1;
}

int sy_igmp_memb_leave(struct sy_igmp_memb *m, uint32_t group, uint32_t source,
		       uint64_t now_ms, struct sy_igmp_record *rec)
{
	struct sy_igmp_memb_group *g;
	int gi = find_group(m, group), si;

	if (gi < 0)
		return -SY_E_STATE;
	g = &m->groups[gi];
	if (source == 0) {
		if (g->asm_refs == 0)
			return -SY_E_STATE;
		if (--g->asm_refs > 0)
			return 0;
		state_record(g, SY_IGMP_CHANGE_TO_INCLUDE, SY_IGMP_CHANGE_TO_INCLUDE, rec);
		if (g->n_sources == 0)
			remove_group(m, (uint32_t)gi);
		return 1;
	}
	si = find_source(g, source);
	if (si < 0)
		return -SY_E_STATE;
	if (--g->sources[si].refs > 0)
		return 0;
	g->sources[si] = g->sources[g->n_sources - 1];
	g->n_sources--;
	if (g->asm_refs)
		return 0;
	if (g->n_sources == 0) {
		remove_group(m, (uint32_t)gi);
		if (sy_igmp_memb_version(m, now_ms) < 3) {
			memset(rec, 0, sizeof(*rec));
			rec->type = SY_IGMP_CHANGE_TO_INCLUDE;
			rec->group = group;
			return 1;
		}
	}
	one_source(rec, SY_IGMP_BLOCK_OLD_SOURCES, group, source);
	return 1;
}

/* Merge the query's sources into g's pending list; false if it overflows. */
static bool merge_queried(struct sy_igmp_memb_group *g, const struct sy_igmp_view *v)
{
	for (uint32_t i = 0; i < v->n_sources; i++) {
		uint32_t s = sy_load_be32(v->sources + 4 * i);
		bool have = false;

		for (uint32_t j = 0; j < g->n_queried && !have; j++)
			have = g->queried[j] == s;
		if (have)
			continue;
		if (g->n_queried >= SY_IGMP_MAX_SOURCES)
			return false;
		g->queried[g->n_queried++] = s;
	}
	return true;
}

int sy_igmp_memb_on_query(struct sy_igmp_memb *m, const struct sy_igmp_view *v,
			  uint64_t now_ms, uint32_t rand32)
{
	struct sy_igmp_memb_group *g;
	uint64_t at;
	int gi;

	if (v->type != SY_IGMP_QUERY || v->kind == SY_IGMP_QUERY_NONE ||
	    v->kind >= SY_IGMP_QUERY_KIND_MAX)
		return -SY_E_FORMAT;
	if (v->version == 1)
		m->v1_until_ms = now_ms + SY_IGMP_OLDER_QUERIER_BASE_MS + v->max_resp_ds * 100ull;
	else if (v->version == 2)
		m->v2_until_ms = now_ms + SY_IGMP_OLDER_QUERIER_BASE_MS + v->max_resp_ds * 100ull;
	at = now_ms + sy_igmp_delay_ms(v->max_resp_ds, rand32);
	/* rule 1: a general response sooner than this one covers it */
	if (m->general_pending && m->general_at_ms < at)
		return 0;
	if (v->kind == SY_IGMP_QUERY_GENERAL) { /* rule 2 */
		m->general_pending = true;
		m->general_at_ms = at;
		m->general_next = 0;
		return 0;
	}
	gi = find_group(m, v->group);
	if (gi < 0)
		return 0; /* no state for the group: nothing to say */
	g = &m->groups[gi];
	if (!g->pending) { /* rule 3 */
		g->pending = true;
		g->pending_at_ms = at;
		g->n_queried = 0;
		if (v->kind == SY_IGMP_QUERY_GROUP_SOURCE && !merge_queried(g, v))
			g->n_queried = 0;
		return 0;
	}
	if (at < g->pending_at_ms) /* rules 4 and 5: earliest of the two */
		g->pending_at_ms = at;
	if (v->kind == SY_IGMP_QUERY_GROUP || g->n_queried == 0 || !merge_queried(g, v))
		g->n_queried = 0; /* whole group */
	return 0;
}

/* Response to a group-and-source query: IS_IN(Q * A) or IS_IN(Q - {}). */
static bool source_response(const struct sy_igmp_memb_group *g, struct sy_igmp_record *rec)
{
	memset(rec, 0, sizeof(*rec));
	rec->type = SY_IGMP_MODE_IS_INCLUDE;
	rec->group = g->group;
	for (uint32_t i = 0; i < g->n_queried; i++)
		if (g->asm_refs || find_source(g, g->queried[i]) >= 0)
			rec->sources[rec->n_sources++] = g->queried[i];
	return rec->n_sources > 0;
}

size_t sy_igmp_memb_due(struct sy_igmp_memb *m, uint64_t now_ms, struct sy_igmp_record *recs,
			size_t cap)
{
	size_t n = 0;

	if (m->general_pending && m->general_at_ms <= now_ms) {
		while (m->general_next < m->n_groups && n < cap)
			state_record(&m->groups[m->general_next++], SY_IGMP_MODE_IS_INCLUDE,
				     SY_IGMP_MODE_IS_EXCLUDE, &recs[n++]);
		if (m->general_next >= m->n_groups) {
			m->general_pending = false;
			m->general_next = 0;
		}
	}
	for (uint32_t i = 0; i < m->n_groups && n < cap; i++) {
		struct sy_igmp_memb_group *g = &m->groups[i];

		if (!g->pending || g->pending_at_ms > now_ms)
			continue;
		g->pending = false;
		if (g->n_queried == 0)
			state_record(g, SY_IGMP_MODE_IS_INCLUDE, SY_IGMP_MODE_IS_EXCLUDE, &recs[n++]);
		else if (source_response(g, &recs[n]))
			n++;
		g->n_queried = 0;
	}
	return n;
}

size_t sy_igmp_memb_current(const struct sy_igmp_memb *m, struct sy_igmp_record *recs,
			    size_t cap)
{
	size_t n = 0;

	for (uint32_t i = 0; i < m->n_groups && n < cap; i++)
		state_record(&m->groups[i], SY_IGMP_MODE_IS_INCLUDE, SY_IGMP_MODE_IS_EXCLUDE,
			     &recs[n++]);
	return n;
}

uint64_t sy_igmp_memb_next_due_ms(const struct sy_igmp_memb *m)
{
	uint64_t t = m->general_pending ? m->general_at_ms : UINT64_MAX;

	for (uint32_t i = 0; i < m->n_groups; i++)
		if (m->groups[i].pending && m->groups[i].pending_at_ms < t)
			t = m->groups[i].pending_at_ms;
	return t;
}
