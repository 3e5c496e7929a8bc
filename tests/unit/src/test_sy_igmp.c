/* SPDX-License-Identifier: MIT */
/*
 * test_sy_igmp.c: IGMPv3 reports (bytes and checksums worked out by hand),
 * v1/v2/v3 query parsing incl. the floating-point Max Resp Code, the
 * RFC 3376 5.2 response rules and the membership table. If tshark is
 * installed, it dissects a pcap of built frames and must find the
 * checksums good.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "sy_bytes.h"
#include "sy_err.h"
#include "sy_igmp.h"
#include "sy_net.h"

#define HOST_IP 0xc0a8010au /* 192.168.1.10 */
#define ROUTER_IP 0xc0a80101u
#define G1 0xef010203u      /* 239.1.2.3 */
#define G2 0xe8010101u      /* 232.1.1.1 (SSM range) */
#define S1 0x0a000001u      /* 10.0.0.1 */
#define S2 0x0a000002u
#define S3 0x0a000003u

static struct sy_igmp_host host(void)
{
	struct sy_igmp_host h = { .mac = { 0x02, 0x53, 0x59, 0, 0, 1 }, .ip = HOST_IP };

	return h;
}

static struct sy_igmp_record rec(uint8_t type, uint32_t group, unsigned n, const uint32_t *src)
{
	struct sy_igmp_record r;

	memset(&r, 0, sizeof(r));
	r.type = type;
	r.group = group;
	r.n_sources = (uint8_t)n;
	for (unsigned i = 0; i < n; i++)
		r.sources[i] = src[i];
	return r;
}

static void test_codes(void **state)
{
	(void)state;
	/* linear below 128 */
	assert_int_equal(sy_igmp_code_decode(0), 0);
	assert_int_equal(sy_igmp_code_decode(100), 100);
	assert_int_equal(sy_igmp_code_decode(127), 127);
	/* 1 exp mant: (mant | 0x10) << (exp + 3) */
	assert_int_equal(sy_igmp_code_decode(0x80), 128);   /* 16 << 3 */
	assert_int_equal(sy_igmp_code_decode(0x8f), 248);   /* 31 << 3 */
	assert_int_equal(sy_igmp_code_decode(0x90), 256);   /* 16 << 4 */
	assert_int_equal(sy_igmp_code_decode(0xa5), 672);   /* 21 << 5 */
	assert_int_equal(sy_igmp_code_decode(0xf0), 16384); /* 16 << 10 */
	assert_int_equal(sy_igmp_code_decode(0xff), 31744); /* 31 << 10 */
	/* encode is the inverse on every code, and rounds down between codes */
	for (unsigned c = 0; c < 256; c++)
		assert_int_equal(sy_igmp_code_encode(sy_igmp_code_decode((uint8_t)c)), c);
	assert_int_equal(sy_igmp_code_encode(129), 0x80);
	assert_int_equal(sy_igmp_code_encode(255), 0x8f);
	assert_int_equal(sy_igmp_code_encode(31745), 0xff);
	assert_int_equal(sy_igmp_code_encode(1u << 31), 0xff);
}

static void test_delay(void **state)
{
	(void)state;
	/* Max Resp Time 10 s: [0, 10000] ms */
	assert_int_equal(sy_igmp_delay_ms(100, 0), 0);
	assert_int_equal(sy_igmp_delay_ms(100, 0xffffffffu), 10000);
	assert_int_equal(sy_igmp_delay_ms(100, 0x80000000u), 5000);
	assert_int_equal(sy_igmp_delay_ms(0, 0xffffffffu), 0);
	/* largest code: 3174.4 s */
	assert_int_equal(sy_igmp_delay_ms(31744, 0xffffffffu), 3174400);
	for (uint32_t i = 0, r = 1; i < 100000; i++, r = r * 1664525u + 1013904223u)
		assert_true(sy_igmp_delay_ms(25, r) <= 2500);
}

/* The join report, every byte worked out by hand (see sums below). */
static void test_report_join_bytes(void **state)
{
	(void)state;
	struct sy_igmp_host h = host();
	struct sy_igmp_record r = rec(SY_IGMP_CHANGE_TO_EXCLUDE, G1, 0, NULL);
	struct sy_igmp_report_cursor cur = { 0 };
	uint8_t f[1600];
	static const uint8_t expect[54] = {
		/* Ethernet: 224.0.0.22's MAC, our MAC, IPv4 */
		0x01, 0x00, 0x5e, 0x00, 0x00, 0x16, 0x02, 0x53, 0x59, 0x00, 0x00, 0x01, 0x08, 0x00,
		/* IPv4: ihl 6, tos c0, len 40, id 0, DF, ttl 1, proto 2,
		 * csum: 46c0+0028+0000+4000+0102+c0a8+010a+e000+0016+9404+0000
		 * = 2bdb6 -> bdb8 -> ~ = 4247 */
		0x46, 0xc0, 0x00, 0x28, 0x00, 0x00, 0x40, 0x00, 0x01, 0x02, 0x42, 0x47,
		0xc0, 0xa8, 0x01, 0x0a, 0xe0, 0x00, 0x00, 0x16, 0x94, 0x04, 0x00, 0x00,
		/* IGMP: 2200+0000+0001+0400+0000+ef01+0203 = 11705 -> 1706 -> ~ = e8f9 */
		0x22, 0x00, 0xe8, 0xf9, 0x00, 0x00, 0x00, 0x01,
		/* record: CHANGE_TO_EXCLUDE, aux 0, 0 sources, 239.1.2.3 */
		0x04, 0x00, 0x00, 0x00, 0xef, 0x01, 0x02, 0x03,
	};

	memset(f, 0xaa, sizeof(f));
	assert_int_equal(sy_igmp_build_report(&h, &r, 1, &cur, f, sizeof(f)), 60);
	assert_memory_equal(f, expect, sizeof(expect));
	for (size_t i = 54; i < 60; i++)
		assert_int_equal(f[i], 0); /* Ethernet padding, outside the IP length */
	assert_int_equal(f[60], 0xaa);
	assert_int_equal(cur.rec_idx, 1);
	assert_int_equal(sy_igmp_build_report(&h, &r, 1, &cur, f, sizeof(f)), 0); /* done */

	/* SSM join: ALLOW_NEW_SOURCES(10.0.0.1) to 232.1.1.1, IP len 44:
	 * IP csum 4243 (len 2c instead of 28), IGMP:
	 * 2200+0001+0500+0001+e801+0101+0a00+0001 = 11a05 -> 1a06 -> ~ = e5f9 */
	r = rec(SY_IGMP_ALLOW_NEW_SOURCES, G2, 1, (uint32_t[]){ S1 });
	cur = (struct sy_igmp_report_cursor){ 0 };
	assert_int_equal(sy_igmp_build_report(&h, &r, 1, &cur, f, sizeof(f)), 60);
	assert_int_equal(sy_load_be16(f + 16), 44);
	assert_int_equal(sy_load_be16(f + 24), 0x4243);
	assert_int_equal(sy_load_be16(f + 40), 0xe5f9);
	assert_memory_equal(f + 46, ((uint8_t[]){ 5, 0, 0, 1, 232, 1, 1, 1, 10, 0, 0, 1 }), 12);
	for (size_t i = 58; i < 60; i++)
		assert_int_equal(f[i], 0);

	/* VLAN-tagged: 64 bytes, IP moves by 4 */
	h.vlan = true;
	h.vlan_tci = 0x0064;
	cur = (struct sy_igmp_report_cursor){ 0 };
	assert_int_equal(sy_igmp_build_report(&h, &r, 1, &cur, f, sizeof(f)), 64);
	assert_int_equal(sy_load_be16(f + 12), 0x8100);
	assert_int_equal(sy_load_be16(f + 14), 0x0064);
	assert_int_equal(sy_load_be16(f + 16), 0x0800);
	assert_int_equal(sy_load_be16(f + 28), 0x4243);
	assert_int_equal(sy_load_be16(f + 44), 0xe5f9);
}

static void test_report_parse_back(void **state)
{
	(void)state;
	struct sy_igmp_host h = host();
	struct sy_igmp_record r[3] = {
		rec(SY_IGMP_CHANGE_TO_EXCLUDE, G1, 0, NULL),
		rec(SY_IGMP_ALLOW_NEW_SOURCES, G2, 2, (uint32_t[]){ S1, S2 }),
		rec(SY_IGMP_BLOCK_OLD_SOURCES, G2 + 1, 1, (uint32_t[]){ S3 }),
	}, got;
	struct sy_igmp_report_cursor cur = { 0 };
	struct sy_igmp_view v;
	uint8_t f[1600];
	size_t off = 0;
	uint32_t wire;
	int len = sy_igmp_build_report(&h, r, 3, &cur, f, sizeof(f));

	assert_int_equal(len, 14 + 24 + 8 + 8 + 16 + 12);
	assert_int_equal(sy_igmp_parse(f, (size_t)len, &v), 0);
	assert_int_equal(v.type, SY_IGMP_V3_REPORT);
	assert_int_equal(v.ttl, 1);
	assert_true(v.router_alert);
	assert_int_equal(v.dst_ip, SY_IGMP_V3_ROUTERS);
	assert_int_equal(v.src_ip, HOST_IP);
	assert_int_equal(v.n_records, 3);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(sy_igmp_report_next(&v, &off, &got, &wire), 1);
		assert_int_equal(got.type, r[i].type);
		assert_int_equal(got.group, r[i].group);
		assert_int_equal(got.n_sources, r[i].n_sources);
		assert_int_equal(wire, r[i].n_sources);
		assert_memory_equal(got.sources, r[i].sources, 4 * got.n_sources);
	}
	assert_int_equal(sy_igmp_report_next(&v, &off, &got, NULL), 0);

	/* a flipped bit anywhere in the IGMP part fails its checksum */
	f[14 + 24 + 9] ^= 0x10;
	assert_int_equal(sy_igmp_parse(f, (size_t)len, &v), -SY_E_IGMP_CHECKSUM);
	f[14 + 24 + 9] ^= 0x10;
	/* a record count larger than the message */
	sy_store_be16(f + 14 + 24 + 6, 4);
	sy_store_be16(f + 14 + 24 + 2, 0);
	sy_store_be16(f + 14 + 24 + 2, (uint16_t)~sy_net_csum_partial(f + 38, 44, 0));
	assert_int_equal(sy_igmp_parse(f, (size_t)len, &v), -SY_E_TRUNCATED);
	/* a count smaller than the records present: only that many are read */
	sy_store_be16(f + 14 + 24 + 6, 2);
	sy_store_be16(f + 14 + 24 + 2, 0);
	sy_store_be16(f + 14 + 24 + 2, (uint16_t)~sy_net_csum_partial(f + 38, 44, 0));
	assert_int_equal(sy_igmp_parse(f, (size_t)len, &v), 0);
	off = 0;
	assert_int_equal(sy_igmp_report_next(&v, &off, &got, NULL), 1);
	assert_int_equal(sy_igmp_report_next(&v, &off, &got, NULL), 1);
	assert_int_equal(sy_igmp_report_next(&v, &off, &got, NULL), 0);
}

static void test_report_split(void **state)
{
	(void)state;
	struct sy_igmp_host h = host();
	uint32_t src8[8] = { S1, S2, S3, S1 + 10, S1 + 11, S1 + 12, S1 + 13, S1 + 14 };
	struct sy_igmp_record r[3] = {
		rec(SY_IGMP_MODE_IS_INCLUDE, G2, 8, src8),
		rec(SY_IGMP_MODE_IS_INCLUDE, G2 + 1, 8, src8),
		rec(SY_IGMP_MODE_IS_EXCLUDE, G1, 8, src8),
	}, got;
	struct sy_igmp_report_cursor cur = { 0 };
	struct sy_igmp_view v;
	uint8_t f[1600];
	size_t off;
	int len;

	/* MTU 1500: all three (8 + 3 x 40 bytes) in one report */
	assert_int_equal(sy_igmp_build_report(&h, r, 3, &cur, f, sizeof(f)), 14 + 24 + 128);
	assert_int_equal(sy_igmp_build_report(&h, r, 3, &cur, f, sizeof(f)), 0);

	/* MTU 100: 76 IGMP bytes = header + one record each */
	h.mtu = 100;
	cur = (struct sy_igmp_report_cursor){ 0 };
	for (int i = 0; i < 3; i++) {
		len = sy_igmp_build_report(&h, r, 3, &cur, f, sizeof(f));
		assert_int_equal(len, 14 + 24 + 48);
		assert_int_equal(sy_igmp_parse(f, (size_t)len, &v), 0);
		assert_int_equal(v.n_records, 1);
		off = 0;
		assert_int_equal(sy_igmp_report_next(&v, &off, &got, NULL), 1);
		assert_int_equal(got.group, r[i].group);
	}
	assert_int_equal(sy_igmp_build_report(&h, r, 3, &cur, f, sizeof(f)), 0);

	/* MTU 68: 44 IGMP bytes hold 7 sources. IS_IN is split 7 + 1 in two
	 * reports; IS_EX keeps 7 and drops one (RFC 3376 4.2.16) */
	h.mtu = 68;
	cur = (struct sy_igmp_report_cursor){ 0 };
	static const uint8_t expect_src[5] = { 7, 1, 7, 1, 7 };
	for (int i = 0; i < 5; i++) {
		len = sy_igmp_build_report(&h, r, 3, &cur, f, sizeof(f));
		assert_true(len > 0);
		assert_true((size_t)len <= 14u + 68u);
		assert_int_equal(sy_igmp_parse(f, (size_t)len, &v), 0);
		off = 0;
		assert_int_equal(sy_igmp_report_next(&v, &off, &got, NULL), 1);
		assert_int_equal(got.n_sources, expect_src[i]);
		assert_int_equal(got.group, r[i / 2].group);
		assert_int_equal(got.sources[0], src8[(i & 1) ? 7 : 0]);
		assert_int_equal(sy_igmp_report_next(&v, &off, &got, NULL), 0);
	}
	assert_int_equal(sy_igmp_build_report(&h, r, 3, &cur, f, sizeof(f)), 0);
	/* TO_EX is truncated like IS_EX: one report */
	r[0].type = SY_IGMP_CHANGE_TO_EXCLUDE;
	cur = (struct sy_igmp_report_cursor){ 0 };
	len = sy_igmp_build_report(&h, r, 1, &cur, f, sizeof(f));
	assert_int_equal(sy_igmp_parse(f, (size_t)len, &v), 0);
	off = 0;
	assert_int_equal(sy_igmp_report_next(&v, &off, &got, NULL), 1);
	assert_int_equal(got.n_sources, 7);
	assert_int_equal(sy_igmp_build_report(&h, r, 1, &cur, f, sizeof(f)), 0);
	r[0].type = SY_IGMP_MODE_IS_INCLUDE;

	/* errors */
	h.mtu = 67;
	cur = (struct sy_igmp_report_cursor){ 0 };
	assert_int_equal(sy_igmp_build_report(&h, r, 3, &cur, f, sizeof(f)), -SY_E_RANGE);
	h.mtu = 0;
	assert_int_equal(sy_igmp_build_report(&h, r, 3, &cur, f, 59), -SY_E_NOSPACE);
	r[1].type = 7;
	assert_int_equal(sy_igmp_build_report(&h, r, 3, &cur, f, sizeof(f)), -SY_E_RANGE);
	assert_int_equal(cur.rec_idx, 0); /* cursor untouched on error */
	r[1].type = 0;
	assert_int_equal(sy_igmp_build_report(&h, r, 3, &cur, f, sizeof(f)), -SY_E_RANGE);
	r[1].type = SY_IGMP_MODE_IS_INCLUDE;
	r[1].group = S1; /* unicast */
	assert_int_equal(sy_igmp_build_report(&h, r, 3, &cur, f, sizeof(f)), -SY_E_RANGE);
	r[1].group = G1;
	r[1].n_sources = 9;
	assert_int_equal(sy_igmp_build_report(&h, r, 3, &cur, f, sizeof(f)), -SY_E_RANGE);
}

static void test_v2_and_compat(void **state)
{
	(void)state;
	struct sy_igmp_host h = host();
	struct sy_igmp_view v;
	struct sy_igmp_record r;
	uint8_t f[128];

	assert_int_equal(sy_igmp_build_v2(&h, SY_IGMP_V2_REPORT, G1, f, sizeof(f)), 60);
	assert_memory_equal(f, ((uint8_t[]){ 0x01, 0x00, 0x5e, 0x01, 0x02, 0x03 }), 6);
	/* IGMP 16 00 csum ef01 0203: 1600+ef01+0203 = 10704 -> 0705 -> f8fa */
	assert_memory_equal(f + 38, ((uint8_t[]){ 0x16, 0, 0xf8, 0xfa, 0xef, 1, 2, 3 }), 8);
	assert_int_equal(sy_igmp_parse(f, 60, &v), 0);
	assert_int_equal(v.dst_ip, G1);
	assert_int_equal(v.group, G1);
	assert_int_equal(sy_igmp_build_v2(&h, SY_IGMP_V2_LEAVE, G1, f, sizeof(f)), 60);
	assert_memory_equal(f, ((uint8_t[]){ 0x01, 0x00, 0x5e, 0x00, 0x00, 0x02 }), 6);
	assert_int_equal(sy_igmp_parse(f, 60, &v), 0);
	assert_int_equal(v.type, SY_IGMP_V2_LEAVE);
	assert_int_equal(v.dst_ip, SY_IGMP_ALL_ROUTERS);
	assert_int_equal(sy_igmp_build_v2(&h, SY_IGMP_QUERY, G1, f, sizeof(f)), -SY_E_RANGE);
	assert_int_equal(sy_igmp_build_v2(&h, SY_IGMP_V2_REPORT, S1, f, sizeof(f)), -SY_E_RANGE);

	/* RFC 3376 7.3.2 mapping */
	r = rec(SY_IGMP_CHANGE_TO_EXCLUDE, G1, 0, NULL);
	assert_int_equal(sy_igmp_build_compat(&h, 2, &r, f, sizeof(f)), 60);
	assert_int_equal(f[38], SY_IGMP_V2_REPORT);
	assert_int_equal(sy_igmp_build_compat(&h, 1, &r, f, sizeof(f)), 60);
	assert_int_equal(f[38], SY_IGMP_V1_REPORT);
	r = rec(SY_IGMP_CHANGE_TO_INCLUDE, G1, 0, NULL);
	assert_int_equal(sy_igmp_build_compat(&h, 2, &r, f, sizeof(f)), 60);
	assert_int_equal(f[38], SY_IGMP_V2_LEAVE);
	assert_int_equal(sy_igmp_build_compat(&h, 1, &r, f, sizeof(f)), 0); /* v1: no leave */
	r = rec(SY_IGMP_ALLOW_NEW_SOURCES, G2, 1, (uint32_t[]){ S1 });
	assert_int_equal(sy_igmp_build_compat(&h, 2, &r, f, sizeof(f)), 60);
	assert_int_equal(f[38], SY_IGMP_V2_REPORT);
	r.type = SY_IGMP_BLOCK_OLD_SOURCES;
	assert_int_equal(sy_igmp_build_compat(&h, 2, &r, f, sizeof(f)), 0);
	assert_int_equal(sy_igmp_build_compat(&h, 3, &r, f, sizeof(f)), -SY_E_RANGE);
}

/* A query as a router sends it: IP with Router Alert, checksums right. */
static size_t make_query(uint8_t *f, int tci, uint32_t dst, const uint8_t *igmp, size_t n)
{
	size_t o = 12;

	memset(f, 0, 128);
	sy_net_mcast_mac(dst, f);
	memcpy(f + 6, (uint8_t[]){ 0x00, 0x1b, 0x21, 0, 0, 9 }, 6);
	if (tci >= 0) {
		sy_store_be16(f + 12, 0x8100);
		sy_store_be16(f + 14, (uint16_t)tci);
		o += 4;
	}
	sy_store_be16(f + o, 0x0800);
	uint8_t *ip = f + o + 2;
	ip[0] = 0x46;
	ip[1] = 0xc0;
	sy_store_be16(ip + 2, (uint16_t)(24 + n));
	ip[8] = 1;
	ip[9] = 2;
	sy_store_be32(ip + 12, ROUTER_IP);
	sy_store_be32(ip + 16, dst);
	ip[20] = 0x94, ip[21] = 4;
	sy_store_be16(ip + 10, sy_net_ipv4_csum(ip, 24));
	memcpy(ip + 24, igmp, n);
	sy_store_be16(ip + 26, 0);
	sy_store_be16(ip + 26, (uint16_t)~sy_net_csum_partial(ip + 24, n, 0));
	return o + 2 + 24 + n;
}

static void test_parse_queries(void **state)
{
	(void)state;
	uint8_t f[128];
	struct sy_igmp_view v;
	size_t len;

	/* v2 general: 8 bytes, Max Resp Time 10 s */
	len = make_query(f, -1, SY_IGMP_ALL_HOSTS, (uint8_t[]){ 0x11, 100, 0, 0, 0, 0, 0, 0 }, 8);
	assert_int_equal(sy_igmp_parse(f, len, &v), 0);
	assert_int_equal(v.type, SY_IGMP_QUERY);
	assert_int_equal(v.version, 2);
	assert_int_equal(v.kind, SY_IGMP_QUERY_GENERAL);
	assert_int_equal(v.max_resp_ds, 100);
	assert_int_equal(v.src_ip, ROUTER_IP);
	/* padded to 60 bytes on the wire: same result */
	assert_int_equal(sy_igmp_parse(f, 60, &v), 0);
	assert_int_equal(v.igmp_len, 8);
	/* v1: code 0 */
	len = make_query(f, -1, SY_IGMP_ALL_HOSTS, (uint8_t[]){ 0x11, 0, 0, 0, 0, 0, 0, 0 }, 8);
	assert_int_equal(sy_igmp_parse(f, len, &v), 0);
	assert_int_equal(v.version, 1);
	assert_int_equal(v.max_resp_ds, 100);
	/* v2 group-specific, 1 s, VLAN-tagged */
	len = make_query(f, 5, G1, (uint8_t[]){ 0x11, 10, 0, 0, 0xef, 1, 2, 3 }, 8);
	assert_int_equal(sy_igmp_parse(f, len, &v), 0);
	assert_true(v.vlan);
	assert_int_equal(v.vlan_tci, 5);
	assert_int_equal(v.kind, SY_IGMP_QUERY_GROUP);
	assert_int_equal(v.group, G1);
	assert_int_equal(v.max_resp_ds, 10);

	/* v3 general: Max Resp Code 0x8c = 28 << 3 = 224 ds, S 1, QRV 2,
	 * QQIC 0x8d = 29 << 3 = 232 s */
	len = make_query(f, -1, SY_IGMP_ALL_HOSTS,
			 (uint8_t[]){ 0x11, 0x8c, 0, 0, 0, 0, 0, 0, 0x0a, 0x8d, 0, 0 }, 12);
	assert_int_equal(sy_igmp_parse(f, len, &v), 0);
	assert_int_equal(v.version, 3);
	assert_int_equal(v.kind, SY_IGMP_QUERY_GENERAL);
	assert_int_equal(v.max_resp_ds, 224);
	assert_true(v.s_flag);
	assert_int_equal(v.qrv, 2);
	assert_int_equal(v.qqi_s, 232);
	assert_int_equal(v.n_sources, 0);
	assert_true(v.router_alert);
	/* v3 general with the usual 10 s and 125 s */
	len = make_query(f, -1, SY_IGMP_ALL_HOSTS,
			 (uint8_t[]){ 0x11, 100, 0, 0, 0, 0, 0, 0, 0x02, 125, 0, 0 }, 12);
	assert_int_equal(sy_igmp_parse(f, len, &v), 0);
	assert_int_equal(v.max_resp_ds, 100);
	assert_false(v.s_flag);
	assert_int_equal(v.qqi_s, 125);
	/* v3 group-and-source, 2 sources, code 0xff */
	len = make_query(f, -1, G2,
			 (uint8_t[]){ 0x11, 0xff, 0, 0, 232, 1, 1, 1, 0x02, 125, 0, 2,
				      10, 0, 0, 1, 10, 0, 0, 3 }, 20);
	assert_int_equal(sy_igmp_parse(f, len, &v), 0);
	assert_int_equal(v.kind, SY_IGMP_QUERY_GROUP_SOURCE);
	assert_int_equal(v.group, G2);
	assert_int_equal(v.max_resp_ds, 31744);
	assert_int_equal(v.n_sources, 2);
	assert_int_equal(sy_load_be32(v.sources), S1);
	assert_int_equal(sy_load_be32(v.sources + 4), S3);
	/* source count beyond the message */
	len = make_query(f, -1, G2,
			 (uint8_t[]){ 0x11, 0xff, 0, 0, 232, 1, 1, 1, 0x02, 125, 0, 3,
				      10, 0, 0, 1, 10, 0, 0, 3 }, 20);
	assert_int_equal(sy_igmp_parse(f, len, &v), -SY_E_TRUNCATED);
	/* 9..11 bytes: neither v2 nor v3 */
	for (size_t n = 9; n <= 11; n++) {
		len = make_query(f, -1, SY_IGMP_ALL_HOSTS,
				 (uint8_t[]){ 0x11, 100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, n);
		assert_int_equal(sy_igmp_parse(f, len, &v), -SY_E_FORMAT);
	}
	/* general query not sent to 224.0.0.1; group not multicast */
	len = make_query(f, -1, 0xe0000005, (uint8_t[]){ 0x11, 100, 0, 0, 0, 0, 0, 0 }, 8);
	assert_int_equal(sy_igmp_parse(f, len, &v), -SY_E_FORMAT);
	len = make_query(f, -1, SY_IGMP_ALL_HOSTS, (uint8_t[]){ 0x11, 100, 0, 0, 10, 0, 0, 1 }, 8);
	assert_int_equal(sy_igmp_parse(f, len, &v), -SY_E_FORMAT);
	/* general v3 query with a source */
	len = make_query(f, -1, SY_IGMP_ALL_HOSTS,
			 (uint8_t[]){ 0x11, 100, 0, 0, 0, 0, 0, 0, 2, 125, 0, 1, 10, 0, 0, 1 }, 16);
	assert_int_equal(sy_igmp_parse(f, len, &v), -SY_E_FORMAT);

	/* checksums and IP header errors, on a good v2 general query */
	len = make_query(f, -1, SY_IGMP_ALL_HOSTS, (uint8_t[]){ 0x11, 100, 0, 0, 0, 0, 0, 0 }, 8);
	f[14 + 24 + 3] ^= 1;
	assert_int_equal(sy_igmp_parse(f, len, &v), -SY_E_IGMP_CHECKSUM);
	f[14 + 24 + 3] ^= 1;
	f[14 + 10] ^= 1;
	assert_int_equal(sy_igmp_parse(f, len, &v), -SY_E_IP_CHECKSUM);
	f[14 + 10] ^= 1;
	f[14 + 9] = 17;
	assert_int_equal(sy_igmp_parse(f, len, &v), -SY_E_IP_PROTO);
	f[14 + 9] = 2;
	f[14 + 6] = 0x20; /* MF */
	assert_int_equal(sy_igmp_parse(f, len, &v), -SY_E_IP_FRAGMENT);
	f[14 + 6] = 0;
	assert_int_equal(sy_igmp_parse(f, len - 1, &v), -SY_E_IP_TOTAL_LEN);
	assert_int_equal(sy_igmp_parse(f, 33, &v), -SY_E_TRUNCATED);
	assert_int_equal(sy_igmp_parse(f, 13, &v), -SY_E_TRUNCATED);
	f[14] = 0x66;
	assert_int_equal(sy_igmp_parse(f, len, &v), -SY_E_IP_VERSION);
	f[14] = 0x44;
	assert_int_equal(sy_igmp_parse(f, len, &v), -SY_E_IP_HDR_LEN);
	f[14] = 0x46;
	f[13] = 0x06;
	assert_int_equal(sy_igmp_parse(f, len, &v), -SY_E_ETH_TYPE);
}

static struct sy_igmp_view query(uint8_t version, uint32_t group, uint32_t max_ds, unsigned n,
				 const uint8_t *srcs)
{
	struct sy_igmp_view v;

	memset(&v, 0, sizeof(v));
	v.type = SY_IGMP_QUERY;
	v.version = version;
	v.group = group;
	v.max_resp_ds = max_ds;
	v.n_sources = (uint16_t)n;
	v.sources = srcs;
	v.kind = group == 0 ? SY_IGMP_QUERY_GENERAL :
		 n ? SY_IGMP_QUERY_GROUP_SOURCE : SY_IGMP_QUERY_GROUP;
	return v;
}

static void test_memb_join_leave(void **state)
{
	(void)state;
	static struct sy_igmp_memb m;
	struct sy_igmp_record r;

	sy_igmp_memb_init(&m);
	/* any-source join: TO_EX({}); a second join of the same: nothing */
	assert_int_equal(sy_igmp_memb_join(&m, G1, 0, 0, &r), 1);
	assert_int_equal(r.type, SY_IGMP_CHANGE_TO_EXCLUDE);
	assert_int_equal(r.group, G1);
	assert_int_equal(r.n_sources, 0);
	assert_int_equal(sy_igmp_memb_join(&m, G1, 0, 0, &r), 0);
	/* SSM: ALLOW per new source, nothing for a repeated one */
	assert_int_equal(sy_igmp_memb_join(&m, G2, S1, 0, &r), 1);
	assert_int_equal(r.type, SY_IGMP_ALLOW_NEW_SOURCES);
	assert_int_equal(r.n_sources, 1);
	assert_int_equal(r.sources[0], S1);
	assert_int_equal(sy_igmp_memb_join(&m, G2, S2, 0, &r), 1);
	assert_int_equal(r.sources[0], S2);
	assert_int_equal(sy_igmp_memb_join(&m, G2, S2, 0, &r), 0);
	/* a source join on an EXCLUDE({}) group changes nothing on the wire */
	assert_int_equal(sy_igmp_memb_join(&m, G1, S3, 0, &r), 0);
	assert_int_equal(m.n_groups, 2);

	/* leaves */
	assert_int_equal(sy_igmp_memb_leave(&m, G1, 0, 0, &r), 0); /* one ref left */
	assert_int_equal(sy_igmp_memb_leave(&m, G1, 0, 0, &r), 1);
	assert_int_equal(r.type, SY_IGMP_CHANGE_TO_INCLUDE);
	assert_int_equal(r.n_sources, 1); /* S3 still wanted */
	assert_int_equal(r.sources[0], S3);
	assert_int_equal(sy_igmp_memb_leave(&m, G1, 0, 0, &r), -SY_E_STATE);
	assert_int_equal(sy_igmp_memb_leave(&m, G1, S3, 0, &r), 1);
	assert_int_equal(r.type, SY_IGMP_BLOCK_OLD_SOURCES);
	assert_int_equal(r.sources[0], S3);
	assert_int_equal(m.n_groups, 1); /* G1 gone */
	assert_int_equal(sy_igmp_memb_leave(&m, G1, S3, 0, &r), -SY_E_STATE);
	assert_int_equal(sy_igmp_memb_leave(&m, G2, S2, 0, &r), 0);
	assert_int_equal(sy_igmp_memb_leave(&m, G2, S2, 0, &r), 1);
	assert_int_equal(r.type, SY_IGMP_BLOCK_OLD_SOURCES);
	assert_int_equal(sy_igmp_memb_leave(&m, G2, S3, 0, &r), -SY_E_STATE);

	/* range and capacity */
	assert_int_equal(sy_igmp_memb_join(&m, S1, 0, 0, &r), -SY_E_RANGE);
	assert_int_equal(sy_igmp_memb_join(&m, SY_IGMP_ALL_HOSTS, 0, 0, &r), -SY_E_RANGE);
	assert_int_equal(sy_igmp_memb_join(&m, G1, G2, 0, &r), -SY_E_RANGE);
	for (uint32_t s = 2; s <= SY_IGMP_MAX_SOURCES; s++)
		assert_int_equal(sy_igmp_memb_join(&m, G2, S1 + s, 0, &r), 1);
	assert_int_equal(sy_igmp_memb_join(&m, G2, S1 + 100, 0, &r), -SY_E_NOSPACE);
	sy_igmp_memb_init(&m);
	for (uint32_t g = 0; g < SY_IGMP_MEMB_MAX_GROUPS; g++)
		assert_int_equal(sy_igmp_memb_join(&m, G1 + g, 0, 0, &r), 1);
	assert_int_equal(sy_igmp_memb_join(&m, G1 + 999, 0, 0, &r), -SY_E_NOSPACE);
	assert_int_equal(sy_igmp_memb_join(&m, G1, 0, 0, &r), 0); /* existing: fine */
}

static void test_memb_queries(void **state)
{
	(void)state;
	static struct sy_igmp_memb m;
	struct sy_igmp_record r, out[4];
	struct sy_igmp_view q;
	static const uint8_t qs1[8] = { 10, 0, 0, 1, 10, 0, 0, 9 }; /* S1, 10.0.0.9 */
	static const uint8_t qs3[4] = { 10, 0, 0, 3 };

	sy_igmp_memb_init(&m);
	assert_int_equal(sy_igmp_memb_join(&m, G1, 0, 0, &r), 1);
	assert_int_equal(sy_igmp_memb_join(&m, G2, S1, 0, &r), 1);
	assert_int_equal(sy_igmp_memb_join(&m, G2, S2, 0, &r), 1);
	assert_int_equal(sy_igmp_memb_next_due_ms(&m), UINT64_MAX);

	/* general query at t = 1000, 10 s, random half -> due at 6000 */
	q = query(3, 0, 100, 0, NULL);
	assert_int_equal(sy_igmp_memb_on_query(&m, &q, 1000, 0x80000000u), 0);
	assert_int_equal(sy_igmp_memb_next_due_ms(&m), 6000);
	assert_int_equal(sy_igmp_memb_due(&m, 5999, out, 4), 0);
	/* cap 1: one record now, the other on the next call */
	assert_int_equal(sy_igmp_memb_due(&m, 6000, out, 1), 1);
	assert_int_equal(out[0].type, SY_IGMP_MODE_IS_EXCLUDE);
	assert_int_equal(out[0].group, G1);
	assert_int_equal(sy_igmp_memb_due(&m, 6000, out, 4), 1);
	assert_int_equal(out[0].type, SY_IGMP_MODE_IS_INCLUDE);
	assert_int_equal(out[0].group, G2);
	assert_int_equal(out[0].n_sources, 2);
	assert_int_equal(sy_igmp_memb_due(&m, 6000, out, 4), 0);
	assert_int_equal(sy_igmp_memb_next_due_ms(&m), UINT64_MAX);

	/* group-specific: only that group */
	q = query(3, G2, 10, 0, NULL);
	assert_int_equal(sy_igmp_memb_on_query(&m, &q, 10000, 0), 0);
	assert_int_equal(sy_igmp_memb_due(&m, 10000, out, 4), 1);
	assert_int_equal(out[0].group, G2);
	assert_int_equal(out[0].type, SY_IGMP_MODE_IS_INCLUDE);
	assert_int_equal(out[0].n_sources, 2);
	/* for a group we are not in: nothing */
	q = query(3, G1 + 7, 10, 0, NULL);
	assert_int_equal(sy_igmp_memb_on_query(&m, &q, 10000, 0), 0);
	assert_int_equal(sy_igmp_memb_due(&m, 20000, out, 4), 0);

	/* group-and-source {S1, 10.0.0.9} on INCLUDE {S1, S2}: IS_IN({S1}) */
	q = query(3, G2, 10, 2, qs1);
	assert_int_equal(sy_igmp_memb_on_query(&m, &q, 20000, 0), 0);
	assert_int_equal(sy_igmp_memb_due(&m, 20000, out, 4), 1);
	assert_int_equal(out[0].type, SY_IGMP_MODE_IS_INCLUDE);
	assert_int_equal(out[0].n_sources, 1);
	assert_int_equal(out[0].sources[0], S1);
	/* on EXCLUDE({}) G1: every queried source is received */
	q = query(3, G1, 10, 2, qs1);
	assert_int_equal(sy_igmp_memb_on_query(&m, &q, 20000, 0), 0);
	assert_int_equal(sy_igmp_memb_due(&m, 20000, out, 4), 1);
	assert_int_equal(out[0].n_sources, 2);
	/* queried sources we do not want: no record at all */
	q = query(3, G2, 10, 1, qs3);
	assert_int_equal(sy_igmp_memb_on_query(&m, &q, 20000, 0), 0);
	assert_int_equal(sy_igmp_memb_due(&m, 20000, out, 4), 0);

	/* rule 5: two source queries merge; earliest time wins */
	q = query(3, G2, 100, 1, qs3);
	assert_int_equal(sy_igmp_memb_on_query(&m, &q, 30000, 0xffffffffu), 0); /* at 40000 */
	q = query(3, G2, 100, 2, qs1);
	assert_int_equal(sy_igmp_memb_on_query(&m, &q, 30000, 0x80000000u), 0); /* at 35000 */
	assert_int_equal(sy_igmp_memb_next_due_ms(&m), 35000);
	assert_int_equal(m.groups[1].n_queried, 3);
	assert_int_equal(sy_igmp_memb_due(&m, 35000, out, 4), 1);
	assert_int_equal(out[0].n_sources, 1); /* S1 of {S3, S1, .9} */
	/* rule 4: a group query widens a pending source query to the group */
	q = query(3, G2, 100, 1, qs3);
	assert_int_equal(sy_igmp_memb_on_query(&m, &q, 40000, 0), 0);
	q = query(3, G2, 100, 0, NULL);
	assert_int_equal(sy_igmp_memb_on_query(&m, &q, 40000, 0xffffffffu), 0);
	assert_int_equal(sy_igmp_memb_due(&m, 40000, out, 4), 1);
	assert_int_equal(out[0].n_sources, 2); /* the whole state, at the earlier time */
	/* rule 1: a general response due sooner makes a group query moot */
	q = query(3, 0, 100, 0, NULL);
	assert_int_equal(sy_igmp_memb_on_query(&m, &q, 50000, 0), 0); /* at 50000 */
	q = query(3, G2, 100, 0, NULL);
	assert_int_equal(sy_igmp_memb_on_query(&m, &q, 50000, 0x80000000u), 0);
	assert_false(m.groups[1].pending);
	assert_int_equal(sy_igmp_memb_due(&m, 50000, out, 4), 2);
	/* rule 2: a new general query replaces the pending one */
	q = query(3, 0, 100, 0, NULL);
	assert_int_equal(sy_igmp_memb_on_query(&m, &q, 60000, 0xffffffffu), 0);
	assert_int_equal(sy_igmp_memb_on_query(&m, &q, 60000, 0), 0); /* sooner: replaces */
	assert_int_equal(sy_igmp_memb_next_due_ms(&m), 60000);
	assert_int_equal(sy_igmp_memb_due(&m, 60000, out, 4), 2);
	/* the current state, unsolicited */
	assert_int_equal(sy_igmp_memb_current(&m, out, 4), 2);
	/* not a query */
	q.type = SY_IGMP_V3_REPORT;
	assert_int_equal(sy_igmp_memb_on_query(&m, &q, 0, 0), -SY_E_FORMAT);
}

static void test_memb_compat(void **state)
{
	(void)state;
	static struct sy_igmp_memb m;
	struct sy_igmp_record r;
	struct sy_igmp_view q;

	sy_igmp_memb_init(&m);
	assert_int_equal(sy_igmp_memb_version(&m, 0), 3);
	q = query(2, 0, 100, 0, NULL);
	assert_int_equal(sy_igmp_memb_on_query(&m, &q, 1000, 0), 0);
	/* Older Version Querier Present: 2 x 125 s + 10 s */
	assert_int_equal(sy_igmp_memb_version(&m, 1000), 2);
	assert_int_equal(sy_igmp_memb_version(&m, 1000 + 259999), 2);
	assert_int_equal(sy_igmp_memb_version(&m, 1000 + 260000), 3);
	q = query(1, 0, 100, 0, NULL);
	assert_int_equal(sy_igmp_memb_on_query(&m, &q, 2000, 0), 0);
	assert_int_equal(sy_igmp_memb_version(&m, 2000), 1);
	/* in compat mode the last source leaving reads TO_IN({}) (a v2 Leave) */
	assert_int_equal(sy_igmp_memb_join(&m, G2, S1, 3000, &r), 1);
	assert_int_equal(sy_igmp_memb_leave(&m, G2, S1, 3000, &r), 1);
	assert_int_equal(r.type, SY_IGMP_CHANGE_TO_INCLUDE);
	assert_int_equal(r.n_sources, 0);
	/* and BLOCK again once the old querier is gone */
	assert_int_equal(sy_igmp_memb_join(&m, G2, S1, 400000, &r), 1);
	assert_int_equal(sy_igmp_memb_leave(&m, G2, S1, 400000, &r), 1);
	assert_int_equal(r.type, SY_IGMP_BLOCK_OLD_SOURCES);
}

/* tshark, if present, must dissect the built frames with good checksums. */
static void test_tshark(void **state)
{
	(void)state;
	struct sy_igmp_host h = host();
	struct sy_igmp_record r[2] = {
		rec(SY_IGMP_CHANGE_TO_EXCLUDE, G1, 0, NULL),
		rec(SY_IGMP_ALLOW_NEW_SOURCES, G2, 2, (uint32_t[]){ S1, S2 }),
	};
	struct sy_igmp_report_cursor cur = { 0 };
	uint8_t f[2][128];
	int len[2];
	char path[] = "/tmp/sy_igmp_XXXXXX", cmd[512], line[256];
	FILE *p;
	int fd, n = 0;

	if (system("command -v tshark >/dev/null 2>&1") != 0)
		skip();
	len[0] = sy_igmp_build_report(&h, r, 2, &cur, f[0], sizeof(f[0]));
	len[1] = sy_igmp_build_v2(&h, SY_IGMP_V2_LEAVE, G1, f[1], sizeof(f[1]));
	assert_true(len[0] > 0 && len[1] > 0);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	p = fdopen(fd, "wb");
	assert_non_null(p);
	uint32_t gh[6] = { 0xa1b2c3d4, 0x00040002, 0, 0, 65535, 1 }; /* LE host */
	fwrite(gh, 4, 6, p);
	for (int i = 0; i < 2; i++) {
		uint32_t ph[4] = { (uint32_t)i, 0, (uint32_t)len[i], (uint32_t)len[i] };

		fwrite(ph, 4, 4, p);
		fwrite(f[i], 1, (size_t)len[i], p);
	}
	fclose(p);
	snprintf(cmd, sizeof(cmd),
		 "tshark -r %s -o ip.check_checksum:TRUE -T fields -e igmp.type "
		 "-e igmp.checksum.status -e ip.checksum.status 2>/dev/null", path);
	p = popen(cmd, "r");
	assert_non_null(p);
	while (fgets(line, sizeof(line), p)) {
		/* status 1 = "Good" */
		assert_string_equal(line, n == 0 ? "0x22\t1\t1\n" : "0x17\t1\t1\n");
		n++;
	}
	pclose(p);
	unlink(path);
	assert_int_equal(n, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_codes),
		cmocka_unit_test(test_delay),
		cmocka_unit_test(test_report_join_bytes),
		cmocka_unit_test(test_report_parse_back),
		cmocka_unit_test(test_report_split),
		cmocka_unit_test(test_v2_and_compat),
		cmocka_unit_test(test_parse_queries),
		cmocka_unit_test(test_memb_join_leave),
		cmocka_unit_test(test_memb_queries),
		cmocka_unit_test(test_memb_compat),
		cmocka_unit_test(test_tshark),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
