/* SPDX-License-Identifier: MIT */
/*
 * sy_gen.h: sy-gen, the ST 2110 test-signal generator (issue 3): shared
 * types of its files.
 *
 * Data flow, one way:
 *
 *   options (sy_gen_opts.c) -> flows (struct sy_gen_flow, one per --video /
 *   --audio / --anc) -> per flow one or two legs (ST 2022-7 A and B), each a
 *   cursor over the flow's clean packets (sy_gen_video.c, sy_gen_audio.c,
 *   sy_gen_anc.c) timed by sy_gen_sched.c, then faults (sy_gen_fault.c),
 *   then all legs merged in time order into one pcap (sy_gen_out.c), with
 *   the SDP and the JSON manifest (sy_gen_report.c).
 *
 * A "clean packet" is what a perfect sender would send; its index K (0-based
 * per flow, in send order) is what fault options name. Packets are generated
 * deterministically from (flow options, K), so leg B is simply a second
 * cursor over the same flow, delayed by the skew.
 *
 * Single-threaded command-line tool; allocates at start only.
 */
#ifndef SY_GEN_H
#define SY_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sy_format.h"
#include "sy_pattern.h"
#include "sy_rfc4175.h"
#include "sy_st2110_21.h"
#include "sy_st2110_30.h"

#define SY_GEN_MAX_FLOWS 16u
#define SY_GEN_LEGS 2u           /* ST 2022-7: A and B */
#define SY_GEN_HDR_BYTES 42u     /* Ethernet 14 + IPv4 20 + UDP 8 */
#define SY_GEN_BUF_BYTES 2048u   /* one packet incl. headroom */
#define SY_GEN_QUEUE 4u          /* packets a leg may hold (reorder + dup) */
#define SY_GEN_WIRE_EXTRA_BYTES 24u /* FCS 4 + preamble 8 + inter-frame gap 12 */

enum sy_gen_kind {
	SY_GEN_VIDEO,
	SY_GEN_AUDIO,
	SY_GEN_ANC,
	SY_GEN_KIND_MAX
};

enum sy_gen_timing {
	SY_GEN_TIMING_NARROW,        /* ST 2110-21 gapped, TRO_default */
	SY_GEN_TIMING_NARROW_LINEAR, /* R_ACTIVE 1 */
	SY_GEN_TIMING_WIDE,          /* bursts below the wide Cmax */
	SY_GEN_TIMING_BURST,         /* each frame (field) at line rate */
	SY_GEN_TIMING_MAX
};

/* A growable list of 64-bit values (packet indices, sequence numbers). */
struct sy_gen_list {
	uint64_t *v;
	uint32_t n;
	uint32_t cap;
};

int sy_gen_list_add(struct sy_gen_list *l, uint64_t v);
void sy_gen_list_sort(struct sy_gen_list *l); /* ascending, duplicates removed */
bool sy_gen_list_has(const struct sy_gen_list *l, uint64_t v); /* sorted lists */
void sy_gen_list_free(struct sy_gen_list *l);

/* Fault requests for one leg (indices are clean packet indices K, frames
 * are frame indices in the capture, 0-based). */
struct sy_gen_faults {
	double loss_rate;             /* random loss probability per packet */
	struct sy_gen_list burst_at;  /* --loss-burst N@K: K ... */
	struct sy_gen_list burst_len; /* ... and N (same order, unsorted) */
	struct sy_gen_list reorder;
	struct sy_gen_list dup;
	struct sy_gen_list truncate;
	struct sy_gen_list bad_srd_len;
	struct sy_gen_list bad_srd_offset;
	struct sy_gen_list wrong_pt;
	struct sy_gen_list wrong_ssrc;
	struct sy_gen_list no_marker; /* frame indices */
};

/* What was injected on one leg: 16-bit RTP sequence numbers as sent. */
struct sy_gen_fault_log {
	struct sy_gen_list lost_seq;
	struct sy_gen_list dup_seq;
	struct sy_gen_list reordered_seq; /* packet K, which was sent after K+1 */
	struct sy_gen_list truncated_seq;
	struct sy_gen_list bad_srd_seq;
	struct sy_gen_list wrong_pt_seq;
	struct sy_gen_list wrong_ssrc_seq;
	struct sy_gen_list no_marker_frames;
	struct sy_gen_list no_marker_seq;
};

/* Packet schedule of a frame-based flow (video; ANC uses the frame grid). */
struct sy_gen_sched {
	enum sy_gen_timing timing;
	struct sy_st2110_21_model model; /* gapped or linear per timing */
	uint32_t n_per_field;
	uint32_t burst_pkts;   /* wide: packets per burst */
	uint32_t link_gbps;    /* wide/burst: in-burst spacing = wire time */
};

struct sy_gen_video_cfg {
	struct sy_video_format fmt;
	uint32_t payload_bytes; /* GPM sample octets per packet */
	enum sy_rfc4175_layout layout;
	enum sy_pattern_kind pattern;
	uint16_t source_id;
	uint32_t frames;
	uint32_t frame_start; /* first stamp / ATC frame counter */
};

struct sy_gen_audio_cfg {
	struct sy_st2110_30_format fmt;
	uint32_t tone_hz;
	int32_t level_mdbfs; /* level in milli-dBFS (-18000 = -18 dBFS) */
	bool per_channel;
	bool silence;
	uint32_t duration_ms; /* 0: cover the video flows, else 1000 */
	uint32_t frames_per_packet;
};

struct sy_gen_anc_cfg {
	struct sy_rate rate; /* frame rate */
	bool interlaced;
	uint32_t frames;
	uint32_t frame_start;
	bool have_rate, have_frames, have_frame_start;
};

struct sy_gen_flow {
	unsigned idx; /* 0-based; the flow number N of the defaults is idx + 1 */
	enum sy_gen_kind kind;
	/* transport */
	uint32_t dst_ip[SY_GEN_LEGS], src_ip[SY_GEN_LEGS]; /* host order */
	uint16_t dst_port[SY_GEN_LEGS], src_port[SY_GEN_LEGS];
	bool have_dst, have_src, have_dst_b, have_src_b;
	bool have_link;
	uint8_t ttl, dscp, pt;
	uint32_t ssrc;
	uint32_t seq_start; /* 32-bit start (video: ext seq is its high half) */
	enum sy_gen_timing timing;
	uint32_t link_gbps;
	/* ST 2022-7 */
	bool dup7;
	uint64_t skew_ns;
	struct sy_gen_faults faults[SY_GEN_LEGS];
	unsigned fault_legs; /* bit 0: A, bit 1: B (--leg) for following faults */

	struct sy_gen_video_cfg video;
	struct sy_gen_audio_cfg audio;
	struct sy_gen_anc_cfg anc;

	/* derived at setup */
	struct sy_rate grid_rate; /* video/anc: field (or frame) grid rate */
	uint32_t fields;          /* 1 or 2 */
	uint64_t first_grid;      /* grid index of the first field / audio packet */
	uint64_t first_tai_ns;    /* its exact start, ceil */
	uint64_t n_clean;         /* clean packets of the flow */
	uint32_t pkts_per_field;
	struct sy_rfc4175_packer packer; /* template for cursors */
	struct sy_gen_sched sched;
	size_t frame_bytes;
	char (*frame_md5)[33];    /* video: MD5 of each rendered frame */
	int32_t tone_amp[SY_ST2110_30_MAX_CHANNELS];
	uint32_t tone_freq[SY_ST2110_30_MAX_CHANNELS];
	uint64_t audio_samples_end; /* audio: first sample index not sent */
};

/* One clean packet in a leg's buffer: RTP at buf + SY_GEN_HDR_BYTES. */
struct sy_gen_pkt {
	uint8_t buf[SY_GEN_BUF_BYTES];
	uint32_t rtp_len;
	uint64_t time_ns; /* TAI, before the leg skew */
	uint64_t index;   /* clean packet index K */
	uint32_t seq32;
	uint64_t frame;   /* frame index in the capture (video/anc) */
	bool marker;
	bool last_of_frame;
	bool copy;        /* a duplicate: its content is already logged */
};

/* Cursor over a flow's clean packets. */
struct sy_gen_cursor {
	struct sy_gen_flow *flow;
	uint64_t next_index;
	/* video */
	struct sy_rfc4175_packer packer;
	uint8_t *frame_buf;
	uint64_t frame;        /* frame index in capture of the packer's frame */
	uint32_t pkt_in_field;
	uint32_t field;
	bool frame_loaded;
	bool render_md5;       /* leg A: record the frame MD5s */
	/* wide/burst timing */
	uint64_t burst_start_ns;
	uint64_t burst_bits;
	uint64_t prev_ns;
	uint64_t prev_wire_ns;
	bool have_prev;
};

/* ---- flows (sy_gen_video.c, sy_gen_audio.c, sy_gen_anc.c) ---- */
int sy_gen_video_setup(struct sy_gen_flow *f, uint64_t tai_start_ns);
int sy_gen_video_next(struct sy_gen_cursor *c, struct sy_gen_pkt *out);
int sy_gen_audio_setup(struct sy_gen_flow *f, uint64_t tai_start_ns, uint64_t tai_end_ns);
int sy_gen_audio_next(struct sy_gen_cursor *c, struct sy_gen_pkt *out);
int sy_gen_anc_setup(struct sy_gen_flow *f, uint64_t tai_start_ns);
int sy_gen_anc_next(struct sy_gen_cursor *c, struct sy_gen_pkt *out);

/* Dispatch on the kind: 1 and *out filled, 0 at the end, < 0 on error. */
int sy_gen_flow_next(struct sy_gen_cursor *c, struct sy_gen_pkt *out);
int sy_gen_cursor_init(struct sy_gen_cursor *c, struct sy_gen_flow *f, bool record_md5);
void sy_gen_cursor_free(struct sy_gen_cursor *c);
/* Frame grid: first frame at or after tai_start for rate, fields per frame. */
int sy_gen_frame_grid(struct sy_gen_flow *f, struct sy_rate frame_rate, bool interlaced,
		      uint64_t tai_start_ns);
/* Exact end of the flow's last frame (video/anc), ns ceil. */
uint64_t sy_gen_flow_end_ns(const struct sy_gen_flow *f);

/* ---- schedule (sy_gen_sched.c) ---- */
int sy_gen_sched_init(struct sy_gen_sched *s, const struct sy_video_format *fmt,
		      uint32_t n_per_field, enum sy_gen_timing timing, uint32_t link_gbps);
/* Send time of packet j of grid field g (TAI ns); wire_bytes of the
 * Ethernet frame (without FCS) for wide/burst spacing. */
uint64_t sy_gen_sched_time(const struct sy_gen_sched *s, struct sy_gen_cursor *c,
			   uint64_t grid_field, uint32_t j, uint32_t wire_bytes);
/* ceil(idx * den * 1e9 / num + add_num / add_den) in ns. */
uint64_t sy_gen_grid_ns(uint64_t idx, struct sy_rate rate, uint64_t add_num, uint64_t add_den);
/* Smallest of 10, 25, 40, 100 Gb/s whose wire time of a max_bytes frame is
 * at most half of t_rs (the default link of wide/burst timing). */
uint32_t sy_gen_sched_default_link(const struct sy_st2110_21_model *m, uint32_t max_bytes);

/* ---- faults (sy_gen_fault.c) ---- */
/* splitmix64: the tool's seeded PRNG (Steele, Lea, Flood 2014). */
struct sy_gen_prng {
	uint64_t state;
};
uint64_t sy_gen_prng_next(struct sy_gen_prng *r);

/* One output leg: cursor -> faults -> queue of packets ready to send. */
struct sy_gen_leg {
	struct sy_gen_flow *flow;
	unsigned leg; /* 0 = A, 1 = B */
	struct sy_gen_cursor cur;
	struct sy_gen_prng rng;
	uint64_t loss_threshold; /* random loss if next() < this */
	const struct sy_gen_faults *req;
	struct sy_gen_fault_log log;
	struct sy_gen_pkt *slot; /* SY_GEN_QUEUE + 2 packets */
	unsigned q_head, q_n;
	bool src_done;
	/* headers */
	uint8_t dst_mac[6], src_mac[6];
	uint16_t ip_id;
	uint64_t skew_ns;
	uint64_t n_sent;
	uint64_t first_ns, last_ns; /* TAI incl. skew of the first/last sent */
};

int sy_gen_leg_init(struct sy_gen_leg *l, struct sy_gen_flow *f, unsigned leg, uint64_t seed);
void sy_gen_leg_free(struct sy_gen_leg *l);
/* The leg's next packet to send (NULL at the end); *rc < 0 on error. */
struct sy_gen_pkt *sy_gen_leg_peek(struct sy_gen_leg *l, int *rc);
void sy_gen_leg_pop(struct sy_gen_leg *l);
void sy_gen_faults_free(struct sy_gen_faults *fl);
void sy_gen_fault_log_free(struct sy_gen_fault_log *lg);

/* ---- output (sy_gen_out.c) ---- */
struct sy_gen_pcap;
int sy_gen_pcap_open(const char *path, struct sy_gen_pcap **out);
/* Write pkt of leg with Ethernet/IPv4/UDP headers at time_ns (capture clock). */
int sy_gen_pcap_write(struct sy_gen_pcap *p, struct sy_gen_leg *l, struct sy_gen_pkt *pkt,
		      uint64_t time_ns);
int sy_gen_pcap_close(struct sy_gen_pcap *p);

/* ---- report (sy_gen_report.c) ---- */
struct sy_gen_run {
	struct sy_gen_flow flows[SY_GEN_MAX_FLOWS];
	unsigned n_flows;
	struct sy_gen_leg *legs[SY_GEN_MAX_FLOWS][SY_GEN_LEGS];
	const char *out_path, *sdp_path, *manifest_path;
	uint64_t seed;
	uint64_t tai_start_ns;
	int64_t capture_offset_ns;
	uint8_t ptp_gmid[8];
	uint8_t ptp_domain;
	uint64_t n_written;
};

int sy_gen_sdp_write(const struct sy_gen_run *run);
int sy_gen_manifest_write(const struct sy_gen_run *run);
const char *sy_gen_timing_name(enum sy_gen_timing t);
const char *sy_gen_kind_name(enum sy_gen_kind k);

/* ---- options (sy_gen_opts.c) ---- */
/* Parse argv into *run. 0, 1 for --help (printed), or -1 after printing
 * the reason to stderr. */
int sy_gen_opts_parse(int argc, char **argv, struct sy_gen_run *run);
void sy_gen_opts_usage(FILE *f);

#endif
