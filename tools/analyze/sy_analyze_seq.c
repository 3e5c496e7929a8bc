/* SPDX-License-Identifier: MIT */
/*
 * sy_analyze_seq.c: sequence accounting of sy-analyze (loss, duplicates,
 * reordering over an unwrapped 16-bit or 32-bit RTP sequence) and the capped
 * lists of sequence numbers it keeps, plus the tool's allocation helpers.
 *
 * A packet above the highest so far opens a gap (its slots are marked unseen
 * in a 65536-packet bitmap window); a packet inside the window that was not
 * seen yet is reordered (late), one already seen a duplicate; a slot still
 * unseen when it leaves the window (or at the end) is a lost packet. So the
 * lists name exactly the packets a generator dropped, duplicated or swapped.
 * O(1) amortized per packet; a jump larger than the window is counted, not
 * walked.
 *
 * Single-threaded.
 */
#include <stdlib.h>
#include <string.h>

#include "sy_analyze.h"

void *sy_analyze_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n);

	if (!q) {
		fprintf(stderr, "sy-analyze: out of memory\n");
		exit(2);
	}
	return q;
}

void *sy_analyze_xcalloc(size_t n, size_t size)
{
	void *q = calloc(n, size);

	if (!q) {
		fprintf(stderr, "sy-analyze: out of memory\n");
		exit(2);
	}
	return q;
}

void sy_analyze_list_add(struct sy_analyze_list *l, uint32_t v)
{
	l->total++;
	if (l->n == SY_ANALYZE_LIST_MAX)
		return;
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		l->v = sy_analyze_xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n++] = v;
}

void sy_analyze_list_free(struct sy_analyze_list *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* ---- sequence accounting ---- */

#define WIN SY_ANALYZE_SEQ_WINDOW

static bool seen_get(const struct sy_analyze_seq *s, uint64_t q)
{
	uint32_t i = (uint32_t)(q & (WIN - 1));

	return s->seen[i >> 3] & (1u << (i & 7));
}

static void seen_set(struct sy_analyze_seq *s, uint64_t q, bool on)
{
	uint32_t i = (uint32_t)(q & (WIN - 1));

	if (on)
		s->seen[i >> 3] |= (uint8_t)(1u << (i & 7));
	else
		s->seen[i >> 3] &= (uint8_t)~(1u << (i & 7));
}

static void seq_lost(struct sy_analyze_seq *s, uint64_t q)
{
	s->lost++;
	sy_analyze_list_add(&s->lost_seq, (uint32_t)(q & s->mask));
}

void sy_analyze_seq_init(struct sy_analyze_seq *s, uint32_t mask)
{
	memset(s, 0, sizeof(*s));
	s->mask = mask;
	s->seen = sy_analyze_xcalloc(WIN / 8, 1);
}

void sy_analyze_seq_feed(struct sy_analyze_seq *s, uint64_t q)
{
	if (!s->started) {
		s->started = true;
		s->first = s->highest = q;
		seen_set(s, q, true);
		return;
	}
	if (q > s->highest) {
		/* slots h+1 .. q are reused: what leaves the window unseen is lost */
		uint64_t adv = q - s->highest;

		if (adv > WIN) {
			/* everything in the old window is final, and the jump beyond it */
			for (uint64_t x = s->highest + 1 > WIN ? s->highest + 1 - WIN : 0;
			     x <= s->highest; x++)
				if (x >= s->first && !seen_get(s, x))
					seq_lost(s, x);
			/* highest+1 .. q-WIN are outside the new window: lost now (listed
			 * while the list has room; a huge jump is counted, not walked) */
			uint64_t n_out = q - WIN - s->highest;

			for (uint64_t x = s->highest + 1;
			     x <= q - WIN && s->lost_seq.n < SY_ANALYZE_LIST_MAX; x++, n_out--)
				seq_lost(s, x);
			s->lost += n_out;
			s->lost_seq.total += n_out;
			memset(s->seen, 0, WIN / 8);
			/* q-WIN+1 .. q-1 stay unseen in the cleared window */
		} else {
			for (uint64_t x = s->highest + 1; x <= q; x++) {
				uint64_t old = x - WIN; /* the slot's previous owner */

				if (x >= WIN && old >= s->first && !seen_get(s, old))
					seq_lost(s, old);
				seen_set(s, x, false);
			}
		}
		s->highest = q;
		seen_set(s, q, true);
		return;
	}
	if (q + WIN <= s->highest || q < s->first) {
		s->too_old++;
		return;
	}
	if (seen_get(s, q)) {
		s->dup++;
		sy_analyze_list_add(&s->dup_seq, (uint32_t)(q & s->mask));
	} else {
		s->reordered++;
		sy_analyze_list_add(&s->reordered_seq, (uint32_t)(q & s->mask));
		seen_set(s, q, true);
	}
}

void sy_analyze_seq_finish(struct sy_analyze_seq *s)
{
	if (!s->started || !s->seen)
		return;
	for (uint64_t x = s->highest + 1 > WIN ? s->highest + 1 - WIN : 0; x <= s->highest; x++)
		if (x >= s->first && !seen_get(s, x))
			seq_lost(s, x);
	free(s->seen);
	s->seen = NULL;
}

void sy_analyze_seq_free(struct sy_analyze_seq *s)
{
	free(s->seen);
	sy_analyze_list_free(&s->lost_seq);
	sy_analyze_list_free(&s->dup_seq);
	sy_analyze_list_free(&s->reordered_seq);
}
