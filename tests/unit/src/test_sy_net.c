/* SPDX-License-Identifier: MIT */
/* test_sy_net.c: Ethernet/IPv4/UDP view, checksums, address helpers. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sy_bytes.h"
#include "sy_err.h"
#include "sy_net.h"

/* A 60-byte frame: 14 eth + 20 ip + 8 udp + 4 payload + 14 Ethernet padding */
static size_t make(uint8_t *f, bool vlan)
{
	size_t o = 12;

	memset(f, 0, 80);
	memcpy(f, (uint8_t[]){ 0x01, 0x00, 0x5e, 0x0a, 0x14, 0x01 }, 6);
	memcpy(f + 6, (uint8_t[]){ 0x02, 0, 0, 0, 0, 1 }, 6);
	if (vlan) {
		sy_store_be16(f + o, 0x8100);
		sy_store_be16(f + o + 2, 0x0064);
		o += 4;
	}
	sy_store_be16(f + o, 0x0800);
	uint8_t *ip = f + o + 2;
	ip[0] = 0x45;
	ip[1] = 46 << 2; /* DSCP EF */
	sy_store_be16(ip + 2, 32);
	ip[8] = 64;
	ip[9] = 17;
	sy_store_be32(ip + 12, 0x0a630001); /* 10.99.0.1 */
	sy_store_be32(ip + 16, 0xef0a1401); /* 239.10.20.1 */
	sy_store_be16(ip + 10, sy_net_ipv4_csum(ip, 20));
	uint8_t *udp = ip + 20;
	sy_store_be16(udp, 40000);
	sy_store_be16(udp + 2, 5004);
	sy_store_be16(udp + 4, 12);
	memcpy(udp + 8, "ABCD", 4);
	return vlan ? 64 : 60;
}

static void test_parse(void **state)
{
	(void)state;
	uint8_t f[80];
	struct sy_udp_view v;
	size_t len = make(f, false);

	assert_int_equal(sy_net_parse_udp(f, len, true, &v), 0);
	assert_int_equal(v.key.src_ip, 0x0a630001);
	assert_int_equal(v.key.dst_ip, 0xef0a1401);
	assert_int_equal(v.key.src_port, 40000);
	assert_int_equal(v.key.dst_port, 5004);
	assert_int_equal(v.dscp, 46);
	assert_int_equal(v.ttl, 64);
	assert_int_equal(v.payload_len, 4); /* Ethernet padding ignored */
	assert_memory_equal(v.payload, "ABCD", 4);
	assert_int_equal(v.vlan_tci, 0);
	assert_int_equal(v.udp_offset, 34);

	len = make(f, true);
	assert_int_equal(sy_net_parse_udp(f, len, true, &v), 0);
	assert_int_equal(v.vlan_tci, 100);
	assert_int_equal(v.ip_offset, 18);
}

static void test_reject(void **state)
{
	(void)state;
	uint8_t f[80];
	struct sy_udp_view v;
	size_t len;

	len = make(f, false);
	assert_int_equal(sy_net_parse_udp(f, 13, true, &v), -SY_E_TRUNCATED);
	assert_int_equal(sy_net_parse_udp(f, 33, true, &v), -SY_E_TRUNCATED);
	f[12] = 0x86; /* IPv6 ethertype */
	f[13] = 0xdd;
	assert_int_equal(sy_net_parse_udp(f, len, true, &v), -SY_E_ETH_TYPE);
	len = make(f, false);
	f[14] = 0x65;
	assert_int_equal(sy_net_parse_udp(f, len, false, &v), -SY_E_IP_VERSION);
	len = make(f, false);
	f[14] = 0x44; /* IHL 16 bytes */
	assert_int_equal(sy_net_parse_udp(f, len, false, &v), -SY_E_IP_HDR_LEN);
	len = make(f, false);
	sy_store_be16(f + 16, 200); /* total length beyond the frame */
	assert_int_equal(sy_net_parse_udp(f, len, false, &v), -SY_E_IP_TOTAL_LEN);
	len = make(f, false);
	f[20] = 0x20; /* MF */
	assert_int_equal(sy_net_parse_udp(f, len, false, &v), -SY_E_IP_FRAGMENT);
	len = make(f, false);
	f[23] = 6; /* TCP */
	assert_int_equal(sy_net_parse_udp(f, len, false, &v), -SY_E_IP_PROTO);
	len = make(f, false);
	f[24] ^= 1; /* checksum */
	assert_int_equal(sy_net_parse_udp(f, len, true, &v), -SY_E_IP_CHECKSUM);
	assert_int_equal(sy_net_parse_udp(f, len, false, &v), 0);
	len = make(f, false);
	sy_store_be16(f + 38, 13); /* UDP length beyond IP payload */
	assert_int_equal(sy_net_parse_udp(f, len, true, &v), -SY_E_UDP_LEN);
	sy_store_be16(f + 38, 7);
	assert_int_equal(sy_net_parse_udp(f, len, true, &v), -SY_E_UDP_LEN);
}

static void test_csum_known(void **state)
{
	(void)state;
	/* RFC 1071 example: 00 01 f2 03 f4 f5 f6 f7 -> sum 0xddf2 */
	const uint8_t d[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
	assert_int_equal(sy_net_csum_partial(d, 8, 0), 0xddf2);
	/* odd length pads with zero */
	assert_int_equal(sy_net_csum_partial(d, 1, 0), 0x0000);
	assert_int_equal(sy_net_csum_partial((const uint8_t[]){ 0xab }, 1, 0), 0xab00);
	/* classic header example (Wikipedia IPv4 checksum): 0xb861 */
	const uint8_t h[20] = { 0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
				0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7 };
	assert_int_equal(sy_net_ipv4_csum(h, 20), 0xb861);
}

static void test_addr(void **state)
{
	(void)state;
	uint32_t ip;
	char b[16];
	uint8_t mac[6];

	assert_int_equal(sy_net_ip_parse("239.255.0.1", 11, &ip), 0);
	assert_int_equal(ip, 0xefff0001);
	assert_true(sy_net_ip_is_multicast(ip));
	sy_net_ip_format(ip, b);
	assert_string_equal(b, "239.255.0.1");
	sy_net_mcast_mac(ip, mac); /* 239.255.0.1: bit 23 of the group dropped */
	assert_memory_equal(mac, ((uint8_t[]){ 0x01, 0x00, 0x5e, 0x7f, 0x00, 0x01 }), 6);
	assert_int_equal(sy_net_ip_parse("256.1.1.1", 9, &ip), -EINVAL);
	assert_int_equal(sy_net_ip_parse("1.2.3", 5, &ip), -EINVAL);
	assert_int_equal(sy_net_ip_parse("1.2.3.4.", 8, &ip), -EINVAL);
	assert_int_equal(sy_net_ip_parse("1..3.4", 6, &ip), -EINVAL);
	assert_int_equal(sy_net_ip_parse("0001.2.3.4", 10, &ip), -EINVAL);
	assert_int_equal(sy_net_ip_parse("10.99.0.2 ", 9, &ip), 0); /* length-bounded */
	assert_false(sy_net_ip_is_multicast(ip));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_reject),
		cmocka_unit_test(test_csum_known),
		cmocka_unit_test(test_addr),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
