/* SPDX-License-Identifier: MIT */
/*
 * sy_tone.c: integer sine tables and the tone source. See sy_tone.h for the
 * contract and the arithmetic. No libm, no floating point.
 *
 * Fixed point: Q30 (1.0 = 2^30) in uint64; every term of the series is kept
 * positive and the signs are applied when summing, so no right shift ever
 * sees a negative number.
 *
 * Boundary cases:
 *  - sample at a quarter period (4n cycles divisible by frames): exactly +A
 *    or -A (cos(0) = 2^30 exactly); at a half period exactly 0;
 *  - level 0 dBFS: A = FS (e^0 = 2^30 exactly);
 *  - very low levels: e^(-r) >> k with k >= 34 is 0 -> A = 0;
 *  - freq >= rate / 2 (Nyquist) refused: a sine there is not a tone.
 */
#include <string.h>

#include "sy_err.h"
#include "sy_tone.h"

#define Q 30
#define ONE_Q30 (1ull << Q)
#define PI_2_Q40 1727108826179ull      /* pi / 2 * 2^40 */
#define LN10_20000_Q50 129624017085ull /* ln(10) / 20000 * 2^50 (per mdB) */
#define LN2_Q40 762123384786ull        /* ln(2) * 2^40 */

static uint64_t mul_q30(uint64_t a, uint64_t b)
{
	return (a * b + (1ull << (Q - 1))) >> Q;
}

/* sin(t) and cos(t) for 0 <= t <= pi/4 in Q30 (t Q30). */
static uint64_t sin_small(uint64_t t)
{
	uint64_t t2 = mul_q30(t, t), term = t, pos = t, neg = 0;

	for (uint64_t k = 1; term != 0; k++) {
		term = mul_q30(term, t2) / ((2 * k) * (2 * k + 1));
		if (k & 1)
			neg += term;
		else
			pos += term;
	}
	return pos - neg;
}

static uint64_t cos_small(uint64_t t)
{
	uint64_t t2 = mul_q30(t, t), term = ONE_Q30, pos = ONE_Q30, neg = 0;

	for (uint64_t k = 1; term != 0; k++) {
		term = mul_q30(term, t2) / ((2 * k - 1) * (2 * k));
		if (k & 1)
			neg += term;
		else
			pos += term;
	}
	return pos - neg;
}

/* sin(pi/2 * r / q) for 0 <= r <= q, q < 2^21, in Q30. */
static uint64_t sin_quarter(uint64_t r, uint64_t q)
{
	/* angle in Q40 then Q30: PI_2_Q40 (41 bits) * r (21 bits) fits */
	if (2 * r <= q)
		return sin_small((PI_2_Q40 * r / q + (1u << 9)) >> 10);
	return cos_small((PI_2_Q40 * (q - r) / q + (1u << 9)) >> 10);
}

/* round(a * sin(2 pi p / q)), 0 <= p < q. */
static int32_t sample(int64_t a, uint64_t p, uint64_t q)
{
	uint64_t x = 4 * p, quadrant = x / q, r = x % q, s;
	int64_t v;

	/* quadrants 1 and 3 mirror: sin(pi/2 (1 + t)) = sin(pi/2 (1 - t)) */
	s = (quadrant & 1) ? sin_quarter(q - r, q) : sin_quarter(r, q);
	v = (int64_t)(((uint64_t)a * s + (1ull << (Q - 1))) >> Q);
	return (int32_t)(quadrant >= 2 ? -v : v);
}

int32_t sy_tone_full_scale(enum sy_st2110_30_encoding enc)
{
	return enc == SY_ST2110_30_L16 ? 32767 : enc == SY_ST2110_30_L24 ? 8388607 : 0;
}

int32_t sy_tone_amplitude(enum sy_st2110_30_encoding enc, int32_t level_mdb)
{
	int64_t fs = sy_tone_full_scale(enc);
	uint64_t y, k, r, term, pos, neg, e;

	if (fs == 0 || level_mdb > 0)
		return -SY_E_RANGE;
	/* below -200 dB the amplitude is 0; the clamp also keeps
	 * -level * LN10_20000_Q50 under 2^55 */
	if (level_mdb < -200000)
		return 0;
	/* y = -level * ln(10) / 20000 in Q40 */
	y = ((uint64_t)(-(int64_t)level_mdb) * LN10_20000_Q50 + (1u << 9)) >> 10;
	k = y / LN2_Q40;
	r = ((y - k * LN2_Q40) + (1u << 9)) >> 10; /* Q30, [0, ln 2] */
	if (k >= 34)
		return 0;
	/* e^(-r) = sum (-r)^n / n! */
	term = ONE_Q30;
	pos = ONE_Q30;
	neg = 0;
	for (uint64_t n = 1; term != 0; n++) {
		term = mul_q30(term, r) / n;
		if (n & 1)
			neg += term;
		else
			pos += term;
	}
	e = pos - neg;
	return (int32_t)(((uint64_t)fs * e + (1ull << (Q + k - 1))) >> (Q + k));
}

static uint32_t gcd(uint32_t a, uint32_t b)
{
	while (b) {
		uint32_t t = a % b;

		a = b;
		b = t;
	}
	return a;
}

int sy_tone_period(uint32_t rate_hz, uint32_t freq_hz, uint32_t *frames, uint32_t *cycles)
{
	uint32_t g;

	if (rate_hz == 0 || freq_hz == 0 || (uint64_t)freq_hz * 2 >= rate_hz)
		return -SY_E_RANGE;
	g = gcd(rate_hz, freq_hz);
	if (rate_hz / g > SY_TONE_MAX_TABLE_FRAMES)
		return -SY_E_RANGE;
	*frames = rate_hz / g;
	*cycles = freq_hz / g;
	return 0;
}

int sy_tone_table(uint32_t rate_hz, uint32_t freq_hz, int32_t level_mdb,
		  enum sy_st2110_30_encoding enc, int32_t *table, size_t cap)
{
	int32_t a = sy_tone_amplitude(enc, level_mdb);
	uint32_t frames, cycles;
	int rc;

	if (a < 0)
		return a;
	rc = sy_tone_period(rate_hz, freq_hz, &frames, &cycles);
	if (rc)
		return rc;
	if (table == NULL || cap < frames)
		return -SY_E_NOSPACE;
	/* phase n * cycles mod frames, advanced by addition: no overflow */
	for (uint32_t n = 0, p = 0; n < frames; n++) {
		table[n] = sample(a, p, frames);
		p += cycles;
		if (p >= frames)
			p -= frames;
	}
	return (int)frames;
}

int sy_tone_init(struct sy_tone *t, const struct sy_st2110_30_format *fmt)
{
	if (sy_tone_full_scale(fmt->encoding) == 0 || fmt->rate_hz == 0)
		return -SY_E_UNSUPPORTED;
	if (fmt->channels == 0 || fmt->channels > SY_ST2110_30_MAX_CHANNELS)
		return -SY_E_AUDIO_CHANNELS;
	memset(t, 0, sizeof(*t));
	t->encoding = fmt->encoding;
	t->rate_hz = fmt->rate_hz;
	t->channels = fmt->channels;
	return 0;
}

int sy_tone_set(struct sy_tone *t, uint32_t ch, uint32_t freq_hz, int32_t level_mdb)
{
	struct sy_tone_channel *c;
	int n;

	if (ch >= t->channels)
		return -SY_E_AUDIO_CHANNELS;
	c = &t->ch[ch];
	memset(c, 0, sizeof(*c));
	if (freq_hz == 0)
		return 0;
	for (uint32_t i = 0; i < t->channels; i++) {
		const struct sy_tone_channel *o = &t->ch[i];

		if (i != ch && o->frames && o->freq_hz == freq_hz && o->level_mdb == level_mdb) {
			*c = *o;
			return 0;
		}
	}
	/* tables are never freed: a source is reconfigured by sy_tone_init */
	n = sy_tone_table(t->rate_hz, freq_hz, level_mdb, t->encoding, t->pool + t->pool_used,
			  SY_TONE_POOL_FRAMES - t->pool_used);
	if (n < 0)
		return n;
	c->freq_hz = freq_hz;
	c->level_mdb = level_mdb;
	c->offset = t->pool_used;
	c->frames = (uint32_t)n;
	t->pool_used += (uint32_t)n;
	return 0;
}

uint32_t sy_tone_ident_hz(uint32_t ch)
{
	return (ch % 16u + 1u) * 1000u;
}

int sy_tone_set_ident(struct sy_tone *t, int32_t level_mdb)
{
	for (uint32_t c = 0; c < t->channels; c++) {
		int rc = sy_tone_set(t, c, sy_tone_ident_hz(c), level_mdb);

		if (rc)
			return rc;
	}
	return 0;
}

void sy_tone_write(const struct sy_tone *t, uint8_t *payload, uint32_t frames,
		   uint64_t sample_idx)
{
	for (uint32_t c = 0; c < t->channels; c++) {
		const struct sy_tone_channel *ch = &t->ch[c];
		const int32_t *tab = t->pool + ch->offset;
		uint32_t p;

		if (ch->frames == 0) {
			for (uint32_t f = 0; f < frames; f++)
				sy_st2110_30_write(payload, t->encoding, t->channels, f, c, 0);
			continue;
		}
		p = (uint32_t)(sample_idx % ch->frames);
		for (uint32_t f = 0; f < frames; f++) {
			sy_st2110_30_write(payload, t->encoding, t->channels, f, c, tab[p]);
			if (++p == ch->frames)
				p = 0;
		}
	}
}
