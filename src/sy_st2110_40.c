/* SPDX-License-Identifier: MIT */
/*
 * sy_st2110_40.c: RFC 8331 / ST 2110-40 ancillary payloads and the ST 12-2
 * ATC timecode carried in them.
 *
 * Why here: the generator writes a timecode + frame counter ANC flow, and
 * receivers check -40 flows they switch. Payloads are a few hundred octets,
 * so the bit packing is done word by word for clarity, not speed.
 * Any thread; pure; no allocation. Wire layout: see sy_st2110_40.h.
 *
 * Boundary cases handled here:
 *  - ANC_Count 0 with Length 0 (an empty payload that only carries F/marker).
 *  - Data_Count 0 (12-octet packet) and 255 (328-octet packet).
 *  - A 10-bit word straddling two or three octets; the last word of a packet
 *    ending exactly on the 32-bit boundary (no word_align bits).
 *  - Length disagreeing with the payload in either direction (ANC_LEN);
 *    packets ending before ANC_Count is reached or octets left after it
 *    (ANC_COUNT); a packet cut in its header or its words (TRUNCATED).
 *  - Data_Count is only trusted after its parity is checked, so a corrupt
 *    count cannot make us read beyond Length.
 */
#include "sy_st2110_40.h"

#include <string.h>

#include "sy_bytes.h"
#include "sy_err.h"

/* Minimum octets before Data_Count can be read: 32 header bits + 3 words. */
#define ANC_DC_BYTES 8u
#define ANC_UDW_BIT  62u /* bit offset of UDW 0 from the C bit */

/* Read n (<= 10) bits MSB-first at bit offset pos; touches only the
 * octets that hold those bits. */
static uint16_t get_bits(const uint8_t *p, size_t pos, unsigned n)
{
	size_t first = pos >> 3;
	size_t last = (pos + n - 1) >> 3;
	uint32_t acc = 0;

	for (size_t i = first; i <= last; i++)
		acc = acc << 8 | p[i];
	unsigned drop = (unsigned)((last + 1) * 8 - (pos + n));
	return (uint16_t)((acc >> drop) & ((1u << n) - 1));
}

/* OR n (<= 10) bits of v MSB-first at bit offset pos (target pre-zeroed). */
static void put_bits(uint8_t *p, size_t pos, uint16_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		if ((v >> (n - 1 - i)) & 1u) {
			size_t b = pos + i;
			p[b >> 3] |= (uint8_t)(0x80u >> (b & 7));
		}
	}
}

uint16_t sy_st2110_40_word(uint8_t v)
{
	unsigned par = (unsigned)__builtin_popcount(v) & 1u; /* 1 if odd: b8 makes it even */
	return (uint16_t)(v | par << 8 | (par ^ 1u) << 9);
}

bool sy_st2110_40_word_ok(uint16_t w)
{
	return (w & 0x3FFu) == sy_st2110_40_word((uint8_t)w);
}

static uint16_t checksum_word(uint32_t sum9)
{
	uint32_t cs = sum9 & 0x1FFu;
	return (uint16_t)(cs | ((~cs >> 8) & 1u) << 9);
}

size_t sy_st2110_40_pkt_bytes(unsigned data_count)
{
	size_t bits = 32u + 10u * (4u + (size_t)data_count);
	return (bits + 31u) / 32u * 4u;
}

/* Parse and check one ANC packet at p with left octets remaining. */
static int parse_one(const uint8_t *p, size_t left, struct sy_st2110_40_anc *out)
{
	if (left < ANC_DC_BYTES)
		return -SY_E_TRUNCATED;

	uint32_t h = sy_load_be32(p);
	uint16_t did = get_bits(p, 32, 10);
	uint16_t sdid = get_bits(p, 42, 10);
	uint16_t dc = get_bits(p, 52, 10);

	if (!sy_st2110_40_word_ok(did) || !sy_st2110_40_word_ok(sdid) ||
	    !sy_st2110_40_word_ok(dc))
		return -SY_E_ANC_PARITY;

	unsigned n = dc & 0xFFu;
	size_t bytes = sy_st2110_40_pkt_bytes(n);
	if (bytes > left)
		return -SY_E_TRUNCATED;

	uint32_t sum = (did & 0x1FFu) + (sdid & 0x1FFu) + (dc & 0x1FFu);
	for (unsigned i = 0; i < n; i++)
		sum += get_bits(p, ANC_UDW_BIT + 10u * i, 10) & 0x1FFu;
	uint16_t cs = get_bits(p, ANC_UDW_BIT + 10u * n, 10);
	if (cs != checksum_word(sum))
		return -SY_E_ANC_CHECKSUM;

	out->c = (h >> 31) & 1u;
	out->line = (uint16_t)((h >> 20) & 0x7FFu);
	out->hoffset = (uint16_t)((h >> 8) & 0xFFFu);
	out->s = (h >> 7) & 1u;
	out->stream_num = (uint8_t)(h & 0x7Fu);
	out->did = (uint8_t)did;
	out->sdid = (uint8_t)sdid;
	out->data_count = (uint8_t)n;
	out->checksum10 = cs;
	out->raw = p;
	out->raw_bytes = (uint16_t)bytes;
	return 0;
}

int sy_st2110_40_parse(const uint8_t *payload, size_t payload_len,
		       struct sy_st2110_40_view *out)
{
	if (payload_len < SY_ST2110_40_HDR_BYTES)
		return -SY_E_TRUNCATED;

	uint16_t length = sy_load_be16(payload + 2);
	uint8_t count = payload[4];
	unsigned f = payload[5] >> 6;

	if (f == SY_ST2110_40_F_INVALID)
		return -SY_E_ANC_FIELD;
	if ((size_t)length + SY_ST2110_40_HDR_BYTES != payload_len)
		return -SY_E_ANC_LEN;

	const uint8_t *p = payload + SY_ST2110_40_HDR_BYTES;
	size_t left = length;
	for (unsigned i = 0; i < count; i++) {
		struct sy_st2110_40_anc a;
		if (left == 0)
			return -SY_E_ANC_COUNT; /* ANC_Count promises more packets */
		int rc = parse_one(p, left, &a);
		if (rc < 0)
			return rc;
		p += a.raw_bytes;
		left -= a.raw_bytes;
	}
	if (left != 0)
		return -SY_E_ANC_COUNT; /* octets beyond ANC_Count packets */

	out->ext_seq = sy_load_be16(payload);
	out->length_bytes = length;
	out->anc_count = count;
	out->field = (enum sy_st2110_40_field)f;
	out->anc = payload + SY_ST2110_40_HDR_BYTES;
	return 0;
}

void sy_st2110_40_iter_init(const struct sy_st2110_40_view *v, struct sy_st2110_40_iter *it)
{
	it->p = v->anc;
	it->left_bytes = v->length_bytes;
	it->left_count = v->anc_count;
}

bool sy_st2110_40_next(struct sy_st2110_40_iter *it, struct sy_st2110_40_anc *out)
{
	if (it->left_count == 0)
		return false;
	if (parse_one(it->p, it->left_bytes, out) < 0) {
		it->left_count = 0; /* only reachable on a view not from parse() */
		return false;
	}
	it->p += out->raw_bytes;
	it->left_bytes -= out->raw_bytes;
	it->left_count--;
	return true;
}

uint16_t sy_st2110_40_udw10(const struct sy_st2110_40_anc *a, unsigned i)
{
	if (i >= a->data_count)
		return 0;
	return get_bits(a->raw, ANC_UDW_BIT + 10u * i, 10);
}

int sy_st2110_40_build(uint8_t *buf, size_t cap, uint16_t ext_seq,
		       enum sy_st2110_40_field field, const struct sy_st2110_40_pkt *pkts,
		       unsigned n_pkts, size_t *len_out)
{
	if (n_pkts > SY_ST2110_40_MAX_COUNT || field == SY_ST2110_40_F_INVALID ||
	    (unsigned)field >= SY_ST2110_40_F_MAX)
		return -SY_E_RANGE;

	size_t total = SY_ST2110_40_HDR_BYTES;
	for (unsigned i = 0; i < n_pkts; i++) {
		const struct sy_st2110_40_pkt *k = &pkts[i];
		if (k->line > SY_ST2110_40_LINE_MAX || k->hoffset > SY_ST2110_40_HOFFSET_MAX ||
		    k->stream_num > SY_ST2110_40_STREAM_MAX ||
		    (k->data_count > 0 && !k->udw10 && !k->udw8))
			return -SY_E_RANGE;
		total += sy_st2110_40_pkt_bytes(k->data_count);
	}
	if (total - SY_ST2110_40_HDR_BYTES > 0xFFFFu)
		return -SY_E_RANGE;
	if (total > cap)
		return -SY_E_NOSPACE;

	memset(buf, 0, total);
	sy_store_be16(buf, ext_seq);
	sy_store_be16(buf + 2, (uint16_t)(total - SY_ST2110_40_HDR_BYTES));
	buf[4] = (uint8_t)n_pkts;
	buf[5] = (uint8_t)((unsigned)field << 6); /* + 22 reserved zero bits */

	uint8_t *p = buf + SY_ST2110_40_HDR_BYTES;
	for (unsigned i = 0; i < n_pkts; i++) {
		const struct sy_st2110_40_pkt *k = &pkts[i];
		uint32_t h = (uint32_t)k->c << 31 | (uint32_t)k->line << 20 |
			     (uint32_t)k->hoffset << 8 | (uint32_t)k->s << 7 | k->stream_num;
		sy_store_be32(p, h);

		uint16_t w[3] = { sy_st2110_40_word(k->did), sy_st2110_40_word(k->sdid),
				  sy_st2110_40_word(k->data_count) };
		uint32_t sum = 0;
		for (unsigned j = 0; j < 3; j++) {
			put_bits(p, 32u + 10u * j, w[j], 10);
			sum += w[j] & 0x1FFu;
		}
		for (unsigned j = 0; j < k->data_count; j++) {
			uint16_t u = k->udw10 ? (uint16_t)(k->udw10[j] & 0x3FFu)
					      : sy_st2110_40_word(k->udw8[j]);
			put_bits(p, ANC_UDW_BIT + 10u * j, u, 10);
			sum += u & 0x1FFu;
		}
		put_bits(p, ANC_UDW_BIT + 10u * k->data_count, checksum_word(sum), 10);
		p += sy_st2110_40_pkt_bytes(k->data_count);
	}
	*len_out = total;
	return 0;
}

/* ---- ATC timecode ---- */

/* Nibble k of the ST 12-1 word -> UDW k b4-b7 (see the table in the header). */
int sy_st2110_40_atc_encode(const struct sy_st2110_40_atc *tc, uint16_t udw10[16])
{
	if (tc->hours > 23 || tc->minutes > 59 || tc->seconds > 59 || tc->frames > 39)
		return -SY_E_RANGE;

	uint8_t nib[16];
	nib[0] = tc->frames % 10;
	nib[2] = (uint8_t)(tc->frames / 10 | tc->drop_frame << 2 | tc->color_frame << 3);
	nib[4] = tc->seconds % 10;
	nib[6] = (uint8_t)(tc->seconds / 10 | tc->flag27 << 3);
	nib[8] = tc->minutes % 10;
	nib[10] = (uint8_t)(tc->minutes / 10 | tc->bgf0 << 3);
	nib[12] = tc->hours % 10;
	nib[14] = (uint8_t)(tc->hours / 10 | tc->bgf1 << 2 | tc->bgf2 << 3);
	for (unsigned g = 0; g < 8; g++)
		nib[2 * g + 1] = (uint8_t)((tc->binary_groups >> (4 * g)) & 0xFu);

	for (unsigned k = 0; k < 16; k++) {
		uint8_t dbb = k < 8 ? tc->dbb1 : tc->dbb2;
		unsigned bit = (dbb >> (k & 7)) & 1u; /* LSB first */
		udw10[k] = sy_st2110_40_word((uint8_t)(nib[k] << 4 | bit << 3));
	}
	return 0;
}

int sy_st2110_40_atc_decode_udw(const uint16_t udw10[16], struct sy_st2110_40_atc *out)
{
	uint8_t nib[16];
	uint8_t dbb1 = 0, dbb2 = 0;

	for (unsigned k = 0; k < 16; k++) {
		if (!sy_st2110_40_word_ok(udw10[k]))
			return -SY_E_ANC_PARITY;
		nib[k] = (uint8_t)((udw10[k] >> 4) & 0xFu);
		unsigned bit = (udw10[k] >> 3) & 1u;
		if (k < 8)
			dbb1 |= (uint8_t)(bit << k);
		else
			dbb2 |= (uint8_t)(bit << (k - 8));
	}
	if (nib[0] > 9 || nib[4] > 9 || nib[8] > 9 || nib[12] > 9)
		return -SY_E_RANGE;

	struct sy_st2110_40_atc tc = {
		.frames = (uint8_t)((nib[2] & 3u) * 10 + nib[0]),
		.drop_frame = (nib[2] >> 2) & 1u,
		.color_frame = (nib[2] >> 3) & 1u,
		.seconds = (uint8_t)((nib[6] & 7u) * 10 + nib[4]),
		.flag27 = (nib[6] >> 3) & 1u,
		.minutes = (uint8_t)((nib[10] & 7u) * 10 + nib[8]),
		.bgf0 = (nib[10] >> 3) & 1u,
		.hours = (uint8_t)((nib[14] & 3u) * 10 + nib[12]),
		.bgf1 = (nib[14] >> 2) & 1u,
		.bgf2 = (nib[14] >> 3) & 1u,
		.dbb1 = dbb1,
		.dbb2 = dbb2,
	};
	for (unsigned g = 0; g < 8; g++)
		tc.binary_groups |= (uint32_t)nib[2 * g + 1] << (4 * g);
	if (tc.hours > 23 || tc.minutes > 59 || tc.seconds > 59)
		return -SY_E_RANGE;
	*out = tc;
	return 0;
}

int sy_st2110_40_atc_decode(const struct sy_st2110_40_anc *a, struct sy_st2110_40_atc *out)
{
	if (a->did != SY_ST2110_40_DID_ATC || a->sdid != SY_ST2110_40_SDID_ATC)
		return -SY_E_UNSUPPORTED;
	if (a->data_count != SY_ST2110_40_DC_ATC)
		return -SY_E_FORMAT;
	uint16_t udw[16];
	for (unsigned k = 0; k < 16; k++)
		udw[k] = sy_st2110_40_udw10(a, k);
	return sy_st2110_40_atc_decode_udw(udw, out);
}

void sy_st2110_40_atc_pkt(const uint16_t udw10[16], struct sy_st2110_40_pkt *pkt)
{
	*pkt = (struct sy_st2110_40_pkt){
		.line = 9,
		.did = SY_ST2110_40_DID_ATC,
		.sdid = SY_ST2110_40_SDID_ATC,
		.data_count = SY_ST2110_40_DC_ATC,
		.udw10 = udw10,
	};
}
