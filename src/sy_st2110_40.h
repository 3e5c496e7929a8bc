/* SPDX-License-Identifier: MIT */
/*
 * sy_st2110_40.h: ST 2110-40 ancillary data (RFC 8331 RTP payload for
 * SMPTE ST 291-1 ANC packets): parse, build, and the ATC timecode payload
 * (SMPTE ST 12-2).
 *
 * RTP payload (after the 12-byte RTP header; offsets in bytes):
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Extended Sequence Number    |            Length             |  0
 * |   ANC_Count   | F |              reserved (22, zero)          |  4
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |C|   Line_Number (11)  | Horizontal_Offset (12)|S| StreamNum(7)|  8: ANC packet 1
 * |   DID (10)        |   SDID (10)       |  Data_Count (10)  | UDW  12
 * | ... User_Data_Words (10 bits each, Data_Count of them) ...    |
 * | ... | Checksum_Word (10) | word_align (zero bits to 32)       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | ANC packet 2 (starts on a 32-bit boundary) ...                |
 *
 * Length = octets from the C bit of the first ANC packet to the end of the
 * last word_align, i.e. payload length - 8. F: 00 progressive, 10 field 1,
 * 11 field 2, 01 invalid. One ANC packet occupies
 * 4 * ceil((32 + 10 * (4 + Data_Count)) / 32) octets: 12 for DC 0, 32 for
 * DC 16 (ATC), 328 for DC 255.
 *
 * 10-bit words (ST 291-1): DID, SDID, DC (and 8-bit UDWs) carry an 8-bit
 * value in b0-b7, b8 = even parity of b0-b7, b9 = NOT b8. Checksum word:
 * b0-b8 = sum of b0-b8 of DID, SDID, DC and every UDW, modulo 512;
 * b9 = NOT b8. UDW parity is not checked by the parser (ST 291-1 allows
 * 10-bit UDWs); the ATC decoder checks it since ST 12-2 UDWs are 8-bit.
 *
 * The view does not copy: packets point into the caller's buffer.
 * Any thread; pure; no allocation.
 */
#ifndef SY_ST2110_40_H
#define SY_ST2110_40_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SY_ST2110_40_HDR_BYTES   8u    /* ext seq, length, count, F, reserved */
#define SY_ST2110_40_MAX_COUNT   255u  /* ANC_Count is 8 bits */
#define SY_ST2110_40_MAX_DC      255u  /* Data_Count value is 8 bits */
#define SY_ST2110_40_LINE_MAX    0x7FFu
#define SY_ST2110_40_HOFFSET_MAX 0xFFFu
#define SY_ST2110_40_STREAM_MAX  0x7Fu

/* Well-known DID/SDID pairs (8-bit values, parity added on the wire). */
#define SY_ST2110_40_DID_ATC     0x60u /* SMPTE ST 12-2 ancillary timecode */
#define SY_ST2110_40_SDID_ATC    0x60u
#define SY_ST2110_40_DC_ATC      16u
#define SY_ST2110_40_DID_CEA708  0x61u /* CEA-708 captions (ST 334-1) */
#define SY_ST2110_40_SDID_CEA708 0x01u

/* F field (2 bits). */
enum sy_st2110_40_field {
	SY_ST2110_40_F_PROGRESSIVE = 0, /* 00: progressive or unspecified */
	SY_ST2110_40_F_INVALID = 1,     /* 01: not allowed (parse rejects) */
	SY_ST2110_40_F_FIELD1 = 2,      /* 10: interlaced field 1 */
	SY_ST2110_40_F_FIELD2 = 3,      /* 11: interlaced field 2 */
	SY_ST2110_40_F_MAX
};

/* A validated payload. */
struct sy_st2110_40_view {
	uint16_t ext_seq;
	uint16_t length_bytes; /* Length field = payload length - 8 */
	uint8_t anc_count;
	enum sy_st2110_40_field field;
	const uint8_t *anc;    /* first ANC packet (payload + 8) */
};

/* One ANC packet of a view (values after parity removal). */
struct sy_st2110_40_anc {
	bool c;              /* colour-difference channel */
	uint16_t line;       /* 11 bits; 0x7FF = no specific line */
	uint16_t hoffset;    /* 12 bits; 0xFFF = no specific position */
	bool s;              /* StreamNum is meaningful */
	uint8_t stream_num;  /* 7 bits */
	uint8_t did;
	uint8_t sdid;
	uint8_t data_count;  /* number of UDWs */
	uint16_t checksum10; /* the checksum word as received (already verified) */
	const uint8_t *raw;  /* this packet's first octet (the C bit) */
	uint16_t raw_bytes;  /* octets incl. word_align */
};

/* Iterator over the packets of a view; sy_st2110_40_iter_init() it. */
struct sy_st2110_40_iter {
	const uint8_t *p;
	size_t left_bytes;
	unsigned left_count;
};

/*
 * Parse an RTP payload (after the RTP header, padding removed) and check
 * every ANC packet in it. 0 and *out filled, or:
 *   -SY_E_TRUNCATED    payload < 8 octets, or an ANC packet runs past Length
 *   -SY_E_ANC_FIELD    F = 01
 *   -SY_E_ANC_LEN      8 + Length != payload_len
 *   -SY_E_ANC_COUNT    fewer packets than ANC_Count, or octets left after them
 *   -SY_E_ANC_PARITY   DID, SDID or Data_Count parity wrong
 *   -SY_E_ANC_CHECKSUM checksum word wrong (sum or its b9)
 * Reserved and word_align bits are not checked (receivers are lenient).
 */
int sy_st2110_40_parse(const uint8_t *payload, size_t payload_len,
		       struct sy_st2110_40_view *out);

/* Start iterating a view returned by sy_st2110_40_parse(). */
void sy_st2110_40_iter_init(const struct sy_st2110_40_view *v, struct sy_st2110_40_iter *it);

/* Next packet into *out: true, or false at the end. Cannot fail on a view
 * that sy_st2110_40_parse() accepted. */
bool sy_st2110_40_next(struct sy_st2110_40_iter *it, struct sy_st2110_40_anc *out);

/* UDW i (< data_count) as the 10-bit word on the wire; 0 if i is out of range. */
uint16_t sy_st2110_40_udw10(const struct sy_st2110_40_anc *a, unsigned i);

/* UDW i as an 8-bit value (b0-b7 of the word; parity not checked). */
static inline uint8_t sy_st2110_40_udw8(const struct sy_st2110_40_anc *a, unsigned i)
{
	return (uint8_t)sy_st2110_40_udw10(a, i);
}

/* The 10-bit word for an 8-bit value: b8 even parity, b9 = NOT b8. */
uint16_t sy_st2110_40_word(uint8_t v);

/* True if w (10 bits) has correct b8/b9 parity for its b0-b7. */
bool sy_st2110_40_word_ok(uint16_t w);

/* Octets one ANC packet with data_count UDWs occupies (incl. word_align). */
size_t sy_st2110_40_pkt_bytes(unsigned data_count);

/* An ANC packet to build. */
struct sy_st2110_40_pkt {
	bool c;
	uint16_t line;        /* <= 0x7FF */
	uint16_t hoffset;     /* <= 0xFFF */
	bool s;
	uint8_t stream_num;   /* <= 0x7F */
	uint8_t did;          /* 8-bit values: parity is added */
	uint8_t sdid;
	uint8_t data_count;
	const uint16_t *udw10; /* data_count 10-bit words written as given (masked to 10 bits) */
	const uint8_t *udw8;   /* used if udw10 is NULL: 8-bit values, parity added */
};

/*
 * Write a payload (8-byte header + packets, parity, checksums, zero
 * word_align and reserved bits) into buf[0..cap). *len_out = octets written.
 * 0, or -SY_E_NOSPACE (cap too small; nothing useful in buf), -SY_E_RANGE
 * (n_pkts > 255, line/hoffset/stream_num too large, field is F_INVALID or
 * beyond, Length > 65535, data_count > 0 with no UDW pointer).
 */
int sy_st2110_40_build(uint8_t *buf, size_t cap, uint16_t ext_seq,
		       enum sy_st2110_40_field field, const struct sy_st2110_40_pkt *pkts,
		       unsigned n_pkts, size_t *len_out);

/* ---- ATC timecode (SMPTE ST 12-2: DID 0x60, SDID 0x60, DC 16) ----
 *
 * UDW k (k = 0..15) carries nibble k of the 64-bit ST 12-1 timecode word
 * in b4-b7 and one distributed binary bit in b3 (UDW 0-7: DBB1 b0-b7,
 * UDW 8-15: DBB2 b0-b7); b0-b2 zero; b8/b9 parity.
 *
 *  UDW | b7 b6 b5 b4                        UDW | b7 b6 b5 b4
 *   0  | frame units                         1  | binary group 1
 *   2  | colour, drop, frame tens (2)        3  | binary group 2
 *   4  | second units                        5  | binary group 3
 *   6  | flag 27, second tens (3)            7  | binary group 4
 *   8  | minute units                        9  | binary group 5
 *  10  | BGF0, minute tens (3)              11  | binary group 6
 *  12  | hour units                         13  | binary group 7
 *  14  | BGF2, BGF1, hour tens (2)          15  | binary group 8
 */
enum sy_st2110_40_atc_type { /* DBB1 payload type (ST 12-2 table) */
	SY_ST2110_40_ATC_LTC = 0x00,
	SY_ST2110_40_ATC_VITC1 = 0x01,
	SY_ST2110_40_ATC_VITC2 = 0x02,
	SY_ST2110_40_ATC_MAX
};

struct sy_st2110_40_atc {
	uint8_t hours;         /* 0..23 */
	uint8_t minutes;       /* 0..59 */
	uint8_t seconds;       /* 0..59 */
	uint8_t frames;        /* 0..39 (2-bit tens) */
	bool drop_frame;
	bool color_frame;
	bool flag27;           /* polarity correction / field mark */
	bool bgf0, bgf1, bgf2; /* binary group flags */
	uint32_t binary_groups; /* BG1 in b0-b3 ... BG8 in b28-b31 (e.g. a frame counter) */
	uint8_t dbb1;          /* payload type, enum sy_st2110_40_atc_type */
	uint8_t dbb2;          /* VITC line select, validity ... (carried raw) */
};

/* Encode tc into the 16 UDWs (10-bit, with parity). 0 or -SY_E_RANGE
 * (hours > 23, minutes/seconds > 59, frames > 39). */
int sy_st2110_40_atc_encode(const struct sy_st2110_40_atc *tc, uint16_t udw10[16]);

/* Decode 16 UDWs. 0, -SY_E_ANC_PARITY (a UDW's parity), -SY_E_RANGE (a BCD
 * digit > 9 or a value beyond the limits above). */
int sy_st2110_40_atc_decode_udw(const uint16_t udw10[16], struct sy_st2110_40_atc *out);

/* Decode a parsed ANC packet. As above, plus -SY_E_UNSUPPORTED (DID/SDID
 * not 0x60/0x60) and -SY_E_FORMAT (Data_Count != 16). */
int sy_st2110_40_atc_decode(const struct sy_st2110_40_anc *a, struct sy_st2110_40_atc *out);

/* Fill *pkt to carry the ATC in udw10 (from sy_st2110_40_atc_encode()):
 * DID/SDID/DC set, line 9, hoffset 0, C/S/stream 0; the caller may change
 * placement afterwards. udw10 must outlive *pkt. */
void sy_st2110_40_atc_pkt(const uint16_t udw10[16], struct sy_st2110_40_pkt *pkt);

#endif
