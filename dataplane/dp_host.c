/* SPDX-License-Identifier: MIT */
/*
 * dp_host.c: host duties of each dataplane port, done by the worker that
 * polls the port (kernel bypass: no kernel answers for it):
 *  - ARP (src/sy_arp): a request for the port's address is answered at once
 *    (RFC 826; probes per RFC 5227); a frame using our address from another
 *    MAC is counted (host_arp_conflict);
 *  - IGMPv3 (src/sy_igmp, RFC 3376): the port's membership table follows
 *    the route snapshot (a network input's multicast destination on the
 *    port is joined: SSM inputs for their source, others for any source;
 *    removed inputs are left): each change is reported at once and
 *    repeated once more (Robustness 2) at a random time within 1 s; queries
 *    are answered with the RFC 3376 5.2 delays (sy_igmp_memb_on_query /
 *    memb_due); an older-version querier switches to v1/v2 messages;
 *  - neighbour resolution (ARP): each unicast output destination of the
 *    snapshot on the port without an explicit dst_mac gets an entry of the
 *    port's cache (DP_NEIGH_MAX); the port sends a broadcast request from
 *    its address at once and then 1/s until a reply (or any ARP frame, e.g.
 *    gratuitous, with that sender address) gives the MAC; a learned MAC is
 *    used DP_NEIGH_REACHABLE_MS and re-requested 1/s in its last
 *    DP_NEIGH_REFRESH_MS, then forgotten. emit() (dp_tx.h) drops an
 *    unresolved destination's packets (arp_unresolved; arp_no_address on a
 *    port without address) and writes the learned MAC otherwise.
 * Frames go out on the worker's tx queue of the port, with the media.
 * Only ports with an address (dp_port_config.ip) have host duties.
 *
 * Bounded work per loop iteration: ARP/IGMP frames as they come in the rx
 * burst (one reply each at most), due reports checked once a millisecond
 * (at most DP_HOST_REC_MAX records per port per check), membership changes
 * only when a snapshot is applied. No allocation but mbufs, no locks,
 * syscalls or floating point.
 */
#include <errno.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "dp_host.h"
#include "dp_internal.h"
#include "dp_tx.h"
#include "sy_arp.h"
#include "sy_igmp.h"
#include "sy_net.h"

#define DP_HOST_REC_MAX 32u
#define DP_HOST_REPEAT_MAX 32u
#define DP_HOST_FRAME_MAX 1514u

struct dp_host_repeat {
	struct sy_igmp_record rec;
	uint64_t due_ms;
};

struct dp_host_port {
	uint16_t port;
	struct sy_arp_local arp;
	struct sy_igmp_host igmp;
	struct sy_igmp_memb memb;
	/* joined (group, source) pairs as of the last snapshot */
	uint32_t n_joined;
	uint32_t jg[DP_MAX_INPUTS], js[DP_MAX_INPUTS];
	uint32_t n_rep;
	struct dp_host_repeat rep[DP_HOST_REPEAT_MAX];
	uint32_t rng;
	struct dp_neigh nb[DP_NEIGH_MAX];
};

static uint32_t rnd(struct dp_host_port *h)
{
	uint32_t x = h->rng; /* xorshift32 */

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	h->rng = x;
	return x;
}

/* Send len bytes of buf on the port (worker's tx queue). */
static void host_send(struct dp_worker *w, uint16_t port, const uint8_t *buf, int len)
{
	struct rte_mbuf *m;
	struct dp_txbuf *tb = &w->rt.tx[port];

	if (len <= 0)
		return;
	m = rte_pktmbuf_alloc(w->dp->pkt_pool);
	if (m == NULL) {
		w->cnt.drops[DP_DROP_no_mbuf]++;
		return;
	}
	memcpy(rte_pktmbuf_append(m, (uint16_t)len), buf, (size_t)len);
	w->cnt.host_tx++;
	tb->pkts[tb->n++] = m;
	if (tb->n == DP_BURST)
		tx_flush_port(w, port);
}

/* Reports for records[0..n) (v3, or v1/v2 messages in compat mode). */
static void send_records(struct dp_worker *w, struct dp_host_port *h,
			 const struct sy_igmp_record *recs, size_t n, uint64_t now_ms)
{
	uint8_t buf[DP_HOST_FRAME_MAX];
	uint8_t ver = sy_igmp_memb_version(&h->memb, now_ms);

	if (n == 0)
		return;
	if (ver < 3) {
		for (size_t i = 0; i < n; i++)
			host_send(w, h->port, buf,
				  sy_igmp_build_compat(&h->igmp, ver, &recs[i], buf, sizeof(buf)));
		return;
	}
	struct sy_igmp_report_cursor cur = {0};
	int len;

	/* bound: one report per record at most */
	for (size_t k = 0; k <= n; k++) {
		len = sy_igmp_build_report(&h->igmp, recs, n, &cur, buf, sizeof(buf));
		if (len <= 0)
			break;
		host_send(w, h->port, buf, len);
	}
}

static void queue_repeat(struct dp_host_port *h, const struct sy_igmp_record *rec,
			 uint64_t now_ms)
{
	uint32_t j = 0;

	/* a newer record for the group supersedes queued repeats */
	for (uint32_t i = 0; i < h->n_rep; i++)
		if (h->rep[i].rec.group != rec->group)
			h->rep[j++] = h->rep[i];
	h->n_rep = j;
	if (h->n_rep == DP_HOST_REPEAT_MAX) {
		memmove(h->rep, h->rep + 1, (DP_HOST_REPEAT_MAX - 1u) * sizeof(h->rep[0]));
		h->n_rep--;
	}
	h->rep[h->n_rep].rec = *rec;
	h->rep[h->n_rep].due_ms = now_ms + sy_igmp_delay_ms(10, rnd(h)); /* [0, 1 s] */
	h->n_rep++;
}

static bool pair_in(const uint32_t *g, const uint32_t *s, uint32_t n, uint32_t gg, uint32_t ss)
{
	for (uint32_t i = 0; i < n; i++)
		if (g[i] == gg && s[i] == ss)
			return true;
	return false;
}

/* The snapshot's groups on h's port versus what is joined: join/leave,
 * report the changes now, repeat them later. */
static void memb_sync(struct dp_worker *w, struct dp_host_port *h, const struct dp_snap *s,
		      uint64_t now_ms)
{
	uint32_t ng = 0, g[DP_MAX_INPUTS], src[DP_MAX_INPUTS];
	struct sy_igmp_record recs[DP_HOST_REC_MAX] = {{0}};
	size_t n = 0;

	for (unsigned i = 0; i < s->r.n_inputs; i++) {
		const struct dp_input *in = &s->r.inputs[i];

		if (in->kind != DP_INPUT_NETWORK || in->port != h->port ||
		    !sy_net_ip_is_multicast(in->key.dst_ip) ||
		    pair_in(g, src, ng, in->key.dst_ip, in->key.src_ip))
			continue;
		g[ng] = in->key.dst_ip;
		src[ng++] = in->key.src_ip;
	}
	/* leaves first: a group moving to another source stays joined */
	for (uint32_t i = 0; i < h->n_joined; i++) {
		if (pair_in(g, src, ng, h->jg[i], h->js[i]))
			continue;
		if (sy_igmp_memb_leave(&h->memb, h->jg[i], h->js[i], now_ms, &recs[n]) == 1 &&
		    n + 1 < DP_HOST_REC_MAX)
			n++;
	}
	for (uint32_t i = 0; i < ng; i++) {
		if (pair_in(h->jg, h->js, h->n_joined, g[i], src[i]))
			continue;
		if (sy_igmp_memb_join(&h->memb, g[i], src[i], now_ms, &recs[n]) == 1 &&
		    n + 1 < DP_HOST_REC_MAX)
			n++;
	}
	memcpy(h->jg, g, ng * sizeof(g[0]));
	memcpy(h->js, src, ng * sizeof(src[0]));
	h->n_joined = ng;
	send_records(w, h, recs, n, now_ms);
	for (size_t i = 0; i < n; i++)
		queue_repeat(h, &recs[i], now_ms);
}

/* Due requests of h's neighbour entries (bounded per call). */
static void neigh_tick(struct dp_worker *w, struct dp_host_port *h, uint64_t now_ms)
{
	uint8_t buf[SY_ARP_FRAME_VLAN_BYTES];
	unsigned sent = 0;

	for (unsigned i = 0; i < DP_NEIGH_MAX; i++) {
		struct dp_neigh *e = &h->nb[i];

		if (e->ip == 0)
			continue;
		if (e->valid && now_ms >= e->expire_ms)
			e->valid = false;
		if (e->valid && now_ms + DP_NEIGH_REFRESH_MS < e->expire_ms)
			continue;
		if (now_ms < e->next_req_ms || sent == DP_NEIGH_REQ_PER_TICK)
			continue;
		host_send(w, h->port, buf, sy_arp_build_request(&h->arp, e->ip, buf, sizeof(buf)));
		e->next_req_ms = now_ms + DP_NEIGH_RETRY_MS;
		sent++;
	}
}

static struct dp_neigh *neigh_get(struct dp_host_port *h, uint32_t ip, uint64_t now_ms)
{
	struct dp_neigh *fr = NULL;

	for (unsigned i = 0; i < DP_NEIGH_MAX; i++) {
		if (h->nb[i].ip == ip)
			return &h->nb[i];
		if (h->nb[i].ip == 0 && fr == NULL)
			fr = &h->nb[i];
	}
	if (fr != NULL) {
		memset(fr, 0, sizeof(*fr));
		fr->ip = ip;
		fr->next_req_ms = now_ms; /* first request at once */
	}
	return fr;
}

/* Entries for the snapshot's unicast destinations (kept across snapshots,
 * unused ones freed); point the worker's output slots at them. */
static void neigh_sync(struct dp_worker *w, const struct dp_snap *s, uint64_t now_ms)
{
	for (unsigned p = 0; p < DP_MAX_PORTS; p++)
		if (w->host[p] != NULL)
			for (unsigned i = 0; i < DP_NEIGH_MAX; i++)
				w->host[p]->nb[i].used = false;
	for (unsigned o = 0; o < s->r.n_outputs; o++) {
		struct dp_host_port *h = w->host[s->r.outputs[o].port];

		if (s->out[o].worker != w->idx)
			continue;
		for (unsigned k = 0; k < DP_GROUP_MAX_FLOWS; k++) {
			struct dp_neigh *e = NULL;

			if (s->out[o].resolve[k] && h != NULL &&
			    (e = neigh_get(h, s->r.outputs[o].flow[k].id.dst_ip, now_ms)) != NULL)
				e->used = true;
			w->rt.out[o].nb[k] = e;
		}
	}
	for (unsigned p = 0; p < DP_MAX_PORTS; p++) {
		struct dp_host_port *h = w->host[p];

		if (h == NULL)
			continue;
		for (unsigned i = 0; i < DP_NEIGH_MAX; i++)
			if (!h->nb[i].used)
				memset(&h->nb[i], 0, sizeof(h->nb[i]));
		neigh_tick(w, h, now_ms);
	}
}

/* An ARP frame from spa/sha (not a conflict): learn it if it is one of ours. */
static void neigh_learn(struct dp_host_port *h, const struct sy_arp_view *v, uint64_t now_ms)
{
	if (v->spa == 0 || (v->sha[0] & 1u) || memcmp(v->sha, h->arp.mac, 6) == 0 ||
	    !(v->sha[0] | v->sha[1] | v->sha[2] | v->sha[3] | v->sha[4] | v->sha[5]))
		return;
	for (unsigned i = 0; i < DP_NEIGH_MAX; i++) {
		struct dp_neigh *e = &h->nb[i];

		if (e->ip != v->spa)
			continue;
		memcpy(e->mac, v->sha, 6);
		e->expire_ms = now_ms + DP_NEIGH_REACHABLE_MS;
		e->next_req_ms = 0;
		e->valid = true;
		return;
	}
}

void dp_host_snapshot(struct dp_worker *w, const struct dp_snap *s, uint64_t now_ns)
{
	for (unsigned p = 0; p < DP_MAX_PORTS; p++)
		if (w->host[p] != NULL)
			memb_sync(w, w->host[p], s, now_ns / 1000000u);
	neigh_sync(w, s, now_ns / 1000000u);
}

void dp_host_tick(struct dp_worker *w, uint64_t now_ns)
{
	uint64_t now_ms = now_ns / 1000000u;
	struct sy_igmp_record recs[DP_HOST_REC_MAX];

	for (unsigned p = 0; p < DP_MAX_PORTS; p++) {
		struct dp_host_port *h = w->host[p];
		size_t n;
		uint32_t j = 0;

		if (h == NULL)
			continue;
		n = sy_igmp_memb_due(&h->memb, now_ms, recs, DP_HOST_REC_MAX);
		send_records(w, h, recs, n, now_ms);
		n = 0;
		for (uint32_t i = 0; i < h->n_rep; i++) {
			if (h->rep[i].due_ms <= now_ms && n < DP_HOST_REC_MAX)
				recs[n++] = h->rep[i].rec;
			else
				h->rep[j++] = h->rep[i];
		}
		h->n_rep = j;
		send_records(w, h, recs, n, now_ms);
		neigh_tick(w, h, now_ms);
	}
}

bool dp_host_rx(struct dp_worker *w, uint16_t port, struct rte_mbuf *m, uint64_t now_ns)
{
	struct dp_host_port *h = w->host[port];
	const uint8_t *f = rte_pktmbuf_mtod(m, const uint8_t *);

	if (h == NULL || m->nb_segs != 1)
		return false;
	if (m->data_len >= 14 && f[12] == 0x08 && f[13] == 0x06) {
		struct sy_arp_view v;
		uint8_t buf[SY_ARP_FRAME_VLAN_BYTES];

		if (sy_arp_parse(f, m->data_len, &v) < 0)
			return false;
		enum sy_arp_action act = sy_arp_classify(&v, &h->arp);

		if (act != SY_ARP_CONFLICT)
			neigh_learn(h, &v, now_ns / 1000000u);
		switch (act) {
		case SY_ARP_REPLY:
			host_send(w, port, buf, sy_arp_build_reply(&h->arp, &v, buf, sizeof(buf)));
			w->cnt.drops[DP_DROP_host_arp]++;
			break;
		case SY_ARP_CONFLICT:
			w->cnt.drops[DP_DROP_host_arp_conflict]++;
			break;
		default:
			w->cnt.drops[DP_DROP_host_arp]++;
			break;
		}
		return true;
	}
	struct sy_igmp_view v;

	if (sy_igmp_parse(f, m->data_len, &v) < 0)
		return false;
	if (v.type == SY_IGMP_QUERY)
		sy_igmp_memb_on_query(&h->memb, &v, now_ns / 1000000u, rnd(h));
	w->cnt.drops[DP_DROP_host_igmp]++;
	return true;
}

int dp_host_init(struct dp_worker *w)
{
	struct dp *dp = w->dp;

	for (unsigned q = 0; q < w->n_rxq; q++) {
		uint16_t p = w->rxq_port[q];
		const struct dp_port_config *pc = &dp->cfg.ports[p];
		struct dp_host_port *h = rte_zmalloc("dp_host", sizeof(*h), RTE_CACHE_LINE_SIZE);
		const uint8_t *mac = pc->mac;

		if (pc->ip == 0) { /* no address: no host identity, no duties */
			rte_free(h);
			continue;
		}
		if (h == NULL)
			return -ENOMEM;
		if (!(mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]))
			mac = dp->port_mac[p];
		h->port = p;
		memcpy(h->arp.mac, mac, 6);
		h->arp.ip = pc->ip;
		memcpy(h->igmp.mac, mac, 6);
		h->igmp.ip = pc->ip;
		h->igmp.mtu = 1500;
		sy_igmp_memb_init(&h->memb);
		h->rng = (uint32_t)rte_rdtsc() | 1u;
		w->host[p] = h;
	}
	return 0;
}

void dp_host_fini(struct dp_worker *w)
{
	for (unsigned p = 0; p < DP_MAX_PORTS; p++) {
		rte_free(w->host[p]);
		w->host[p] = NULL;
	}
}
