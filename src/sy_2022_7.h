/* SPDX-License-Identifier: MIT */
/*
 * sy_2022_7.h: ST 2022-7 seamless protection merge window.
 *
 * Two legs carry identical RTP packets over separate networks; the first
 * copy of each packet is forwarded, the second dropped. The window
 * remembers every packet seen in the last max_age (the path differential
 * it absorbs: ST 2022-7 classes go up to ~150 ms) and answers per packet in
 * O(1): a FIFO ring of entries in first-arrival order plus an open
 * addressing index on the key.
 *
 * Key = (RTP timestamp, sequence number). The 16-bit sequence alone wraps
 * every ~63 ms at 2160p59.94 (~1.04 M packets/s), i.e. ~2.4 times inside a
 * 150 ms differential; the timestamp tells the wraps apart. The RFC 4175
 * extended sequence is only used if asked (use_ext_seq) and while it stays
 * consistent: real senders write it as 0 and -30/-40 flows have none.
 *
 * Ageing: an entry ages out when its first copy arrived more than
 * max_age_ns ago (and/or more than max_age_pkts newer entries exist). When
 * it ages out with one leg only, the other leg is counted as having lost
 * it. A packet not in the window whose key is at or before the newest
 * aged-out key (the "horizon") is TOO_OLD: its twin already left.
 *
 * Storage: the caller provides sy_2022_7_storage_bytes(capacity) octets,
 * 8-byte aligned (32 octets per entry: ~8 MiB for 262,144 entries); nothing
 * is allocated here. Capacity = packets/s * max differential, rounded up to
 * a power of two: sy_2022_7_capacity(). That holds a steady skew; when the
 * skew changes abruptly (a path change) the leg that jumps ahead brings new
 * keys early and the live entries reach rate * (max_age + change), up to
 * twice as many. Too small a ring stays safe (oldest entries go early,
 * counted in evicted_early; their late twins are TOO_OLD, not forwarded
 * twice) but loses protection: size for 2 * max_age if memory allows.
 *
 * Thread: one window belongs to the one worker that receives both legs of
 * the flow; no locks, no atomics. Pure otherwise (time is passed in).
 */
#ifndef SY_2022_7_H
#define SY_2022_7_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SY_2022_7_MIN_CAPACITY 16u
#define SY_2022_7_MAX_CAPACITY (1u << 24)
#define SY_2022_7_EXPIRE_BUDGET 8u /* entries aged out per check, at most */

struct sy_2022_7_config {
	uint32_t capacity;      /* entries; power of two in [16, 2^24] */
	uint64_t max_age_ns;    /* lifetime of an entry after its first copy; 0: unused */
	uint32_t max_age_pkts;  /* or: lifetime in newer entries; 0: unused */
	uint32_t clock_rate_hz; /* RTP clock (90000, 48000); bounds TOO_OLD: a key more
				 * than 1 s of ticks behind the horizon is a new timeline.
				 * 0: bound 2^30 ticks */
	bool use_ext_seq;       /* key on ext_seq << 16 | seq16 while consistent */
};

struct sy_2022_7_leg_stats {
	uint64_t packets;    /* every packet checked on this leg */
	uint64_t first;      /* forwarded: this leg's copy came first */
	uint64_t duplicates; /* dropped: already seen (either leg) */
	uint64_t too_old;    /* dropped: older than the window */
	uint64_t lost;       /* only the other leg had it when it aged out */
};

struct sy_2022_7_stats {
	struct sy_2022_7_leg_stats leg[2];
	uint64_t evicted_early;   /* entries pushed out by a full ring before max_age:
				   * capacity too small for the differential */
	uint64_t discontinuities; /* keys far behind the horizon taken as a new timeline */
	bool ext_seq_off;         /* use_ext_seq given up: extended sequence inconsistent */
};

struct sy_2022_7_entry {
	uint64_t first_ns; /* arrival of the first copy */
	uint32_t ts;
	uint32_t seq;      /* seq16, or ext << 16 | seq16 */
	uint8_t legs;      /* bit per leg that delivered it */
};

struct sy_2022_7 {
	/* set by init */
	struct sy_2022_7_entry *ring;
	uint32_t *index; /* ring slot + 1; 0 = empty; 2 * capacity slots */
	uint32_t cap_mask;
	uint32_t index_mask;
	unsigned index_bits;
	uint64_t max_age_ns;
	uint32_t max_age_pkts;
	uint32_t jump_ts;
	bool use_ext;
	/* state */
	uint64_t head;       /* ring position of the next insert */
	uint64_t tail;       /* oldest live entry */
	bool horizon_valid;
	uint32_t horizon_ts;
	uint32_t horizon_seq;
	bool have_seq32[2];
	uint32_t last_seq32[2];
	struct sy_2022_7_stats stats;
};

/* Entries needed to hold rate_pps packets for max_age_ns, rounded up to a
 * power of two (>= 16). 0 if more than SY_2022_7_MAX_CAPACITY. Example:
 * 2160p59.94 GPM, 1,035,765 pkt/s, 150 ms -> 155,365 -> 262,144. */
uint32_t sy_2022_7_capacity(uint64_t rate_pps, uint64_t max_age_ns);

/* Storage octets for capacity entries (ring + index); 0 if capacity is
 * not a valid power of two. */
size_t sy_2022_7_storage_bytes(uint32_t capacity);

/* Set up w on storage (8-byte aligned, >= sy_2022_7_storage_bytes()).
 * 0, -EINVAL (NULL/misaligned storage or cfg), -SY_E_RANGE (capacity),
 * -SY_E_NOSPACE (storage too small). Clears the index: O(capacity). */
int sy_2022_7_init(struct sy_2022_7 *w, void *storage, size_t storage_bytes,
		   const struct sy_2022_7_config *cfg);

/* Forget all packets and statistics; keep the configuration. O(capacity). */
void sy_2022_7_reset(struct sy_2022_7 *w);

/*
 * One packet from leg (0 or 1) that arrived at arrival_ns.
 *   0                 first copy: forward it
 *   -SY_E_DUPLICATE   a copy was already forwarded: drop
 *   -SY_E_TOO_OLD     older than the window: drop
 *   -SY_E_RANGE       leg > 1
 * O(1): ages out at most SY_2022_7_EXPIRE_BUDGET entries per call.
 */
int sy_2022_7_check(struct sy_2022_7 *w, unsigned leg, uint32_t rtp_ts, uint16_t seq16,
		    uint64_t arrival_ns);

/* As sy_2022_7_check() with the RFC 4175 extended sequence; it is part of
 * the key only if use_ext_seq and it has stayed consistent on both legs
 * (each packet within +-32768 of the leg's previous 32-bit sequence). A
 * zero-writing sender falls back at its first 16-bit wrap. */
int sy_2022_7_check_ext(struct sy_2022_7 *w, unsigned leg, uint32_t rtp_ts, uint16_t ext_seq,
			uint16_t seq16, uint64_t arrival_ns);

/* Age out entries older than now_ns (for idle periods); at most max
 * entries. Returns the number aged out. */
unsigned sy_2022_7_expire(struct sy_2022_7 *w, uint64_t now_ns, unsigned max);

/* Age out everything now (end of stream), counting losses. O(live entries). */
void sy_2022_7_flush(struct sy_2022_7 *w);

/* Live entries in the window. */
static inline uint32_t sy_2022_7_live(const struct sy_2022_7 *w)
{
	return (uint32_t)(w->head - w->tail);
}

#endif
