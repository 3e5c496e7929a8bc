/* SPDX-License-Identifier: MIT */
/*
 * sy_time.c: TAI time <-> RTP media clock, frame and audio sample grids.
 *
 * Integer only. Every product of a time (up to 2^64) and a rate term (up to
 * 2^32 each) is formed in unsigned __int128; the largest one,
 * index * den * clock_hz, is < 2^64 * 2^32 * 2^32 = 2^128 and still fits.
 * Ceilings are computed as q + (r != 0) so nothing near 2^128 overflows.
 *
 * Pure, any thread; sy_time_now_tai() at the end is the one clock read.
 */
#include "sy_time.h"

#include <errno.h>
#include <time.h>

#include "sy_err.h"

#define U128 unsigned __int128

static U128 div_ceil_u128(U128 a, U128 b)
{
	return a / b + (a % b != 0);
}

static bool fits_u64(U128 v)
{
	return v <= (U128)UINT64_MAX;
}

static bool rate_ok(struct sy_rate rate)
{
	return rate.num != 0 && rate.den != 0;
}

uint64_t sy_time_tai_to_ticks(uint64_t tai_ns, uint32_t clock_hz)
{
	/* < 2^64 * 2^32 / 1e9 < 2^66: fits u64 when clock_hz <= 1e9. */
	U128 t = (U128)tai_ns * clock_hz / SY_TIME_NS_PER_S;

	return fits_u64(t) ? (uint64_t)t : UINT64_MAX;
}

uint32_t sy_time_tai_to_rtp(uint64_t tai_ns, uint32_t clock_hz)
{
	return (uint32_t)sy_time_tai_to_ticks(tai_ns, clock_hz);
}

int sy_time_ticks_to_tai(uint64_t ticks, uint32_t clock_hz, uint64_t *tai_ns)
{
	U128 t;

	if (clock_hz == 0)
		return -SY_E_RANGE;
	t = div_ceil_u128((U128)ticks * SY_TIME_NS_PER_S, clock_hz);
	if (!fits_u64(t))
		return -SY_E_RANGE;
	*tai_ns = (uint64_t)t;
	return 0;
}

uint64_t sy_time_rtp_unwrap(uint32_t rtp_ts, uint64_t ref_ticks)
{
	/* Signed distance ref -> ts in [-2^31, 2^31). */
	int32_t d = (int32_t)(uint32_t)(rtp_ts - (uint32_t)ref_ticks);

	if (d < 0) {
		uint64_t back = (uint64_t)(-(int64_t)d);

		if (ref_ticks < back) /* before the epoch: take the next wrap */
			return ref_ticks - back + (1ull << 32);
		return ref_ticks - back;
	}
	if (ref_ticks > UINT64_MAX - (uint64_t)d)
		return ref_ticks + (uint64_t)d - (1ull << 32);
	return ref_ticks + (uint64_t)d;
}

int sy_time_rtp_to_tai(uint32_t rtp_ts, uint32_t clock_hz, uint64_t ref_tai_ns,
		       uint64_t *tai_ns)
{
	uint64_t ticks;

	if (clock_hz == 0)
		return -SY_E_RANGE;
	ticks = sy_time_rtp_unwrap(rtp_ts, sy_time_tai_to_ticks(ref_tai_ns, clock_hz));
	return sy_time_ticks_to_tai(ticks, clock_hz, tai_ns);
}

int sy_time_frame_info(uint64_t index, struct sy_rate rate, uint32_t clock_hz,
		       struct sy_time_frame *out)
{
	U128 start;

	if (!rate_ok(rate))
		return -SY_E_RANGE;
	/* index * den * 1e9 < 2^64 * 2^32 * 2^30 = 2^126: fits. */
	start = div_ceil_u128((U128)index * rate.den * SY_TIME_NS_PER_S, rate.num);
	if (!fits_u64(start))
		return -SY_E_RANGE;
	out->index = index;
	out->start_ns = (uint64_t)start;
	/* index * (den * clock_hz) < 2^64 * 2^64: fits u128. */
	out->rtp_ts = (uint32_t)((U128)index * ((uint64_t)rate.den * clock_hz) / rate.num);
	return 0;
}

int sy_time_frame_at_or_after(uint64_t tai_ns, struct sy_rate rate, uint32_t clock_hz,
			      struct sy_time_frame *out)
{
	U128 k;

	if (!rate_ok(rate))
		return -SY_E_RANGE;
	/* smallest k with k * den / num >= t / 1e9  <=>  k >= t * num / (den * 1e9) */
	k = div_ceil_u128((U128)tai_ns * rate.num, (U128)rate.den * SY_TIME_NS_PER_S);
	if (!fits_u64(k))
		return -SY_E_RANGE;
	return sy_time_frame_info((uint64_t)k, rate, clock_hz, out);
}

uint64_t sy_time_frame_containing(uint64_t tai_ns, struct sy_rate rate)
{
	U128 k;

	if (!rate_ok(rate))
		return 0;
	k = (U128)tai_ns * rate.num / ((U128)rate.den * SY_TIME_NS_PER_S);
	return fits_u64(k) ? (uint64_t)k : UINT64_MAX;
}

uint64_t sy_time_frame_of_ticks(uint64_t ticks, struct sy_rate rate, uint32_t clock_hz)
{
	U128 k;

	if (!rate_ok(rate) || clock_hz == 0)
		return 0;
	k = div_ceil_u128((U128)ticks * rate.num, (U128)rate.den * clock_hz);
	return fits_u64(k) ? (uint64_t)k : UINT64_MAX;
}

uint64_t sy_time_frame_nearest_ticks(uint64_t ticks, struct sy_rate rate, uint32_t clock_hz)
{
	uint64_t k = sy_time_frame_of_ticks(ticks, rate, clock_hz);
	U128 step, target, above, below;

	if (k == 0 || k == UINT64_MAX)
		return k;
	/* Compare in units of 1/num tick: frame k sits at k * den * hz. */
	step = (U128)rate.den * clock_hz;
	target = (U128)ticks * rate.num;
	above = (U128)k * step - target;       /* >= 0: k is at or after */
	below = target - (U128)(k - 1) * step; /* > 0: k - 1 is before */
	return above <= below ? k : k - 1;
}

int sy_time_sample_at_or_after(uint64_t tai_ns, uint32_t sample_hz, struct sy_time_frame *out)
{
	struct sy_rate r = { .num = sample_hz, .den = 1 };

	if (sample_hz == 0)
		return -SY_E_RANGE;
	return sy_time_frame_at_or_after(tai_ns, r, sample_hz, out);
}

int sy_time_frame_to_sample(uint64_t frame_index, struct sy_rate rate, uint32_t sample_hz,
			    uint64_t *sample_index, bool *exact)
{
	U128 p, s;

	if (!rate_ok(rate) || sample_hz == 0)
		return -SY_E_RANGE;
	p = (U128)frame_index * ((uint64_t)rate.den * sample_hz);
	s = div_ceil_u128(p, rate.num);
	if (!fits_u64(s))
		return -SY_E_RANGE;
	*sample_index = (uint64_t)s;
	*exact = (p % rate.num) == 0;
	return 0;
}

/* t + offset_s seconds (offset may be negative), range-checked. */
static int add_offset(uint64_t t_ns, int64_t offset_s, uint64_t *out)
{
	__int128 v = (__int128)t_ns + (__int128)offset_s * (__int128)SY_TIME_NS_PER_S;

	if (v < 0 || v > (__int128)UINT64_MAX)
		return -SY_E_RANGE;
	*out = (uint64_t)v;
	return 0;
}

int sy_time_utc_to_tai(uint64_t utc_ns, int32_t tai_utc_offset_s, uint64_t *tai_ns)
{
	return add_offset(utc_ns, tai_utc_offset_s, tai_ns);
}

int sy_time_tai_to_utc(uint64_t tai_ns, int32_t tai_utc_offset_s, uint64_t *utc_ns)
{
	return add_offset(tai_ns, -(int64_t)tai_utc_offset_s, utc_ns);
}

/* ---- clock read: the only syscall in this file ---- */

int sy_time_now_tai(int32_t tai_utc_offset_s, uint64_t *tai_ns)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		return -errno;
	if (ts.tv_sec < 0)
		return -SY_E_RANGE;
	return sy_time_utc_to_tai((uint64_t)ts.tv_sec * SY_TIME_NS_PER_S + (uint64_t)ts.tv_nsec,
				  tai_utc_offset_s, tai_ns);
}
