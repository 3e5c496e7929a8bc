/* SPDX-License-Identifier: MIT */
/*
 * sy_net.h: Ethernet II / 802.1Q / IPv4 / UDP header view and flow key.
 *
 * Used by the tools (pcap files) and by the dataplane's classifier, so the
 * same rules decide what is a well-formed ST 2110 datagram everywhere.
 * Ethernet: dst(6) src(6) [0x8100 tci(2)] type(2)
 * IPv4:     ver/ihl(1) tos(1) total_len(2) id(2) flags/frag(2) ttl(1)
 *           proto(1) csum(2) src(4) dst(4) [options]
 * UDP:      sport(2) dport(2) len(2) csum(2)
 * Any thread; pure; no allocation.
 */
#ifndef SY_NET_H
#define SY_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SY_ETH_HDR_BYTES 14u
#define SY_IPV4_HDR_BYTES 20u
#define SY_UDP_HDR_BYTES 8u
/* ST 2110-10 standard UDP size limit (UDP header included). */
#define SY_ST2110_MAX_UDP_BYTES 1460u

/* Host-order IPv4 addresses and ports. */
struct sy_flow_key {
	uint32_t src_ip;
	uint32_t dst_ip;
	uint16_t src_port;
	uint16_t dst_port;
};

struct sy_udp_view {
	struct sy_flow_key key;
	uint8_t dst_mac[6];
	uint8_t src_mac[6];
	uint16_t vlan_tci;  /* 0 if untagged */
	uint8_t dscp;
	uint8_t ttl;
	uint16_t ip_offset; /* byte offsets into the frame */
	uint16_t udp_offset;
	const uint8_t *payload; /* UDP payload */
	size_t payload_len;
};

/*
 * Parse an Ethernet frame down to the UDP payload. Trailing Ethernet padding
 * beyond the IP total length is ignored. The IP header checksum is verified
 * only if check_ip_csum. 0 or -SY_E_* (ETH_TYPE, IP_*, UDP_LEN, TRUNCATED).
 */
int sy_net_parse_udp(const uint8_t *frame, size_t len, bool check_ip_csum,
		     struct sy_udp_view *out);

/* RFC 1071 ones' complement sum over len bytes, folded, not inverted. */
uint16_t sy_net_csum_partial(const uint8_t *p, size_t len, uint32_t sum);
/* IPv4 header checksum of hdr (ihl*4 bytes), field itself taken as zero. */
uint16_t sy_net_ipv4_csum(const uint8_t *hdr, size_t hdr_len);

/* Multicast MAC for an IPv4 group (01:00:5e + low 23 bits). */
void sy_net_mcast_mac(uint32_t group, uint8_t mac[6]);

/* "a.b.c.d" <-> host-order address. parse: 0 or -EINVAL. */
int sy_net_ip_parse(const char *s, size_t len, uint32_t *out);
void sy_net_ip_format(uint32_t ip, char buf[16]);

static inline bool sy_net_ip_is_multicast(uint32_t ip)
{
	return (ip >> 28) == 0xe;
}

#endif
