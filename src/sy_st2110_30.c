/* SPDX-License-Identifier: MIT */
/*
 * sy_st2110_30.c: ST 2110-30 format checks, packet geometry and the
 * channel-order grammar. Any thread; pure; no allocation.
 *
 * Boundary cases handled here (tests/unit/src/test_sy_st2110_30.c):
 *   - 125 us at 48 kHz = 6 frames, 1 ms = 48, 0.333 ms = 16 (1 us slack),
 *     4 ms = 192, 125 us at 44.1 kHz = 5.5125 -> -SY_E_PTIME, ptime 0.
 *   - payload length 0, not a multiple of the frame size, wrong frame count.
 *   - channel-order: U01 and U64 valid, U00/U65/U1/U001 invalid, empty "()",
 *     trailing comma, other conventions ("DV."), total 65 channels.
 */
#include "sy_st2110_30.h"

#include <string.h>

#include "sy_err.h"

const char *sy_st2110_30_encoding_name(enum sy_st2110_30_encoding enc)
{
	switch (enc) {
	case SY_ST2110_30_L16: return "L16";
	case SY_ST2110_30_L24: return "L24";
	default: return NULL;
	}
}

int sy_st2110_30_encoding_parse(const char *s, size_t len, enum sy_st2110_30_encoding *out)
{
	if (len != 3 || (s[0] != 'L' && s[0] != 'l'))
		return -SY_E_UNSUPPORTED;
	if (s[1] == '1' && s[2] == '6')
		*out = SY_ST2110_30_L16;
	else if (s[1] == '2' && s[2] == '4')
		*out = SY_ST2110_30_L24;
	else
		return -SY_E_UNSUPPORTED;
	return 0;
}

int sy_st2110_30_frames_per_packet(uint32_t rate_hz, uint32_t ptime_ns, uint32_t *frames)
{
	/* frames = rate * ptime / 1e9, in 64-bit integers: rate <= 2^32 and
	 * ptime <= 4e9 keep the product below 2^64. */
	uint64_t prod = (uint64_t)rate_hz * ptime_ns;
	uint64_t n, err;

	if (rate_hz == 0)
		return -SY_E_RANGE;
	if (ptime_ns == 0)
		return -SY_E_PTIME;
	n = (prod + 500000000u) / 1000000000u; /* nearest whole frame count */
	if (n == 0 || n > 65535)
		return -SY_E_PTIME;
	/* |n/rate - ptime| < 1 us  <=>  |n*1e9 - rate*ptime| < rate*1000 */
	err = n * 1000000000u > prod ? n * 1000000000u - prod : prod - n * 1000000000u;
	if (err >= (uint64_t)rate_hz * 1000u)
		return -SY_E_PTIME;
	*frames = (uint32_t)n;
	return 0;
}

int sy_st2110_30_format_validate(const struct sy_st2110_30_format *fmt)
{
	uint32_t frames;
	int rc;

	if ((unsigned)fmt->encoding >= SY_ST2110_30_ENCODING_MAX)
		return -SY_E_UNSUPPORTED;
	if (fmt->rate_hz != 48000 && fmt->rate_hz != 96000 && fmt->rate_hz != 44100)
		return -SY_E_UNSUPPORTED;
	if (fmt->channels < 1 || fmt->channels > SY_ST2110_30_MAX_CHANNELS)
		return -SY_E_AUDIO_CHANNELS;
	rc = sy_st2110_30_frames_per_packet(fmt->rate_hz, fmt->ptime_ns, &frames);
	if (rc < 0)
		return rc;
	if (fmt->order.n_groups > SY_ST2110_30_MAX_GROUPS)
		return -SY_E_CHANNEL_ORDER;
	return sy_st2110_30_order_check(&fmt->order, fmt->channels);
}

uint32_t sy_st2110_30_frame_bytes(const struct sy_st2110_30_format *fmt)
{
	if (fmt->channels < 1 || fmt->channels > SY_ST2110_30_MAX_CHANNELS)
		return 0;
	return sy_st2110_30_sample_bytes(fmt->encoding) * fmt->channels;
}

int sy_st2110_30_packet_bytes(const struct sy_st2110_30_format *fmt, uint32_t *bytes)
{
	uint32_t frames;
	int rc = sy_st2110_30_format_validate(fmt);

	if (rc < 0)
		return rc;
	rc = sy_st2110_30_frames_per_packet(fmt->rate_hz, fmt->ptime_ns, &frames);
	if (rc < 0)
		return rc;
	*bytes = frames * sy_st2110_30_frame_bytes(fmt);
	return 0;
}

int sy_st2110_30_payload_frames(const struct sy_st2110_30_format *fmt, size_t len,
				uint32_t *frames)
{
	uint32_t fb = sy_st2110_30_frame_bytes(fmt);

	if (fb == 0)
		return -SY_E_FORMAT;
	if (len == 0 || len % fb || len / fb > UINT32_MAX)
		return -SY_E_AUDIO_LEN;
	*frames = (uint32_t)(len / fb);
	return 0;
}

int sy_st2110_30_check_payload(const struct sy_st2110_30_format *fmt, size_t len)
{
	uint32_t expect, got;
	int rc = sy_st2110_30_packet_bytes(fmt, &expect);

	if (rc < 0)
		return rc;
	rc = sy_st2110_30_payload_frames(fmt, len, &got);
	if (rc < 0)
		return rc;
	return len == expect ? 0 : -SY_E_AUDIO_LEN;
}

/* --- channel-order --- */

static const struct {
	const char *name;
	uint8_t channels;
} group_tab[SY_ST2110_30_GROUP_KIND_MAX] = {
	[SY_ST2110_30_GROUP_M] = { "M", 1 },     [SY_ST2110_30_GROUP_DM] = { "DM", 2 },
	[SY_ST2110_30_GROUP_ST] = { "ST", 2 },   [SY_ST2110_30_GROUP_LTRT] = { "LtRt", 2 },
	[SY_ST2110_30_GROUP_51] = { "51", 6 },   [SY_ST2110_30_GROUP_71] = { "71", 8 },
	[SY_ST2110_30_GROUP_222] = { "222", 24 }, [SY_ST2110_30_GROUP_SGRP] = { "SGRP", 4 },
	[SY_ST2110_30_GROUP_U] = { "U", 0 },
};

const char *sy_st2110_30_group_name(enum sy_st2110_30_group_kind kind)
{
	return (unsigned)kind < SY_ST2110_30_GROUP_KIND_MAX ? group_tab[kind].name : NULL;
}

static int parse_group(const char *s, size_t len, struct sy_st2110_30_group *g)
{
	/* Unn: exactly two digits, 01..64 */
	if (len == 3 && s[0] == 'U' && s[1] >= '0' && s[1] <= '9' && s[2] >= '0' && s[2] <= '9') {
		unsigned n = (unsigned)(s[1] - '0') * 10u + (unsigned)(s[2] - '0');

		if (n < 1 || n > SY_ST2110_30_MAX_CHANNELS)
			return -SY_E_CHANNEL_ORDER;
		g->kind = SY_ST2110_30_GROUP_U;
		g->channels = (uint8_t)n;
		return 0;
	}
	for (unsigned k = 0; k < SY_ST2110_30_GROUP_U; k++) {
		if (strlen(group_tab[k].name) == len && memcmp(group_tab[k].name, s, len) == 0) {
			g->kind = (uint8_t)k;
			g->channels = group_tab[k].channels;
			return 0;
		}
	}
	return -SY_E_CHANNEL_ORDER;
}

int sy_st2110_30_order_parse(const char *s, size_t len, struct sy_st2110_30_order *out)
{
	static const char prefix[] = "SMPTE2110.(";
	const size_t plen = sizeof(prefix) - 1;
	uint32_t total = 0;
	size_t i;

	memset(out, 0, sizeof(*out));
	if (len < plen + 2 || memcmp(s, prefix, plen) != 0 || s[len - 1] != ')')
		goto bad;
	i = plen;
	for (;;) {
		size_t start = i;
		struct sy_st2110_30_group g;

		while (i < len - 1 && s[i] != ',')
			i++;
		if (out->n_groups >= SY_ST2110_30_MAX_GROUPS)
			goto bad;
		if (parse_group(s + start, i - start, &g) < 0)
			goto bad;
		total += g.channels;
		if (total > SY_ST2110_30_MAX_CHANNELS)
			goto bad;
		out->groups[out->n_groups++] = g;
		if (i == len - 1)
			break;
		i++; /* skip ',' ; "(ST,)" then fails on the empty symbol */
	}
	return 0;
bad:
	memset(out, 0, sizeof(*out));
	return -SY_E_CHANNEL_ORDER;
}

uint32_t sy_st2110_30_order_channels(const struct sy_st2110_30_order *o)
{
	uint32_t total = 0;

	for (unsigned i = 0; i < o->n_groups && i < SY_ST2110_30_MAX_GROUPS; i++)
		total += o->groups[i].channels;
	return total;
}

int sy_st2110_30_order_emit(const struct sy_st2110_30_order *o, char *buf, size_t cap)
{
	size_t n = 0;

	if (o->n_groups == 0 || o->n_groups > SY_ST2110_30_MAX_GROUPS)
		return -SY_E_CHANNEL_ORDER;
#define PUT(str, l)                                   \
	do {                                          \
		if (n + (l) >= cap)                   \
			return -SY_E_NOSPACE;         \
		memcpy(buf + n, (str), (l));          \
		n += (l);                             \
	} while (0)
	PUT("SMPTE2110.(", 11u);
	for (unsigned i = 0; i < o->n_groups; i++) {
		const struct sy_st2110_30_group *g = &o->groups[i];

		if (g->kind >= SY_ST2110_30_GROUP_KIND_MAX)
			return -SY_E_CHANNEL_ORDER;
		if (i)
			PUT(",", 1u);
		if (g->kind == SY_ST2110_30_GROUP_U) {
			char u[3] = { 'U', (char)('0' + g->channels / 10), (char)('0' + g->channels % 10) };

			if (g->channels < 1 || g->channels > SY_ST2110_30_MAX_CHANNELS)
				return -SY_E_CHANNEL_ORDER;
			PUT(u, 3u);
		} else {
			PUT(group_tab[g->kind].name, strlen(group_tab[g->kind].name));
		}
	}
	PUT(")", 1u);
#undef PUT
	buf[n] = '\0';
	return (int)n;
}

int sy_st2110_30_order_check(const struct sy_st2110_30_order *o, uint32_t channels)
{
	return sy_st2110_30_order_channels(o) <= channels ? 0 : -SY_E_CHANNEL_ORDER;
}
