/* SPDX-License-Identifier: MIT */
/*
 * sy_gen_audio.c: sy-gen's ST 2110-30 audio flow (L16/L24, any ptime that
 * src/sy_st2110_30 accepts, 1-64 channels).
 *
 * Packets sit on the epoch's packet grid: packet p carries samples
 * p * F .. p * F + F - 1 (F sample frames per packet; the RTP timestamp is
 * p * F mod 2^32, the 48 kHz media clock from the SMPTE epoch) and is sent
 * at the first whole ns at or after its first sample's instant. The first
 * packet is the first whole packet at or after --tai-start.
 *
 * Content: channel c is a sine of tone_freq[c] Hz at --level dBFS peak
 * (full scale = 2^(bits-1) - 1), phase 0 at sample 0 of the epoch, so any
 * sample can be recomputed from its absolute index; or digital silence.
 * The phase uses (s * f) mod rate in integers, so it stays exact for
 * epoch-sized sample indices. Single-threaded tool code.
 */
#include <math.h>
#include <stdio.h>

#include "sy_gen.h"

#include "sy_err.h"
#include "sy_net.h"
#include "sy_rtp.h"
#include "sy_time.h"

typedef unsigned __int128 u128;

int sy_gen_audio_setup(struct sy_gen_flow *f, uint64_t tai_start_ns, uint64_t tai_end_ns)
{
	struct sy_gen_audio_cfg *a = &f->audio;
	uint32_t rate = a->fmt.rate_hz, fpp, bytes;
	uint64_t s0, s_end;
	double full;
	int rc;

	rc = sy_st2110_30_format_validate(&a->fmt);
	if (rc == 0)
		rc = sy_st2110_30_packet_bytes(&a->fmt, &bytes);
	if (rc == 0)
		rc = sy_st2110_30_frames_per_packet(rate, a->fmt.ptime_ns, &fpp);
	if (rc < 0) {
		fprintf(stderr, "sy-gen: flow %u: audio format not usable: %s\n", f->idx + 1,
			sy_err_str(rc));
		return rc;
	}
	if (SY_RTP_HDR_BYTES + bytes + 8u > SY_ST2110_MAX_UDP_BYTES) {
		fprintf(stderr, "sy-gen: flow %u: %u-byte audio payload exceeds the ST 2110-10 "
				"UDP limit (1460 octets): fewer channels or a shorter --ptime\n",
			f->idx + 1, bytes);
		return -SY_E_RANGE;
	}
	a->frames_per_packet = fpp;
	/* first sample at or after the start, rounded up to a packet boundary */
	s0 = (uint64_t)(((u128)tai_start_ns * rate + SY_TIME_NS_PER_S - 1) / SY_TIME_NS_PER_S);
	s0 = (s0 + fpp - 1) / fpp * fpp;
	if (a->duration_ms)
		s_end = s0 + (uint64_t)a->duration_ms * rate / 1000u;
	else if (tai_end_ns > tai_start_ns)
		s_end = (uint64_t)(((u128)tai_end_ns * rate + SY_TIME_NS_PER_S - 1) /
				   SY_TIME_NS_PER_S);
	else
		s_end = s0 + rate;
	f->first_grid = s0 / fpp;
	f->n_clean = s_end > s0 ? (s_end - s0 + fpp - 1) / fpp : 0;
	f->audio_samples_end = s0 + f->n_clean * fpp;
	rc = sy_time_ticks_to_tai(s0, rate, &f->first_tai_ns);
	if (rc < 0)
		return rc;

	full = a->fmt.encoding == SY_ST2110_30_L24 ? 8388607.0 : 32767.0;
	for (unsigned c = 0; c < a->fmt.channels; c++) {
		uint32_t hz = a->tone_hz;

		if (a->per_channel)
			hz = (uint64_t)a->tone_hz * a->fmt.channels <= 20000u ?
				     a->tone_hz * (c + 1) :
				     a->tone_hz + c * 250u;
		f->tone_freq[c] = a->silence ? 0 : hz;
		f->tone_amp[c] = a->silence ? 0 :
					      (int32_t)lround(full * pow(10.0, a->level_mdbfs /
									       20000.0));
	}
	return 0;
}

int sy_gen_audio_next(struct sy_gen_cursor *c, struct sy_gen_pkt *out)
{
	struct sy_gen_flow *f = c->flow;
	struct sy_gen_audio_cfg *a = &f->audio;
	uint32_t fpp = a->frames_per_packet, rate = a->fmt.rate_hz, ch = a->fmt.channels;
	uint8_t *rtp = out->buf + SY_GEN_HDR_BYTES;
	uint8_t *pl = rtp + SY_RTP_HDR_BYTES;
	uint64_t s0;
	int rc;

	if (c->next_index >= f->n_clean)
		return 0;
	out->index = c->next_index++;
	s0 = (f->first_grid + out->index) * fpp;
	out->seq32 = f->seq_start + (uint32_t)out->index;
	out->marker = false;
	out->last_of_frame = false;
	out->frame = 0;
	out->copy = false;
	sy_rtp_write(rtp, false, f->pt, (uint16_t)out->seq32, (uint32_t)s0, f->ssrc);
	for (uint32_t i = 0; i < fpp; i++) {
		uint64_t s = s0 + i;

		for (uint32_t k = 0; k < ch; k++) {
			int32_t v = 0;

			if (f->tone_amp[k] && f->tone_freq[k]) {
				uint64_t ph = (uint64_t)((u128)s * f->tone_freq[k] % rate);

				v = (int32_t)lround(f->tone_amp[k] *
						    sin(2.0 * M_PI * (double)ph / rate));
			}
			sy_st2110_30_write(pl, a->fmt.encoding, ch, i, k, v);
		}
	}
	out->rtp_len = SY_RTP_HDR_BYTES + fpp * ch * sy_st2110_30_sample_bytes(a->fmt.encoding);
	rc = sy_time_ticks_to_tai(s0, rate, &out->time_ns);
	return rc < 0 ? rc : 1;
}
