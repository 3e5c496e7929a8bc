/* SPDX-License-Identifier: MIT */
/*
 * test_sy_arp.c: ARP parse / classify (RFC 826, RFC 5227) / build.
 * Frames are written out byte by byte here, independently of the builder,
 * and the built frames are checked field by field.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sy_arp.h"
#include "sy_bytes.h"
#include "sy_err.h"

static const uint8_t our_mac[6] = { 0x02, 0x53, 0x59, 0x00, 0x00, 0x01 };
static const uint8_t peer_mac[6] = { 0x3c, 0xfd, 0xfe, 0x12, 0x34, 0x56 };
static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
#define OUR_IP 0xc0a8010au  /* 192.168.1.10 */
#define PEER_IP 0xc0a80101u /* 192.168.1.1 */

static struct sy_arp_local local(void)
{
	struct sy_arp_local l;

	memset(&l, 0, sizeof(l));
	memcpy(l.mac, our_mac, 6);
	l.ip = OUR_IP;
	return l;
}

/* A request as a peer sends it: 42 bytes (+4 tagged), no padding. */
static size_t make(uint8_t *f, int tci, const uint8_t dst[6], uint16_t op, const uint8_t sha[6],
		   uint32_t spa, uint32_t tpa)
{
	size_t o = 12;

	memset(f, 0xee, 80); /* garbage after the body must not matter */
	memcpy(f, dst, 6);
	memcpy(f + 6, sha, 6);
	if (tci >= 0) {
		f[12] = 0x81, f[13] = 0x00;
		sy_store_be16(f + 14, (uint16_t)tci);
		o += 4;
	}
	f[o] = 0x08, f[o + 1] = 0x06;
	uint8_t *a = f + o + 2;
	a[0] = 0, a[1] = 1;       /* htype Ethernet */
	a[2] = 0x08, a[3] = 0x00; /* ptype IPv4 */
	a[4] = 6, a[5] = 4;
	a[6] = 0, a[7] = (uint8_t)op;
	memcpy(a + 8, sha, 6);
	sy_store_be32(a + 14, spa);
	memset(a + 18, 0, 6);
	sy_store_be32(a + 24, tpa);
	return o + 2 + 28;
}

static void test_parse_request(void **state)
{
	(void)state;
	uint8_t f[80];
	struct sy_arp_view v;
	size_t len = make(f, -1, bcast, 1, peer_mac, PEER_IP, OUR_IP);

	assert_int_equal(len, 42);
	assert_int_equal(sy_arp_parse(f, len, &v), 0);
	assert_int_equal(v.op, SY_ARP_OP_REQUEST);
	assert_memory_equal(v.eth_dst, bcast, 6);
	assert_memory_equal(v.eth_src, peer_mac, 6);
	assert_memory_equal(v.sha, peer_mac, 6);
	assert_int_equal(v.spa, PEER_IP);
	assert_int_equal(v.tpa, OUR_IP);
	assert_false(v.vlan);
	assert_int_equal(v.vlan_tci, 0);
	/* with 18 bytes of padding (a 60-byte frame) */
	assert_int_equal(sy_arp_parse(f, 60, &v), 0);
}

static void test_reply_bytes(void **state)
{
	(void)state;
	uint8_t f[80], r[80];
	struct sy_arp_view v, back;
	struct sy_arp_local l = local();
	size_t len = make(f, -1, bcast, 1, peer_mac, PEER_IP, OUR_IP);

	assert_int_equal(sy_arp_parse(f, len, &v), 0);
	assert_int_equal(sy_arp_classify(&v, &l), SY_ARP_REPLY);
	memset(r, 0xaa, sizeof(r));
	assert_int_equal(sy_arp_build_reply(&l, &v, r, sizeof(r)), 60);
	/* Ethernet: unicast to the requester, from us, type ARP */
	assert_memory_equal(r + 0, peer_mac, 6);
	assert_memory_equal(r + 6, our_mac, 6);
	assert_int_equal(r[12], 0x08);
	assert_int_equal(r[13], 0x06);
	/* ARP header */
	assert_int_equal(sy_load_be16(r + 14), 1);
	assert_int_equal(sy_load_be16(r + 16), 0x0800);
	assert_int_equal(r[18], 6);
	assert_int_equal(r[19], 4);
	assert_int_equal(sy_load_be16(r + 20), 2); /* reply */
	assert_memory_equal(r + 22, our_mac, 6);   /* sha */
	assert_int_equal(sy_load_be32(r + 28), OUR_IP);
	assert_memory_equal(r + 32, peer_mac, 6);  /* tha */
	assert_int_equal(sy_load_be32(r + 38), PEER_IP);
	for (size_t i = 42; i < 60; i++)
		assert_int_equal(r[i], 0);
	assert_int_equal(r[60], 0xaa); /* nothing written past the frame */
	/* and it parses back as a reply our peer would accept */
	assert_int_equal(sy_arp_parse(r, 60, &back), 0);
	assert_int_equal(back.op, SY_ARP_OP_REPLY);
	assert_int_equal(sy_arp_classify(&back, &l), SY_ARP_IGNORE); /* our own */

	/* unicast request to our MAC (cache refresh, RFC 1122) is answered */
	len = make(f, -1, our_mac, 1, peer_mac, PEER_IP, OUR_IP);
	assert_int_equal(sy_arp_parse(f, len, &v), 0);
	assert_int_equal(sy_arp_classify(&v, &l), SY_ARP_REPLY);
	/* buffer one byte short */
	assert_int_equal(sy_arp_build_reply(&l, &v, r, 59), -SY_E_NOSPACE);
}

static void test_vlan(void **state)
{
	(void)state;
	uint8_t f[80], r[80];
	struct sy_arp_view v;
	struct sy_arp_local l = local();
	size_t len = make(f, 0x2064, bcast, 1, peer_mac, PEER_IP, OUR_IP); /* PCP 1, VID 100 */

	assert_int_equal(len, 46);
	assert_int_equal(sy_arp_parse(f, len, &v), 0);
	assert_true(v.vlan);
	assert_int_equal(v.vlan_tci, 0x2064);
	assert_int_equal(sy_arp_classify(&v, &l), SY_ARP_REPLY);
	assert_int_equal(sy_arp_build_reply(&l, &v, r, sizeof(r)), 64);
	assert_int_equal(sy_load_be16(r + 12), 0x8100);
	assert_int_equal(sy_load_be16(r + 14), 0x2064);
	assert_int_equal(sy_load_be16(r + 16), 0x0806);
	assert_int_equal(sy_load_be16(r + 24), 2);
	assert_int_equal(sy_load_be32(r + 32), OUR_IP);
	assert_int_equal(sy_load_be32(r + 42), PEER_IP);
	for (size_t i = 46; i < 64; i++)
		assert_int_equal(r[i], 0);
	assert_int_equal(sy_arp_build_reply(&l, &v, r, 63), -SY_E_NOSPACE);
	/* VLAN tag with the body cut */
	assert_int_equal(sy_arp_parse(f, 45, &v), -SY_E_TRUNCATED);
	assert_int_equal(sy_arp_parse(f, 17, &v), -SY_E_TRUNCATED);
	/* tag carrying IPv4 is not ARP */
	f[16] = 0x08, f[17] = 0x00;
	assert_int_equal(sy_arp_parse(f, len, &v), -SY_E_ETH_TYPE);
}

static void test_not_ours(void **state)
{
	(void)state;
	uint8_t f[80];
	struct sy_arp_view v;
	struct sy_arp_local l = local();
	static const uint8_t other_mac[6] = { 0x02, 0, 0, 0, 0, 0x99 };
	static const uint8_t mcast_mac[6] = { 0x01, 0x00, 0x5e, 0, 0, 1 };

	/* request for another host */
	assert_int_equal(sy_arp_parse(f, make(f, -1, bcast, 1, peer_mac, PEER_IP, OUR_IP + 1), &v), 0);
	assert_int_equal(sy_arp_classify(&v, &l), SY_ARP_IGNORE);
	/* a reply to us: nothing to send (the resolver learns spa -> sha) */
	assert_int_equal(sy_arp_parse(f, make(f, -1, our_mac, 2, peer_mac, PEER_IP, OUR_IP), &v), 0);
	assert_int_equal(sy_arp_classify(&v, &l), SY_ARP_IGNORE);
	/* for our IP but unicast to another MAC (seen in promiscuous mode) */
	assert_int_equal(sy_arp_parse(f, make(f, -1, other_mac, 1, peer_mac, PEER_IP, OUR_IP), &v), 0);
	assert_int_equal(sy_arp_classify(&v, &l), SY_ARP_IGNORE);
	/* bogus senders: group MAC, multicast / broadcast / loopback IP */
	assert_int_equal(sy_arp_parse(f, make(f, -1, bcast, 1, mcast_mac, PEER_IP, OUR_IP), &v), 0);
	assert_int_equal(sy_arp_classify(&v, &l), SY_ARP_IGNORE);
	assert_int_equal(sy_arp_parse(f, make(f, -1, bcast, 1, peer_mac, 0xe0000001, OUR_IP), &v), 0);
	assert_int_equal(sy_arp_classify(&v, &l), SY_ARP_IGNORE);
	assert_int_equal(sy_arp_parse(f, make(f, -1, bcast, 1, peer_mac, 0xffffffff, OUR_IP), &v), 0);
	assert_int_equal(sy_arp_classify(&v, &l), SY_ARP_IGNORE);
	assert_int_equal(sy_arp_parse(f, make(f, -1, bcast, 1, peer_mac, 0x7f000001, OUR_IP), &v), 0);
	assert_int_equal(sy_arp_classify(&v, &l), SY_ARP_IGNORE);
	/* our own frame looped back */
	assert_int_equal(sy_arp_parse(f, make(f, -1, bcast, 1, our_mac, OUR_IP, OUR_IP), &v), 0);
	assert_int_equal(sy_arp_classify(&v, &l), SY_ARP_IGNORE);
	/* no address configured yet: answer nothing, not even probes */
	l.ip = 0;
	assert_int_equal(sy_arp_parse(f, make(f, -1, bcast, 1, peer_mac, 0, 0), &v), 0);
	assert_int_equal(sy_arp_classify(&v, &l), SY_ARP_IGNORE);
}

static void test_probe_and_conflict(void **state)
{
	(void)state;
	uint8_t f[80], r[80];
	struct sy_arp_view v;
	struct sy_arp_local l = local();

	/* RFC 5227 probe for our address: defend with a reply, tpa 0 */
	assert_int_equal(sy_arp_parse(f, make(f, -1, bcast, 1, peer_mac, 0, OUR_IP), &v), 0);
	assert_int_equal(sy_arp_classify(&v, &l), SY_ARP_REPLY);
	assert_int_equal(sy_arp_build_reply(&l, &v, r, sizeof(r)), 60);
	assert_memory_equal(r, peer_mac, 6);
	assert_memory_equal(r + 32, peer_mac, 6);
	assert_int_equal(sy_load_be32(r + 38), 0);
	/* probe for someone else's address: not ours to answer */
	assert_int_equal(sy_arp_parse(f, make(f, -1, bcast, 1, peer_mac, 0, PEER_IP), &v), 0);
	assert_int_equal(sy_arp_classify(&v, &l), SY_ARP_IGNORE);
	/* another host announces our address (gratuitous request) */
	assert_int_equal(sy_arp_parse(f, make(f, -1, bcast, 1, peer_mac, OUR_IP, OUR_IP), &v), 0);
	assert_int_equal(sy_arp_classify(&v, &l), SY_ARP_CONFLICT);
	/* ... or replies with it (gratuitous reply) */
	assert_int_equal(sy_arp_parse(f, make(f, -1, bcast, 2, peer_mac, OUR_IP, OUR_IP), &v), 0);
	assert_int_equal(sy_arp_classify(&v, &l), SY_ARP_CONFLICT);
	/* ... or asks for a third host from our address */
	assert_int_equal(sy_arp_parse(f, make(f, -1, bcast, 1, peer_mac, OUR_IP, PEER_IP), &v), 0);
	assert_int_equal(sy_arp_classify(&v, &l), SY_ARP_CONFLICT);
	/* another host's announcement of its own address: nothing to do */
	assert_int_equal(sy_arp_parse(f, make(f, -1, bcast, 1, peer_mac, PEER_IP, PEER_IP), &v), 0);
	assert_int_equal(sy_arp_classify(&v, &l), SY_ARP_IGNORE);
}

static void test_malformed(void **state)
{
	(void)state;
	uint8_t f[80];
	struct sy_arp_view v;
	size_t len = make(f, -1, bcast, 1, peer_mac, PEER_IP, OUR_IP);

	assert_int_equal(sy_arp_parse(f, 0, &v), -SY_E_TRUNCATED);
	assert_int_equal(sy_arp_parse(f, 13, &v), -SY_E_TRUNCATED);
	assert_int_equal(sy_arp_parse(f, 41, &v), -SY_E_TRUNCATED);
	assert_int_equal(sy_arp_parse(f, 42, &v), 0);
	f[13] = 0x00; /* IPv4 */
	assert_int_equal(sy_arp_parse(f, len, &v), -SY_E_ETH_TYPE);
	f[13] = 0x06;
	f[15] = 6; /* htype IEEE 802 */
	assert_int_equal(sy_arp_parse(f, len, &v), -SY_E_FORMAT);
	f[15] = 1;
	f[16] = 0x86, f[17] = 0xdd; /* ptype IPv6 */
	assert_int_equal(sy_arp_parse(f, len, &v), -SY_E_FORMAT);
	f[16] = 0x08, f[17] = 0x00;
	f[18] = 8; /* hlen */
	assert_int_equal(sy_arp_parse(f, len, &v), -SY_E_FORMAT);
	f[18] = 6;
	f[19] = 16; /* plen */
	assert_int_equal(sy_arp_parse(f, len, &v), -SY_E_FORMAT);
	f[19] = 4;
	for (unsigned op = 0; op < 10; op++) { /* only 1 and 2 */
		f[21] = (uint8_t)op;
		assert_int_equal(sy_arp_parse(f, len, &v),
				 op == 1 || op == 2 ? 0 : -SY_E_FORMAT);
	}
	f[20] = 1, f[21] = 1; /* op 257 */
	assert_int_equal(sy_arp_parse(f, len, &v), -SY_E_FORMAT);
}

static void test_request_announce(void **state)
{
	(void)state;
	uint8_t r[80];
	struct sy_arp_view v;
	struct sy_arp_local l = local();
	static const uint8_t zero[6];

	assert_int_equal(sy_arp_build_request(&l, PEER_IP, r, sizeof(r)), 60);
	assert_memory_equal(r, bcast, 6);
	assert_memory_equal(r + 6, our_mac, 6);
	assert_int_equal(sy_load_be16(r + 12), 0x0806);
	assert_int_equal(sy_load_be16(r + 20), 1);
	assert_memory_equal(r + 22, our_mac, 6);
	assert_int_equal(sy_load_be32(r + 28), OUR_IP);
	assert_memory_equal(r + 32, zero, 6);
	assert_int_equal(sy_load_be32(r + 38), PEER_IP);
	/* the peer would answer it */
	struct sy_arp_local peer = { .ip = PEER_IP };
	memcpy(peer.mac, peer_mac, 6);
	assert_int_equal(sy_arp_parse(r, 60, &v), 0);
	assert_int_equal(sy_arp_classify(&v, &peer), SY_ARP_REPLY);

	assert_int_equal(sy_arp_build_request(&l, 0, r, sizeof(r)), -SY_E_RANGE);
	assert_int_equal(sy_arp_build_request(&l, 0xef010203, r, sizeof(r)), -SY_E_RANGE);
	assert_int_equal(sy_arp_build_request(&l, 0xffffffff, r, sizeof(r)), -SY_E_RANGE);
	assert_int_equal(sy_arp_build_request(&l, PEER_IP, r, 59), -SY_E_NOSPACE);

	/* announcement: spa = tpa = ours, broadcast; a peer sees no request for
	 * itself, and a host that also holds our IP sees a conflict */
	l.vlan = true;
	l.vlan_tci = 100;
	assert_int_equal(sy_arp_build_announce(&l, r, sizeof(r)), 64);
	assert_memory_equal(r, bcast, 6);
	assert_int_equal(sy_load_be16(r + 14), 100);
	assert_int_equal(sy_load_be16(r + 24), 1);
	assert_int_equal(sy_load_be32(r + 32), OUR_IP);
	assert_int_equal(sy_load_be32(r + 42), OUR_IP);
	assert_memory_equal(r + 36, zero, 6);
	assert_int_equal(sy_arp_parse(r, 64, &v), 0);
	assert_int_equal(sy_arp_classify(&v, &peer), SY_ARP_IGNORE);
	peer.ip = OUR_IP;
	assert_int_equal(sy_arp_classify(&v, &peer), SY_ARP_CONFLICT);
	l.ip = 0;
	assert_int_equal(sy_arp_build_announce(&l, r, sizeof(r)), -SY_E_RANGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_request),
		cmocka_unit_test(test_reply_bytes),
		cmocka_unit_test(test_vlan),
		cmocka_unit_test(test_not_ours),
		cmocka_unit_test(test_probe_and_conflict),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_request_announce),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
