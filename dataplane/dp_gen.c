/* SPDX-License-Identifier: MIT */
/*
 * dp_gen.c: internal sources, as on real switchers: black, 100%/75% bars,
 * the stamped moving pattern (src/sy_pattern + src/sy_stamp), 1 kHz line-up
 * tone at -18 dBFS and silence (src/sy_tone), selectable like any input
 * (dp.h DP_INPUT_INTERNAL): their packets take the same crosspoint,
 * fan-out, rewrite and tx path as received ones (dp_worker_route).
 *
 * Prepared once (control thread, dp_gen_attach from dp_publish), per
 * internal input configuration (struct dp_gen_asset):
 *  - the picture: a still frame rendered once (black, bars; the moving
 *    pattern's 75% bars background). The moving pattern differs from it only
 *    in the box rows (every scan line of the box is the same: one row per
 *    box phase, sy_pattern_period phases, rendered in a 32-line frame of the
 *    same width) and in the stamp bands (every line of a stamp block row is
 *    the same, and both bands are equal: two rows per frame, written per
 *    frame with sy_stamp_write into a 32-line frame in one of
 *    DP_GEN_STAMP_SLOTS rotating slots, reused only when no packet refers
 *    to it any more);
 *  - the per-packet plan (sy_rfc4175 packer, once): the ready Ethernet/IPv4/
 *    UDP/RTP/SRD header bytes, which memory the payload is in and where, and
 *    the release time from the frame start: TRO_default + j * T_RS of the
 *    ST 2110-21 gapped model (narrow sender), per field;
 *  - audio: the tone/silence payloads of n packets, n the number after
 *    which the tone's phase repeats at a packet boundary (1 kHz at 48 kHz,
 *    1 ms: one packet).
 *
 * Per loop iteration (worker, dp_gen_run): for each internal input someone
 * listens to (an output's current or pending source), the packets whose
 * release time (TAI, the dp TSC->TAI map) has come, at most DP_GEN_BUDGET:
 * a header mbuf (plan bytes, RTP sequence and timestamp patched) chained to
 * an indirect-pool mbuf with the payload attached as an external buffer
 * (shared-info reference count), so no payload byte is copied. RTP
 * timestamps are the frame's grid time (sy_time: PTP-locked); the stamp's
 * frame counter is the frame's grid index. A worker more than a frame
 * behind skips to the next frame (counted gen_late); never early.
 *
 * Hot path: no allocation but mbufs, no locks, syscalls, logging or floating
 * point; the stamp write is once per frame (two 32-line bands of one row).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "dp_gen.h"
#include "dp_internal.h"
#include "dp_tx.h"
#include "sy_bytes.h"
#include "sy_err.h"
#include "sy_net.h"
#include "sy_pattern.h"
#include "sy_rfc4175.h"
#include "sy_st2110_21.h"
#include "sy_st2110_30.h"
#include "sy_stamp.h"
#include "sy_time.h"
#include "sy_tone.h"

#define RTP_HDR 12u
/* audio more than this behind (a stalled worker): resynchronise, counted
 * gen_late; less is sent late but continuous */
#define DP_GEN_AUDIO_LATE_NS 20000000u


static void no_free(void *addr, void *opaque)
{
	(void)addr;
	(void)opaque; /* the asset owns the memory; freed by dp_gen_gc */
}

static void sh_init(struct rte_mbuf_ext_shared_info *sh)
{
	sh->free_cb = no_free;
	sh->fcb_opaque = NULL;
	rte_mbuf_ext_refcnt_set(sh, 1); /* the asset's own reference */
}

static bool sh_idle(const struct rte_mbuf_ext_shared_info *sh)
{
	return rte_mbuf_ext_refcnt_read(sh) == 1;
}

static void asset_free(struct dp_gen_asset *a)
{
	if (a == NULL)
		return;
	rte_free(a->pkt);
	rte_free(a->frame);
	rte_free(a->box);
	rte_free(a->stamp);
	rte_free(a->audio);
	rte_free(a);
}

static bool asset_idle(const struct dp_gen_asset *a)
{
	bool idle = sh_idle(&a->sh_frame) && sh_idle(&a->sh_box) && sh_idle(&a->sh_audio);

	for (unsigned i = 0; i < DP_GEN_STAMP_SLOTS; i++)
		idle &= sh_idle(&a->sh_stamp[i]);
	return idle;
}

/* ---- headers ------------------------------------------------------------------- */

/* Ethernet + IPv4 + UDP + RTP for a payload of rtp_payload bytes (after the
 * RTP header); returns the RTP header offset. */
static unsigned build_hdr(const struct dp *dp, const struct dp_input *in, uint8_t *h,
			  uint32_t rtp_payload, bool marker)
{
	const uint8_t *mac = dp->port_mac[in->port];
	uint32_t dst = in->key.dst_ip, src = dp->cfg.ports[in->port].ip;
	uint16_t ip_len = (uint16_t)(L3 + L4 + RTP_HDR + rtp_payload);
	uint8_t *ip = h + L2, *udp = ip + L3, *rtp = udp + L4;

	if (dst && sy_net_ip_is_multicast(dst))
		sy_net_mcast_mac(dst, h);
	else
		memcpy(h, mac, 6);
	memcpy(h + 6, mac, 6);
	sy_store_be16(h + 12, 0x0800);
	memset(ip, 0, L3);
	ip[0] = 0x45;
	sy_store_be16(ip + 2, ip_len);
	sy_store_be16(ip + 6, 0x4000); /* DF */
	ip[8] = 64;
	ip[9] = 17;
	sy_store_be32(ip + 12, src);
	sy_store_be32(ip + 16, dst);
	sy_store_be16(ip + 10, sy_net_ipv4_csum(ip, L3));
	sy_store_be16(udp, in->key.dst_port ? in->key.dst_port : 5004);
	sy_store_be16(udp + 2, in->key.dst_port ? in->key.dst_port : 5004);
	sy_store_be16(udp + 4, (uint16_t)(ip_len - L3));
	sy_store_be16(udp + 6, 0);
	rtp[0] = 0x80;
	rtp[1] = (uint8_t)((marker ? 0x80u : 0u) |
			   ((in->pt == 0xff ? (in->fmt.essence == DP_ESSENCE_AUDIO ? 97u : 96u)
					    : in->pt) & 0x7fu));
	sy_store_be32(rtp + 8, 0x53590000u | (uint32_t)in->gen << 8 | (in->source_id & 0xffu));
	return RTP_OFF;
}

static void *zalloc(size_t n)
{
	return rte_zmalloc("dp_gen", n ? n : 1, RTE_CACHE_LINE_SIZE);
}

static uint64_t iova_of(const void *base, const void *p)
{
	rte_iova_t b = rte_malloc_virt2iova(base);

	return b == RTE_BAD_IOVA ? RTE_BAD_IOVA
				 : b + (uint64_t)((const uint8_t *)p - (const uint8_t *)base);
}

/* ---- preparation (control thread) ------------------------------------------------- */

static int prep_moving(struct dp_gen_asset *a, struct dp_error *err)
{
	const struct sy_video_format *f = &a->vfmt;
	struct sy_pgroup pg;
	struct sy_pattern_box box;
	uint8_t *tmp;
	int rc;

	sy_format_pgroup(f, &pg);
	a->mini = *f;
	a->mini.height = DP_GEN_MINI_LINES;
	a->mini.interlaced = false;
	a->mini.segmented = false;
	a->mini_len = sy_format_frame_bytes(&a->mini);
	a->n_phase = sy_pattern_period(f, SY_PATTERN_MOVING);
	struct sy_stamp_geometry geo;

	if (a->mini_len == 0 || a->n_phase == 0 || sy_stamp_geometry(f, &geo) < 0 ||
	    sy_stamp_geometry(&a->mini, &geo) < 0)
		return dp_error_set(err, -SY_E_UNSUPPORTED,
			    "moving pattern: format too small for the stamp (320 x 32 minimum)");
	/* stamp block rows in a 32-line frame: scan lines 0 and block_h */
	a->mini_row[0] = 0;
	a->mini_row[1] = geo.block_h_lines / pg.lines * a->row_bytes;
	a->box = zalloc((size_t)a->n_phase * a->row_bytes);
	a->stamp = zalloc(DP_GEN_STAMP_SLOTS * a->mini_len);
	tmp = malloc(a->mini_len);
	if (a->box == NULL || a->stamp == NULL || tmp == NULL) {
		free(tmp);
		return dp_error_set(err, -ENOMEM, "moving pattern: out of memory (EAL -m)");
	}
	sy_pattern_box(&a->mini, 0, &box);
	for (uint32_t ph = 0; ph < a->n_phase; ph++) {
		rc = sy_pattern_render(&a->mini, SY_PATTERN_MOVING, ph, tmp, a->mini_len);
		if (rc < 0) {
			free(tmp);
			return dp_error_set(err, rc, "moving pattern: %s", sy_err_str(rc));
		}
		memcpy(a->box + (size_t)ph * a->row_bytes, tmp + box.y / pg.lines * a->row_bytes,
		       a->row_bytes);
	}
	free(tmp);
	return 0;
}

/* Which memory buffer row `row` of the moving pattern comes from. */
static enum dp_gen_mem moving_row_mem(const struct dp_gen_asset *a, uint32_t row)
{
	struct sy_pgroup pg;
	struct sy_stamp_geometry geo;
	struct sy_pattern_box box;
	uint32_t y;

	sy_format_pgroup(&a->vfmt, &pg);
	sy_stamp_geometry(&a->vfmt, &geo);
	sy_pattern_box(&a->vfmt, 0, &box);
	y = row * pg.lines;
	for (unsigned b = 0; b < SY_STAMP_BAND_MAX; b++)
		if (y >= geo.band_y[b] && y < geo.band_y[b] + geo.band_h_lines)
			return (y - geo.band_y[b]) / geo.block_h_lines ? DP_GEN_MEM_STAMP1
									: DP_GEN_MEM_STAMP0;
	if (y >= box.y && y < box.y + box.h)
		return DP_GEN_MEM_BOX;
	return DP_GEN_MEM_FRAME;
}

static int prep_video(const struct dp *dp, struct dp_gen_asset *a, struct dp_error *err)
{
	const struct dp_input *in = &a->cfg;
	const struct sy_video_format *f = &in->fmt.video;
	struct sy_rfc4175_packer pk;
	struct sy_rfc4175_plan plan;
	struct sy_st2110_21_model m;
	static const enum sy_pattern_kind kinds[] = {
		[DP_GEN_BLACK] = SY_PATTERN_BLACK, [DP_GEN_BARS_100] = SY_PATTERN_BARS_100,
		[DP_GEN_BARS_75] = SY_PATTERN_BARS_75, [DP_GEN_MOVING] = SY_PATTERN_BARS_75};
	int rc = sy_pattern_check_format(f);

	if (rc < 0)
		return dp_error_set(err, rc, "input '%s': no test pattern for this video format: %s",
			    in->name, sy_err_str(rc));
	a->vfmt = *f;
	a->field_rate = f->rate;
	if (f->interlaced)
		a->field_rate.num *= 2u;
	a->period_ns = (uint64_t)f->rate.den * SY_TIME_NS_PER_S / f->rate.num;
	a->row_bytes = sy_format_row_bytes(f);
	a->frame_len = sy_format_frame_bytes(f);
	rc = sy_rfc4175_packer_init(&pk, f, 1200, SY_RFC4175_LAYOUT_ROW);
	if (rc < 0)
		return dp_error_set(err, rc, "input '%s': packetizer: %s", in->name, sy_err_str(rc));
	if (in->gen == DP_GEN_MOVING && f->packing != SY_PACKING_GPM)
		return dp_error_set(err, -SY_E_UNSUPPORTED,
			    "input '%s': the moving pattern needs GPM packing (a packet per row part)",
			    in->name);
	a->n_pkts = sy_rfc4175_packer_pkts_per_frame(&pk);
	uint32_t per_field = sy_rfc4175_packer_pkts_per_field(&pk);

	rc = sy_st2110_21_model_init(&m, f, per_field, SY_ST2110_21_GAPPED);
	if (rc < 0)
		return dp_error_set(err, rc, "input '%s': ST 2110-21 model: %s", in->name, sy_err_str(rc));
	uint64_t tro = m.tro_default_round_ns, t_field = sy_st2110_21_ratio_floor(m.t_frame_ns);

	a->frame = zalloc(a->frame_len);
	a->pkt = zalloc((size_t)a->n_pkts * sizeof(*a->pkt));
	if (a->frame == NULL || a->pkt == NULL)
		return dp_error_set(err, -ENOMEM, "input '%s': out of memory for its frame (EAL -m)",
			    in->name);
	rc = sy_pattern_render(f, kinds[in->gen], 0, a->frame, a->frame_len);
	if (rc < 0)
		return dp_error_set(err, rc, "input '%s': render: %s", in->name, sy_err_str(rc));
	if (in->gen == DP_GEN_MOVING && (rc = prep_moving(a, err)) < 0)
		return rc;

	sy_rfc4175_packer_reset(&pk);
	for (uint32_t i = 0; i < a->n_pkts; i++) {
		struct dp_gen_pkt *p = &a->pkt[i];

		if (!sy_rfc4175_packer_next(&pk, &plan))
			return dp_error_set(err, -SY_E_STATE, "input '%s': packer ended early", in->name);
		uint32_t hdrs = SY_RFC4175_EXT_SEQ_BYTES + SY_RFC4175_SRD_BYTES * plan.n_seg;

		if (RTP_OFF + RTP_HDR + hdrs > DP_GEN_HDR_MAX)
			return dp_error_set(err, -SY_E_UNSUPPORTED, "input '%s': too many SRDs per packet",
				    in->name);
		for (unsigned k = 1; k < plan.n_seg; k++)
			if (plan.seg[k].frame_offset !=
			    plan.seg[k - 1].frame_offset + plan.seg[k - 1].len_bytes)
				return dp_error_set(err, -SY_E_UNSUPPORTED,
					    "input '%s': packet segments not contiguous", in->name);
		a->rtp_hdr_off = build_hdr(dp, in, p->hdr, hdrs + plan.data_bytes, plan.marker);
		sy_rfc4175_write_headers(&plan, 0, p->hdr + RTP_OFF + RTP_HDR, hdrs);
		p->hdr_len = (uint8_t)(RTP_OFF + RTP_HDR + hdrs);
		p->marker = plan.marker;
		p->field = plan.second_field;
		p->len = plan.data_bytes;
		uint32_t j = plan.second_field ? i - per_field : i;

		p->tx_off_ns = (plan.second_field ? t_field : 0) + tro + (uint64_t)j * m.t_rs_dns / 10u;
		uint64_t fo = plan.seg[0].frame_offset;

		p->mem = in->gen == DP_GEN_MOVING ? (uint8_t)moving_row_mem(a, (uint32_t)(fo / a->row_bytes))
						  : DP_GEN_MEM_FRAME;
		p->off = p->mem == DP_GEN_MEM_FRAME ? (uint32_t)fo : (uint32_t)(fo % a->row_bytes);
	}
	return 0;
}

static int prep_audio(const struct dp *dp, struct dp_gen_asset *a, struct dp_error *err)
{
	const struct dp_input *in = &a->cfg;
	const struct sy_st2110_30_format *f = &in->fmt.audio;
	struct sy_tone *t;
	uint32_t per = 1;
	int rc = sy_st2110_30_format_validate(f);

	if (rc == 0)
		rc = sy_st2110_30_frames_per_packet(f->rate_hz, f->ptime_ns, &a->spp);
	if (rc == 0)
		rc = sy_st2110_30_packet_bytes(f, &a->audio_bytes);
	if (rc < 0)
		return dp_error_set(err, rc, "input '%s': audio format: %s", in->name, sy_err_str(rc));
	a->rate_hz = f->rate_hz;
	t = malloc(sizeof(*t));
	if (t == NULL)
		return dp_error_set(err, -ENOMEM, "out of memory");
	rc = sy_tone_init(t, f);
	for (uint32_t ch = 0; rc == 0 && in->gen == DP_GEN_TONE && ch < f->channels; ch++)
		rc = sy_tone_set(t, ch, SY_TONE_ALIGN_HZ, SY_TONE_ALIGN_MDB);
	if (rc < 0) {
		free(t);
		return dp_error_set(err, rc, "input '%s': tone: %s", in->name, sy_err_str(rc));
	}
	if (in->gen == DP_GEN_TONE)
		per = t->ch[0].frames; /* every channel the same table */
	{
		uint32_t x = per, y = a->spp;

		while (y) {
			uint32_t r = x % y;

			x = y;
			y = r;
		}
		a->n_audio = per / x; /* packets until the phase repeats */
	}
	a->n_pkts = 1;
	a->pkt = zalloc(sizeof(*a->pkt));
	a->audio = zalloc((size_t)a->n_audio * a->audio_bytes);
	if (a->pkt == NULL || a->audio == NULL) {
		free(t);
		return dp_error_set(err, -ENOMEM, "input '%s': out of memory (EAL -m)", in->name);
	}
	for (uint32_t j = 0; j < a->n_audio; j++)
		sy_tone_write(t, a->audio + (size_t)j * a->audio_bytes, a->spp, (uint64_t)j * a->spp);
	free(t);
	a->rtp_hdr_off = build_hdr(dp, in, a->pkt[0].hdr, a->audio_bytes, false);
	a->pkt[0].hdr_len = (uint8_t)(RTP_OFF + RTP_HDR);
	a->pkt[0].mem = DP_GEN_MEM_AUDIO;
	a->pkt[0].len = a->audio_bytes;
	a->period_ns = f->ptime_ns;
	return 0;
}

static bool same_cfg(const struct dp_input *x, const struct dp_input *y)
{
	return x->port == y->port && x->gen == y->gen && x->source_id == y->source_id &&
	       x->pt == y->pt && x->key.dst_ip == y->key.dst_ip &&
	       x->key.dst_port == y->key.dst_port &&
	       dp_format_match(&x->fmt, &y->fmt, NULL, 0) == 0;
}

static bool snap_uses(const struct dp_snap *s, const struct dp_gen_asset *a)
{
	if (s == NULL)
		return false;
	for (unsigned i = 0; i < s->r.n_inputs; i++)
		if (s->in[i].gen == a)
			return true;
	return false;
}

void dp_gen_gc(struct dp *dp)
{
	unsigned j = 0;

	for (unsigned i = 0; i < dp->n_gen_assets; i++) {
		struct dp_gen_asset *a = dp->gen_assets[i];
		bool used = snap_uses(dp->snap, a);

		for (unsigned r = 0; r < dp->n_retired && !used; r++)
			used = snap_uses(dp->retired[r].snap, a);
		if (!used && asset_idle(a))
			asset_free(a);
		else
			dp->gen_assets[j++] = a;
	}
	dp->n_gen_assets = j;
}

void dp_gen_free_all(struct dp *dp)
{
	for (unsigned i = 0; i < dp->n_gen_assets; i++)
		asset_free(dp->gen_assets[i]);
	dp->n_gen_assets = 0;
}

static int asset_get(struct dp *dp, const struct dp_input *in, unsigned idx,
		     struct dp_gen_asset **out, struct dp_error *err)
{
	struct dp_gen_asset *a;
	int rc;

	for (unsigned i = 0; i < dp->n_gen_assets; i++) {
		a = dp->gen_assets[i];
		if (a->input == (int16_t)idx && same_cfg(&a->cfg, in)) {
			*out = a;
			return 0;
		}
	}
	if (dp->n_gen_assets == DP_GEN_ASSETS_MAX)
		dp_gen_gc(dp);
	if (dp->n_gen_assets == DP_GEN_ASSETS_MAX)
		return dp_error_set(err, -ENOSPC, "input '%s': %u internal source configurations in use",
			    in->name, DP_GEN_ASSETS_MAX);
	a = zalloc(sizeof(*a));
	if (a == NULL)
		return dp_error_set(err, -ENOMEM, "out of memory");
	a->cfg = *in;
	a->input = (int16_t)idx;
	a->essence = in->fmt.essence;
	sh_init(&a->sh_frame);
	sh_init(&a->sh_box);
	sh_init(&a->sh_audio);
	for (unsigned i = 0; i < DP_GEN_STAMP_SLOTS; i++)
		sh_init(&a->sh_stamp[i]);
	rc = a->essence == DP_ESSENCE_AUDIO ? prep_audio(dp, a, err) : prep_video(dp, a, err);
	if (rc < 0) {
		asset_free(a);
		return rc;
	}
	dp->gen_assets[dp->n_gen_assets++] = a;
	*out = a;
	return 0;
}

int dp_gen_attach(struct dp *dp, struct dp_snap *s, struct dp_error *err)
{
	for (unsigned i = 0; i < s->r.n_inputs; i++) {
		const struct dp_input *in = &s->r.inputs[i];
		int rc;

		if (in->kind != DP_INPUT_INTERNAL)
			continue;
		rc = asset_get(dp, in, i, &s->in[i].gen, err);
		if (rc < 0)
			return rc;
		uint16_t w = s->in[i].worker;

		s->gen_in[w][s->n_gen[w]++] = (int16_t)i;
	}
	return 0;
}

/* ---- generation (worker) ----------------------------------------------------------- */

/* Payload memory of packet p of the frame g is on: pointer and shared info. */
static uint8_t *payload_of(struct dp_gen_asset *a, const struct dp_gen_rt *g,
			   const struct dp_gen_pkt *p, struct rte_mbuf_ext_shared_info **sh,
			   uint8_t **base)
{
	switch (p->mem) {
	case DP_GEN_MEM_BOX:
		*sh = &a->sh_box;
		*base = a->box;
		return a->box + (size_t)g->phase * a->row_bytes + p->off;
	case DP_GEN_MEM_STAMP0:
	case DP_GEN_MEM_STAMP1:
		*sh = &a->sh_stamp[g->slot];
		*base = a->stamp;
		return a->stamp + (size_t)g->slot * a->mini_len +
		       a->mini_row[p->mem - DP_GEN_MEM_STAMP0] + p->off;
	case DP_GEN_MEM_AUDIO:
		*sh = &a->sh_audio;
		*base = a->audio;
		return a->audio + (size_t)(g->frame % a->n_audio) * a->audio_bytes;
	default:
		*sh = &a->sh_frame;
		*base = a->frame;
		return a->frame + p->off;
	}
}

/* Build packet p of g's frame: header mbuf + attached payload. NULL: pool
 * empty (counted). */
static struct rte_mbuf *make_pkt(struct dp_worker *w, struct dp_gen_asset *a,
				 struct dp_gen_rt *g, const struct dp_gen_pkt *p, uint32_t ts)
{
	struct dp *dp = w->dp;
	struct rte_mbuf *h = rte_pktmbuf_alloc(dp->hdr_pool);
	struct rte_mbuf *d = rte_pktmbuf_alloc(dp->ind_pool);
	struct rte_mbuf_ext_shared_info *sh;
	uint8_t *base, *pl, *hb;

	if (unlikely(h == NULL || d == NULL)) {
		rte_pktmbuf_free(h);
		rte_pktmbuf_free(d);
		w->cnt.drops[DP_DROP_gen_no_mbuf]++;
		return NULL;
	}
	hb = (uint8_t *)rte_pktmbuf_append(h, p->hdr_len);
	memcpy(hb, p->hdr, p->hdr_len);
	sy_store_be16(hb + RTP_OFF + 2, (uint16_t)g->seq);
	sy_store_be32(hb + RTP_OFF + 4, ts);
	if (a->essence == DP_ESSENCE_VIDEO)
		sy_store_be16(hb + RTP_OFF + RTP_HDR, (uint16_t)(g->seq >> 16));
	g->seq++;
	pl = payload_of(a, g, p, &sh, &base);
	rte_mbuf_ext_refcnt_update(sh, 1);
	rte_pktmbuf_attach_extbuf(d, pl, iova_of(base, pl), (uint16_t)p->len, sh);
	d->data_len = (uint16_t)p->len;
	d->pkt_len = p->len;
	rte_pktmbuf_chain(h, d);
	return h;
}

static void send_pkt(struct dp_worker *w, const struct dp_snap *s, int16_t input,
		     struct rte_mbuf *m, const struct dp_pkt_info *pi)
{
	struct dp_input_stats *is = &w->cnt.in[input];

	is->pkts++;
	is->bytes += m->pkt_len;
	if (pi->fs)
		is->frames++;
	dp_worker_route(w, s, m, pi);
}

/* Open frame g->frame: timestamps, phase, stamp slot (skipped if busy). */
static void open_frame(struct dp_worker *w, struct dp_gen_asset *a, struct dp_gen_rt *g)
{
	struct sy_time_frame fr;

	g->skip = false;
	if (sy_time_frame_info(g->frame, a->vfmt.rate, SY_TIME_VIDEO_HZ, &fr) == 0)
		g->ts[0] = fr.rtp_ts;
	if (a->vfmt.interlaced &&
	    sy_time_frame_info(g->frame * 2u + 1u, a->field_rate, SY_TIME_VIDEO_HZ, &fr) == 0)
		g->ts[1] = fr.rtp_ts;
	if (a->cfg.gen != DP_GEN_MOVING)
		return;
	g->phase = (uint32_t)g->frame % a->n_phase; /* of the 32-bit counter, as sy-gen and the analyzer */
	g->slot = (uint8_t)(g->frame % DP_GEN_STAMP_SLOTS);
	if (!sh_idle(&a->sh_stamp[g->slot])) {
		g->skip = true; /* packets of frame - 8 still queued somewhere */
		w->cnt.drops[DP_DROP_gen_busy]++;
		return;
	}
	struct sy_stamp st = {.source_id = a->cfg.source_id, .frame_counter = (uint32_t)g->frame};

	sy_stamp_write(&a->mini, a->stamp + (size_t)g->slot * a->mini_len, a->mini_len, &st);
}

static void set_frame(struct dp_gen_asset *a, struct dp_gen_rt *g, uint64_t index)
{
	struct sy_time_frame fr;

	g->frame = index;
	g->next = 0;
	g->frame_ns = sy_time_frame_info(index, a->vfmt.rate, SY_TIME_VIDEO_HZ, &fr) == 0
		      ? fr.start_ns : UINT64_MAX;
}

static void run_video(struct dp_worker *w, const struct dp_snap *s, int16_t i,
		      struct dp_gen_asset *a, struct dp_gen_rt *g, uint64_t now)
{
	if (!g->active) {
		struct sy_time_frame fr;

		if (sy_time_frame_at_or_after(now, a->vfmt.rate, SY_TIME_VIDEO_HZ, &fr) < 0)
			return;
		set_frame(a, g, fr.index);
		g->active = true;
	}
	/* bound: DP_GEN_BUDGET packets */
	for (unsigned n = 0; n < DP_GEN_BUDGET; n++) {
		const struct dp_gen_pkt *p = &a->pkt[g->next];
		uint64_t t = g->frame_ns + p->tx_off_ns;

		if (t > now)
			return;
		if (g->next == 0) {
			if (now - g->frame_ns > a->period_ns) {
				/* more than a frame behind: the next frame, whole */
				struct sy_time_frame fr;

				if (sy_time_frame_at_or_after(now, a->vfmt.rate, SY_TIME_VIDEO_HZ,
							      &fr) < 0)
					return;
				w->cnt.drops[DP_DROP_gen_late] += fr.index - g->frame;
				set_frame(a, g, fr.index);
				continue;
			}
			open_frame(w, a, g);
		}
		if (!g->skip) {
			struct rte_mbuf *m = make_pkt(w, a, g, p, g->ts[p->field]);

			if (m != NULL) {
				struct dp_pkt_info pi = {
					.input = i, .fs = g->next == 0,
					.end = p->marker && (!a->vfmt.interlaced || p->field == 1),
					.partial = false, .ts = g->ts[p->field], .key = g->frame_ns,
					.hdr_len = RTP_OFF + RTP_HDR + SY_RFC4175_EXT_SEQ_BYTES};

				w->rt.now_ns = t;
				send_pkt(w, s, i, m, &pi);
			}
		}
		if (g->skip || ++g->next == a->n_pkts)
			set_frame(a, g, g->frame + 1u);
	}
}

static void run_audio(struct dp_worker *w, const struct dp_snap *s, int16_t i,
		      struct dp_gen_asset *a, struct dp_gen_rt *g, uint64_t now)
{
	if (!g->active || (now > g->frame_ns && now - g->frame_ns > DP_GEN_AUDIO_LATE_NS)) {
		struct sy_time_frame fr;

		if (sy_time_sample_at_or_after(now, a->rate_hz, &fr) < 0)
			return;
		if (g->active)
			w->cnt.drops[DP_DROP_gen_late]++;
		g->frame = (fr.index + a->spp - 1u) / a->spp; /* packet index */
		if (sy_time_ticks_to_tai(g->frame * a->spp, a->rate_hz, &g->frame_ns) < 0)
			return;
		g->active = true;
	}
	/* bound: DP_GEN_BUDGET packets */
	for (unsigned n = 0; n < DP_GEN_BUDGET && g->frame_ns <= now; n++) {
		uint32_t ts = (uint32_t)(g->frame * a->spp);
		struct rte_mbuf *m = make_pkt(w, a, g, &a->pkt[0], ts);

		if (m != NULL) {
			struct dp_pkt_info pi = {.input = i, .fs = true, .end = true, .ts = ts,
						 .key = g->frame_ns, .hdr_len = RTP_OFF + RTP_HDR};

			w->rt.now_ns = g->frame_ns;
			send_pkt(w, s, i, m, &pi);
		}
		g->frame++;
		if (sy_time_ticks_to_tai(g->frame * a->spp, a->rate_hz, &g->frame_ns) < 0)
			g->frame_ns = UINT64_MAX;
	}
}

void dp_gen_run(struct dp_worker *w, uint64_t now_ns)
{
	const struct dp_snap *s = w->rt.snap;
	unsigned n = s->n_gen[w->idx];

	/* bound: internal inputs of this worker x DP_GEN_BUDGET */
	for (unsigned j = 0; j < n; j++) {
		int16_t i = s->gen_in[w->idx][j];
		struct dp_gen_asset *a = s->in[i].gen;
		struct dp_gen_rt *g = &w->rt.gen[i];

		if (g->a != a) {
			g->a = a;
			g->active = false;
		}
		if (w->rt.in[i].n_listeners == 0) {
			g->active = false; /* nobody listens: nothing made */
			continue;
		}
		if (a->essence == DP_ESSENCE_VIDEO)
			run_video(w, s, i, a, g, now_ns);
		else
			run_audio(w, s, i, a, g, now_ns);
	}
}

/* ---- tests ------------------------------------------------------------------------ */

int dp_gen_frame_image(struct dp_gen_asset *a, uint64_t index, uint8_t *frame, size_t len)
{
	struct dp_gen_rt g = {0};
	struct sy_rfc4175_packer pk;
	struct sy_rfc4175_plan plan;

	if (a->essence != DP_ESSENCE_VIDEO || len < a->frame_len)
		return -SY_E_NOSPACE;
	g.frame = index;
	if (a->cfg.gen == DP_GEN_MOVING) {
		struct sy_stamp st = {.source_id = a->cfg.source_id, .frame_counter = (uint32_t)index};

		g.phase = (uint32_t)index % a->n_phase;
		g.slot = (uint8_t)(index % DP_GEN_STAMP_SLOTS);
		sy_stamp_write(&a->mini, a->stamp + (size_t)g.slot * a->mini_len, a->mini_len, &st);
	}
	sy_rfc4175_packer_init(&pk, &a->vfmt, 1200, SY_RFC4175_LAYOUT_ROW);
	for (uint32_t i = 0; i < a->n_pkts && sy_rfc4175_packer_next(&pk, &plan); i++) {
		struct rte_mbuf_ext_shared_info *sh;
		uint8_t *base;

		memcpy(frame + plan.seg[0].frame_offset, payload_of(a, &g, &a->pkt[i], &sh, &base),
		       a->pkt[i].len);
	}
	return 0;
}
