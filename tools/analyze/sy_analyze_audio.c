/* SPDX-License-Identifier: MIT */
/*
 * sy_analyze_audio.c: ST 2110-30 checks of an audio flow with
 * src/sy_st2110_30: packet time (sample frames per packet against the SDP
 * ptime), RTP timestamp continuity (each timestamp = the previous one + the
 * previous packet's sample frames), per-channel peak, TS-DF and latency.
 *
 * TS-DF (EBU Tech 3337, "timestamped delay factor"): over each 1 s window,
 * D(i) = (R(i) - R(0)) - (S(i) - S(0)) with R the arrival time and S the
 * RTP time (timestamp / sample rate) of packet i, window-relative;
 * TS-DF = max D - min D. Reported as the worst window, in us.
 * Latency = arrival (TAI) - TAI of the RTP timestamp (the sample clock is
 * the media clock, on the SMPTE epoch).
 *
 * Single-threaded.
 */
#include <stdlib.h>

#include "sy_analyze.h"
#include "sy_st2110_30.h"
#include "sy_time.h"

static void tsdf_close(struct sy_analyze_audio *a)
{
	uint64_t us;

	if (!a->tsdf_started)
		return;
	us = (uint64_t)(a->tsdf_max_ns - a->tsdf_min_ns) / 1000u;
	if (us > a->tsdf_max_us)
		a->tsdf_max_us = us;
	a->tsdf_windows++;
	a->tsdf_started = false;
}

void sy_analyze_audio_finish(struct sy_analyze_flow *f)
{
	tsdf_close(f->audio);
}

void sy_analyze_audio_packet(struct sy_analyze_flow *f, const struct sy_rtp *r, uint64_t t_ns)
{
	const struct sy_st2110_30_format *fmt = &sy_analyze_flow_media(f)->audio.fmt;
	struct sy_analyze_audio *a = f->audio;
	int64_t arr = (int64_t)t_ns - sy_analyze_opts.tai_offset_ns;
	uint32_t frames;
	uint64_t tai;
	int rc = sy_st2110_30_payload_frames(fmt, r->payload_len, &frames);

	if (rc < 0) {
		sy_analyze_flow_malformed(f, rc, r->seq);
		return;
	}
	if (arr < 0)
		arr = 0;
	if (sy_st2110_30_check_payload(fmt, r->payload_len) < 0)
		a->ptime_bad++;
	a->samples += frames;
	if (frames < a->spp_min)
		a->spp_min = frames;
	if (frames > a->spp_max)
		a->spp_max = frames;
	/* continuity, and TS-DF over 1 s windows */
	if (a->have_prev && r->ts != a->prev_ts + a->prev_frames)
		a->ts_discont++;
	if (a->tsdf_started && (uint64_t)arr - a->tsdf_r0_ns < SY_TIME_NS_PER_S) {
		int64_t d;

		a->tsdf_s_ticks += sy_rtp_ts_diff(r->ts, a->prev_ts);
		d = (arr - (int64_t)a->tsdf_r0_ns) -
		    a->tsdf_s_ticks * (int64_t)SY_TIME_NS_PER_S / (int64_t)fmt->rate_hz;
		if (d < a->tsdf_min_ns)
			a->tsdf_min_ns = d;
		if (d > a->tsdf_max_ns)
			a->tsdf_max_ns = d;
	} else {
		tsdf_close(a);
		a->tsdf_started = true;
		a->tsdf_r0_ns = (uint64_t)arr;
		a->tsdf_s_ticks = 0;
		a->tsdf_min_ns = a->tsdf_max_ns = 0;
	}
	a->have_prev = true;
	a->prev_ts = r->ts;
	a->prev_frames = frames;
	if (sy_time_rtp_to_tai(r->ts, fmt->rate_hz, (uint64_t)arr, &tai) == 0) {
		int64_t l = arr - (int64_t)tai;

		if (!a->have_latency || l < a->latency_min_ns)
			a->latency_min_ns = l;
		if (!a->have_latency || l > a->latency_max_ns)
			a->latency_max_ns = l;
		a->have_latency = true;
	}
	for (uint32_t i = 0; i < frames; i++)
		for (uint32_t c = 0; c < fmt->channels && c < 64; c++) {
			int32_t s = sy_st2110_30_read(r->payload, fmt->encoding, fmt->channels, i, c);

			if (s < 0)
				s = s == INT32_MIN ? INT32_MAX : -s;
			if (s > a->peak[c])
				a->peak[c] = s;
		}
}
