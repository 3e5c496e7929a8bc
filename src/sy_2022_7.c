/* SPDX-License-Identifier: MIT */
/*
 * sy_2022_7.c: ST 2022-7 merge window (see sy_2022_7.h for the model).
 *
 * Layout in the caller's storage:
 *   ring[capacity]       struct sy_2022_7_entry, FIFO in first-arrival order;
 *                        live positions are [tail, head), slot = pos & cap_mask
 *   index[2 * capacity]  uint32_t, ring slot + 1 (0 = empty); linear probing
 *                        on a multiplicative hash of (ts, seq); load <= 1/2;
 *                        deletion by backward shift (no tombstones)
 *
 * Per packet: age out up to SY_2022_7_EXPIRE_BUDGET entries at the tail,
 * look the key up, and either mark the entry (duplicate) or append one.
 *
 * Boundary cases handled here:
 *  - seq16 65535 -> 0 inside one timestamp (a frame straddling the wrap):
 *    keys compare with serial arithmetic, seq as the minor key.
 *  - RTP timestamp 0xFFFFFFFF -> 0: serial arithmetic on ts.
 *  - seq16 repeating inside the window (2160p59.94: every ~63 ms): the ts
 *    part of the key separates the repeats.
 *  - A copy arriving exactly max_age_ns after the first: still a duplicate
 *    (ageing is strictly "older than").
 *  - Timeline jumps (sender restart, upstream switch): a key more than
 *    jump_ts behind the horizon is a new packet, not TOO_OLD.
 *  - Expiry is lazy (bounded per packet): an entry past its age but not yet
 *    retired is still found, and its late twin is TOO_OLD all the same.
 *  - The same leg delivering a packet twice: DUPLICATE, no loss change.
 *  - Ring full before max_age (capacity too small): oldest entry pushed out
 *    and counted in evicted_early.
 */
#include "sy_2022_7.h"

#include <errno.h>
#include <string.h>

#include "sy_err.h"
#include "sy_rtp.h"

static bool is_pow2(uint32_t v)
{
	return v && !(v & (v - 1));
}

uint32_t sy_2022_7_capacity(uint64_t rate_pps, uint64_t max_age_ns)
{
	uint64_t prod;
	if (__builtin_mul_overflow(rate_pps, max_age_ns, &prod))
		return 0;
	uint64_t need = prod / 1000000000u + (prod % 1000000000u != 0);
	uint64_t cap = SY_2022_7_MIN_CAPACITY;
	while (cap < need) {
		cap <<= 1;
		if (cap > SY_2022_7_MAX_CAPACITY)
			return 0;
	}
	return (uint32_t)cap;
}

size_t sy_2022_7_storage_bytes(uint32_t capacity)
{
	if (!is_pow2(capacity) || capacity < SY_2022_7_MIN_CAPACITY ||
	    capacity > SY_2022_7_MAX_CAPACITY)
		return 0;
	return (size_t)capacity * sizeof(struct sy_2022_7_entry) +
	       (size_t)capacity * 2u * sizeof(uint32_t);
}

/* Hash on (ts, seq16) only, never on the extended half: entries stored while
 * the extended sequence was in use must still be found after it is given up
 * (a leg outage of > 32768 packets), or their other-leg copies would be
 * forwarded a second time. */
static uint32_t hash_key(const struct sy_2022_7 *w, uint32_t ts, uint32_t seq)
{
	uint64_t k = ((uint64_t)ts << 32 | (seq & 0xffffu)) * 0x9E3779B97F4A7C15ull;
	k ^= k >> 29;
	k *= 0xBF58476D1CE4E5B9ull;
	return (uint32_t)(k >> (64 - w->index_bits));
}

/* Key order: timestamp major, sequence minor, both serial. */
static int32_t seq_cmp(const struct sy_2022_7 *w, uint32_t a, uint32_t b)
{
	if (w->use_ext)
		return sy_rtp_seq32_diff(a, b);
	return sy_rtp_seq_diff((uint16_t)a, (uint16_t)b);
}

static bool key_le(const struct sy_2022_7 *w, uint32_t ts, uint32_t seq, uint32_t hts,
		   uint32_t hseq)
{
	int32_t d = sy_rtp_ts_diff(ts, hts);
	return d < 0 || (d == 0 && seq_cmp(w, seq, hseq) <= 0);
}

/* Key slightly behind the horizon (not a new timeline)? */
static bool near_behind(const struct sy_2022_7 *w, uint32_t ts)
{
	return (uint32_t)(w->horizon_ts - ts) <= w->jump_ts;
}

static void index_remove(struct sy_2022_7 *w, uint32_t slot)
{
	const struct sy_2022_7_entry *e = &w->ring[slot];
	uint32_t m = w->index_mask;
	uint32_t i = hash_key(w, e->ts, e->seq);
	while (w->index[i] != slot + 1)
		i = (i + 1) & m;

	/* Backward shift: pull later members of the probe run into the hole
	 * unless their home lies cyclically in (hole, j]. */
	uint32_t j = i;
	for (;;) {
		j = (j + 1) & m;
		uint32_t v = w->index[j];
		if (v == 0)
			break;
		const struct sy_2022_7_entry *f = &w->ring[v - 1];
		uint32_t home = hash_key(w, f->ts, f->seq);
		bool stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
		if (!stays) {
			w->index[i] = v;
			i = j;
		}
	}
	w->index[i] = 0;
}

/* Retire the tail entry: count a loss on the leg that never delivered it,
 * move the horizon, free its index slot. */
static void retire_tail(struct sy_2022_7 *w)
{
	uint32_t slot = (uint32_t)w->tail & w->cap_mask;
	const struct sy_2022_7_entry *e = &w->ring[slot];

	if (e->legs == 1u)
		w->stats.leg[1].lost++;
	else if (e->legs == 2u)
		w->stats.leg[0].lost++;

	if (!w->horizon_valid ||
	    !(key_le(w, e->ts, e->seq, w->horizon_ts, w->horizon_seq) && near_behind(w, e->ts))) {
		w->horizon_ts = e->ts;
		w->horizon_seq = e->seq;
		w->horizon_valid = true;
	}
	index_remove(w, slot);
	w->tail++;
}

static bool aged(const struct sy_2022_7 *w, uint64_t pos, uint64_t now_ns)
{
	const struct sy_2022_7_entry *e = &w->ring[(uint32_t)pos & w->cap_mask];
	if (w->max_age_ns && (int64_t)(now_ns - e->first_ns) > (int64_t)w->max_age_ns)
		return true;
	return w->max_age_pkts && w->head - pos > w->max_age_pkts;
}

unsigned sy_2022_7_expire(struct sy_2022_7 *w, uint64_t now_ns, unsigned max)
{
	unsigned n = 0;
	while (n < max && w->tail != w->head && aged(w, w->tail, now_ns)) {
		retire_tail(w);
		n++;
	}
	return n;
}

void sy_2022_7_flush(struct sy_2022_7 *w)
{
	while (w->tail != w->head)
		retire_tail(w);
}

void sy_2022_7_reset(struct sy_2022_7 *w)
{
	memset(w->index, 0, ((size_t)w->index_mask + 1) * sizeof(uint32_t));
	w->head = w->tail = 0;
	w->horizon_valid = false;
	w->horizon_ts = w->horizon_seq = 0;
	w->have_seq32[0] = w->have_seq32[1] = false;
	w->last_seq32[0] = w->last_seq32[1] = 0;
	memset(&w->stats, 0, sizeof(w->stats));
}

int sy_2022_7_init(struct sy_2022_7 *w, void *storage, size_t storage_bytes,
		   const struct sy_2022_7_config *cfg)
{
	if (!w || !storage || !cfg || ((uintptr_t)storage & 7u))
		return -EINVAL;
	size_t need = sy_2022_7_storage_bytes(cfg->capacity);
	if (need == 0)
		return -SY_E_RANGE;
	if (storage_bytes < need)
		return -SY_E_NOSPACE;

	memset(w, 0, sizeof(*w));
	w->ring = storage;
	w->index = (uint32_t *)(w->ring + cfg->capacity);
	w->cap_mask = cfg->capacity - 1;
	w->index_mask = cfg->capacity * 2u - 1;
	w->index_bits = (unsigned)__builtin_ctz(cfg->capacity * 2u);
	w->max_age_ns = cfg->max_age_ns;
	w->max_age_pkts = cfg->max_age_pkts;
	w->jump_ts = cfg->clock_rate_hz ? cfg->clock_rate_hz : 1u << 30;
	w->use_ext = cfg->use_ext_seq;
	sy_2022_7_reset(w);
	return 0;
}

/* The sequence part of the key; drops the extended half for good when it
 * is not consistent on a leg. */
static uint32_t key_seq(struct sy_2022_7 *w, unsigned leg, uint16_t ext, uint16_t seq16)
{
	if (!w->use_ext)
		return seq16;
	uint32_t s = sy_rtp_seq32(ext, seq16);
	if (w->have_seq32[leg]) {
		int32_t d = sy_rtp_seq32_diff(s, w->last_seq32[leg]);
		if (d < -32768) { /* a forward jump is loss, not inconsistency */
			w->use_ext = false;
			w->stats.ext_seq_off = true;
			w->horizon_valid = false; /* its seq was 32-bit */
			return seq16;
		}
	}
	w->have_seq32[leg] = true;
	w->last_seq32[leg] = s;
	return s;
}

int sy_2022_7_check_ext(struct sy_2022_7 *w, unsigned leg, uint32_t rtp_ts, uint16_t ext_seq,
			uint16_t seq16, uint64_t arrival_ns)
{
	if (leg > 1)
		return -SY_E_RANGE;
	struct sy_2022_7_leg_stats *st = &w->stats.leg[leg];
	st->packets++;

	sy_2022_7_expire(w, arrival_ns, SY_2022_7_EXPIRE_BUDGET);

	uint32_t seq = key_seq(w, leg, ext_seq, seq16);
	uint32_t m = w->index_mask;
	uint32_t i = hash_key(w, rtp_ts, seq);
	for (uint32_t v; (v = w->index[i]) != 0; i = (i + 1) & m) {
		struct sy_2022_7_entry *e = &w->ring[v - 1];
		if (e->ts != rtp_ts || (uint16_t)e->seq != seq16 || (w->use_ext && e->seq != seq))
			continue;
		/* Found but past its age (expiry budget not caught up yet):
		 * the same verdict as if it had been retired. */
		uint64_t pos = w->head - 1 - ((uint32_t)(w->head - 1 - (v - 1)) & w->cap_mask);
		if (aged(w, pos, arrival_ns)) {
			st->too_old++;
			return -SY_E_TOO_OLD;
		}
		e->legs |= (uint8_t)(1u << leg);
		st->duplicates++;
		return -SY_E_DUPLICATE;
	}

	if (w->horizon_valid && key_le(w, rtp_ts, seq, w->horizon_ts, w->horizon_seq)) {
		if (near_behind(w, rtp_ts)) {
			st->too_old++;
			return -SY_E_TOO_OLD;
		}
		w->stats.discontinuities++;
	}

	if (w->head - w->tail > w->cap_mask) {
		if (!aged(w, w->tail, arrival_ns))
			w->stats.evicted_early++;
		retire_tail(w);
		/* the shift may have moved the hole we found: probe again */
		i = hash_key(w, rtp_ts, seq);
		while (w->index[i] != 0)
			i = (i + 1) & m;
	}

	uint32_t slot = (uint32_t)w->head & w->cap_mask;
	w->ring[slot] = (struct sy_2022_7_entry){
		.first_ns = arrival_ns, .ts = rtp_ts, .seq = seq, .legs = (uint8_t)(1u << leg),
	};
	w->index[i] = slot + 1;
	w->head++;
	st->first++;
	return 0;
}

int sy_2022_7_check(struct sy_2022_7 *w, unsigned leg, uint32_t rtp_ts, uint16_t seq16,
		    uint64_t arrival_ns)
{
	return sy_2022_7_check_ext(w, leg, rtp_ts, 0, seq16, arrival_ns);
}
