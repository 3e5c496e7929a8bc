/* SPDX-License-Identifier: MIT */
/*
 * sy_analyze.h: shared types of sy-analyze, the ST 2110 capture analyzer
 * (docs/sy-analyze.md). One file per concern:
 *
 *   sy_analyze.c         options, pcap reading, expectations, exit code
 *   sy_analyze_seq.c     sequence accounting (loss, duplicates, reorder)
 *   sy_analyze_flow.c    flow table, SDP matching, RTP level: 16-bit and
 *                        32-bit sequence, PT/SSRC, malformed packets
 *   sy_analyze_video.c   ST 2110-20 frames: coverage, markers, RTP deltas,
 *                        MD5, per-frame records
 *   sy_analyze_timing.c  ST 2110-21 (Cinst, VRX, verdict, RTP offset)
 *   sy_analyze_stamp.c   picture stamps, switch points, torn frames
 *   sy_analyze_audio.c   ST 2110-30 packet time, continuity, TS-DF
 *   sy_analyze_anc.c     ST 2110-40 marker, F bits, checksums, ATC
 *   sy_analyze_json.c    the JSON report (hand-written emitter)
 *   sy_analyze_text.c    the human-readable report
 *
 * Every protocol decision is made by src/ (libswitchyard); these files only
 * keep counts and lists. Single-threaded command-line tool: allocation is
 * fine (per frame, never per packet except list growth).
 */
#ifndef SY_ANALYZE_H
#define SY_ANALYZE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "sy_err.h"
#include "sy_net.h"
#include "sy_rfc4175.h"
#include "sy_rtp.h"
#include "sy_sdp.h"
#include "sy_st2110_21.h"
#include "sy_stamp.h"

#define SY_ANALYZE_MAX_FLOWS 64u
#define SY_ANALYZE_MAX_SDPS 16u
/* Lists of sequence numbers / frames kept per flow; counts go on beyond. */
#define SY_ANALYZE_LIST_MAX 10000u
/* Sequence window: a packet older than this behind the highest is "too old". */
#define SY_ANALYZE_SEQ_WINDOW (1u << 16)
#define SY_ANALYZE_N_ERR (SY_E_MAX - SY_E_BASE)

/* A growable list of 32-bit values (sequence numbers), capped. */
struct sy_analyze_list {
	uint32_t *v;
	uint32_t n, cap;
	uint64_t total; /* including those past SY_ANALYZE_LIST_MAX */
};

void sy_analyze_list_add(struct sy_analyze_list *l, uint32_t v);
void sy_analyze_list_free(struct sy_analyze_list *l);
/* Allocation helpers: exit(2) with a message when memory runs out. */
void *sy_analyze_xrealloc(void *p, size_t n);
void *sy_analyze_xcalloc(size_t n, size_t size);

/*
 * Loss / duplicate / reorder accounting over an unwrapped sequence (64-bit).
 * A packet above the highest opens a gap; a packet inside the window that
 * was not seen is reordered (late), one already seen is a duplicate. Gaps
 * still open when they leave the window (or at the end) are lost.
 */
struct sy_analyze_seq {
	bool started;
	uint64_t first, highest;
	uint64_t lost, dup, reordered, too_old;
	uint32_t mask; /* list values: seq & mask (0xffff or 0xffffffff) */
	struct sy_analyze_list lost_seq, dup_seq, reordered_seq;
	uint8_t *seen; /* SY_ANALYZE_SEQ_WINDOW bits */
};

void sy_analyze_seq_init(struct sy_analyze_seq *s, uint32_t mask);
void sy_analyze_seq_feed(struct sy_analyze_seq *s, uint64_t seq);
void sy_analyze_seq_finish(struct sy_analyze_seq *s);
void sy_analyze_seq_free(struct sy_analyze_seq *s);

/* ---- options ---- */
enum sy_analyze_md5 { SY_ANALYZE_MD5_AUTO, SY_ANALYZE_MD5_ON, SY_ANALYZE_MD5_OFF, SY_ANALYZE_MD5_MAX };
enum sy_analyze_tpr0 { SY_ANALYZE_TPR0_AUTO, SY_ANALYZE_TPR0_RTP, SY_ANALYZE_TPR0_ARRIVAL,
		       SY_ANALYZE_TPR0_MAX };

struct sy_analyze_opts {
	int64_t tai_offset_ns; /* capture clock minus TAI */
	bool list_frames;      /* per-frame lists in the reports */
	enum sy_analyze_md5 md5;
	enum sy_analyze_tpr0 tpr0;
	FILE *packets_out;     /* --packets: one line per RTP packet */
};

extern struct sy_analyze_opts sy_analyze_opts;

/* ---- video ---- */
enum sy_analyze_torn {
	SY_ANALYZE_TORN_NONE,
	SY_ANALYZE_TORN_INCOMPLETE,   /* not every row and pixel arrived */
	SY_ANALYZE_TORN_BANDS,        /* top and bottom band: different stamps */
	SY_ANALYZE_TORN_FIELDS,       /* the two fields: different stamps */
	SY_ANALYZE_TORN_DAMAGED,      /* one band decodes, the other has a bad check */
	SY_ANALYZE_TORN_MAX
};

/* One video frame (both fields if interlaced). */
struct sy_analyze_frame {
	uint32_t ts;
	uint32_t ts2;         /* interlaced: the second field's timestamp */
	uint32_t first_seq;   /* RTP seq of its first packet */
	uint32_t packets;
	uint32_t markers;
	uint32_t rows_incomplete;
	int64_t rtp_delta;    /* ticks since the previous frame; 0 for the first */
	bool complete;
	bool marker_last;     /* the last packet carries the marker */
	bool marker_early;    /* a marker on a packet that is not the last of its field */
	/* stamp */
	int stamp_rc;         /* 0 or -SY_E_STAMP_*: the frame's stamp */
	struct sy_stamp stamp;
	enum sy_analyze_torn torn;
	struct sy_stamp torn_other; /* the other stamp of a torn frame */
	bool has_md5;
	char md5[33];
	/* ST 2110-21 frame summary (has_timing once measured) */
	bool has_timing;
	uint32_t cinst_max;
	int32_t vrx_min[SY_ST2110_21_SCHEDULE_MAX], vrx_max[SY_ST2110_21_SCHEDULE_MAX];
	int32_t rtp_offset_ticks;
	int64_t latency_ns;
};

struct sy_analyze_switch {
	uint64_t frame;      /* output frame index where the new source starts */
	struct sy_stamp from, to;
	bool within_frame; /* the change happens inside frame (a torn frame) */
};

/* ST 2110-21 state of a flow (sy_analyze_timing.c). */
struct sy_analyze_timing_ev {
	uint64_t arrival_ns;
	uint32_t ts;
	bool frame_start;
};

struct sy_analyze_timing {
	bool ready;            /* stream initialised (N known) */
	bool failed;           /* init failed: no measurement */
	bool n_guessed;        /* N from the largest frame, no clean frame seen */
	uint32_t n_packets;    /* N per frame (field) */
	enum sy_st2110_21_tpr0 tpr0;
	struct sy_st2110_21_stream st;
	struct sy_analyze_timing_ev *pend;
	size_t n_pend, cap_pend;
	bool have_ts;
	uint32_t last_ts;
	uint32_t max_frame_packets;
	struct sy_st2110_21_verdict verdict;
	bool has_verdict;
};

struct sy_analyze_video {
	struct sy_video_format fmt;
	struct sy_rfc4175_frame fr;
	uint8_t *fb, *cov;
	size_t fb_bytes;
	bool in_frame;
	uint32_t fields_seen;   /* interlaced: fields in the current frame */
	bool after_marker;      /* the current field already had its marker */
	struct sy_analyze_frame cur;
	struct sy_analyze_frame *frames;
	size_t n_frames, cap_frames;
	bool have_prev_ts;
	uint32_t prev_ts;
	uint64_t ext_seq_nonzero;
	uint32_t srd_max;
	uint64_t late_packets;  /* packets of an earlier timestamp after a newer one */
	/* RTP delta: expected period in ticks, floor/ceil */
	uint32_t delta_lo, delta_hi;
	uint64_t delta_bad;
	uint64_t frames_skipped; /* whole periods missing between frames */
	uint32_t delta_val[8];
	uint64_t delta_cnt[8];
	uint32_t n_delta_val;
	/* stamps */
	bool stamp_capable;
	uint64_t stamped, unstamped, torn, counter_jumps;
	struct sy_analyze_switch *switches;
	size_t n_switches, cap_switches;
	bool have_last_stamp;
	struct sy_stamp last_stamp;
	struct sy_analyze_timing timing;
};

/* ---- audio / anc ---- */
struct sy_analyze_audio {
	uint64_t samples;
	uint32_t spp_min, spp_max;
	uint64_t ptime_bad;      /* packets whose sample count differs from the SDP ptime */
	uint64_t ts_discont;     /* timestamp != previous + previous samples */
	bool have_prev;
	uint32_t prev_ts, prev_frames;
	int32_t peak[64];
	/* TS-DF (EBU Tech 3337), 1 s windows */
	bool tsdf_started;
	uint64_t tsdf_r0_ns;      /* arrival of the window's first packet */
	int64_t tsdf_s_ticks;     /* media ticks since that packet (unwrapped) */
	int64_t tsdf_min_ns, tsdf_max_ns;
	uint64_t tsdf_max_us;     /* worst window */
	uint64_t tsdf_windows;
	/* RTP time vs arrival (TAI) */
	bool have_latency;
	int64_t latency_min_ns, latency_max_ns;
};

struct sy_analyze_anc {
	uint64_t anc_packets;     /* ANC packets (ST 291) inside RTP packets */
	uint64_t markers, no_marker;
	/* RFC 8331: M on the last RTP packet of a field/frame, which may span
	 * several packets: an error is a timestamp change after a packet
	 * without M, or a packet after M with the same timestamp. */
	uint64_t marker_errors;
	bool have_prev, prev_marker;
	uint32_t prev_ts;
	uint64_t f_count[4];      /* by F value */
	uint64_t checksum_errors, parity_errors;
	uint64_t atc_count, atc_errors, atc_jumps;
	bool have_atc;
	char atc_first[16], atc_last[16];
	uint32_t bg_first, bg_last;
};

/* ---- flows ---- */
struct sy_analyze_flow {
	struct sy_flow_key key;  /* destination is the flow's identity */
	uint32_t ssrc;
	uint8_t pt;
	const struct sy_sdp *sdp; /* NULL: no SDP media for this destination */
	const char *sdp_path;
	unsigned media_idx;
	int dup_leg;              /* 2022-7 leg (0, 1) in the SDP's DUP group, or -1 */
	uint64_t packets, bytes, first_ns, last_ns;
	uint64_t rtp_packets, markers;
	uint32_t first_ts, last_ts;
	struct sy_rtp_unwrap unwrap16, unwrap32;
	struct sy_analyze_seq seq16, seq32;
	bool seq32_used;
	struct sy_analyze_list wrong_pt_seq, wrong_ssrc_seq, malformed_seq;
	struct sy_analyze_list malformed_reason; /* parallel to malformed_seq: code */
	uint64_t err_count[SY_ANALYZE_N_ERR + 1]; /* [0]: other */
	struct sy_analyze_video *video;
	struct sy_analyze_audio *audio;
	struct sy_analyze_anc *anc;
	/* result of sy_analyze_flow_faults() */
	uint64_t fault_count;
};

extern struct sy_analyze_flow sy_analyze_flows[SY_ANALYZE_MAX_FLOWS];
extern unsigned sy_analyze_n_flows;

/* Load an SDP file (kept for the whole run). 0 or -1 (message printed). */
int sy_analyze_flow_load_sdp(const char *path);
/* Account one captured frame (caplen bytes of a wire_len frame). */
void sy_analyze_flow_packet(const uint8_t *data, size_t caplen, size_t wire_len, uint64_t t_ns);
/* End of input: close frames, finish sequences and timing. */
void sy_analyze_flow_finish(void);
/* Name of an error code without the "SY_E_" prefix ("SRD_SUM", "OTHER"). */
const char *sy_analyze_err_name(int code);
/* Count a malformed packet of f (seq < 0: unknown). */
void sy_analyze_flow_malformed(struct sy_analyze_flow *f, int rc, int64_t seq);
const struct sy_sdp_media *sy_analyze_flow_media(const struct sy_analyze_flow *f);
/* The fault names of f (NULL-terminated static strings) into names[], count returned. */
unsigned sy_analyze_flow_faults(const struct sy_analyze_flow *f, const char **names,
				unsigned max);
/* "239.1.2.3:5004" */
void sy_analyze_flow_dst(const struct sy_analyze_flow *f, char buf[24]);
/* The RFC 4175 32-bit sequence (video packets that parsed). */
void sy_analyze_flow_seq32(struct sy_analyze_flow *f, uint16_t ext, uint16_t seq);

/* video */
int sy_analyze_video_init(struct sy_analyze_flow *f, const struct sy_video_format *fmt);
void sy_analyze_video_packet(struct sy_analyze_flow *f, const struct sy_rtp *r, uint64_t t_ns);
void sy_analyze_video_finish(struct sy_analyze_flow *f);
uint64_t sy_analyze_video_complete(const struct sy_analyze_video *v);
uint64_t sy_analyze_video_marker_errors(const struct sy_analyze_video *v);
const char *sy_analyze_torn_name(enum sy_analyze_torn t);

/* timing: every RTP packet of a video flow, in arrival order */
void sy_analyze_timing_init(struct sy_analyze_timing *t);
void sy_analyze_timing_packet(struct sy_analyze_flow *f, uint64_t t_ns, uint32_t ts);
/* A frame closed cleanly (complete, no repeats): its packet count fixes N. */
void sy_analyze_timing_frame_done(struct sy_analyze_flow *f, uint32_t packets, bool clean);
void sy_analyze_timing_finish(struct sy_analyze_flow *f);
/* "narrow", "narrow-linear", "wide", "not compliant" */
const char *sy_analyze_timing_verdict_name(enum sy_st2110_21_type t);
/* "NONE", "NO_DATA", "CINST", "VRX_UNDERRUN", "VRX_OVERFLOW" */
const char *sy_analyze_timing_reason_name(enum sy_st2110_21_reason r);
bool sy_analyze_timing_narrow(const struct sy_analyze_timing *t);

/* stamps: called by the video module when a frame closes (frame record filled) */
void sy_analyze_stamp_frame(struct sy_analyze_flow *f, struct sy_analyze_frame *rec);

/* audio / anc */
void sy_analyze_audio_packet(struct sy_analyze_flow *f, const struct sy_rtp *r, uint64_t t_ns);
void sy_analyze_audio_finish(struct sy_analyze_flow *f);
void sy_analyze_anc_packet(struct sy_analyze_flow *f, const struct sy_rtp *r);

/* reports */
void sy_analyze_text_report(FILE *o, char **captures, int n_captures);
int sy_analyze_json_report(FILE *o, char **captures, int n_captures);

#endif
