/* SPDX-License-Identifier: MIT */
/*
 * sy_rfc4175.h: ST 2110-20 / RFC 4175 payload: SRD headers, packet layout
 * (packetizer), placement into a frame buffer (depacketizer) with coverage.
 *
 * RTP payload after the 12-byte RTP header:
 *  offset  size  field
 *   0      2     Extended Sequence Number (high 16 bits of a 32-bit seq)
 *   2      2     SRD Length: sample octets of this segment
 *   4      2     F(1) | SRD Row Number(15): F=1 second field
 *   6      2     C(1) | SRD Offset(15): pixel offset in the row; C=1: another
 *                SRD header follows
 *   ...          more 6-byte SRD headers while C=1
 *   then the sample data of each SRD, in header order.
 *
 * Row numbers are scan lines within the field (interlaced) or frame; for
 * 4:2:0 a pgroup spans two lines and rows are even. The frame buffer
 * convention is sy_format.h's: packed pgroups, interlaced rows interleaved.
 *
 * Any thread; pure; parsers do not allocate (callers own all storage).
 */
#ifndef SY_RFC4175_H
#define SY_RFC4175_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sy_format.h"

/* SRD headers we accept per packet. GStreamer uses up to 3; 16 leaves room
 * for narrow rasters in 1452-byte packets. */
#define SY_RFC4175_MAX_SRD 16u
#define SY_RFC4175_EXT_SEQ_BYTES 2u
#define SY_RFC4175_SRD_BYTES 6u

struct sy_rfc4175_srd {
	uint16_t len_bytes;
	uint16_t row;       /* scan line within the field/frame */
	uint16_t offset_px;
	bool field;         /* F bit: second field */
	const uint8_t *data;
};

struct sy_rfc4175_pkt {
	uint16_t ext_seq;
	uint8_t n_srd;
	uint32_t data_bytes; /* sum of SRD lengths */
	struct sy_rfc4175_srd srd[SY_RFC4175_MAX_SRD];
};

/*
 * Structural parse of an RTP payload (after the RTP header): extended seq,
 * SRD headers (following C bits), data pointers. The SRD lengths must sum to
 * exactly the bytes after the headers. 0 or -SY_E_SRD_NONE / SRD_TOO_MANY /
 * SRD_SUM / TRUNCATED.
 */
int sy_rfc4175_parse(const uint8_t *payload, size_t len, struct sy_rfc4175_pkt *out);

/*
 * Check a parsed packet against a format: row in range (and even for 4:2:0),
 * offset and length whole pgroups, offset + length within the row, F bit
 * only on interlaced or PsF formats. 0 or -SY_E_SRD_ROW / SRD_OFFSET /
 * SRD_PGROUP / SRD_FIELD / FORMAT.
 */
int sy_rfc4175_validate(const struct sy_rfc4175_pkt *pkt, const struct sy_video_format *fmt);

/* ---- packet layout -------------------------------------------------- */

enum sy_rfc4175_layout {
	/* Packets never cross a row: ceil(row / payload) packets per row, one
	 * SRD each (the usual GPM layout; 1080p 4:2:2 10-bit at 1200 -> 4/row). */
	SY_RFC4175_LAYOUT_ROW,
	/* Packets filled to the payload size, crossing rows with continuation
	 * SRDs (BPM always; GStreamer's GPM layout). Never crosses a field. */
	SY_RFC4175_LAYOUT_CONTINUOUS,
	SY_RFC4175_LAYOUT_MAX
};

struct sy_rfc4175_seg {
	uint16_t row;        /* wire row number (scan line in field) */
	uint16_t offset_px;
	uint16_t len_bytes;
	bool field;
	uint64_t frame_offset; /* byte offset of this segment in the frame buffer */
};

struct sy_rfc4175_plan {
	bool marker;         /* last packet of the frame (or of the field) */
	bool second_field;
	uint8_t n_seg;
	uint32_t data_bytes;   /* sample octets */
	uint32_t payload_bytes;/* ext seq + SRD headers + sample octets */
	struct sy_rfc4175_seg seg[SY_RFC4175_MAX_SRD];
};

struct sy_rfc4175_packer {
	struct sy_video_format fmt;
	struct sy_pgroup pg;
	enum sy_rfc4175_layout layout;
	uint32_t data_max;      /* sample octets per packet, whole pgroups */
	uint32_t row_bytes;
	uint32_t rows_per_field;
	uint32_t fields;
	/* cursor */
	uint32_t field;
	uint32_t row;           /* pgroup row within the field */
	uint32_t byte_in_row;
	bool done;
};

/*
 * Set up a packer. data_max is the sample octets per packet (1200 for the
 * usual GPM, ignored for BPM which always carries 1260 = 7 x 180 octets and
 * uses the continuous layout). The layout argument applies to GPM.
 * 0 or -SY_E_FORMAT / UNSUPPORTED / RANGE (data_max < one pgroup or the
 * resulting RTP packet would exceed the ST 2110-10 1460-octet UDP limit).
 */
int sy_rfc4175_packer_init(struct sy_rfc4175_packer *p, const struct sy_video_format *fmt,
			   uint32_t data_max, enum sy_rfc4175_layout layout);
/* Rewind to the first packet of a frame. */
void sy_rfc4175_packer_reset(struct sy_rfc4175_packer *p);
/* Plan the next packet of the frame; false once the frame is complete. */
bool sy_rfc4175_packer_next(struct sy_rfc4175_packer *p, struct sy_rfc4175_plan *plan);
/* Packets per frame (both fields) and per field, for this packer. */
uint32_t sy_rfc4175_packer_pkts_per_frame(const struct sy_rfc4175_packer *p);
uint32_t sy_rfc4175_packer_pkts_per_field(const struct sy_rfc4175_packer *p);

/* Packets per row (ROW layout) for a format and sample payload size. */
uint32_t sy_rfc4175_pkts_per_row(const struct sy_video_format *fmt, uint32_t data_max);
/* Packets per frame (both fields) for fmt.packing and data_max, GPM in the
 * given layout. 0 if the format is invalid. */
uint32_t sy_rfc4175_pkts_per_frame(const struct sy_video_format *fmt, uint32_t data_max,
				   enum sy_rfc4175_layout layout);

/*
 * Write the RFC 4175 payload of plan (ext seq, SRD headers, sample octets
 * copied from frame) into buf. Returns bytes written or -SY_E_NOSPACE.
 */
int sy_rfc4175_write(const struct sy_rfc4175_plan *plan, const uint8_t *frame, uint16_t ext_seq,
		     uint8_t *buf, size_t cap);
/* Write only ext seq + SRD headers (for zero-copy senders that chain the
 * sample data from the frame buffer). Returns bytes written or -SY_E_NOSPACE. */
int sy_rfc4175_write_headers(const struct sy_rfc4175_plan *plan, uint16_t ext_seq, uint8_t *buf,
			     size_t cap);

/* ---- depacketizer --------------------------------------------------- */

struct sy_rfc4175_frame {
	struct sy_video_format fmt;
	struct sy_pgroup pg;
	uint8_t *buf;           /* frame_bytes, caller-owned */
	uint8_t *cov;           /* one bit per pgroup, caller-owned */
	uint32_t row_bytes;
	uint32_t pgroups_per_row;
	uint32_t rows;          /* pgroup rows in the frame (both fields) */
	uint64_t pgroups_total;
	uint64_t pgroups_covered; /* distinct pgroups written */
	uint64_t pgroups_repeated;/* written again (duplicates/overlaps) */
	uint32_t packets;
};

/* Bytes needed for the coverage bitmap of fmt. */
size_t sy_rfc4175_coverage_bytes(const struct sy_video_format *fmt);

/* Attach caller storage: buf of sy_format_frame_bytes(fmt) bytes, cov of
 * sy_rfc4175_coverage_bytes(fmt). Clears coverage. 0 or -SY_E_NOSPACE /
 * -SY_E_FORMAT. */
int sy_rfc4175_frame_init(struct sy_rfc4175_frame *f, const struct sy_video_format *fmt,
			  uint8_t *buf, size_t buf_len, uint8_t *cov, size_t cov_len);
/* Start a new frame: coverage cleared (pixels left as they are). */
void sy_rfc4175_frame_reset(struct sy_rfc4175_frame *f);
/* Place a packet that passed sy_rfc4175_validate() for the same format.
 * 0, or a validation error (nothing written) if it does not fit. */
int sy_rfc4175_frame_place(struct sy_rfc4175_frame *f, const struct sy_rfc4175_pkt *pkt);
static inline bool sy_rfc4175_frame_complete(const struct sy_rfc4175_frame *f)
{
	return f->pgroups_covered == f->pgroups_total;
}
/* true if every pgroup of frame row `row` (pgroup rows, interleaved for
 * interlaced) has been written. */
bool sy_rfc4175_frame_row_complete(const struct sy_rfc4175_frame *f, uint32_t row);
/* Number of frame rows not completely covered. */
uint32_t sy_rfc4175_frame_rows_incomplete(const struct sy_rfc4175_frame *f);

#endif
