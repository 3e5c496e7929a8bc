/* SPDX-License-Identifier: MIT */
/*
 * sy_gen_video.c: sy-gen's ST 2110-20 video flow: picture, packets, times.
 *
 * Frame n of the capture shows pattern (bars + moving box by default) for
 * frame counter frame_start + n, stamped with (source id, that counter) by
 * src/sy_stamp, exactly as the dataplane's internal sources draw it, so the
 * analyzer can regenerate or attribute any frame. Each frame is rendered
 * once per leg when its first packet is due and then sliced by the
 * src/sy_rfc4175 packer (memcpy per packet; no per-pixel work per packet).
 *
 * Frame 0 is the first frame of the rate's grid at or after --tai-start
 * (exactly --tai-start when that is on the grid). Each field has its own RTP
 * timestamp: the 90 kHz time of its grid instant (src/sy_time). The 32-bit
 * sequence starts at the flow's --seq-start; the RFC 4175 extended sequence
 * number carries its high 16 bits.
 * Single-threaded tool code.
 */
#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sy_gen.h"

#include "sy_err.h"
#include "sy_rtp.h"
#include "sy_stamp.h"
#include "sy_time.h"

int sy_gen_frame_grid(struct sy_gen_flow *f, struct sy_rate frame_rate, bool interlaced,
		      uint64_t tai_start_ns)
{
	struct sy_time_frame fr;
	int rc;

	rc = sy_time_frame_at_or_after(tai_start_ns, frame_rate, SY_TIME_VIDEO_HZ, &fr);
	if (rc < 0)
		return rc;
	f->fields = interlaced ? 2u : 1u;
	f->grid_rate = (struct sy_rate){ frame_rate.num * f->fields, frame_rate.den };
	f->first_grid = fr.index * f->fields;
	f->first_tai_ns = fr.start_ns;
	return 0;
}

uint64_t sy_gen_flow_end_ns(const struct sy_gen_flow *f)
{
	uint32_t frames = f->kind == SY_GEN_VIDEO ? f->video.frames : f->anc.frames;

	return sy_gen_grid_ns(f->first_grid + (uint64_t)frames * f->fields, f->grid_rate, 0, 1);
}

int sy_gen_video_setup(struct sy_gen_flow *f, uint64_t tai_start_ns)
{
	struct sy_gen_video_cfg *v = &f->video;
	struct sy_stamp_geometry geo;
	int rc;

	rc = sy_pattern_check_format(&v->fmt);
	if (rc < 0) {
		fprintf(stderr, "sy-gen: flow %u: video format not usable: %s\n", f->idx + 1,
			sy_err_str(rc));
		return rc;
	}
	rc = sy_stamp_geometry(&v->fmt, &geo);
	if (rc < 0) {
		fprintf(stderr, "sy-gen: flow %u: picture smaller than the stamp needs "
				"(320 x 32): %s\n", f->idx + 1, sy_err_str(rc));
		return rc;
	}
	rc = sy_rfc4175_packer_init(&f->packer, &v->fmt, v->payload_bytes, v->layout);
	if (rc < 0) {
		fprintf(stderr, "sy-gen: flow %u: payload %u bytes not possible (whole pgroups, "
				"RTP packet <= 1452 bytes): %s\n", f->idx + 1, v->payload_bytes,
			sy_err_str(rc));
		return rc;
	}
	f->pkts_per_field = sy_rfc4175_packer_pkts_per_field(&f->packer);
	rc = sy_gen_frame_grid(f, v->fmt.rate, v->fmt.interlaced, tai_start_ns);
	if (rc < 0)
		return rc;
	f->n_clean = (uint64_t)v->frames * sy_rfc4175_packer_pkts_per_frame(&f->packer);
	rc = sy_gen_sched_init(&f->sched, &v->fmt, f->pkts_per_field, f->timing,
			       f->have_link ? f->link_gbps : 0);
	if (rc < 0) {
		fprintf(stderr, "sy-gen: flow %u: ST 2110-21 model: %s\n", f->idx + 1,
			sy_err_str(rc));
		return rc;
	}
	f->link_gbps = f->sched.link_gbps;
	f->frame_bytes = sy_format_frame_bytes(&v->fmt);
	f->frame_md5 = calloc(v->frames ? v->frames : 1, sizeof(*f->frame_md5));
	return f->frame_md5 ? 0 : -ENOMEM;
}

static void md5_hex(const uint8_t *buf, size_t len, char out[33])
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	EVP_Digest(buf, len, d, &n, EVP_md5(), NULL);
	for (unsigned i = 0; i < 16; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static int load_frame(struct sy_gen_cursor *c)
{
	struct sy_gen_flow *f = c->flow;
	struct sy_gen_video_cfg *v = &f->video;
	uint32_t counter = v->frame_start + (uint32_t)c->frame;
	struct sy_stamp st = { .source_id = v->source_id, .frame_counter = counter };
	int rc;

	rc = sy_pattern_render(&v->fmt, v->pattern, counter, c->frame_buf, f->frame_bytes);
	if (rc == 0)
		rc = sy_stamp_write(&v->fmt, c->frame_buf, f->frame_bytes, &st);
	if (rc < 0)
		return rc;
	if (c->render_md5)
		md5_hex(c->frame_buf, f->frame_bytes, f->frame_md5[c->frame]);
	sy_rfc4175_packer_reset(&c->packer);
	c->pkt_in_field = 0;
	c->field = 0;
	c->frame_loaded = true;
	return 0;
}

int sy_gen_video_next(struct sy_gen_cursor *c, struct sy_gen_pkt *out)
{
	struct sy_gen_flow *f = c->flow;
	struct sy_rfc4175_plan plan;
	struct sy_time_frame tf;
	uint8_t *rtp = out->buf + SY_GEN_HDR_BYTES;
	uint64_t grid;
	int rc, n;

	if (c->next_index >= f->n_clean)
		return 0;
	if (!c->frame_loaded) {
		rc = load_frame(c);
		if (rc < 0)
			return rc;
	}
	if (!sy_rfc4175_packer_next(&c->packer, &plan))
		return -SY_E_STATE; /* n_clean and the packer disagree: a bug */
	c->field = plan.second_field ? 1u : 0u;
	grid = f->first_grid + c->frame * f->fields + c->field;
	rc = sy_time_frame_info(grid, f->grid_rate, SY_TIME_VIDEO_HZ, &tf);
	if (rc < 0)
		return rc;
	out->index = c->next_index++;
	out->seq32 = f->seq_start + (uint32_t)out->index;
	out->marker = plan.marker;
	out->frame = c->frame;
	out->last_of_frame = plan.marker && c->field + 1 == f->fields;
	out->copy = false;
	sy_rtp_write(rtp, plan.marker, f->pt, (uint16_t)out->seq32, tf.rtp_ts, f->ssrc);
	n = sy_rfc4175_write(&plan, c->frame_buf, (uint16_t)(out->seq32 >> 16),
			     rtp + SY_RTP_HDR_BYTES,
			     SY_GEN_BUF_BYTES - SY_GEN_HDR_BYTES - SY_RTP_HDR_BYTES);
	if (n < 0)
		return n;
	out->rtp_len = SY_RTP_HDR_BYTES + (uint32_t)n;
	out->time_ns = sy_gen_sched_time(&f->sched, c, grid, c->pkt_in_field,
					 SY_GEN_HDR_BYTES + out->rtp_len);
	c->pkt_in_field++;
	if (plan.marker) {
		c->pkt_in_field = 0;
		if (out->last_of_frame) {
			c->frame++;
			c->frame_loaded = false;
		}
	}
	return 1;
}
