/* SPDX-License-Identifier: MIT */
/*
 * fuzz_arp_igmp.c: libFuzzer target for the ARP and IGMP parsers and
 * builders (frames from the network reach both on the dataplane's host
 * lcore).
 *
 * Input: the whole input is fed as a frame to sy_arp_parse and
 * sy_igmp_parse; the same bytes then drive the builders: byte 0 picks the
 * MTU (68 + 8 * byte), byte 1 the VLAN flag, then 12-byte record
 * descriptors (type, n_sources, group(4), first source(4), 2 spare).
 * Invariants trapped on:
 *  - a parsed ARP request classified REPLY gives a reply that parses back
 *    as a reply from us to the requester, within its 60/64 bytes;
 *  - a parsed IGMP v3 report iterates exactly n_records records, each
 *    inside the message; a query's sources lie inside the message, and the
 *    membership table accepts it and answers within its bounds;
 *  - built reports never exceed the MTU or the buffer (guard bytes), parse
 *    back with good checksums, and their records reproduce the input
 *    records in order (split by sources, IS_EX/TO_EX truncated).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sy_arp.h"
#include "sy_bytes.h"
#include "sy_err.h"
#include "sy_igmp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define GUARD 0xa5

static void check_arp(const uint8_t *data, size_t size)
{
	struct sy_arp_local l = { .mac = { 0x02, 0x53, 0x59, 0, 0, 1 }, .ip = 0xc0a8010a };
	struct sy_arp_view v, back;
	uint8_t out[64 + 16];
	int n;

	if (sy_arp_parse(data, size, &v) != 0)
		return;
	if (size < (v.vlan ? 46u : 42u))
		__builtin_trap();
	/* as the host it asks for, so the REPLY path is taken when valid */
	l.ip = v.tpa;
	if (sy_arp_classify(&v, &l) != SY_ARP_REPLY)
		return;
	if (v.op != SY_ARP_OP_REQUEST || (v.sha[0] & 1))
		__builtin_trap();
	memset(out, GUARD, sizeof(out));
	n = sy_arp_build_reply(&l, &v, out, v.vlan ? 64 : 60);
	if (n != (v.vlan ? 64 : 60))
		__builtin_trap();
	for (size_t i = (size_t)n; i < sizeof(out); i++)
		if (out[i] != GUARD)
			__builtin_trap();
	if (sy_arp_parse(out, (size_t)n, &back) != 0 || back.op != SY_ARP_OP_REPLY ||
	    back.spa != l.ip || back.tpa != v.spa || memcmp(back.tha, v.sha, 6) != 0 ||
	    memcmp(back.eth_dst, v.sha, 6) != 0 || back.vlan != v.vlan ||
	    back.vlan_tci != v.vlan_tci)
		__builtin_trap();
	/* our own reply, looped back, is never answered */
	if (sy_arp_classify(&back, &l) != SY_ARP_IGNORE)
		__builtin_trap();
}

static void check_igmp_parse(const uint8_t *data, size_t size, uint64_t now)
{
	static struct sy_igmp_memb m;
	static struct sy_igmp_record recs[SY_IGMP_MEMB_MAX_GROUPS];
	struct sy_igmp_record r;
	struct sy_igmp_view v;
	size_t off = 0, n = 0;
	uint32_t wire;

	if (sy_igmp_parse(data, size, &v) != 0)
		return;
	if (v.igmp < data || v.igmp + v.igmp_len > data + size || v.igmp_len < 8)
		__builtin_trap();
	if (v.type == SY_IGMP_V3_REPORT) {
		while (sy_igmp_report_next(&v, &off, &r, &wire) == 1) {
			if (off > v.igmp_len || r.n_sources > SY_IGMP_MAX_SOURCES ||
			    r.n_sources > wire)
				__builtin_trap();
			n++;
		}
		if (n != v.n_records)
			__builtin_trap();
	}
	if (v.type != SY_IGMP_QUERY)
		return;
	if (v.kind == SY_IGMP_QUERY_NONE || v.version < 1 || v.version > 3 ||
	    (v.n_sources && (v.sources < v.igmp || v.sources + 4 * (size_t)v.n_sources >
						  v.igmp + v.igmp_len)))
		__builtin_trap();
	/* a table with this group (any source) and a source of the query */
	sy_igmp_memb_init(&m);
	if (v.group) {
		(void)sy_igmp_memb_join(&m, v.group, 0, now, &r);
		if (v.n_sources)
			(void)sy_igmp_memb_join(&m, v.group ^ 1, sy_load_be32(v.sources), now, &r);
	}
	(void)sy_igmp_memb_join(&m, 0xef000001, 0, now, &r);
	if (sy_igmp_memb_on_query(&m, &v, now, (uint32_t)now) != 0)
		__builtin_trap();
	if (sy_igmp_memb_next_due_ms(&m) != UINT64_MAX &&
	    sy_igmp_memb_next_due_ms(&m) > now + 3174400u)
		__builtin_trap();
	n = sy_igmp_memb_due(&m, UINT64_MAX, recs, SY_IGMP_MEMB_MAX_GROUPS);
	if (n > m.n_groups * 2u || sy_igmp_memb_next_due_ms(&m) != UINT64_MAX)
		__builtin_trap();
}

static void check_igmp_build(const uint8_t *data, size_t size)
{
	static struct sy_igmp_record in[16];
	static uint8_t buf[18 + 68 + 8 * 255 + 64];
	struct sy_igmp_host h = { .mac = { 0x02, 0, 0, 0, 0, 7 }, .ip = 0x0a000001 };
	struct sy_igmp_report_cursor cur = { 0 };
	struct sy_igmp_record r;
	struct sy_igmp_view v;
	size_t n_in = 0, ri = 0, cap;
	uint32_t si = 0;
	int len, reports = 0;

	if (size < 2)
		return;
	h.mtu = (uint16_t)(68 + 8 * data[0]);
	h.vlan = data[1] & 1;
	h.vlan_tci = data[1];
	for (size_t o = 2; o + 12 <= size && n_in < 16; o += 12) {
		struct sy_igmp_record *x = &in[n_in++];

		memset(x, 0, sizeof(*x));
		x->type = (uint8_t)(1 + data[o] % 6);
		x->n_sources = (uint8_t)(data[o + 1] % (SY_IGMP_MAX_SOURCES + 1));
		x->group = 0xe0000000u | (sy_load_be32(data + o + 2) & 0x0fffffffu);
		for (uint32_t i = 0; i < x->n_sources; i++)
			x->sources[i] = sy_load_be32(data + o + 6) + i;
	}
	cap = (h.vlan ? 18u : 14u) + h.mtu;
	for (;;) {
		memset(buf, GUARD, sizeof(buf));
		len = sy_igmp_build_report(&h, in, n_in, &cur, buf, cap);
		if (len == 0)
			break;
		if (len < 0 || (size_t)len > cap || ++reports > 200)
			__builtin_trap();
		for (size_t i = (size_t)len; i < sizeof(buf); i++)
			if (buf[i] != GUARD)
				__builtin_trap();
		if (sy_igmp_parse(buf, (size_t)len, &v) != 0 || v.type != SY_IGMP_V3_REPORT ||
		    v.n_records == 0 || v.igmp_len + 24 > h.mtu)
			__builtin_trap();
		/* records come back in order: whole, or the next slice of sources */
		size_t off = 0;

		while (sy_igmp_report_next(&v, &off, &r, NULL) == 1) {
			const struct sy_igmp_record *x;

			if (ri >= n_in)
				__builtin_trap();
			x = &in[ri];
			if (r.type != x->type || r.group != x->group ||
			    si + r.n_sources > x->n_sources ||
			    memcmp(r.sources, x->sources + si, 4 * (size_t)r.n_sources) != 0)
				__builtin_trap();
			si += r.n_sources;
			if (si == x->n_sources || x->type == SY_IGMP_MODE_IS_EXCLUDE ||
			    x->type == SY_IGMP_CHANGE_TO_EXCLUDE) {
				ri++;
				si = 0;
			} else if (r.n_sources == 0) {
				__builtin_trap();
			}
		}
	}
	if (ri != n_in)
		__builtin_trap();
	/* v1/v2 forms of each record */
	for (size_t i = 0; i < n_in; i++) {
		memset(buf, GUARD, sizeof(buf));
		len = sy_igmp_build_compat(&h, (uint8_t)(1 + (i & 1)), &in[i], buf, 64);
		if (len < 0 || len > 64)
			__builtin_trap();
		if (len > 0 && (sy_igmp_parse(buf, (size_t)len, &v) != 0 || v.group != in[i].group))
			__builtin_trap();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_arp(data, size);
	check_igmp_parse(data, size, size > 8 ? sy_load_be32(data + size - 4) : 0);
	check_igmp_build(data, size);
	return 0;
}
