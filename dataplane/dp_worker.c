/* SPDX-License-Identifier: MIT */
/*
 * dp_worker.c: the worker loop (hot path): rx burst -> parse/validate ->
 * classify -> frame tracking -> crosspoint (clean switch) -> fan-out ->
 * header rewrite -> tx. Runs on a worker lcore (or inline via dp_poll()).
 *
 * One packet's trip (docs/dataplane.md):
 *  1. parse_pkt(): src/sy_net + sy_rtp + sy_rfc4175/30/40 checks; a packet of
 *     no input or failing a check is dropped and counted by reason.
 *  2. track_frame(): per input, frame start/end (timestamp change, F bit,
 *     marker) and the frame key: the frame's grid time (PTP-locked sources)
 *     or the arrival time of its first packet (unlocked sources).
 *  3. dp_xbar_decide(): per output slot listening to that input: emit, hold or drop,
 *     by the never-torn rule (below).
 *  4. the packet is given to the first n-1 accepting outputs as a private
 *     header mbuf chained to an indirect clone of the payload, and to the
 *     last as itself (zero copy of the payload in both cases).
 *  5. emit(): rewrite Ethernet/IPv4/UDP/RTP headers for the output (incremental
 *     checksums, output sequence, timestamp offset), buffer for tx.
 *
 * Never-torn rule for a take at switch time t_s (immediate: the arrival time
 * at which the worker arms it; scheduled: the grid frame at/after the TAI
 * time): the old source's frames whose key < t_s are forwarded whole; the new
 * source's frames with key >= t_s are forwarded whole; a decision is made at
 * a frame's first packet and holds for the frame. New-source packets that
 * arrive while the old source's last frame is still running are held in the
 * slot's queue and released when that frame ends (marker, next frame start)
 * or on a timeout. Audio and ANC slots switch at the packet nearest the
 * video switch point K (key >= K - period/2).
 *
 * Besides received packets, each iteration runs the internal sources
 * (dp_gen.c: generated packets enter at step 3 through dp_worker_route),
 * and once a millisecond the input-loss check (loss_check: DP_EV_INPUT_LOST,
 * outputs with DP_LOSS_BLACK take their loss source, DP_LOSS_FREEZE ones
 * repeat the input's last complete frame (dp_freeze.c: kept per packet,
 * repeated per iteration); a packet of a lost input restores it) and the ports' host duties (dp_host.c: ARP/IGMP frames
 * are handed to it instead of being dropped as not_ipv4 / not_udp).
 *
 * No allocation (except mbufs from pools), locks, syscalls, logging or
 * floating point per packet.
 */
#include <errno.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_mbuf_dyn.h>
#include <rte_ring.h>

#include "dp_freeze.h"
#include "dp_internal.h"
#include "dp_tx.h"
#include "dp_xbar.h"
#include "sy_bytes.h"
#include "sy_err.h"
#include "sy_rfc4175.h"
#include "sy_rtp.h"
#include "sy_st2110_40.h"
#include "sy_time.h"

/* A private copy of m for one more output: header mbuf + indirect payload. */
static struct rte_mbuf *fanout_copy(struct dp_worker *w, struct rte_mbuf *m, uint16_t hdr_len)
{
	struct dp *dp = w->dp;
	struct rte_mbuf *h, *c;

	h = rte_pktmbuf_alloc(dp->hdr_pool);
	if (unlikely(h == NULL))
		return NULL;
	c = rte_pktmbuf_clone(m, dp->ind_pool);
	if (unlikely(c == NULL)) {
		rte_pktmbuf_free(h);
		return NULL;
	}
	rte_memcpy(rte_pktmbuf_append(h, hdr_len), rte_pktmbuf_mtod(m, void *), hdr_len);
	rte_pktmbuf_adj(c, hdr_len);
	rte_pktmbuf_chain(h, c);
	return h;
}

/* ---- parse and classify ------------------------------------------------------ */

static enum dp_drop net_reason(int rc)
{
	switch (-rc) {
	case SY_E_ETH_TYPE: return DP_DROP_not_ipv4;
	case SY_E_IP_VERSION: return DP_DROP_ip_version;
	case SY_E_IP_HDR_LEN: return DP_DROP_ip_hdr_len;
	case SY_E_IP_TOTAL_LEN: return DP_DROP_ip_total_len;
	case SY_E_IP_FRAGMENT: return DP_DROP_ip_fragment;
	case SY_E_IP_PROTO: return DP_DROP_not_udp;
	case SY_E_IP_CHECKSUM: return DP_DROP_ip_checksum;
	case SY_E_UDP_LEN: return DP_DROP_udp_len;
	default: return DP_DROP_truncated;
	}
}

static inline int16_t lookup(const struct dp_snap *s, uint16_t port, const struct sy_flow_key *k,
			     enum dp_drop *why)
{
	uint32_t h = dp_flow_hash(k->dst_ip, k->dst_port);
	bool dst_seen = false;

	for (unsigned n = 0; n < DP_FLOW_TBL; n++, h = (h + 1u) & (DP_FLOW_TBL - 1u)) {
		const struct dp_flow_entry *e = &s->tbl[h];

		if (e->input < 0)
			break;
		if (e->dst_ip != k->dst_ip || e->dst_port != k->dst_port || e->port != port)
			continue;
		dst_seen = true;
		if ((e->src_ip == 0 || e->src_ip == k->src_ip) &&
		    (e->src_port == 0 || e->src_port == k->src_port))
			return e->input;
	}
	*why = dst_seen ? DP_DROP_src_mismatch : DP_DROP_no_flow;
	return -1;
}

/* Audio: every packet is a "frame", keyed by its sample time (PTP-locked)
 * or its arrival. */
static inline enum dp_drop track_audio(struct dp_worker *w, const struct dp_snap *s,
				       struct dp_pkt_info *pi, uint32_t ts)
{
	const struct dp_snap_input *si = &s->in[pi->input];
	struct dp_in_rt *ir = &w->rt.in[pi->input];

	pi->hdr_len = RTP_OFF + SY_RTP_HDR_BYTES;
	pi->fs = pi->end = true;
	ir->have_ts = true;
	ir->ts = ts;
	if (si->ptp_locked) {
		uint64_t t;

		pi->key = sy_time_rtp_to_tai(ts, si->clock_hz, w->rt.now_ns, &t) == 0
			  ? t : w->rt.now_ns;
	} else {
		pi->key = w->rt.now_ns;
	}
	w->cnt.in[pi->input].frames++;
	return DP_DROP_MAX;
}

/* Video / ANC: a new timestamp starts a field; field 0 starts a frame; the
 * marker of the last field ends it. */
static inline enum dp_drop track_frame(struct dp_worker *w, const struct dp_snap *s,
				       struct dp_pkt_info *pi, uint32_t ts, bool marker,
				       uint8_t field)
{
	const struct dp_snap_input *si = &s->in[pi->input];
	struct dp_in_rt *ir = &w->rt.in[pi->input];

	pi->ts = ts;
	pi->fs = false;
	if (!ir->have_ts || ts != ir->field_ts) {
		ir->have_ts = true;
		ir->field_ts = ts;
		if (field == 0) {
			pi->fs = true;
			ir->ts = ts;
			ir->start_ns = w->rt.now_ns;
			if (si->ptp_locked) {
				struct sy_rate r = si->essence == DP_ESSENCE_ANC
					? s->r.inputs[pi->input].fmt.anc_rate : si->vfmt.rate;
				uint64_t ref = sy_time_tai_to_ticks(w->rt.now_ns, SY_TIME_VIDEO_HZ);
				uint64_t ticks = sy_time_rtp_unwrap(ts, ref);
				uint64_t idx = sy_time_frame_nearest_ticks(ticks, r, SY_TIME_VIDEO_HZ);
				struct sy_time_frame fr;

				ir->key_ns = sy_time_frame_info(idx, r, SY_TIME_VIDEO_HZ, &fr) == 0
					     ? fr.start_ns : w->rt.now_ns;
			} else {
				ir->key_ns = w->rt.now_ns;
			}
			w->cnt.in[pi->input].frames++;
		}
	}
	pi->key = ir->key_ns;
	pi->end = marker && (!si->interlaced || field == 1);
	return DP_DROP_MAX;
}

/* Is v's first-stage parse a malformed packet of a known input? */
static bool is_malformed_reason(enum dp_drop d)
{
	return d >= DP_DROP_ip_version && d <= DP_DROP_anc_len;
}

/*
 * Parse and check m; fill *pi (input, ts, frame flags). Returns
 * DP_DROP_MAX if accepted, else the drop reason. May adjust m (strip a VLAN
 * tag, trim Ethernet padding) so IPv4 starts at 14.
 */
static enum dp_drop parse_pkt_slow(struct dp_worker *w, const struct dp_snap *s, uint16_t port,
				   struct rte_mbuf *m, struct dp_pkt_info *pi)
{
	struct sy_udp_view v;
	struct sy_rtp rtp;
	enum dp_drop why;
	int rc;

	if (unlikely(m->nb_segs != 1))
		return DP_DROP_multi_seg;
	/* the IPv4 header checksum is checked below, once the header is known
	 * to be 20 bytes (or trusted when the NIC verified it) */
	rc = sy_net_parse_udp(rte_pktmbuf_mtod(m, const uint8_t *), m->data_len, false, &v);
	if (unlikely(rc < 0)) {
		why = net_reason(rc);
		if (why == DP_DROP_not_ipv4 || why == DP_DROP_not_udp)
			return why;
		/* malformed: count against the input its addresses name, if any */
		if (rc != -SY_E_TRUNCATED && m->data_len >= L2 + L3 + 4) {
			const uint8_t *ip = rte_pktmbuf_mtod(m, const uint8_t *) + L2;
			struct sy_flow_key k = {
				.src_ip = sy_load_be32(ip + 12), .dst_ip = sy_load_be32(ip + 16),
				.src_port = ld16(ip + 20), .dst_port = ld16(ip + 22)};
			enum dp_drop w2;

			pi->input = lookup(s, port, &k, &w2);
		}
		return why;
	}
	pi->input = lookup(s, port, &v.key, &why);
	if (pi->input < 0)
		return why;
	if (unlikely(v.udp_offset != L2 + L3)) {
		if (v.udp_offset - v.ip_offset != L3)
			return DP_DROP_ip_hdr_len;
		rte_pktmbuf_adj(m, (uint16_t)(v.ip_offset - L2)); /* strip 802.1Q */
	}
	{
		uint64_t ck = m->ol_flags & RTE_MBUF_F_RX_IP_CKSUM_MASK;

		if (unlikely(ck == RTE_MBUF_F_RX_IP_CKSUM_BAD))
			return DP_DROP_ip_checksum;
		if (ck != RTE_MBUF_F_RX_IP_CKSUM_GOOD) {
			const uint8_t *ip = rte_pktmbuf_mtod(m, const uint8_t *) + L2;
			uint32_t sum = halves(ld32(ip)) + halves(ld32(ip + 4)) +
				       halves(ld32(ip + 8)) + halves(ld32(ip + 12)) +
				       halves(ld32(ip + 16));

			if (unlikely(csum_fold(csum_fold(sum)) != 0xffffu))
				return DP_DROP_ip_checksum;
		}
	}
	{
		size_t frame_len = L2 + L3 + L4 + v.payload_len;

		if (unlikely(m->data_len > frame_len))
			rte_pktmbuf_trim(m, (uint16_t)(m->data_len - frame_len));
	}
	rc = sy_rtp_parse(v.payload, v.payload_len, &rtp);
	if (unlikely(rc < 0))
		return rc == -SY_E_RTP_VERSION ? DP_DROP_rtp_version : DP_DROP_rtp_header;
	if (unlikely(rtp.header_bytes != SY_RTP_HDR_BYTES || rtp.padding))
		return DP_DROP_rtp_header;
	const struct dp_snap_input *si = &s->in[pi->input];

	if (unlikely(si->pt != 0xff && rtp.pt != si->pt))
		return DP_DROP_rtp_pt;
	pi->ts = rtp.ts;

	/* essence checks and frame boundaries */
	uint8_t field = 0;

	switch (si->essence) {
	case DP_ESSENCE_VIDEO: {
		struct sy_rfc4175_pkt pk;

		if (unlikely(sy_rfc4175_parse(rtp.payload, rtp.payload_len, &pk) < 0))
			return DP_DROP_srd;
		if (unlikely(sy_rfc4175_validate(&pk, &si->vfmt) < 0))
			return DP_DROP_srd_format;
		field = si->interlaced && pk.srd[0].field;
		pi->partial = pk.srd[0].row != 0 || pk.srd[0].offset_px != 0;
		pi->hdr_len = RTP_OFF + SY_RTP_HDR_BYTES + 2u;
		break;
	}
	case DP_ESSENCE_AUDIO:
		if (unlikely(rtp.payload_len != si->audio_bytes))
			return DP_DROP_audio_len;
		return track_audio(w, s, pi, rtp.ts);
	case DP_ESSENCE_ANC: {
		struct sy_st2110_40_view av;

		if (unlikely(sy_st2110_40_parse(rtp.payload, rtp.payload_len, &av) < 0))
			return DP_DROP_anc_len;
		field = si->interlaced && av.field == SY_ST2110_40_F_FIELD2;
		pi->hdr_len = RTP_OFF + SY_RTP_HDR_BYTES + 2u;
		break;
	}
	default:
		return DP_DROP_no_flow;
	}

	return track_frame(w, s, pi, rtp.ts, rtp.marker, field);
}

/* IPv4 header checksum of a 20-byte header at ip: true if right (or the NIC
 * verified it). */
static inline bool ip_csum_ok(const struct rte_mbuf *m, const uint8_t *ip)
{
	uint64_t ck = m->ol_flags & RTE_MBUF_F_RX_IP_CKSUM_MASK;

	if (ck == RTE_MBUF_F_RX_IP_CKSUM_GOOD)
		return true;
	if (ck == RTE_MBUF_F_RX_IP_CKSUM_BAD)
		return false;
	uint32_t sum = halves(ld32(ip)) + halves(ld32(ip + 4)) + halves(ld32(ip + 8)) +
		       halves(ld32(ip + 12)) + halves(ld32(ip + 16));

	return csum_fold(csum_fold(sum)) == 0xffffu;
}

/*
 * Parse and check m; fill *pi. The common shape (untagged, 20-byte IPv4,
 * bare RTP header, video SRDs that fit, audio of the right size) takes the
 * single-pass src/sy_fastpath.h checks; anything else, and every packet
 * they do not accept, goes through the reference parsers (parse_pkt_slow),
 * which decide and name the drop reason.
 */
static inline enum dp_drop parse_pkt(struct dp_worker *w, const struct dp_snap *s, uint16_t port,
				     struct rte_mbuf *m, struct dp_pkt_info *pi)
{
	const uint8_t *f = rte_pktmbuf_mtod(m, const uint8_t *);
	struct sy_fastpath_udp fu;
	enum dp_drop why;

	if (unlikely(m->nb_segs != 1 || !sy_fastpath_udp(f, m->data_len, &fu)))
		return parse_pkt_slow(w, s, port, m, pi);
	pi->input = lookup(s, port, &fu.key, &why);
	if (unlikely(pi->input < 0))
		return why;
	if (unlikely(!ip_csum_ok(m, f + L2)))
		return DP_DROP_ip_checksum;
	if (unlikely(m->data_len > L2 + fu.ip_total))
		rte_pktmbuf_trim(m, (uint16_t)(m->data_len - L2 - fu.ip_total));
	if (unlikely(!sy_fastpath_rtp(fu.payload, fu.payload_len)))
		return parse_pkt_slow(w, s, port, m, pi);

	const struct dp_snap_input *si = &s->in[pi->input];
	const uint8_t *rtp = fu.payload;

	if (unlikely(si->pt != 0xff && (rtp[1] & 0x7f) != si->pt))
		return DP_DROP_rtp_pt;
	if (likely(si->essence == DP_ESSENCE_VIDEO)) {
		struct sy_fastpath_srd0 s0 = {0};

		if (unlikely(!sy_fastpath_rfc4175(rtp + SY_RTP_HDR_BYTES,
						  fu.payload_len - SY_RTP_HDR_BYTES, &si->fast, &s0)))
			return parse_pkt_slow(w, s, port, m, pi);
		pi->partial = s0.row != 0 || s0.offset_px != 0;
		pi->hdr_len = RTP_OFF + SY_RTP_HDR_BYTES + 2u;
		return track_frame(w, s, pi, sy_load_be32(rtp + 4), rtp[1] >> 7,
				   si->interlaced && s0.field);
	}
	if (si->essence == DP_ESSENCE_AUDIO &&
	    fu.payload_len - SY_RTP_HDR_BYTES == si->audio_bytes) {
		pi->ts = sy_load_be32(rtp + 4);
		return track_audio(w, s, pi, pi->ts);
	}
	return parse_pkt_slow(w, s, port, m, pi);
}

static inline uint64_t arrival_ns(const struct dp *dp, struct rte_mbuf *m, uint16_t port,
				  uint64_t burst_ns)
{
	if (dp->port_rx_ts[port] && (m->ol_flags & dp->rx_ts_dynflag)) {
		const struct dp_port_config *pc = &dp->cfg.ports[port];
		uint64_t ts = *RTE_MBUF_DYNFIELD(m, dp->rx_ts_dynfield, rte_mbuf_timestamp_t *);

		return ts * pc->rx_ts_unit_ns + (uint64_t)pc->rx_ts_offset_ns;
	}
	return burst_ns;
}

/* ---- input loss (once a millisecond, and per restored input) ------------------- */

static void post_input_event(struct dp_worker *w, enum dp_event_kind kind, int16_t input,
			     uint64_t at_ns)
{
	struct dp_event ev = {.kind = kind, .worker = w->idx, .source = -1, .prev_source = -1,
			      .input = input, .at_ns = at_ns};

	dp_xbar_post_event(w, &ev);
}

/* Does output o's current source carry input i? */
static bool source_has(const struct dp_snap *s, int16_t src, int16_t i)
{
	if (src < 0 || src >= (int)s->r.n_sources)
		return false;
	for (unsigned k = 0; k < DP_GROUP_MAX_FLOWS; k++)
		if (s->r.sources[src].input[k] == i)
			return true;
	return false;
}

static void input_restored(struct dp_worker *w, const struct dp_snap *s, int16_t i,
			   uint64_t now_ns)
{
	w->rt.in[i].lost = false;
	post_input_event(w, DP_EV_INPUT_RESTORED, i, now_ns);
	dp_freeze_restored(w, i);
	/* outputs showing the loss source because of it: back to the
	 * crosspoint's source, at that input's next whole frame */
	for (unsigned o = 0; o < s->r.n_outputs; o++) {
		struct dp_out_rt *ort = &w->rt.out[o];

		if (s->out[o].worker == w->idx && ort->subst && ort->lost_in == i && !ort->pending)
			dp_xbar_loss_take(w, o, s->r.xpt[o].source, false, -1);
	}
}

/* Bound: inputs + outputs of the snapshot. */
static void loss_check(struct dp_worker *w, const struct dp_snap *s, uint64_t now_ns)
{
	for (unsigned i = 0; i < s->r.n_inputs; i++) {
		struct dp_in_rt *ir = &w->rt.in[i];

		if (s->in[i].worker != w->idx || s->r.inputs[i].kind != DP_INPUT_NETWORK ||
		    ir->lost || ir->last_ns == 0 || now_ns < ir->last_ns + s->in[i].loss_ns)
			continue;
		ir->lost = true;
		w->cnt.in[i].losses++;
		post_input_event(w, DP_EV_INPUT_LOST, (int16_t)i, ir->last_ns);
		for (unsigned o = 0; o < s->r.n_outputs; o++) {
			const struct dp_output *out = &s->r.outputs[o];
			struct dp_out_rt *ort = &w->rt.out[o];

			if (s->out[o].worker != w->idx || out->on_loss != DP_LOSS_BLACK ||
			    ort->subst || ort->pending || !source_has(s, ort->source, (int16_t)i))
				continue;
			dp_xbar_loss_take(w, o, out->loss_source, true, (int16_t)i);
		}
		dp_freeze_lost(w, s, (int16_t)i, now_ns);
	}
}

static void process_pkt(struct dp_worker *w, const struct dp_snap *s, uint16_t port,
			struct rte_mbuf *m, uint64_t burst_ns)
{
	struct dp_pkt_info pi = {.input = -1};
	enum dp_drop why;

	w->rt.now_ns = arrival_ns(w->dp, m, port, burst_ns);
	why = parse_pkt(w, s, port, m, &pi);
	if (pi.input >= 0) {
		struct dp_input_stats *is = &w->cnt.in[pi.input];

		is->pkts++;
		is->bytes += m->pkt_len;
		if (why != DP_DROP_MAX && is_malformed_reason(why))
			is->malformed++;
	}
	if (why != DP_DROP_MAX) {
		if (unlikely(why == DP_DROP_not_ipv4 || why == DP_DROP_not_udp) &&
		    dp_host_rx(w, port, m, burst_ns)) {
			w->rt.free_buf[w->rt.n_free++] = m; /* counted by host duties */
			if (w->rt.n_free == RTE_DIM(w->rt.free_buf)) {
				rte_pktmbuf_free_bulk(w->rt.free_buf, w->rt.n_free);
				w->rt.n_free = 0;
			}
			return;
		}
		drop(w, m, why);
		return;
	}
	w->rt.in[pi.input].last_ns = burst_ns;
	if (unlikely(w->rt.in[pi.input].lost))
		input_restored(w, s, pi.input, burst_ns);
	if (unlikely(w->rt.in[pi.input].frz1))
		dp_freeze_keep(w, m, &pi, burst_ns);
	dp_worker_route(w, s, m, &pi);
}

/* An accepted packet of input pi->input (received or generated; counted on
 * the input by the caller): crosspoint decision per listening output
 * flow, fan-out, rewrite, tx. */
void dp_worker_route(struct dp_worker *w, const struct dp_snap *s, struct rte_mbuf *m,
		     const struct dp_pkt_info *pip)
{
	const struct dp_pkt_info pi = *pip;
	struct {
		uint16_t ok; /* o << 2 | k */
		uint8_t act;
		bool rel;
	} acts[DP_MAX_FANOUT];
	unsigned n_acc = 0, n_act = 0;
	const struct dp_in_rt *ir = &w->rt.in[pi.input];
	uint16_t lis[DP_MAX_FANOUT];
	unsigned n_lis = ir->n_listeners;

	if (likely(n_lis == 1)) {
		/* one output follows this input: no fan-out bookkeeping */
		uint16_t ok = ir->listener[0];
		bool rel;
		enum dp_act a = dp_xbar_decide(w, s, ok >> 2, ok & 3u, &pi, &rel);

		if (a == ACT_EMIT) {
			w->cnt.in[pi.input].forwarded++;
			emit(w, s, ok >> 2, ok & 3u, m);
		} else if (a == ACT_HOLD) {
			w->cnt.in[pi.input].forwarded++;
			dp_xbar_hold_push(w, ok >> 2, ok & 3u, m, pi.key);
		} else {
			drop(w, m, DP_DROP_before_switch);
		}
		if (rel)
			dp_xbar_release(w, s, ok >> 2, ok & 3u);
		return;
	}
	/* dp_xbar_decide() may rebuild the listener lists (a take completing): iterate
	 * over a copy. bound: DP_MAX_FANOUT listeners */
	for (unsigned j = 0; j < n_lis; j++)
		lis[j] = ir->listener[j];
	for (unsigned j = 0; j < n_lis; j++) {
		uint16_t ok = lis[j];
		bool rel;
		enum dp_act a = dp_xbar_decide(w, s, ok >> 2, ok & 3u, &pi, &rel);

		if (a == ACT_DROP && !rel)
			continue;
		acts[n_act].ok = ok;
		acts[n_act].act = (uint8_t)a;
		acts[n_act].rel = rel;
		n_act++;
		n_acc += a != ACT_DROP;
	}
	if (n_acc == 0) {
		drop(w, m, n_lis ? DP_DROP_before_switch
							    : DP_DROP_no_route);
		m = NULL;
	}
	for (unsigned j = 0; j < n_act; j++) {
		unsigned o = acts[j].ok >> 2, k = acts[j].ok & 3u;
		struct rte_mbuf *p = NULL;

		if (acts[j].act != ACT_DROP) {
			if (--n_acc == 0) {
				p = m;
			} else {
				p = fanout_copy(w, m, pi.hdr_len);
				if (p == NULL)
					w->cnt.drops[DP_DROP_no_mbuf]++;
			}
			if (p != NULL) {
				w->cnt.in[pi.input].forwarded++;
				if (acts[j].act == ACT_EMIT)
					emit(w, s, o, k, p);
				else
					dp_xbar_hold_push(w, o, k, p, pi.key);
			}
		}
		if (acts[j].rel)
			dp_xbar_release(w, s, o, k);
	}
}

/* ---- snapshot, commands, loop ---------------------------------------------------- */

static void apply_snap(struct dp_worker *w, const struct dp_snap *s)
{
	const struct dp_snap *old = w->rt.snap;

	w->rt.snap = s;
	w->rt.snap_gen = s->gen;
	/* an input whose key or format changed at the same index starts afresh */
	for (unsigned i = 0; i < s->r.n_inputs; i++) {
		if (old == NULL || i >= old->r.n_inputs ||
		    memcmp(&old->r.inputs[i], &s->r.inputs[i], sizeof(s->r.inputs[i])) != 0) {
			dp_freeze_input_reset(w, (int16_t)i);
			w->rt.in[i].have_ts = false;
			w->rt.in[i].in_frame = false;
			w->rt.gen[i].active = false;
			w->rt.gen[i].a = NULL;
			w->rt.in[i].last_ns = 0;
			w->rt.in[i].lost = false;
		}
	}
	dp_xbar_rebuild_listeners(w);
	for (unsigned o = 0; o < s->r.n_outputs; o++)
		if (s->out[o].worker == w->idx)
			dp_xbar_start_take(w, o);
	dp_host_snapshot(w, s, dp_clock_tai(w->dp, rte_rdtsc()));
}

static void do_commands(struct dp_worker *w)
{
	struct dp_cmd c;

	/* bound: 8 commands per iteration */
	for (unsigned n = 0; n < 8; n++) {
		if (rte_ring_sc_dequeue_elem(w->cmd_ring, &c, sizeof(c)) != 0)
			return;
		struct dp_event ev = {.worker = w->idx, .output = c.output, .cookie = c.cookie,
				      .source = -1, .prev_source = -1, .input = -1};

		if (c.kind == DP_CMD_PING) {
			ev.kind = DP_EV_PONG;
		} else if (c.kind == DP_CMD_CANCEL_TAKE && c.output < DP_MAX_OUTPUTS) {
			struct dp_out_rt *ort = &w->rt.out[c.output];
			bool busy = false;

			for (unsigned k = 0; k < DP_GROUP_MAX_FLOWS; k++)
				busy |= ort->slot[k].started ||
					ort->slot[k].hold_head != ort->slot[k].hold_tail;
			ev.kind = DP_EV_TAKE_REFUSED;
			ev.take_id = ort->take_id;
			ev.source = ort->pending ? ort->new_source : -1;
			ev.prev_source = ort->source;
			if (ort->pending && !busy) {
				ort->pending = false;
				ort->armed = false;
				ort->new_source = -1;
				for (unsigned k = 0; k < DP_GROUP_MAX_FLOWS; k++) {
					ort->slot[k].new_in = -1;
					ort->slot[k].done = true;
					ort->slot[k].old_done = false;
				}
				ev.code = -ECANCELED;
				dp_xbar_post_event(w, &ev);
				dp_xbar_rebuild_listeners(w);
				/* a newer take may be waiting behind the cancelled one */
				if (w->rt.snap != NULL && c.output < w->rt.snap->r.n_outputs)
					dp_xbar_start_take(w, c.output);
				continue;
			}
			ev.code = -SY_E_STATE;
		} else {
			continue;
		}
		dp_xbar_post_event(w, &ev);
	}
}

static inline void iter_begin(struct dp_worker *w)
{
	const struct dp_snap *s = __atomic_load_n(&w->dp->snap, __ATOMIC_ACQUIRE);

	if (unlikely(s != w->rt.snap && s != NULL))
		apply_snap(w, s);
	if (unlikely(!rte_ring_empty(w->cmd_ring)))
		do_commands(w);
}

static inline void iter_end(struct dp_worker *w)
{
	for (unsigned p = 0; p < w->dp->n_ports; p++)
		tx_flush_port(w, p);
	if (w->rt.n_free) {
		rte_pktmbuf_free_bulk(w->rt.free_buf, w->rt.n_free);
		w->rt.n_free = 0;
	}
}

static inline void process_burst(struct dp_worker *w, uint16_t port, struct rte_mbuf **pkts,
				 unsigned n, uint64_t burst_ns)
{
	const struct dp_snap *s = w->rt.snap;

	w->cnt.rx_pkts += n;
	w->rt.burst_tai_ns = burst_ns;
	if (unlikely(s == NULL)) {
		w->cnt.drops[DP_DROP_no_route] += n;
		rte_pktmbuf_free_bulk(pkts, n);
		return;
	}
	for (unsigned i = 0; i < n; i++)
		process_pkt(w, s, port, pkts[i], burst_ns);
}

void dp_worker_process(struct dp_worker *w, uint16_t port, struct rte_mbuf **pkts, unsigned n,
		       uint64_t arrival_ns)
{
	/* an iteration like any other: the snapshot it holds stays valid until
	 * its quiescent state (apply_snap compares against the previous one) */
	if (!w->inline_online) {
		rte_rcu_qsbr_thread_online(w->dp->qs, w->idx);
		w->inline_online = true;
	}
	iter_begin(w);
	process_burst(w, port, pkts, n, arrival_ns);
	iter_end(w);
	rte_rcu_qsbr_quiescent(w->dp->qs, w->idx);
}

void dp_worker_iter(struct dp_worker *w, unsigned *rx)
{
	struct dp *dp = w->dp;
	struct rte_mbuf *pkts[DP_BURST];

	iter_begin(w);
	/* bound: n_rxq bursts of DP_BURST */
	for (unsigned q = 0; q < w->n_rxq; q++) {
		uint16_t port = w->rxq_port[q];
		uint16_t n = rte_eth_rx_burst(dp->port_id[port], 0, pkts, DP_BURST);

		if (n == 0)
			continue;
		*rx += n;
		process_burst(w, port, pkts, n, dp_clock_tai(dp, rte_rdtsc()));
	}
	if (w->rt.snap != NULL) {
		uint64_t now = dp_clock_tai(dp, rte_rdtsc());

		if (unlikely(now >= w->rt.loss_check_ns)) {
			w->rt.loss_check_ns = now + 1000000u;
			loss_check(w, w->rt.snap, now);
			dp_host_tick(w, now);
		}
		if (w->rt.snap->n_gen[w->idx])
			dp_gen_run(w, now);
		if (unlikely(w->rt.n_frozen))
			dp_freeze_run(w, w->rt.snap, now);
	}
	iter_end(w);
	rte_rcu_qsbr_quiescent(dp->qs, w->idx);
}

void dp_worker_flush(struct dp_worker *w)
{
	/* bound: outputs x slots x queue */
	for (unsigned o = 0; o < DP_MAX_OUTPUTS; o++) {
		for (unsigned k = 0; k < DP_GROUP_MAX_FLOWS; k++) {
			struct dp_slot_rt *sl = &w->rt.out[o].slot[k];

			while (sl->hold_head != sl->hold_tail) {
				uint32_t i = sl->hold_head++ & sl->hold_mask;

				drop(w, sl->hold[i], DP_DROP_held_at_exit);
			}
		}
	}
	dp_freeze_release_all(w);
	for (unsigned p = 0; p < w->dp->n_ports; p++)
		tx_flush_port(w, p);
	if (w->rt.n_free) {
		rte_pktmbuf_free_bulk(w->rt.free_buf, w->rt.n_free);
		w->rt.n_free = 0;
	}
}

int dp_worker_main(void *arg)
{
	struct dp_worker *w = arg;
	unsigned rx = 0;

	rte_rcu_qsbr_thread_online(w->dp->qs, w->idx);
	while (!__atomic_load_n(&w->stop, __ATOMIC_RELAXED))
		dp_worker_iter(w, &rx);
	dp_worker_flush(w);
	rte_rcu_qsbr_thread_offline(w->dp->qs, w->idx);
	return 0;
}

int dp_worker_init(struct dp_worker *w, uint32_t hold_pkts)
{
	if (dp_host_init(w) < 0)
		return -ENOMEM;
	for (unsigned o = 0; o < DP_MAX_OUTPUTS; o++) {
		struct dp_out_rt *ort = &w->rt.out[o];

		ort->source = -1;
		ort->new_source = -1;
		ort->take_id = UINT32_MAX; /* control's first take id (any) is a take */
		for (unsigned k = 0; k < DP_GROUP_MAX_FLOWS; k++) {
			struct dp_slot_rt *sl = &ort->slot[k];

			sl->cur_in = -1;
			sl->new_in = -1;
			sl->done = true;
		}
	}
	/* hold queues only for slot storage actually used: allocate all up front
	 * (sized from config maxima; never on the hot path) */
	for (unsigned o = 0; o < DP_MAX_OUTPUTS; o++) {
		for (unsigned k = 0; k < DP_GROUP_MAX_FLOWS; k++) {
			struct dp_slot_rt *sl = &w->rt.out[o].slot[k];

			sl->hold = rte_zmalloc("dp_hold", hold_pkts * sizeof(*sl->hold), 0);
			sl->hold_key = rte_zmalloc("dp_hold_key", hold_pkts * sizeof(uint64_t), 0);
			if (sl->hold == NULL || sl->hold_key == NULL)
				return -ENOMEM;
			sl->hold_mask = hold_pkts - 1u;
		}
	}
	return dp_freeze_init(w);
}

void dp_worker_fini(struct dp_worker *w)
{
	dp_host_fini(w);
	dp_freeze_fini(w);
	for (unsigned o = 0; o < DP_MAX_OUTPUTS; o++) {
		for (unsigned k = 0; k < DP_GROUP_MAX_FLOWS; k++) {
			rte_free(w->rt.out[o].slot[k].hold);
			rte_free(w->rt.out[o].slot[k].hold_key);
		}
	}
}

