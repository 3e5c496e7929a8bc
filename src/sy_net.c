/* SPDX-License-Identifier: MIT */
/*
 * sy_net.c: Ethernet/IPv4/UDP header view (layout drawn in sy_net.h),
 * checksums and address helpers. Any thread; pure; no allocation.
 *
 * Boundary cases: one 802.1Q tag is skipped (QinQ is not); IPv4 options
 * (IHL > 5) are skipped; fragments are rejected (ST 2110 never fragments and a
 * fragment's UDP header is not where we would read it); Ethernet padding after
 * the IP total length is ignored; a UDP length shorter than 8 or longer than
 * the IP payload is rejected.
 */
#include "sy_net.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sy_bytes.h"
#include "sy_err.h"

int sy_net_parse_udp(const uint8_t *frame, size_t len, bool check_ip_csum,
		     struct sy_udp_view *out)
{
	size_t off = 12;
	uint16_t type;

	if (len < SY_ETH_HDR_BYTES)
		return -SY_E_TRUNCATED;
	memcpy(out->dst_mac, frame, 6);
	memcpy(out->src_mac, frame + 6, 6);
	type = sy_load_be16(frame + off);
	out->vlan_tci = 0;
	if (type == 0x8100) {
		if (len < SY_ETH_HDR_BYTES + 4)
			return -SY_E_TRUNCATED;
		out->vlan_tci = sy_load_be16(frame + off + 2);
		off += 4;
		type = sy_load_be16(frame + off);
	}
	if (type != 0x0800)
		return -SY_E_ETH_TYPE;
	off += 2;
	if (len < off + SY_IPV4_HDR_BYTES)
		return -SY_E_TRUNCATED;

	const uint8_t *ip = frame + off;
	size_t ihl = (size_t)(ip[0] & 0x0f) * 4;
	size_t total;

	if ((ip[0] >> 4) != 4)
		return -SY_E_IP_VERSION;
	if (ihl < SY_IPV4_HDR_BYTES || len < off + ihl)
		return -SY_E_IP_HDR_LEN;
	total = sy_load_be16(ip + 2);
	if (total < ihl + SY_UDP_HDR_BYTES || total > len - off)
		return -SY_E_IP_TOTAL_LEN;
	if (sy_load_be16(ip + 6) & 0x3fff) /* MF flag or fragment offset */
		return -SY_E_IP_FRAGMENT;
	if (ip[9] != 17)
		return -SY_E_IP_PROTO;
	if (check_ip_csum && sy_net_ipv4_csum(ip, ihl) != sy_load_be16(ip + 10))
		return -SY_E_IP_CHECKSUM;

	const uint8_t *udp = ip + ihl;
	size_t ulen = sy_load_be16(udp + 4);

	if (ulen < SY_UDP_HDR_BYTES || ulen > total - ihl)
		return -SY_E_UDP_LEN;
	out->dscp = ip[1] >> 2;
	out->ttl = ip[8];
	out->key.src_ip = sy_load_be32(ip + 12);
	out->key.dst_ip = sy_load_be32(ip + 16);
	out->key.src_port = sy_load_be16(udp);
	out->key.dst_port = sy_load_be16(udp + 2);
	out->ip_offset = (uint16_t)off;
	out->udp_offset = (uint16_t)(off + ihl);
	out->payload = udp + SY_UDP_HDR_BYTES;
	out->payload_len = ulen - SY_UDP_HDR_BYTES;
	return 0;
}

uint16_t sy_net_csum_partial(const uint8_t *p, size_t len, uint32_t sum)
{
	uint64_t s = sum;

	for (; len >= 2; p += 2, len -= 2)
		s += sy_load_be16(p);
	if (len)
		s += (uint32_t)p[0] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

uint16_t sy_net_ipv4_csum(const uint8_t *hdr, size_t hdr_len)
{
	uint32_t s = sy_net_csum_partial(hdr, 10, 0);

	s = sy_net_csum_partial(hdr + 12, hdr_len - 12, s);
	return (uint16_t)~s;
}

void sy_net_mcast_mac(uint32_t group, uint8_t mac[6])
{
	mac[0] = 0x01;
	mac[1] = 0x00;
	mac[2] = 0x5e;
	mac[3] = (uint8_t)((group >> 16) & 0x7f);
	mac[4] = (uint8_t)(group >> 8);
	mac[5] = (uint8_t)group;
}

int sy_net_ip_parse(const char *s, size_t len, uint32_t *out)
{
	uint32_t ip = 0;
	size_t i = 0;

	for (int part = 0; part < 4; part++) {
		uint32_t v = 0;
		size_t digits = 0;

		while (i < len && s[i] >= '0' && s[i] <= '9' && digits < 4) {
			v = v * 10 + (uint32_t)(s[i] - '0');
			i++;
			digits++;
		}
		if (digits == 0 || digits > 3 || v > 255)
			return -EINVAL;
		ip = ip << 8 | v;
		if (part < 3) {
			if (i >= len || s[i] != '.')
				return -EINVAL;
			i++;
		}
	}
	if (i != len)
		return -EINVAL;
	*out = ip;
	return 0;
}

void sy_net_ip_format(uint32_t ip, char buf[16])
{
	snprintf(buf, 16, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 0xff, (ip >> 8) & 0xff, ip & 0xff);
}
