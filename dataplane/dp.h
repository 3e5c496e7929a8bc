/* SPDX-License-Identifier: MIT */
/*
 * dp.h: the contract between the control plane and the DPDK dataplane.
 *
 * The ONLY dataplane header control/ includes. It holds no DPDK type, so
 * control/ compiles without DPDK headers; it may use src/ (libswitchyard)
 * value types (formats, flow keys).
 *
 * Model (docs/dataplane.md):
 *  - ports: DPDK ethdevs (virtual devices or PCI), fixed at dp_create();
 *  - inputs: received flows, keyed by destination address/port (+ source
 *    address for SSM), each with a fixed format;
 *  - sources: a group of inputs (video + audio + ANC) that a take moves
 *    together; flow slot k of a source feeds flow slot k of an output;
 *  - outputs: a group of sent flows, each with its own identity (addresses,
 *    MACs, SSRC, PT, DSCP, TTL) and fixed format;
 *  - crosspoints: output -> source, with a take id; a new take id is a take.
 *
 * Threads:
 *  - control thread (EAL main lcore or any registered thread): dp_create,
 *    dp_publish, dp_reclaim, dp_command, dp_events_drain, dp_stats_read,
 *    dp_destroy. These are not thread-safe among themselves: call them from
 *    one thread.
 *  - worker lcores: started by dp_start(), never block. Alternatively a
 *    caller (the runner, tests) drives worker w inline with dp_poll().
 *
 * Publication: dp_publish() validates a struct dp_routes, builds an
 * immutable snapshot from it and swaps one pointer (release store); workers
 * load it once per loop iteration (acquire) and report a quiescent state
 * (rte_rcu_qsbr) at the end of each iteration. Retired snapshots are freed by
 * dp_reclaim() once every worker has passed a quiescent state; it never
 * blocks (call it from a timer).
 *
 * Errors: 0 or a negative code from src/sy_err.def (or -errno).
 */
#ifndef DP_H
#define DP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sy_format.h"
#include "sy_net.h"
#include "sy_st2110_30.h"

/* ---- limits (all tables are sized from these at dp_create) ------------ */

#define DP_MAX_PORTS 8u
#define DP_MAX_WORKERS 8u
#define DP_MAX_INPUTS 128u
#define DP_MAX_SOURCES 64u
#define DP_MAX_OUTPUTS 64u
#define DP_GROUP_MAX_FLOWS 4u   /* flows per source / output group */
#define DP_MAX_FANOUT 16u       /* outputs one input may feed at once */
#define DP_MAX_EAL_ARGS 48u
#define DP_NAME_MAX 48u
#define DP_DEVARGS_MAX 512u
#define DP_ERROR_MAX 200u

/* ---- formats ------------------------------------------------------------ */

enum dp_essence {
	DP_ESSENCE_NONE,  /* empty slot */
	DP_ESSENCE_VIDEO, /* ST 2110-20 */
	DP_ESSENCE_AUDIO, /* ST 2110-30 */
	DP_ESSENCE_ANC,   /* ST 2110-40 */
	DP_ESSENCE_MAX
};

struct dp_format {
	enum dp_essence essence;
	struct sy_video_format video;     /* DP_ESSENCE_VIDEO */
	struct sy_st2110_30_format audio; /* DP_ESSENCE_AUDIO */
	struct sy_rate anc_rate;          /* DP_ESSENCE_ANC: frame rate of its video */
	bool anc_interlaced;              /* DP_ESSENCE_ANC: one packet set per field */
};

/* ---- configuration (dp_create) ----------------------------------------- */

struct dp_port_config {
	char name[DP_NAME_MAX];
	/* "net_pcap0,rx_pcap=in.pcap,tx_pcap=out.pcap" (a --vdev) or a PCI
	 * address "0000:3b:00.0" (then the EAL args must not say --no-pci). */
	char devargs[DP_DEVARGS_MAX];
	uint8_t mac[6];        /* source MAC of host duties; all-zero: the port's own */
	uint32_t ip;           /* host-order interface address; 0: the port has no
				* host duties (no ARP replies, no IGMP reports) */
	uint16_t worker;       /* worker lcore index that polls rx queue 0 */
	/* Rx timestamps: if the PMD delivers them (RTE_ETH_RX_OFFLOAD_TIMESTAMP
	 * and the mbuf dynamic flag), arrival TAI ns = ts * rx_ts_unit_ns +
	 * rx_ts_offset_ns. net_pcap in DPDK 22.11 gives capture time in
	 * microseconds (unit 1000). Otherwise the TSC is mapped to TAI. */
	bool rx_timestamps;
	uint32_t rx_ts_unit_ns;
	int64_t rx_ts_offset_ns;
};

struct dp_config {
	unsigned n_eal_args; /* argv[0] included */
	const char *eal_args[DP_MAX_EAL_ARGS];
	unsigned n_ports;
	struct dp_port_config ports[DP_MAX_PORTS];
	unsigned n_workers;       /* >= 1; worker w runs on the w-th worker lcore */
	uint32_t n_mbufs;         /* packet pool; 0: 8191 */
	uint32_t n_hdr_mbufs;     /* fan-out header + indirect pools; 0: 8191 each */
	uint16_t rx_desc, tx_desc;/* 0: 1024 */
	uint32_t hold_pkts;       /* per output flow hold queue (power of 2); 0: 8192 */
	uint64_t hold_timeout_ns; /* release a held new source; 0: 1.5 frame periods */
	int32_t tai_utc_offset_s; /* for the TSC->TAI map; SY_TIME_TAI_UTC_DEFAULT_S */
	/* DP_LOSS_FREEZE: per worker, how many video inputs may have their last
	 * complete frame kept at once (one per input a freeze output is on;
	 * more: counted freeze_no_store, the output behaves as follow), and the
	 * packets of the largest kept frame (0: 4320, 1080p GPM 1200-byte
	 * payloads; a larger frame is not kept, counted freeze_too_big). The
	 * packet pool grows by n_workers x freeze_inputs x 2 x freeze_pkts
	 * mbufs (the kept frame + the one being received; ~2.3 KB each: 20 MB
	 * per 1080p input). 0 inputs: freeze behaves as follow. */
	uint16_t freeze_inputs;
	uint32_t freeze_pkts;
};

/* ---- routes (dp_publish) ------------------------------------------------ */

/* Where an input's packets come from. */
enum dp_input_kind {
	DP_INPUT_NETWORK,  /* received on a port (key, pt, ptp_locked apply) */
	DP_INPUT_INTERNAL, /* generated by the worker that polls `port` */
	DP_INPUT_KIND_MAX
};

/*
 * What an internal input generates (its fmt.essence must fit): video
 * patterns from src/sy_pattern, the moving one stamped (src/sy_stamp) with
 * source_id and the frame counter = the frame's index on the TAI grid;
 * audio from src/sy_tone (every channel 1 kHz at -18 dBFS, EBU R 68) or
 * silence. RTP timestamps are PTP-locked (the TAI grid of sy_time); video
 * packets leave at frame start + TRO_default + i * T_RS (ST 2110-21 narrow
 * gapped), audio packets at their first sample's time.
 */
enum dp_gen {
	DP_GEN_BLACK,
	DP_GEN_BARS_100,
	DP_GEN_BARS_75,
	DP_GEN_MOVING,  /* 75% bars + moving box + stamp */
	DP_GEN_TONE,    /* audio: 1 kHz, -18 dBFS on every channel */
	DP_GEN_SILENCE, /* audio */
	DP_GEN_MAX
};

struct dp_input {
	char name[DP_NAME_MAX];
	/* NETWORK: ingress port index. INTERNAL: the port whose worker generates
	 * it (outputs taking it must be on that worker) and whose MAC its
	 * generated headers carry. */
	uint16_t port;
	/* dst_ip/dst_port match; src_ip 0: any source, else SSM source; src_port
	 * 0: any. */
	struct sy_flow_key key;
	struct dp_format fmt;
	uint8_t pt;              /* expected payload type; 0xff: any */
	/* true: RTP timestamps on the PTP (SMPTE epoch) media clock: frames are
	 * placed by timestamp. false (GStreamer/FFmpeg defaults): random offset;
	 * frames are placed by arrival time of their first packet. */
	bool ptp_locked;
	/* Internal inputs: key may be all zero (not classified; a non-zero
	 * destination only labels the generated headers), ptp_locked is
	 * implied, pt is the generated payload type (0xff: 96). Video formats:
	 * any sy_pattern_check_format() accepts; the moving pattern also needs
	 * GPM packing and the stamp's minimum 320 x 32. */
	enum dp_input_kind kind;
	enum dp_gen gen;
	uint16_t source_id;      /* DP_GEN_MOVING: stamp source id */
	/* Network inputs: no accepted packet for this long (worker's TAI clock,
	 * checked every ms) = lost: DP_EV_INPUT_LOST, outputs on it act per
	 * their on_loss; the next packet restores it (DP_EV_INPUT_RESTORED).
	 * 0: two frame periods (audio: 40 ms). Only inputs that received
	 * something can be lost. */
	uint64_t loss_timeout_ns;
};

struct dp_source {
	char name[DP_NAME_MAX];
	int16_t input[DP_GROUP_MAX_FLOWS]; /* input index per slot; -1: none */
};

struct dp_identity {
	uint8_t dst_mac[6];  /* all-zero: derived from a multicast dst_ip, or for
			      * a unicast dst_ip resolved by ARP on the egress
			      * port (needs its address; until resolved the
			      * packets are dropped: arp_unresolved) */
	uint8_t src_mac[6];  /* all-zero: the egress port's MAC */
	uint32_t dst_ip, src_ip; /* host order */
	uint16_t dst_port, src_port;
	uint32_t ssrc;
	uint8_t pt;
	uint8_t dscp;        /* 6 bits */
	uint8_t ttl;
};

/* What an output does when an input of its current source is lost. */
enum dp_loss_mode {
	DP_LOSS_FOLLOW, /* nothing: the output stops with its input */
	DP_LOSS_BLACK,  /* switch to loss_source (control gives an internal black +
			 * silence source of the output's format) at its next frame,
			 * never torn; back to the crosspoint's source at that input's
			 * next frame when it returns */
	DP_LOSS_FREEZE, /* repeat the video input's last complete frame (kept by
			 * reference, no copy) on the output's frame grid, whole
			 * frames only; audio and ANC slots send nothing; back to
			 * the input at its next whole frame when it returns (needs
			 * dp_config.freeze_inputs; without a kept frame: follow) */
	DP_LOSS_MODE_MAX
};

enum dp_udp_csum {
	DP_UDP_CSUM_ZERO,   /* write 0 (allowed for IPv4 UDP) */
	DP_UDP_CSUM_UPDATE, /* incremental update of the input's (0 stays 0) */
	DP_UDP_CSUM_MAX
};

struct dp_output_flow {
	struct dp_format fmt;    /* essence NONE: slot unused */
	struct dp_identity id;
};

struct dp_output {
	char name[DP_NAME_MAX];
	uint16_t port;           /* egress port index */
	/* false: keep the source's RTP timestamps (PTP-locked sources);
	 * true: restamp for a continuous cadence across takes (one mapping per
	 * take for the whole group, so lip sync holds). */
	bool restamp;
	enum dp_udp_csum udp_csum;
	struct dp_output_flow flow[DP_GROUP_MAX_FLOWS];
	enum dp_loss_mode on_loss;
	int16_t loss_source;     /* DP_LOSS_BLACK: source index (formats checked
				  * like a take; a slot it lacks stops) */
};

enum dp_take_mode {
	DP_TAKE_IMMEDIATE, /* armed at the first packet of the output's flows
			    * the worker sees after the snapshot (and at/after
			    * not_before_ns): switch time t_s = that arrival;
			    * the first new frame is the first whose key
			    * (grid time if PTP-locked, else first-packet
			    * arrival) is >= t_s */
	DP_TAKE_AT_TAI,    /* t_s = start of the output's frame at or after
			    * tai_ns (exact frame for PTP-locked sources) */
	DP_TAKE_MODE_MAX
};

struct dp_crosspoint {
	int16_t source;        /* -1: output idle (sends nothing) */
	/* Per output, control increments take_id for every take; the worker acts
	 * on a change. The same take_id with another source is ignored. One take
	 * at a time: a newer take_id published while one is pending starts when
	 * that one completes (so publish the next take after its TAKE_DONE, or
	 * cancel a waiting one first with DP_CMD_CANCEL_TAKE). */
	uint32_t take_id;
	enum dp_take_mode mode;
	uint64_t tai_ns;        /* DP_TAKE_AT_TAI */
	uint64_t not_before_ns; /* DP_TAKE_IMMEDIATE: arrival TAI; 0: none */
};

struct dp_routes {
	uint16_t n_inputs, n_sources, n_outputs;
	struct dp_input inputs[DP_MAX_INPUTS];
	struct dp_source sources[DP_MAX_SOURCES];
	struct dp_output outputs[DP_MAX_OUTPUTS];
	struct dp_crosspoint xpt[DP_MAX_OUTPUTS];
};

struct dp_error {
	int code;                 /* the value returned */
	char text[DP_ERROR_MAX];  /* "output 'pgm': source 'cam2' video 1080p50 is not the output's 1080p59.94" */
};

/* ---- commands (control -> worker) and events (worker -> control) -------- */

enum dp_cmd_kind {
	DP_CMD_PING,          /* answered by DP_EV_PONG with the same cookie */
	DP_CMD_CANCEL_TAKE,   /* output: drop its pending take if it has not started
			       * switching: DP_EV_TAKE_REFUSED with -ECANCELED;
			       * else -SY_E_STATE (it completes normally) */
	DP_CMD_KIND_MAX
};

struct dp_cmd {
	enum dp_cmd_kind kind;
	uint16_t output;
	uint64_t cookie;
};

enum dp_event_kind {
	DP_EV_PONG,
	DP_EV_TAKE_DONE,      /* a take completed: see fields */
	DP_EV_TAKE_REFUSED,   /* the worker could not perform it (reason in code) */
	DP_EV_INPUT_LOST,     /* input: no packet for its loss timeout */
	DP_EV_INPUT_RESTORED, /* input: packets again */
	DP_EV_KIND_MAX
};

/* Flags of a DP_EV_TAKE_DONE. */
#define DP_TAKE_F_HELD      0x1u /* new source's first frame was held (queued) */
#define DP_TAKE_F_TIMEOUT   0x2u /* old frame never ended: released on timeout */
#define DP_TAKE_F_OVERFLOW  0x4u /* hold queue full: packets dropped (counted) */
#define DP_TAKE_F_LATE      0x8u /* scheduled time already past when seen */
#define DP_TAKE_F_LOSS      0x10u /* the dataplane's own take: to the loss source
				   * (input lost) or back (restored); take_id is
				   * the crosspoint's, unchanged */

struct dp_event {
	enum dp_event_kind kind;
	uint16_t worker;
	uint16_t output;
	int16_t source;          /* new source */
	int16_t prev_source;     /* -1: none */
	uint32_t take_id;
	uint32_t flags;          /* DP_TAKE_F_* */
	int code;                /* DP_EV_TAKE_REFUSED: -SY_E_* */
	uint64_t cookie;         /* DP_EV_PONG */
	int16_t input;           /* DP_EV_INPUT_LOST / RESTORED; -1 otherwise */
	uint64_t at_ns;          /* INPUT_LOST: last packet (TAI); RESTORED: first */
	/* DP_EV_TAKE_DONE: where the take landed */
	uint64_t switch_tai_ns;  /* frame time (key) of the first new frame */
	uint64_t arrival_ns;     /* arrival TAI of its first packet */
	uint32_t rtp_ts_in;      /* its RTP timestamp as received */
	uint32_t rtp_ts_out;     /* and as sent */
	uint32_t out_seq;        /* 32-bit output sequence of its first packet */
	uint32_t frames_held;    /* 0 or 1: the new source's first frame was delayed */
	uint32_t frames_dropped; /* output frame slots left empty by the take */
	uint32_t held_pkts;      /* packets that went through the hold queue */
};

/* ---- counters ------------------------------------------------------------ */

enum dp_drop {
#define DP_DROP(name, text) DP_DROP_##name,
#include "dp_drop.def"
#undef DP_DROP
	DP_DROP_MAX
};

const char *dp_drop_name(enum dp_drop d); /* "no_flow"; "?" out of range */
const char *dp_drop_text(enum dp_drop d); /* one-line explanation */

struct dp_input_stats {
	uint64_t pkts, bytes;
	uint64_t frames;          /* frame starts seen (video/ANC), packets (audio) */
	uint64_t malformed;       /* of which counted under a malformed reason */
	uint64_t forwarded;       /* times one of its packets was sent (per output) */
	uint64_t losses;          /* times it was lost (DP_EV_INPUT_LOST) */
};

struct dp_output_stats {
	uint64_t pkts, bytes;
	uint64_t frames;          /* video frames started on the output */
	uint64_t takes;
	uint64_t held_pkts;
	uint64_t hold_timeouts;
	uint64_t freeze_frames;   /* video: repeated frames sent (DP_LOSS_FREEZE) */
};

/* Sum over all workers; filled by dp_stats_read(). */
struct dp_stats {
	uint64_t rx_pkts, tx_pkts;
	uint64_t events_lost;      /* event ring full */
	uint64_t host_tx_pkts;     /* ARP replies and IGMP reports sent (in tx_pkts too) */
	/* mbufs free in the packet / header / indirect pools now (caches
	 * included): back at their start values once flushed, or a leak */
	uint64_t pool_avail[3];
	uint64_t drops[DP_DROP_MAX];
	struct dp_input_stats inputs[DP_MAX_INPUTS];
	struct dp_output_stats outputs[DP_MAX_OUTPUTS][DP_GROUP_MAX_FLOWS];
};

/* ---- API ------------------------------------------------------------------ */

struct dp;

/* Initialise EAL from cfg->eal_args, probe and start the ports, create
 * pools, rings and per-worker state. Workers are not running yet.
 * 0, -SY_E_* / -errno with err->text filled (err may be NULL). EAL can be
 * initialised once per process. */
int dp_create(const struct dp_config *cfg, struct dp **out, struct dp_error *err);

/* Launch worker w on the w-th worker lcore, for every worker. -ENODEV if
 * there are fewer worker lcores than cfg->n_workers. */
int dp_start(struct dp *dp);

/* Drive worker w on the calling thread for up to max_iters loop iterations
 * (rx burst on each of its queues, process, tx). Returns the packets
 * received. Only when the worker is not launched (runner, tests). */
unsigned dp_poll(struct dp *dp, unsigned w, unsigned max_iters);

/* Release every packet still held and flush tx (end of a pcap run). */
void dp_flush(struct dp *dp, unsigned w);

/* Stop launched workers (waits for them); idempotent. */
void dp_stop(struct dp *dp);

/* Stop, close ports, free everything, clean up EAL. NULL is fine. */
void dp_destroy(struct dp *dp);

/* Validate routes and publish them as the new snapshot. -SY_E_FORMAT (a
 * crosspoint from a source of another format: nothing published), -SY_E_RANGE
 * (bad index), -SY_E_STATE (an input on a port another worker polls than
 * its output's), -ENOMEM. Never blocks. */
int dp_publish(struct dp *dp, const struct dp_routes *routes, struct dp_error *err);

/* Free retired snapshots every worker has moved past. Returns how many are
 * still waiting. Never blocks. */
unsigned dp_reclaim(struct dp *dp);

/* Queue a command to worker w: 0 or -ENOBUFS (ring full). */
int dp_command(struct dp *dp, unsigned w, const struct dp_cmd *cmd);

/* Move up to max events from all workers' rings into ev; returns the count. */
unsigned dp_events_drain(struct dp *dp, struct dp_event *ev, unsigned max);

/* Sum per-worker counters into *out (relaxed reads; monotonic per field). */
void dp_stats_read(struct dp *dp, struct dp_stats *out);

unsigned dp_n_workers(const struct dp *dp);
unsigned dp_n_ports(const struct dp *dp);

/* Map the TSC to TAI now (control calls it when its PTP servo updates;
 * dp_create does it once from CLOCK_REALTIME + tai_utc_offset_s). */
void dp_clock_sync(struct dp *dp, uint64_t tai_ns);

/* Helpers for building routes. */
const char *dp_essence_name(enum dp_essence e); /* "video" "audio" "anc" */
/* "black" "bars100" "bars75" "moving" "tone" "silence"; NULL out of range */
const char *dp_gen_name(enum dp_gen g);
/* The essence a generator makes (VIDEO or AUDIO). */
enum dp_essence dp_gen_essence(enum dp_gen g);
/* Same format (what a take requires): 0, or -SY_E_FORMAT with why in text. */
int dp_format_match(const struct dp_format *out_fmt, const struct dp_format *src_fmt,
		    char *why, size_t why_len);

#endif
