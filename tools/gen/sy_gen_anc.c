/* SPDX-License-Identifier: MIT */
/*
 * sy_gen_anc.c: sy-gen's ST 2110-40 flow: one RTP packet per frame (per
 * field if interlaced) carrying one ATC timecode ANC packet (SMPTE ST 12-2,
 * DID/SDID 0x60/0x60, line 9) built by src/sy_st2110_40.
 *
 * The binary groups carry the 32-bit frame counter (BG1 = bits 0-3 ...),
 * the same counter the video stamp of the same frame carries; the timecode
 * digits count that counter non-drop-frame at the nominal rate (frame pairs
 * above 30 Hz, flag 27 marking the second frame of the pair). DBB1 is 0x00
 * (LTC) for progressive, 0x01 / 0x02 (VITC1 / VITC2) for the two fields.
 * RTP timestamp = the field's grid instant (90 kHz), marker set (last packet
 * of the field), F = 00 progressive, 10 / 11 fields; sent 100 us after the
 * field's grid instant (SY_GEN_ANC_OFFSET_NS), where VANC lines would be.
 * Single-threaded tool code.
 */
#include <stdio.h>

#include "sy_gen.h"

#include "sy_err.h"
#include "sy_rtp.h"
#include "sy_st2110_40.h"
#include "sy_time.h"

#define SY_GEN_ANC_OFFSET_NS 100000u

int sy_gen_anc_setup(struct sy_gen_flow *f, uint64_t tai_start_ns)
{
	struct sy_gen_anc_cfg *a = &f->anc;
	int rc;

	if (!a->rate.num || !a->rate.den) {
		fprintf(stderr, "sy-gen: flow %u: --anc needs a video flow before it or --rate\n",
			f->idx + 1);
		return -SY_E_RANGE;
	}
	rc = sy_gen_frame_grid(f, a->rate, a->interlaced, tai_start_ns);
	if (rc < 0)
		return rc;
	f->pkts_per_field = 1;
	f->n_clean = (uint64_t)a->frames * f->fields;
	return 0;
}

static void atc_of(const struct sy_gen_flow *f, uint32_t counter, uint32_t field,
		   struct sy_st2110_40_atc *tc)
{
	uint32_t nominal = (f->anc.rate.num + f->anc.rate.den - 1) / f->anc.rate.den;
	bool pairs = nominal > 30;
	uint32_t fps = pairs ? nominal / 2 : nominal;
	uint32_t units = pairs ? counter / 2 : counter;
	uint32_t secs = units / fps;

	*tc = (struct sy_st2110_40_atc){
		.frames = (uint8_t)(units % fps),
		.seconds = (uint8_t)(secs % 60),
		.minutes = (uint8_t)(secs / 60 % 60),
		.hours = (uint8_t)(secs / 3600 % 24),
		.flag27 = pairs && (counter & 1),
		.binary_groups = counter,
		.dbb1 = f->fields == 2 ? (uint8_t)(field ? SY_ST2110_40_ATC_VITC2 :
							    SY_ST2110_40_ATC_VITC1) :
					 (uint8_t)SY_ST2110_40_ATC_LTC,
	};
}

int sy_gen_anc_next(struct sy_gen_cursor *c, struct sy_gen_pkt *out)
{
	struct sy_gen_flow *f = c->flow;
	uint8_t *rtp = out->buf + SY_GEN_HDR_BYTES;
	struct sy_st2110_40_atc tc;
	struct sy_st2110_40_pkt pkt;
	struct sy_time_frame tf;
	uint16_t udw[16];
	uint64_t grid;
	uint32_t field;
	size_t len;
	int rc;

	if (c->next_index >= f->n_clean)
		return 0;
	out->index = c->next_index++;
	out->frame = out->index / f->fields;
	field = (uint32_t)(out->index % f->fields);
	grid = f->first_grid + out->index;
	rc = sy_time_frame_info(grid, f->grid_rate, SY_TIME_VIDEO_HZ, &tf);
	if (rc < 0)
		return rc;
	atc_of(f, f->anc.frame_start + (uint32_t)out->frame, field, &tc);
	rc = sy_st2110_40_atc_encode(&tc, udw);
	if (rc < 0)
		return rc;
	sy_st2110_40_atc_pkt(udw, &pkt);
	if (field)
		pkt.line = 571; /* field 2's line 9 in 1125-line numbering */
	out->seq32 = f->seq_start + (uint32_t)out->index;
	out->marker = true;
	out->last_of_frame = field + 1 == f->fields;
	out->copy = false;
	sy_rtp_write(rtp, true, f->pt, (uint16_t)out->seq32, tf.rtp_ts, f->ssrc);
	rc = sy_st2110_40_build(rtp + SY_RTP_HDR_BYTES,
				SY_GEN_BUF_BYTES - SY_GEN_HDR_BYTES - SY_RTP_HDR_BYTES,
				(uint16_t)(out->seq32 >> 16),
				f->fields == 2 ? (field ? SY_ST2110_40_F_FIELD2 :
							  SY_ST2110_40_F_FIELD1) :
						 SY_ST2110_40_F_PROGRESSIVE,
				&pkt, 1, &len);
	if (rc < 0)
		return rc;
	out->rtp_len = SY_RTP_HDR_BYTES + (uint32_t)len;
	out->time_ns = sy_gen_grid_ns(grid, f->grid_rate, SY_GEN_ANC_OFFSET_NS, 1);
	return 1;
}
