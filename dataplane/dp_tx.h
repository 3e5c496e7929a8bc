/* SPDX-License-Identifier: MIT */
/*
 * dp_tx.h: the worker's output stage, inline: drop accounting, header
 * rewrite (incremental checksums), tx buffering. Included by dp_worker.c
 * and dp_xbar.c only; worker lcore context.
 */
#ifndef DP_TX_H
#define DP_TX_H

#include <string.h>

#include <rte_byteorder.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "dp_internal.h"

#define L2 14u
#define L3 20u
#define L4 8u
#define RTP_OFF (L2 + L3 + L4)

enum dp_act { ACT_DROP, ACT_EMIT, ACT_HOLD };

/* What parse + track tell the crosspoint about one packet. */
struct dp_pkt_info {
	int16_t input;
	bool fs, end;      /* frame start / frame end */
	bool partial;      /* video frame start that is not row 0 offset 0 (loss,
			    * or joined mid-frame): never a switch frame */
	uint32_t ts;       /* RTP timestamp of the packet */
	uint64_t key;      /* frame key */
	uint16_t hdr_len;  /* headers to rewrite (incl. the 2110-20/-40 ext seq) */
};

/* ---- small helpers --------------------------------------------------------- */

static inline void drop(struct dp_worker *w, struct rte_mbuf *m, enum dp_drop why)
{
	w->cnt.drops[why]++;
	w->rt.free_buf[w->rt.n_free++] = m;
	if (unlikely(w->rt.n_free == RTE_DIM(w->rt.free_buf))) {
		rte_pktmbuf_free_bulk(w->rt.free_buf, w->rt.n_free);
		w->rt.n_free = 0;
	}
}

static inline uint32_t csum_fold(uint32_t s)
{
	s = (s & 0xffffu) + (s >> 16);
	s = (s & 0xffffu) + (s >> 16);
	return s;
}

static inline uint16_t ld16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline void st16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* ---- header rewrite ------------------------------------------------------ */

static inline uint32_t ld32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return rte_be_to_cpu_32(v);
}

static inline void st32_be(uint8_t *p, uint32_t v_be)
{
	memcpy(p, &v_be, 4);
}

/* sum of the two 16-bit halves */
static inline uint32_t halves(uint32_t v)
{
	return (v >> 16) + (v & 0xffffu);
}

/* UDP checksum: incremental update over every word rewrite() changes
 * (pseudo-header addresses, ports, RTP header words); 0 stays 0. Only for
 * outputs configured DP_UDP_CSUM_UPDATE. */
static inline void udp_csum_update(uint8_t *ip, const uint8_t old_hdr[28], bool ext_seq)
{
	uint8_t *udp = ip + L3, *rtp = udp + L4;
	uint16_t c = ld16(udp + 6);
	uint32_t sum, old_sum = 0, new_sum = 0;
	unsigned nw = 0;

	if (c == 0)
		return;
	/* old_hdr: ip src/dst (8), ports (4), rtp 0..11 (12), ext seq (2) */
	for (unsigned i = 0; i < 26; i += 2) {
		old_sum += ld16(old_hdr + i);
		nw++;
	}
	for (unsigned i = 12; i < 20; i += 2)
		new_sum += ld16(ip + i);
	for (unsigned i = 0; i < 4; i += 2)
		new_sum += ld16(udp + i);
	for (unsigned i = 0; i < 12; i += 2)
		new_sum += ld16(rtp + i);
	if (ext_seq)
		new_sum += ld16(rtp + 12);
	else
		new_sum += ld16(old_hdr + 24); /* unchanged word: cancels */
	sum = (uint16_t)~c + nw * 0xffffu - old_sum + new_sum;
	sum = csum_fold(csum_fold(sum));
	c = (uint16_t)~sum;
	st16(udp + 6, c ? c : 0xffffu);
}

/*
 * Rewrite the headers of private packet m for output slot (o, k). The
 * first segment starts with Ethernet (untagged) + IPv4 (20, checked) + UDP +
 * RTP (+2 extended sequence for -20/-40). IPv4 checksum updated
 * incrementally (RFC 1624) over the six words that change; UDP checksum
 * zeroed or updated incrementally; the payload is never read.
 */
static inline void rewrite(struct rte_mbuf *m, const struct dp_snap *s, unsigned o, unsigned k,
			   struct dp_slot_rt *sl, bool ext_seq)
{
	const struct dp_rw *rw = &s->out[o].rw[k];
	uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *);
	uint8_t *ip = p + L2, *udp = ip + L3, *rtp = udp + L4;
	uint8_t old_hdr[28];
	bool upd = s->r.outputs[o].udp_csum == DP_UDP_CSUM_UPDATE;

	if (unlikely(upd)) {
		memcpy(old_hdr, ip + 12, 8);
		memcpy(old_hdr + 8, udp, 4);
		memcpy(old_hdr + 12, rtp, 14);
	}
	memcpy(p, rw->eth, 12);

	/* IPv4: word 0 (tos), word 4 (ttl), words 6..9 (addresses) */
	uint32_t w0 = ld16(ip), w4 = ld16(ip + 8);
	uint32_t old = w0 + w4 + halves(ld32(ip + 12)) + halves(ld32(ip + 16));
	uint32_t n0 = (w0 & 0xff03u) | rw->tos_bits, n4 = (uint32_t)rw->ttl << 8 | (w4 & 0xffu);
	uint32_t sum = (uint16_t)~ld16(ip + 10) + 6u * 0xffffu - old + n0 + n4 + rw->addr_sum;

	st16(ip, (uint16_t)n0);
	st16(ip + 8, (uint16_t)n4);
	st32_be(ip + 12, rw->src_be);
	st32_be(ip + 16, rw->dst_be);
	st16(ip + 10, (uint16_t)~csum_fold(csum_fold(sum)));

	/* UDP ports; RTP PT (marker kept), sequence, timestamp, SSRC, ext seq */
	st32_be(udp, rw->ports_be);
	uint32_t seq32 = sl->seq32++;

	rtp[1] = (uint8_t)((rtp[1] & 0x80u) | rw->pt);
	st16(rtp + 2, (uint16_t)seq32);
	st32_be(rtp + 4, rte_cpu_to_be_32(ld32(rtp + 4) + sl->ts_off));
	st32_be(rtp + 8, rw->ssrc_be);
	if (ext_seq)
		st16(rtp + 12, (uint16_t)(seq32 >> 16));
	if (likely(!upd))
		st16(udp + 6, 0);
	else
		udp_csum_update(ip, old_hdr, ext_seq);
}

static inline void tx_flush_port(struct dp_worker *w, unsigned port)
{
	struct dp_txbuf *tb = &w->rt.tx[port];
	uint16_t sent;

	if (tb->n == 0)
		return;
	sent = rte_eth_tx_burst(w->dp->port_id[port], w->txq, tb->pkts, tb->n);
	w->cnt.tx_pkts += sent;
	if (unlikely(sent < tb->n)) {
		w->cnt.drops[DP_DROP_tx_full] += tb->n - sent;
		rte_pktmbuf_free_bulk(tb->pkts + sent, tb->n - sent);
	}
	tb->n = 0;
}

static inline void emit(struct dp_worker *w, const struct dp_snap *s, unsigned o, unsigned k,
			struct rte_mbuf *m)
{
	struct dp_slot_rt *sl = &w->rt.out[o].slot[k];
	enum dp_essence e = s->r.outputs[o].flow[k].fmt.essence;
	unsigned port = s->r.outputs[o].port;
	struct dp_txbuf *tb = &w->rt.tx[port];
	struct dp_output_stats *os = &w->cnt.out[o][k];

	rewrite(m, s, o, k, sl, e != DP_ESSENCE_AUDIO);
	os->pkts++;
	os->bytes += m->pkt_len;
	tb->pkts[tb->n++] = m;
	if (tb->n == DP_BURST)
		tx_flush_port(w, port);
}


#endif
