/* SPDX-License-Identifier: MIT */
/*
 * sy_igmp.h: IGMP host side (IGMPv3, RFC 3376; v1/v2 queries and compat,
 * RFC 2236): report builder, message parser, per-port membership state.
 *
 * Why: with kernel bypass nobody sends membership reports for the
 * dataplane's ports, and IGMP-snooping switches forward a multicast group
 * to a port only while that port answers queries for it. The dataplane's
 * host lcore keeps one struct sy_igmp_memb per port, feeds it joins, leaves
 * and received queries, and sends the reports these functions build.
 *
 * Frame built (untagged; an 802.1Q tag may sit before the type):
 *
 *   offset  bytes  field
 *   0       6      dst MAC 01:00:5e:00:00:16 (v3) / group MAC (v1/v2)
 *   6       6      src MAC
 *   12      2      0x0800
 *   14      24     IPv4: 0x46 tos 0xc0 len id 0 DF ttl 1 proto 2 csum
 *                  src dst(224.0.0.22 for v3) + Router Alert 94 04 00 00
 *   38      8      IGMPv3 report: type 0x22, 0, csum, 0, n_records(2)
 *   46      ...    records: type(1) aux_len(1)=0 n_sources(2) group(4)
 *                  then n_sources x source(4)
 *   padded with zeros to 60 bytes (64 tagged); the IP length excludes it.
 *
 * Query (type 0x11), RFC 3376 4.1 / 7.1: 8 bytes = v1 (code 0) or v2;
 * >= 12 bytes = v3: type code csum group, resv|S|QRV(1) QQIC(1) n(2),
 * n x source(4). Codes >= 128 are floating point (4.1.1):
 * (mant | 0x10) << (exp + 3) with exp = bits 4-6, mant = bits 0-3.
 *
 * Any thread; pure; integer only; no allocation. Times are ms on a
 * caller-chosen monotonic clock; random values are supplied by the caller.
 */
#ifndef SY_IGMP_H
#define SY_IGMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* IGMP message types (wire values). */
#define SY_IGMP_QUERY 0x11u
#define SY_IGMP_V1_REPORT 0x12u
#define SY_IGMP_V2_REPORT 0x16u
#define SY_IGMP_V2_LEAVE 0x17u
#define SY_IGMP_V3_REPORT 0x22u

#define SY_IGMP_ALL_HOSTS 0xe0000001u   /* 224.0.0.1 */
#define SY_IGMP_ALL_ROUTERS 0xe0000002u /* 224.0.0.2 */
#define SY_IGMP_V3_ROUTERS 0xe0000016u  /* 224.0.0.22 */

/* Sources per group (SSM) held by a record and by the membership table. */
#define SY_IGMP_MAX_SOURCES 8u
/* Groups per port in the membership table. */
#define SY_IGMP_MEMB_MAX_GROUPS 256u
/* Smallest IP MTU accepted by the report builder (RFC 791). */
#define SY_IGMP_MIN_MTU 68u
/* IP header of every message built: 20 + Router Alert option. */
#define SY_IGMP_IP_HDR_BYTES 24u
/* Default Older Version Querier Present Timeout base: Robustness 2 x 125 s. */
#define SY_IGMP_OLDER_QUERIER_BASE_MS 250000u

/* Group record types, RFC 3376 4.2.12 (wire values). */
enum sy_igmp_rec_type {
	SY_IGMP_REC_NONE = 0,
	SY_IGMP_MODE_IS_INCLUDE = 1,
	SY_IGMP_MODE_IS_EXCLUDE = 2,
	SY_IGMP_CHANGE_TO_INCLUDE = 3,
	SY_IGMP_CHANGE_TO_EXCLUDE = 4,
	SY_IGMP_ALLOW_NEW_SOURCES = 5,
	SY_IGMP_BLOCK_OLD_SOURCES = 6,
	SY_IGMP_REC_TYPE_MAX
};

enum sy_igmp_query_kind {
	SY_IGMP_QUERY_NONE,         /* not a query */
	SY_IGMP_QUERY_GENERAL,      /* group 0 */
	SY_IGMP_QUERY_GROUP,        /* group-specific */
	SY_IGMP_QUERY_GROUP_SOURCE, /* group-and-source-specific (v3) */
	SY_IGMP_QUERY_KIND_MAX
};

/* One group record; addresses host order. */
struct sy_igmp_record {
	uint32_t group;
	uint8_t type;      /* enum sy_igmp_rec_type */
	uint8_t n_sources; /* <= SY_IGMP_MAX_SOURCES */
	uint32_t sources[SY_IGMP_MAX_SOURCES];
};

/* This host on one port: where reports come from. */
struct sy_igmp_host {
	uint8_t mac[6];
	uint32_t ip;       /* host order; 0 allowed before an address is set */
	bool vlan;
	uint16_t vlan_tci;
	uint16_t mtu;      /* largest IP datagram in bytes; 0 means 1500 */
};

/* Resume point of a multi-report build; zero it before the first call. */
struct sy_igmp_report_cursor {
	size_t rec_idx;
	uint32_t src_idx;
};

/* A parsed IGMP message. Pointers point into the frame given to parse. */
struct sy_igmp_view {
	uint8_t eth_src[6];
	bool vlan;
	uint16_t vlan_tci;
	uint32_t src_ip;
	uint32_t dst_ip;
	uint8_t ttl;
	bool router_alert; /* IP Router Alert option present */
	uint8_t type;      /* SY_IGMP_QUERY, ... (other types: parsed, no fields) */
	const uint8_t *igmp;
	size_t igmp_len;   /* IP payload bytes */
	uint32_t group;    /* queries, v1/v2 reports and leaves */
	/* queries */
	uint8_t version;   /* 1, 2 or 3 */
	uint8_t kind;      /* enum sy_igmp_query_kind */
	uint32_t max_resp_ds; /* decoded Max Resp Time, 1/10 s (v1: 100) */
	bool s_flag;
	uint8_t qrv;       /* 0..7 as sent (0: use the default, 2) */
	uint32_t qqi_s;    /* decoded QQIC, seconds (0: default 125) */
	uint16_t n_sources;
	const uint8_t *sources; /* n_sources x 4 bytes, big-endian */
	/* v3 reports */
	uint16_t n_records;
	size_t records_end; /* offset in igmp after the n_records-th record */
};

/* The membership table of one port (interface state, RFC 3376 3.2). */
struct sy_igmp_memb_source {
	uint32_t ip;
	uint32_t refs;
};

struct sy_igmp_memb_group {
	uint32_t group;
	uint32_t asm_refs; /* any-source joins: state EXCLUDE({}) while > 0 */
	uint8_t n_sources; /* source-specific joins: INCLUDE(sources) otherwise */
	struct sy_igmp_memb_source sources[SY_IGMP_MAX_SOURCES];
	bool pending;      /* a group(-and-source)-specific response is due */
	uint8_t n_queried; /* 0: whole group; else the queried sources */
	uint64_t pending_at_ms;
	uint32_t queried[SY_IGMP_MAX_SOURCES];
};

struct sy_igmp_memb {
	uint32_t n_groups;
	bool general_pending;
	uint32_t general_next; /* next group of a general response being written */
	uint64_t general_at_ms;
	uint64_t v1_until_ms;  /* older-version querier present until */
	uint64_t v2_until_ms;
	struct sy_igmp_memb_group groups[SY_IGMP_MEMB_MAX_GROUPS];
};

/* --- codes --- */

/* Max Resp Code / QQIC (RFC 3376 4.1.1, 4.1.7) to its value (1/10 s or s). */
uint32_t sy_igmp_code_decode(uint8_t code);
/* Value to code: exact below 128, else the largest representable <= value
 * (values above 31744 give 0xff). */
uint8_t sy_igmp_code_encode(uint32_t value);

/*
 * Response delay for a query with Max Resp Time max_resp_ds (1/10 s):
 * uniform in [0, max_resp_ds * 100] ms from a 32-bit random value,
 * (rand32 * (max + 1)) >> 32, no modulo bias.
 */
uint32_t sy_igmp_delay_ms(uint32_t max_resp_ds, uint32_t rand32);

/* --- building --- */

/*
 * Build the next IGMPv3 report of records[0..n) from *cur into buf and
 * advance *cur. A datagram holds at most min(mtu, cap - L2 header) bytes;
 * records that do not fit go to the next report; a record too large for an
 * empty report is split by sources, except IS_EX/TO_EX which keep as many
 * sources as fit and drop the rest (RFC 3376 4.2.16).
 * Returns the frame length (> 0), 0 when every record has been sent, or
 * -SY_E_RANGE (mtu < 68, record type not 1..6, group not multicast,
 * n_sources > SY_IGMP_MAX_SOURCES), -SY_E_NOSPACE (cap too small).
 */
int sy_igmp_build_report(const struct sy_igmp_host *h, const struct sy_igmp_record *records,
			 size_t n, struct sy_igmp_report_cursor *cur, uint8_t *buf, size_t cap);

/*
 * Build an 8-byte IGMPv1/v2 message: SY_IGMP_V1_REPORT or SY_IGMP_V2_REPORT
 * to the group, SY_IGMP_V2_LEAVE to 224.0.0.2. Same IP header as v3.
 * Returns the frame length, -SY_E_RANGE (type, group), -SY_E_NOSPACE.
 */
int sy_igmp_build_v2(const struct sy_igmp_host *h, uint8_t type, uint32_t group, uint8_t *buf,
		     size_t cap);

/*
 * A v3 record as the message of an older version (RFC 3376 7.3.2) for
 * version 1 or 2: IS_EX, TO_EX, and IS_IN / TO_IN / ALLOW with sources ->
 * report; TO_IN({}) -> v2 leave (nothing for v1); BLOCK -> nothing.
 * Returns the frame length, 0 if nothing is sent, or build_v2's errors.
 */
int sy_igmp_build_compat(const struct sy_igmp_host *h, uint8_t version,
			 const struct sy_igmp_record *rec, uint8_t *buf, size_t cap);

/* --- parsing --- */

/*
 * Parse an Ethernet frame carrying IGMP, verifying the IP and IGMP
 * checksums. Fields are filled per type: queries (version by length and
 * code, kind, decoded times, sources), v1/v2 reports and leaves (group), v3
 * reports (n_records; every record checked to lie inside the message).
 * 0, or -SY_E_TRUNCATED, -SY_E_ETH_TYPE, -SY_E_IP_VERSION, -SY_E_IP_HDR_LEN,
 * -SY_E_IP_TOTAL_LEN, -SY_E_IP_FRAGMENT, -SY_E_IP_PROTO (not IGMP),
 * -SY_E_IP_CHECKSUM, -SY_E_IGMP_CHECKSUM, -SY_E_FORMAT (query of 9..11
 * bytes; group not multicast; general query with sources or not sent to
 * 224.0.0.1).
 */
int sy_igmp_parse(const uint8_t *frame, size_t len, struct sy_igmp_view *out);

/*
 * Iterate the records of a parsed v3 report: *off starts at 0. Returns 1
 * and fills rec (sources beyond SY_IGMP_MAX_SOURCES are not copied;
 * *wire_sources, if not NULL, gets the count on the wire), or 0 at the end.
 */
int sy_igmp_report_next(const struct sy_igmp_view *v, size_t *off, struct sy_igmp_record *rec,
			uint32_t *wire_sources);

/* --- membership state of one port --- */

void sy_igmp_memb_init(struct sy_igmp_memb *m);

/*
 * Join group for any source (source 0) or for one source (SSM). Joins are
 * counted: only the first join of a (group, source) changes the state.
 * Returns 1 with *rec the state-change record to send (TO_EX({}) when the
 * group goes to EXCLUDE, ALLOW({s}) when an INCLUDE list grows), 0 if the
 * interface state did not change, or -SY_E_RANGE (group not multicast or
 * 224.0.0.1; source multicast), -SY_E_NOSPACE (table or source list full).
 * now_ms picks the compat mode (see sy_igmp_memb_version).
 */
int sy_igmp_memb_join(struct sy_igmp_memb *m, uint32_t group, uint32_t source,
		      uint64_t now_ms, struct sy_igmp_record *rec);

/*
 * Undo one join. Returns 1 with *rec (TO_IN(remaining sources) when the
 * last any-source join goes; BLOCK({s}) when an INCLUDE list shrinks, or
 * TO_IN({}) instead when the group empties in v1/v2 compat mode), 0 if the
 * state did not change, or -SY_E_STATE (not joined).
 * The caller repeats a state-change record Robustness - 1 more times at
 * random intervals in [0, 1 s] (RFC 3376 5.1), dropping repeats that a
 * newer record for the same group supersedes.
 */
int sy_igmp_memb_leave(struct sy_igmp_memb *m, uint32_t group, uint32_t source,
		       uint64_t now_ms, struct sy_igmp_record *rec);

/*
 * A parsed query arrived: schedule the response at now_ms + delay
 * (sy_igmp_delay_ms(max_resp_ds, rand32)) by the five rules of RFC 3376
 * 5.2 (pending general response sooner: nothing; general: replace; group:
 * earliest of old and new, source lists merged or widened to the whole
 * group), and note an older-version querier (7.2.1).
 * 0, or -SY_E_FORMAT if v is not a query.
 */
int sy_igmp_memb_on_query(struct sy_igmp_memb *m, const struct sy_igmp_view *v,
			  uint64_t now_ms, uint32_t rand32);

/*
 * Current-state records due at now_ms into recs[0..cap): IS_EX({}) or
 * IS_IN(sources) per group for a general response, the same for one group
 * for a group-specific one, IS_IN(queried sources in the state) for a
 * group-and-source one (nothing if that is empty). Returns the count; if
 * cap was too small the rest stays due (call again).
 */
size_t sy_igmp_memb_due(struct sy_igmp_memb *m, uint64_t now_ms, struct sy_igmp_record *recs,
			size_t cap);

/* Every group's current-state record (e.g. to report after link up). */
size_t sy_igmp_memb_current(const struct sy_igmp_memb *m, struct sy_igmp_record *recs,
			    size_t cap);

/* Earliest pending response time, or UINT64_MAX if none. */
uint64_t sy_igmp_memb_next_due_ms(const struct sy_igmp_memb *m);

/* Host compatibility mode at now_ms (RFC 3376 7.2.1): 1, 2 or 3. */
uint8_t sy_igmp_memb_version(const struct sy_igmp_memb *m, uint64_t now_ms);

#endif
