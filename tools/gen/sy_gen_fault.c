/* SPDX-License-Identifier: MIT */
/*
 * sy_gen_fault.c: sy-gen's output legs: a cursor over the flow's clean
 * packets, then fault injection, then a tiny queue of packets ready to send.
 *
 * Fault rules (K = clean packet index of the flow, 0-based, in send order;
 * every injected fault is logged with the 16-bit RTP sequence number as
 * sent, for the manifest):
 *  - loss: --loss-burst N@K drops K .. K+N-1; --loss RATE drops each packet
 *    with probability RATE. The PRNG is splitmix64 (sy_gen_prng_next), one
 *    stream per (seed, flow, leg), drawn once for EVERY clean packet, so the
 *    random decisions do not depend on any other fault option.
 *  - --reorder K: K+1 is sent in K's time slot and K in K+1's (only when
 *    neither is lost; a --reorder on K+1 itself is then ignored). Logged:
 *    seq of K, the packet that arrives after its successor.
 *  - --dup K: K is sent twice, the copy right after it with the same time.
 *  - --truncate K: the UDP datagram ends halfway through the RTP payload
 *    (RTP header + floor(payload / 2) bytes); IP/UDP lengths and checksums
 *    stay valid for the shorter datagram.
 *  - --bad-srd-len K: the first SRD length grows by one pgroup (the SRD
 *    lengths no longer sum to the payload); --bad-srd-offset K: the first
 *    SRD offset is set to the width (beyond the row). Video only.
 *  - --wrong-pt K: PT + 1 (PT - 1 for 127); --wrong-ssrc K: SSRC with every
 *    bit inverted.
 *  - --no-marker F: the marker of frame F's last packet (its second field's,
 *    if interlaced) is cleared. Video and ANC.
 * A packet that is lost gets no other fault. Other packets are never
 * changed. Single-threaded tool code.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sy_gen.h"

#include "sy_bytes.h"
#include "sy_err.h"
#include "sy_net.h"
#include "sy_rtp.h"

#define NSLOT (SY_GEN_QUEUE + 2u)

int sy_gen_list_add(struct sy_gen_list *l, uint64_t v)
{
	if (l->n == l->cap) {
		uint32_t cap = l->cap ? l->cap * 2 : 16;
		uint64_t *nv = realloc(l->v, cap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		l->v = nv;
		l->cap = cap;
	}
	l->v[l->n++] = v;
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

void sy_gen_list_sort(struct sy_gen_list *l)
{
	uint32_t o = 0;

	if (!l->n)
		return;
	qsort(l->v, l->n, sizeof(*l->v), cmp_u64);
	for (uint32_t i = 0; i < l->n; i++)
		if (o == 0 || l->v[i] != l->v[o - 1])
			l->v[o++] = l->v[i];
	l->n = o;
}

bool sy_gen_list_has(const struct sy_gen_list *l, uint64_t v)
{
	uint32_t lo = 0, hi = l->n;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (l->v[mid] == v)
			return true;
		if (l->v[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

void sy_gen_list_free(struct sy_gen_list *l)
{
	free(l->v);
	*l = (struct sy_gen_list){ 0 };
}

void sy_gen_faults_free(struct sy_gen_faults *fl)
{
	struct sy_gen_list *all[] = { &fl->burst_at, &fl->burst_len, &fl->reorder, &fl->dup,
				      &fl->truncate, &fl->bad_srd_len, &fl->bad_srd_offset,
				      &fl->wrong_pt, &fl->wrong_ssrc, &fl->no_marker };

	for (unsigned i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		sy_gen_list_free(all[i]);
}

void sy_gen_fault_log_free(struct sy_gen_fault_log *lg)
{
	struct sy_gen_list *all[] = { &lg->lost_seq,	  &lg->dup_seq,	      &lg->reordered_seq,
				      &lg->truncated_seq, &lg->bad_srd_seq,   &lg->wrong_pt_seq,
				      &lg->wrong_ssrc_seq, &lg->no_marker_frames, &lg->no_marker_seq };

	for (unsigned i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		sy_gen_list_free(all[i]);
}

uint64_t sy_gen_prng_next(struct sy_gen_prng *r)
{
	uint64_t z = (r->state += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

int sy_gen_cursor_init(struct sy_gen_cursor *c, struct sy_gen_flow *f, bool record_md5)
{
	*c = (struct sy_gen_cursor){ .flow = f, .render_md5 = record_md5 };
	if (f->kind == SY_GEN_VIDEO) {
		c->packer = f->packer;
		c->frame_buf = aligned_alloc(64, (f->frame_bytes + 63) / 64 * 64);
		if (!c->frame_buf)
			return -ENOMEM;
	}
	return 0;
}

void sy_gen_cursor_free(struct sy_gen_cursor *c)
{
	free(c->frame_buf);
	c->frame_buf = NULL;
}

int sy_gen_flow_next(struct sy_gen_cursor *c, struct sy_gen_pkt *out)
{
	switch (c->flow->kind) {
	case SY_GEN_VIDEO:
		return sy_gen_video_next(c, out);
	case SY_GEN_AUDIO:
		return sy_gen_audio_next(c, out);
	default:
		return sy_gen_anc_next(c, out);
	}
}

int sy_gen_leg_init(struct sy_gen_leg *l, struct sy_gen_flow *f, unsigned leg, uint64_t seed)
{
	double rate;
	int rc;

	*l = (struct sy_gen_leg){ .flow = f, .leg = leg, .req = &f->faults[leg] };
	rc = sy_gen_cursor_init(&l->cur, f, leg == 0);
	if (rc < 0)
		return rc;
	l->slot = calloc(NSLOT, sizeof(*l->slot));
	if (!l->slot)
		return -ENOMEM;
	/* one independent stream per (seed, flow, leg) */
	l->rng.state = seed ^ (uint64_t)(f->idx + 1) * 0xD1B54A32D192ED03ull ^
		       (uint64_t)(leg + 1) * 0xABC98388FB8FAC03ull;
	sy_gen_prng_next(&l->rng);
	rate = l->req->loss_rate;
	l->loss_threshold = rate <= 0 ? 0 :
			    rate >= 1 ? UINT64_MAX :
					(uint64_t)(rate * 18446744073709551616.0);
	sy_net_mcast_mac(f->dst_ip[leg], l->dst_mac);
	l->src_mac[0] = 0x02; /* locally administered, from the source address */
	l->src_mac[1] = 0x00;
	sy_store_be32(l->src_mac + 2, f->src_ip[leg]);
	l->skew_ns = leg ? f->skew_ns : 0;
	return 0;
}

void sy_gen_leg_free(struct sy_gen_leg *l)
{
	if (!l)
		return;
	sy_gen_cursor_free(&l->cur);
	free(l->slot);
	sy_gen_fault_log_free(&l->log);
}

static bool in_burst(const struct sy_gen_faults *fl, uint64_t k)
{
	for (uint32_t i = 0; i < fl->burst_at.n; i++)
		if (k >= fl->burst_at.v[i] && k - fl->burst_at.v[i] < fl->burst_len.v[i])
			return true;
	return false;
}

/* Content faults of packet p (already known not lost). */
static int corrupt(struct sy_gen_leg *l, struct sy_gen_pkt *p)
{
	const struct sy_gen_faults *fl = l->req;
	struct sy_gen_flow *f = l->flow;
	uint8_t *rtp = p->buf + SY_GEN_HDR_BYTES;
	uint16_t seq = (uint16_t)p->seq32;
	int rc = 0;

	if (sy_gen_list_has(&fl->wrong_pt, p->index)) {
		uint8_t pt = f->pt < 127 ? f->pt + 1 : f->pt - 1;

		rtp[1] = (uint8_t)((rtp[1] & 0x80) | pt);
		rc |= sy_gen_list_add(&l->log.wrong_pt_seq, seq);
	}
	if (sy_gen_list_has(&fl->wrong_ssrc, p->index)) {
		sy_store_be32(rtp + 8, ~f->ssrc);
		rc |= sy_gen_list_add(&l->log.wrong_ssrc_seq, seq);
	}
	if (p->last_of_frame && sy_gen_list_has(&fl->no_marker, p->frame)) {
		rtp[1] &= 0x7f;
		p->marker = false;
		rc |= sy_gen_list_add(&l->log.no_marker_frames, p->frame);
		rc |= sy_gen_list_add(&l->log.no_marker_seq, seq);
	}
	if (sy_gen_list_has(&fl->bad_srd_len, p->index)) {
		uint8_t *srd = rtp + SY_RTP_HDR_BYTES + SY_RFC4175_EXT_SEQ_BYTES;

		sy_store_be16(srd, (uint16_t)(sy_load_be16(srd) + f->packer.pg.bytes));
		rc |= sy_gen_list_add(&l->log.bad_srd_seq, seq);
	}
	if (sy_gen_list_has(&fl->bad_srd_offset, p->index)) {
		uint8_t *off = rtp + SY_RTP_HDR_BYTES + SY_RFC4175_EXT_SEQ_BYTES + 4;

		sy_store_be16(off, (uint16_t)((sy_load_be16(off) & 0x8000u) |
					      (f->video.fmt.width & 0x7fffu)));
		rc |= sy_gen_list_add(&l->log.bad_srd_seq, seq);
	}
	if (sy_gen_list_has(&fl->truncate, p->index)) {
		p->rtp_len = SY_RTP_HDR_BYTES + (p->rtp_len - SY_RTP_HDR_BYTES) / 2;
		rc |= sy_gen_list_add(&l->log.truncated_seq, seq);
	}
	return rc ? -ENOMEM : 0;
}

/* Next clean packet that is not lost into *p: 1, 0 at the end, < 0. */
static int fetch(struct sy_gen_leg *l, struct sy_gen_pkt *p)
{
	for (;;) {
		int rc = sy_gen_flow_next(&l->cur, p);
		uint64_t draw;

		if (rc <= 0)
			return rc;
		draw = sy_gen_prng_next(&l->rng);
		if (draw < l->loss_threshold || in_burst(l->req, p->index)) {
			if (sy_gen_list_add(&l->log.lost_seq, (uint16_t)p->seq32) < 0)
				return -ENOMEM;
			continue;
		}
		rc = corrupt(l, p);
		return rc < 0 ? rc : 1;
	}
}

static void swap_pkt(struct sy_gen_pkt *a, struct sy_gen_pkt *b, struct sy_gen_pkt *tmp)
{
	memcpy(tmp, a, sizeof(*tmp));
	memcpy(a, b, sizeof(*a));
	memcpy(b, tmp, sizeof(*b));
}

static int refill(struct sy_gen_leg *l)
{
	struct sy_gen_pkt *s = l->slot;
	unsigned n;
	int rc;

	l->q_head = 0;
	l->q_n = 0;
	if (l->src_done)
		return 0;
	rc = fetch(l, &s[0]);
	if (rc <= 0) {
		l->src_done = true;
		return rc;
	}
	n = 1;
	if (sy_gen_list_has(&l->req->reorder, s[0].index)) {
		rc = fetch(l, &s[1]);
		if (rc < 0)
			return rc;
		if (rc == 0) {
			l->src_done = true;
		} else {
			n = 2;
			if (s[1].index == s[0].index + 1) {
				uint64_t t = s[0].time_ns;

				s[0].time_ns = s[1].time_ns;
				s[1].time_ns = t;
				if (sy_gen_list_add(&l->log.reordered_seq, (uint16_t)s[0].seq32) < 0)
					return -ENOMEM;
				swap_pkt(&s[0], &s[1], &s[NSLOT - 1]);
			}
		}
	}
	for (int i = (int)n - 1; i >= 0; i--) {
		if (!sy_gen_list_has(&l->req->dup, s[i].index))
			continue;
		for (int j = (int)n - 1; j > i; j--)
			memcpy(&s[j + 1], &s[j], sizeof(s[j]));
		memcpy(&s[i + 1], &s[i], sizeof(s[i]));
		s[i + 1].copy = true;
		n++;
		if (sy_gen_list_add(&l->log.dup_seq, (uint16_t)s[i].seq32) < 0)
			return -ENOMEM;
	}
	l->q_n = n;
	return 0;
}

struct sy_gen_pkt *sy_gen_leg_peek(struct sy_gen_leg *l, int *rc)
{
	*rc = 0;
	if (l->q_n == 0) {
		*rc = refill(l);
		if (*rc < 0 || l->q_n == 0)
			return NULL;
	}
	return &l->slot[l->q_head];
}

void sy_gen_leg_pop(struct sy_gen_leg *l)
{
	if (l->q_n) {
		l->q_head++;
		l->q_n--;
	}
}
