/* SPDX-License-Identifier: MIT */
/*
 * sy_arp.c: ARP (RFC 826) parse / classify / build for the dataplane's host
 * duties. See sy_arp.h for the frame layout and the contract.
 * Any thread; pure; no allocation.
 *
 * Boundary cases:
 *  - frame exactly 14 + 28 bytes (no padding): accepted;
 *  - 0x8100 tag with a truncated body: TRUNCATED, not ETH_TYPE;
 *  - probe (spa 0) for our address: answered with tpa 0, unicast to sha;
 *  - probe for another address: ignored (not ours to defend);
 *  - gratuitous request or reply carrying our IP from another MAC: CONFLICT;
 *  - our own announcement looped back (sha == our MAC): ignored.
 */
#include <string.h>

#include "sy_arp.h"
#include "sy_bytes.h"
#include "sy_err.h"

static const uint8_t bcast_mac[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

int sy_arp_parse(const uint8_t *frame, size_t len, struct sy_arp_view *out)
{
	size_t off = 12;
	uint16_t type;
	const uint8_t *a;

	memset(out, 0, sizeof(*out));
	if (len < 14)
		return -SY_E_TRUNCATED;
	type = sy_load_be16(frame + off);
	if (type == 0x8100) {
		if (len < 18)
			return -SY_E_TRUNCATED;
		out->vlan = true;
		out->vlan_tci = sy_load_be16(frame + 14);
		off += 4;
		type = sy_load_be16(frame + off);
	}
	if (type != SY_ARP_ETHERTYPE)
		return -SY_E_ETH_TYPE;
	off += 2;
	if (len < off + SY_ARP_BODY_BYTES)
		return -SY_E_TRUNCATED;
	a = frame + off;
	if (sy_load_be16(a) != 1 || sy_load_be16(a + 2) != 0x0800 || a[4] != 6 || a[5] != 4)
		return -SY_E_FORMAT;
	out->op = sy_load_be16(a + 6);
	if (out->op != SY_ARP_OP_REQUEST && out->op != SY_ARP_OP_REPLY)
		return -SY_E_FORMAT;
	memcpy(out->eth_dst, frame, 6);
	memcpy(out->eth_src, frame + 6, 6);
	memcpy(out->sha, a + 8, 6);
	out->spa = sy_load_be32(a + 14);
	memcpy(out->tha, a + 18, 6);
	out->tpa = sy_load_be32(a + 24);
	return 0;
}

/* Addresses we would never send a reply to (or claim as a sender). */
static bool ip_unicast(uint32_t ip)
{
	return ip != 0 && ip != 0xffffffffu && (ip >> 28) != 0xe && (ip >> 24) != 127;
}

enum sy_arp_action sy_arp_classify(const struct sy_arp_view *v, const struct sy_arp_local *l)
{
	if ((v->sha[0] & 1) || memcmp(v->sha, l->mac, 6) == 0)
		return SY_ARP_IGNORE;
	if (l->ip == 0)
		return SY_ARP_IGNORE;
	if (v->spa == l->ip)
		return SY_ARP_CONFLICT;
	if (v->op != SY_ARP_OP_REQUEST || v->tpa != l->ip)
		return SY_ARP_IGNORE;
	if (memcmp(v->eth_dst, bcast_mac, 6) != 0 && memcmp(v->eth_dst, l->mac, 6) != 0)
		return SY_ARP_IGNORE;
	if (v->spa != 0 && !ip_unicast(v->spa))
		return SY_ARP_IGNORE;
	return SY_ARP_REPLY;
}

/* Write Ethernet header + ARP body + zero padding; returns the length. */
static int build(uint8_t *buf, size_t cap, const uint8_t eth_dst[6], const uint8_t eth_src[6],
		 bool vlan, uint16_t tci, uint16_t op, const uint8_t sha[6], uint32_t spa,
		 const uint8_t tha[6], uint32_t tpa)
{
	size_t len = vlan ? SY_ARP_FRAME_VLAN_BYTES : SY_ARP_FRAME_BYTES;
	size_t off = 12;
	uint8_t *a;

	if (buf == NULL || cap < len)
		return -SY_E_NOSPACE;
	memset(buf, 0, len);
	memcpy(buf, eth_dst, 6);
	memcpy(buf + 6, eth_src, 6);
	if (vlan) {
		sy_store_be16(buf + 12, 0x8100);
		sy_store_be16(buf + 14, tci);
		off += 4;
	}
	sy_store_be16(buf + off, SY_ARP_ETHERTYPE);
	a = buf + off + 2;
	sy_store_be16(a, 1);
	sy_store_be16(a + 2, 0x0800);
	a[4] = 6;
	a[5] = 4;
	sy_store_be16(a + 6, op);
	memcpy(a + 8, sha, 6);
	sy_store_be32(a + 14, spa);
	memcpy(a + 18, tha, 6);
	sy_store_be32(a + 24, tpa);
	return (int)len;
}

int sy_arp_build_reply(const struct sy_arp_local *l, const struct sy_arp_view *req,
		       uint8_t *buf, size_t cap)
{
	return build(buf, cap, req->sha, l->mac, req->vlan, req->vlan_tci, SY_ARP_OP_REPLY,
		     l->mac, l->ip, req->sha, req->spa);
}

int sy_arp_build_request(const struct sy_arp_local *l, uint32_t target_ip, uint8_t *buf,
			 size_t cap)
{
	static const uint8_t zero[6];

	if (target_ip == 0 || target_ip == 0xffffffffu || (target_ip >> 28) == 0xe)
		return -SY_E_RANGE;
	return build(buf, cap, bcast_mac, l->mac, l->vlan, l->vlan_tci, SY_ARP_OP_REQUEST,
		     l->mac, l->ip, zero, target_ip);
}

int sy_arp_build_announce(const struct sy_arp_local *l, uint8_t *buf, size_t cap)
{
	static const uint8_t zero[6];

	if (l->ip == 0)
		return -SY_E_RANGE;
	return build(buf, cap, bcast_mac, l->mac, l->vlan, l->vlan_tci, SY_ARP_OP_REQUEST,
		     l->mac, l->ip, zero, l->ip);
}
