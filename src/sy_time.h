/* SPDX-License-Identifier: MIT */
/*
 * sy_time.h: TAI time <-> RTP media clock, frame and audio sample grids.
 *
 * Why: every ST 2110 sender and receiver agrees on one timeline, TAI
 * nanoseconds since the SMPTE/PTP epoch (1970-01-01 00:00:00 TAI), and
 * derives RTP timestamps from it (ST 2110-10):
 *
 *   ticks(t)  = floor(t_ns * clock_hz / 1e9)          (90 kHz video/ANC, 48 kHz audio)
 *   rtp_ts(t) = ticks(t) mod 2^32
 *
 * Frames sit on an exact rational grid: frame k starts at k * den / num
 * seconds for a rate num/den (60000/1001 at 59.94). Frame k's RTP timestamp is
 * floor(k * den * clock_hz / num) mod 2^32, so 59.94 frames step 1501/1502
 * ticks alternately (1501.5 on average) with no drift, ever.
 *
 * Everything is integer arithmetic: products of a 64-bit time and a 32-bit
 * rate are formed in unsigned __int128 (a current TAI time ~1.8e18 ns times
 * 90000 does not fit 64 bits). Rounding rules are stated per function; the
 * general rule is: an index "at or after" t is a ceiling, a tick count at t is
 * a floor, and a start time in ns is the first whole ns at or after the exact
 * rational instant (ceiling).
 *
 * All functions are pure and callable from any thread, except
 * sy_time_now_tai() at the end, the one function that reads a clock.
 *
 * Boundary cases (tested in tests/unit/src/test_sy_time.c):
 *  - 32-bit RTP wrap: rtp_ts 0xFFFFFFFF is followed by 0; the reverse mapping
 *    uses a reference within half the wrap period (2^31 ticks: ~6.6 h at
 *    90 kHz, ~12.4 h at 48 kHz) and unwraps in both directions;
 *  - a time exactly on a frame/sample boundary is "at or after" that frame;
 *    1 ns later is the next one;
 *  - 1001-divisor rates: 59.94 frame k at 800.8*k audio samples, whole only
 *    every 5 frames (see sy_time_frame_to_sample()).
 */
#ifndef SY_TIME_H
#define SY_TIME_H

#include <stdbool.h>
#include <stdint.h>

#include "sy_format.h" /* struct sy_rate */

#define SY_TIME_NS_PER_S 1000000000ull
#define SY_TIME_VIDEO_HZ 90000u /* ST 2110-20 / -40 media clock */
#define SY_TIME_AUDIO_HZ 48000u /* ST 2110-30 media clock */
/* TAI - UTC since 2017-01-01. Pass it explicitly; never assume CLOCK_TAI has it. */
#define SY_TIME_TAI_UTC_DEFAULT_S 37

/* One point of a grid (frame, field or audio sample). */
struct sy_time_frame {
	uint64_t index;    /* k: grid points since the epoch */
	uint64_t start_ns; /* ceil(exact start of k) in TAI ns */
	uint32_t rtp_ts;   /* floor(exact start of k * clock_hz) mod 2^32 */
};

/* Media clock ticks at TAI time t: floor(tai_ns * clock_hz / 1e9), not
 * wrapped. clock_hz 0 gives 0. Never overflows for clock_hz <= 1e9. */
uint64_t sy_time_tai_to_ticks(uint64_t tai_ns, uint32_t clock_hz);

/* RTP timestamp at TAI time t: sy_time_tai_to_ticks() mod 2^32. */
uint32_t sy_time_tai_to_rtp(uint64_t tai_ns, uint32_t clock_hz);

/*
 * First whole ns at which the tick count reaches `ticks`:
 * ceil(ticks * 1e9 / clock_hz). So sy_time_tai_to_ticks(*tai_ns) == ticks and
 * sy_time_tai_to_ticks(*tai_ns - 1) == ticks - 1 (for ticks > 0).
 * 0, or -SY_E_RANGE if clock_hz is 0 or the result exceeds 64 bits.
 */
int sy_time_ticks_to_tai(uint64_t ticks, uint32_t clock_hz, uint64_t *tai_ns);

/*
 * Unwrap a 32-bit RTP timestamp: the tick count congruent to rtp_ts mod 2^32
 * nearest to ref_ticks (difference in [-2^31, 2^31)). Never negative: near
 * the epoch a result below 0 is moved up one wrap.
 */
uint64_t sy_time_rtp_unwrap(uint32_t rtp_ts, uint64_t ref_ticks);

/*
 * TAI time (first ns of the tick, as sy_time_ticks_to_tai()) of rtp_ts, given
 * a reference TAI time within half the wrap period of it (either side).
 * 0 or -SY_E_RANGE (clock_hz 0, overflow).
 */
int sy_time_rtp_to_tai(uint32_t rtp_ts, uint32_t clock_hz, uint64_t ref_tai_ns,
		       uint64_t *tai_ns);

/*
 * Grid point `index` of a rate num/den: start_ns = ceil(index * den * 1e9 / num),
 * rtp_ts = floor(index * den * clock_hz / num) mod 2^32.
 * 0 or -SY_E_RANGE (num or den 0, start beyond 64 bits).
 */
int sy_time_frame_info(uint64_t index, struct sy_rate rate, uint32_t clock_hz,
		       struct sy_time_frame *out);

/*
 * The smallest frame k whose exact start k*den/num s is >= tai_ns (a time
 * exactly on a boundary gives that frame; 1 ns after gives the next), with
 * its start and RTP timestamp as sy_time_frame_info().
 * 0 or -SY_E_RANGE (num or den 0, index or start beyond 64 bits).
 */
int sy_time_frame_at_or_after(uint64_t tai_ns, struct sy_rate rate, uint32_t clock_hz,
			      struct sy_time_frame *out);

/* The frame containing tai_ns: floor(tai_ns * num / (den * 1e9)), the largest
 * k whose start is <= tai_ns. 0 if num or den is 0. */
uint64_t sy_time_frame_containing(uint64_t tai_ns, struct sy_rate rate);

/*
 * The frame whose RTP timestamp is `ticks` (unwrapped, see
 * sy_time_rtp_unwrap()): the smallest k with k*den*clock_hz/num >= ticks,
 * i.e. ceil(ticks * num / (den * clock_hz)). For a sender on the grid,
 * sy_time_frame_info(k).rtp_ts == (uint32_t)ticks. 0 if an input is 0.
 */
uint64_t sy_time_frame_of_ticks(uint64_t ticks, struct sy_rate rate, uint32_t clock_hz);

/*
 * The frame whose exact grid instant (in ticks, k*den*clock_hz/num) is
 * nearest to `ticks` (ties to the later frame): tolerates senders whose
 * timestamps sit a few ticks either side of the grid. 0 if an input is 0.
 */
uint64_t sy_time_frame_nearest_ticks(uint64_t ticks, struct sy_rate rate, uint32_t clock_hz);

/*
 * The first audio sample at or after tai_ns at sample_hz (48000): index =
 * ceil(tai_ns * sample_hz / 1e9), start_ns = ceil(index * 1e9 / sample_hz),
 * rtp_ts = index mod 2^32 (the audio media clock is the sample clock).
 * 0 or -SY_E_RANGE (sample_hz 0).
 */
int sy_time_sample_at_or_after(uint64_t tai_ns, uint32_t sample_hz,
			       struct sy_time_frame *out);

/*
 * Audio alignment of a video frame, exact (no ns rounding in between): the
 * first sample at or after the start of frame `frame_index`,
 * ceil(frame_index * den * sample_hz / num), and *exact = true when the frame
 * starts exactly on that sample (every 5th frame at 59.94/48 kHz).
 * 0 or -SY_E_RANGE (an input 0, overflow).
 */
int sy_time_frame_to_sample(uint64_t frame_index, struct sy_rate rate, uint32_t sample_hz,
			    uint64_t *sample_index, bool *exact);

/*
 * TAI <-> UTC with an explicit offset in seconds (TAI = UTC + offset;
 * SY_TIME_TAI_UTC_DEFAULT_S = 37 since 2017). 0, or -SY_E_RANGE if the
 * result would be negative or beyond 64 bits.
 */
int sy_time_utc_to_tai(uint64_t utc_ns, int32_t tai_utc_offset_s, uint64_t *tai_ns);
int sy_time_tai_to_utc(uint64_t tai_ns, int32_t tai_utc_offset_s, uint64_t *utc_ns);

/*
 * ---- the only function here that makes a syscall (tools, control plane;
 * not the dataplane, which maps the TSC to TAI) ----
 * CLOCK_REALTIME (UTC) + tai_utc_offset_s. Deliberately not CLOCK_TAI: its
 * offset is 0 unless ptp4l/phc2sys set it, which hides a 37 s error.
 * 0, -errno from clock_gettime, or -SY_E_RANGE.
 */
int sy_time_now_tai(int32_t tai_utc_offset_s, uint64_t *tai_ns);

#endif
