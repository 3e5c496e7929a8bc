/* SPDX-License-Identifier: MIT */
/*
 * sy_gen_out.c: sy-gen's capture writer: Ethernet II / IPv4 / UDP headers
 * around each RTP packet, written with libpcap as a classic pcap with
 * nanosecond timestamps (magic 0xa1b23c4d, DLT_EN10MB), as the
 * issue 3 contract requires.
 *
 * Headers: destination MAC = the IPv4 multicast MAC of the group, source MAC
 * 02:00:<source IPv4>, IPv4 with DF, TTL (--ttl, default 1), DSCP (--dscp,
 * default AF41 = 34 for video and ANC, EF = 46 for audio), identification
 * counting per leg, valid header checksum; UDP with a valid checksum over
 * the pseudo header (never 0: 0xFFFF instead). No VLAN tag, no padding.
 * The stdio stream under libpcap gets a 4 MiB buffer: a 2160p capture is
 * hundreds of MB written in large blocks.
 * Single-threaded tool code.
 */
#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sy_gen.h"

#include "sy_bytes.h"
#include "sy_err.h"
#include "sy_net.h"

#define STDIO_BUF_BYTES (4u << 20)

struct sy_gen_pcap {
	pcap_t *pcap;
	pcap_dumper_t *dump;
	FILE *fp;
	char *iobuf;
};

int sy_gen_pcap_open(const char *path, struct sy_gen_pcap **out)
{
	struct sy_gen_pcap *p = calloc(1, sizeof(*p));

	if (!p)
		return -ENOMEM;
	p->fp = fopen(path, "wb");
	if (!p->fp) {
		int e = errno;

		free(p);
		return -e;
	}
	p->iobuf = malloc(STDIO_BUF_BYTES);
	if (p->iobuf)
		setvbuf(p->fp, p->iobuf, _IOFBF, STDIO_BUF_BYTES);
	p->pcap = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, 65535,
						       PCAP_TSTAMP_PRECISION_NANO);
	if (p->pcap)
		p->dump = pcap_dump_fopen(p->pcap, p->fp);
	if (!p->dump) {
		if (p->pcap)
			pcap_close(p->pcap);
		fclose(p->fp);
		free(p->iobuf);
		free(p);
		return -EIO;
	}
	*out = p;
	return 0;
}

static void write_headers(struct sy_gen_leg *l, uint8_t *h, uint32_t udp_payload)
{
	const struct sy_gen_flow *f = l->flow;
	uint8_t *ip = h + SY_ETH_HDR_BYTES, *udp = ip + SY_IPV4_HDR_BYTES;
	uint32_t udp_len = SY_UDP_HDR_BYTES + udp_payload, sum;
	uint16_t c;

	memcpy(h, l->dst_mac, 6);
	memcpy(h + 6, l->src_mac, 6);
	sy_store_be16(h + 12, 0x0800);

	ip[0] = 0x45;
	ip[1] = (uint8_t)(f->dscp << 2);
	sy_store_be16(ip + 2, (uint16_t)(SY_IPV4_HDR_BYTES + udp_len));
	sy_store_be16(ip + 4, l->ip_id++);
	sy_store_be16(ip + 6, 0x4000); /* DF */
	ip[8] = f->ttl;
	ip[9] = 17;
	sy_store_be16(ip + 10, 0);
	sy_store_be32(ip + 12, f->src_ip[l->leg]);
	sy_store_be32(ip + 16, f->dst_ip[l->leg]);
	sy_store_be16(ip + 10, sy_net_ipv4_csum(ip, SY_IPV4_HDR_BYTES));

	sy_store_be16(udp, f->src_port[l->leg]);
	sy_store_be16(udp + 2, f->dst_port[l->leg]);
	sy_store_be16(udp + 4, (uint16_t)udp_len);
	sy_store_be16(udp + 6, 0);
	/* pseudo header: source, destination, zero + protocol, UDP length */
	sum = (f->src_ip[l->leg] >> 16) + (f->src_ip[l->leg] & 0xffff) +
	      (f->dst_ip[l->leg] >> 16) + (f->dst_ip[l->leg] & 0xffff) + 17u + udp_len;
	c = (uint16_t)~sy_net_csum_partial(udp, udp_len, sum);
	sy_store_be16(udp + 6, c ? c : 0xffff);
}

int sy_gen_pcap_write(struct sy_gen_pcap *p, struct sy_gen_leg *l, struct sy_gen_pkt *pkt,
		      uint64_t time_ns)
{
	struct pcap_pkthdr hdr;
	uint32_t len = SY_GEN_HDR_BYTES + pkt->rtp_len;

	write_headers(l, pkt->buf, pkt->rtp_len);
	hdr.ts.tv_sec = (time_t)(time_ns / 1000000000u);
	hdr.ts.tv_usec = (suseconds_t)(time_ns % 1000000000u); /* ns: NANO precision */
	hdr.caplen = len;
	hdr.len = len;
	pcap_dump((u_char *)p->dump, &hdr, pkt->buf);
	return 0;
}

int sy_gen_pcap_close(struct sy_gen_pcap *p)
{
	int rc = 0;

	if (!p)
		return 0;
	if (pcap_dump_flush(p->dump) < 0 || ferror(p->fp))
		rc = -EIO;
	pcap_dump_close(p->dump); /* closes fp */
	pcap_close(p->pcap);
	free(p->iobuf);
	free(p);
	return rc;
}
