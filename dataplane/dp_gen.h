/* SPDX-License-Identifier: MIT */
/*
 * dp_gen.h: internal sources (black, bars, the stamped moving pattern, line-
 * up tone, silence): what is prepared once on the control thread (struct
 * dp_gen_asset: prerendered picture/sound, the per-packet plan with ready
 * headers) and what the worker does per loop iteration (dp_gen_run).
 *
 * Why a private header: dp.c (publication), dp_snap.c (validation) and
 * dp_worker.c (the loop) share these; control/ only sees dp.h's
 * DP_INPUT_INTERNAL.
 *
 * Zero copy: a generated packet is a header mbuf (hdr pool: the prebuilt
 * Ethernet..SRD bytes of its plan entry, RTP sequence/timestamp patched)
 * chained to an mbuf of the indirect pool with the payload attached as an
 * external buffer (rte_pktmbuf_attach_extbuf) pointing into the asset's
 * memory, reference counted through the memory region's shared info (the
 * asset holds one reference itself, so the memory is never freed under a
 * packet). Fan-out and hold queues treat it like a received packet.
 */
#ifndef DP_GEN_H
#define DP_GEN_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include "dp.h"
#include "sy_format.h"

#define DP_GEN_ASSETS_MAX 48u    /* prepared internal-source configurations */
#define DP_GEN_STAMP_SLOTS 8u    /* rotating stamp buffers (frames in flight) */
#define DP_GEN_HDR_MAX 120u      /* header bytes of a plan entry (hdr pool room 128) */
#define DP_GEN_BUDGET 64u        /* packets per internal input per loop iteration */
#define DP_GEN_MINI_LINES 32u    /* height of the small frames rows are rendered in */

/* Which memory a packet's payload points into. */
enum dp_gen_mem {
	DP_GEN_MEM_FRAME,  /* the prerendered still frame (offset: frame offset) */
	DP_GEN_MEM_BOX,    /* moving: the box row of this frame's phase (offset in row) */
	DP_GEN_MEM_STAMP0, /* moving: stamp block row 0 of this frame's slot */
	DP_GEN_MEM_STAMP1, /* moving: stamp block row 1 */
	DP_GEN_MEM_AUDIO,  /* audio: packet (index mod n_audio) of the prerendered ring */
	DP_GEN_MEM_MAX
};

/* One packet of a frame, planned once. */
struct dp_gen_pkt {
	uint8_t mem;            /* enum dp_gen_mem */
	uint8_t hdr_len;        /* bytes of hdr (Ethernet .. SRDs) */
	bool marker;
	uint8_t field;          /* 0/1 */
	uint32_t off;           /* payload offset in its memory */
	uint32_t len;           /* payload bytes after the headers */
	uint64_t tx_off_ns;     /* release time from the frame start */
	uint8_t hdr[DP_GEN_HDR_MAX];
};

struct dp_gen_asset {
	struct dp_input cfg;     /* what it was made for (matching) */
	int16_t input;           /* owner input index */
	enum dp_essence essence;
	uint32_t n_pkts;         /* per frame (video), 1 (audio) */
	struct dp_gen_pkt *pkt;  /* [n_pkts] */
	uint32_t rtp_hdr_off;    /* RTP header offset in hdr (42) */
	/* video */
	struct sy_video_format vfmt;
	struct sy_rate field_rate; /* interlaced: 2 x frame rate */
	uint64_t period_ns;
	uint32_t row_bytes;
	uint8_t *frame;          /* still frame / moving background */
	size_t frame_len;
	uint32_t n_phase;        /* moving: box phases (sy_pattern_period) */
	uint8_t *box;            /* [n_phase][row_bytes] */
	struct sy_video_format mini; /* stamp mini frame format */
	size_t mini_len;
	uint32_t mini_row[2];    /* byte offset of stamp block rows 0/1 in a mini frame */
	uint8_t *stamp;          /* [DP_GEN_STAMP_SLOTS][mini_len], worker-written */
	/* audio */
	uint32_t rate_hz, spp, audio_bytes, n_audio;
	uint8_t *audio;          /* [n_audio][audio_bytes] */
	/* memory regions, one shared info each (refcount >= 1: the asset's) */
	struct rte_mbuf_ext_shared_info sh_frame, sh_box, sh_audio;
	struct rte_mbuf_ext_shared_info sh_stamp[DP_GEN_STAMP_SLOTS];
	/* free when a newer configuration replaced it and nothing refers to it */
	bool retired;
};

struct dp_snap;
struct dp_worker;

/* Control thread, in dp_publish after validation: give every internal input
 * of s its asset (prepared now if new; may take a moment for the moving
 * pattern: one small render per box phase) and list them per worker.
 * 0, -ENOMEM, -SY_E_UNSUPPORTED / -SY_E_FORMAT with err filled. */
int dp_gen_attach(struct dp *dp, struct dp_snap *s, struct dp_error *err);

/* Free assets nothing refers to (not in any live snapshot, no packet in
 * flight). Control thread. */
void dp_gen_gc(struct dp *dp);
void dp_gen_free_all(struct dp *dp);

/* Worker: generate what is due at TAI now for the internal inputs this
 * worker owns (bounded: DP_GEN_BUDGET packets per input), through the same
 * crosspoint/fan-out/tx path as received packets. */
void dp_gen_run(struct dp_worker *w, uint64_t now_ns);

/* Tests: assemble frame `index` of a video asset as its packets carry it
 * (stamp written into slot `index % DP_GEN_STAMP_SLOTS`). 0 or -SY_E_*. */
int dp_gen_frame_image(struct dp_gen_asset *a, uint64_t index, uint8_t *frame, size_t len);

#endif
