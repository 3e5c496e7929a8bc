/* SPDX-License-Identifier: MIT */
/*
 * sy_arp.h: ARP for IPv4 over Ethernet (RFC 826), with the RFC 5227
 * conflict and probe rules: parse, decide, build.
 *
 * Why: with kernel bypass no kernel answers ARP for the dataplane's ports;
 * the dataplane must answer requests for its own address, resolve unicast
 * next hops and announce itself. These functions are the pure part of that
 * duty: the dataplane's host lcore feeds them frames and sends what they
 * build.
 *
 * Frame (untagged; an 802.1Q tag 0x8100 + TCI may sit before the type):
 *
 *   offset  bytes  field
 *   0       6      Ethernet destination
 *   6       6      Ethernet source
 *   12      2      EtherType 0x0806
 *   14      2      htype = 1 (Ethernet)
 *   16      2      ptype = 0x0800 (IPv4)
 *   18      1      hlen = 6
 *   19      1      plen = 4
 *   20      2      op: 1 request, 2 reply
 *   22      6      sha  sender hardware address
 *   28      4      spa  sender protocol address
 *   32      6      tha  target hardware address
 *   38      4      tpa  target protocol address
 *   42      18     padding to the 60-byte minimum frame (FCS excluded)
 *
 * Built frames are padded with zeros to 60 bytes untagged and 64 bytes
 * tagged, so a bridge that strips the tag still forwards a 60-byte frame.
 *
 * Any thread; pure; no allocation; no floating point.
 */
#ifndef SY_ARP_H
#define SY_ARP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SY_ARP_ETHERTYPE 0x0806u
#define SY_ARP_BODY_BYTES 28u
/* Built frame sizes (no FCS): untagged / 802.1Q-tagged. */
#define SY_ARP_FRAME_BYTES 60u
#define SY_ARP_FRAME_VLAN_BYTES 64u

enum sy_arp_op {
	SY_ARP_OP_REQUEST = 1,
	SY_ARP_OP_REPLY = 2,
	SY_ARP_OP_MAX
};

/* A parsed ARP frame. Addresses host order. */
struct sy_arp_view {
	uint8_t eth_dst[6];
	uint8_t eth_src[6];
	bool vlan;         /* an 802.1Q tag was present */
	uint16_t vlan_tci; /* its TCI (0 when untagged) */
	uint16_t op;       /* enum sy_arp_op */
	uint8_t sha[6];
	uint32_t spa;
	uint8_t tha[6];
	uint32_t tpa;
};

/* This host on one port (and VLAN): what ARP answers and announces. */
struct sy_arp_local {
	uint8_t mac[6];
	uint32_t ip;       /* host order */
	bool vlan;         /* tag the frames sy_arp_build_request/announce build */
	uint16_t vlan_tci;
};

enum sy_arp_action {
	SY_ARP_IGNORE,   /* nothing to send */
	SY_ARP_REPLY,    /* a request (or probe) for our address: send build_reply */
	SY_ARP_CONFLICT, /* another host uses our address (RFC 5227 2.4): report it */
	SY_ARP_ACTION_MAX
};

/*
 * Parse an Ethernet frame carrying ARP for IPv4. Bytes after the 28-byte
 * ARP body (padding) are ignored. 0, or
 *   -SY_E_TRUNCATED  shorter than the Ethernet header (+ tag) + 28 bytes,
 *   -SY_E_ETH_TYPE   EtherType (after an optional 0x8100 tag) is not 0x0806,
 *   -SY_E_FORMAT     htype != 1, ptype != 0x0800, hlen != 6, plen != 4 or
 *                    op neither 1 nor 2.
 */
int sy_arp_parse(const uint8_t *frame, size_t len, struct sy_arp_view *out);

/*
 * What to do with a parsed ARP frame, in this order:
 *  1. sender MAC is a group (multicast/broadcast) address, or equals ours
 *     (our own frame looped back): IGNORE;
 *  2. our IP is 0 (not configured): IGNORE;
 *  3. sender IP == our IP (request or reply, gratuitous or not): CONFLICT
 *     (RFC 5227 2.4: the caller decides to defend or give up);
 *  4. a request whose target IP is ours, Ethernet destination broadcast or
 *     our MAC, and sender IP 0 (an RFC 5227 probe) or a unicast IP (not
 *     multicast, 255.255.255.255 or 127/8): REPLY. Probes for other
 *     addresses, and requests for anyone else, are IGNORE;
 *  5. everything else (replies, announcements of other hosts): IGNORE.
 * Any frame with sender IP != 0 tells the caller's resolver spa -> sha.
 */
enum sy_arp_action sy_arp_classify(const struct sy_arp_view *v, const struct sy_arp_local *l);

/*
 * Build the reply to request req (one classify said REPLY to): unicast to
 * req->sha, op 2, sha/spa = our MAC/IP, tha/tpa = req's sha/spa (tpa is 0
 * when answering a probe, as RFC 5227 hosts and Linux do). The VLAN tag of
 * the request is repeated. Returns the frame length (60 or 64) or
 * -SY_E_NOSPACE.
 */
int sy_arp_build_reply(const struct sy_arp_local *l, const struct sy_arp_view *req,
		       uint8_t *buf, size_t cap);

/*
 * Build a broadcast request for target_ip (resolving a unicast next hop):
 * op 1, tha zero. Returns the frame length or -SY_E_NOSPACE, -SY_E_RANGE
 * (target 0, multicast or 255.255.255.255).
 */
int sy_arp_build_request(const struct sy_arp_local *l, uint32_t target_ip, uint8_t *buf,
			 size_t cap);

/*
 * Build a gratuitous ARP announcement (RFC 5227 2.3): a broadcast request
 * with spa = tpa = our IP, tha zero. Returns the frame length or
 * -SY_E_NOSPACE, -SY_E_RANGE (our IP is 0).
 */
int sy_arp_build_announce(const struct sy_arp_local *l, uint8_t *buf, size_t cap);

#endif
