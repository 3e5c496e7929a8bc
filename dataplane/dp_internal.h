/* SPDX-License-Identifier: MIT */
/*
 * dp_internal.h: dataplane-private structures shared by dp.c (set-up and
 * control side), dp_snap.c (route snapshots) and dp_worker.c (the hot path).
 *
 * Ownership: struct dp is written by the control thread only; struct
 * dp_worker's `rt` part only by its worker; counters only by their worker
 * (control reads them relaxed). Snapshots are immutable once published.
 */
#ifndef DP_INTERNAL_H
#define DP_INTERNAL_H

#include <stdint.h>

#include <rte_common.h>
#include <rte_mbuf.h>
#include <rte_rcu_qsbr.h>
#include <rte_ring.h>

#include "dp.h"
#include "dp_gen.h"
#include "dp_host.h"
#include "sy_fastpath.h"

#define DP_BURST 32u
#define DP_FLOW_TBL 512u      /* > 2 x DP_MAX_INPUTS, power of 2 */
#define DP_RETIRED_MAX 64u
#define DP_RING_SIZE 1024u
#define DP_MAX_RXQ (DP_MAX_PORTS)

/* ---- snapshot (immutable) ---------------------------------------------- */

struct dp_flow_entry {
	uint32_t dst_ip;
	uint16_t dst_port;
	uint16_t port;       /* ingress port */
	uint32_t src_ip;     /* 0: any */
	uint16_t src_port;   /* 0: any */
	int16_t input;       /* -1: empty */
};

/* Derived, per input: what the worker needs per packet. */
struct dp_snap_input {
	enum dp_essence essence;
	uint8_t pt;
	bool ptp_locked;
	bool interlaced;
	uint32_t clock_hz;       /* 90000 or the audio rate */
	uint32_t audio_bytes;    /* expected payload bytes per audio packet */
	uint64_t period_ns;      /* frame period (video/ANC) or packet time (audio) */
	struct sy_video_format vfmt;
	struct sy_fastpath_video fast; /* video: geometry for the fast checks */
	uint16_t worker;
	struct dp_gen_asset *gen;      /* internal input: its prepared source */
	uint64_t loss_ns;              /* network: lost after this long without packets */
};

struct dp_snap_output {
	uint16_t worker;
	uint64_t hold_timeout_ns;
	uint64_t frame_period_ns;       /* of the video slot (or first slot) */
	uint8_t dst_mac[DP_GROUP_MAX_FLOWS][6];
	uint8_t src_mac[DP_GROUP_MAX_FLOWS][6];
	/* unicast dst_ip, dst_mac all-zero: resolved by ARP; rw.eth holds a
	 * zero dst MAC that emit() replaces with the learned one */
	bool resolve[DP_GROUP_MAX_FLOWS];
	/* rewrite templates per slot (network order), so the per-packet
	 * rewrite is stores plus one incremental checksum fold */
	struct dp_rw {
		uint8_t eth[12];     /* dst MAC, src MAC */
		uint32_t src_be, dst_be;
		uint32_t ports_be;   /* src port << 16 | dst port, as on the wire */
		uint32_t ssrc_be;
		uint32_t addr_sum;   /* sum of the 4 new address words */
		uint16_t tos_bits;   /* dscp << 2 */
		uint8_t ttl, pt;
	} rw[DP_GROUP_MAX_FLOWS];
};

struct dp_snap {
	uint64_t gen;
	struct dp_routes r;
	struct dp_snap_input in[DP_MAX_INPUTS];
	struct dp_snap_output out[DP_MAX_OUTPUTS];
	struct dp_flow_entry tbl[DP_FLOW_TBL];
	/* internal inputs per generating worker */
	uint16_t n_gen[DP_MAX_WORKERS];
	int16_t gen_in[DP_MAX_WORKERS][DP_MAX_INPUTS];
};

static inline uint32_t dp_flow_hash(uint32_t dst_ip, uint16_t dst_port)
{
	uint32_t h = dst_ip * 0x9E3779B1u ^ ((uint32_t)dst_port * 0x85EBCA6Bu);
	return (h ^ (h >> 15)) & (DP_FLOW_TBL - 1u);
}

/* Build a snapshot from routes (validation included). Control thread. */
/* Fill err (may be NULL) with code and a sentence; returns code (dp.c). The
 * one helper behind every dp_error the dataplane returns. */
int dp_error_set(struct dp_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

int dp_snap_build(const struct dp *dp, const struct dp_routes *r, struct dp_snap *s,
		  struct dp_error *err);

/* ---- per-worker state ---------------------------------------------------- */

/* Per input, worker-owned: frame boundary tracking. */
struct dp_in_rt {
	bool have_ts;
	bool in_frame;        /* a frame started and its end not yet seen */
	uint8_t field;        /* 0/1 of the current packet (interlaced) */
	uint32_t ts;          /* RTP ts of the current frame (first field) */
	uint32_t field_ts;    /* RTP ts of the current field */
	uint64_t key_ns;      /* frame key of the current frame */
	uint64_t start_ns;    /* arrival of its first packet */
	uint16_t n_listeners;
	uint16_t listener[DP_MAX_FANOUT]; /* output << 2 | slot */
	uint64_t last_ns;     /* worker TAI clock at its last accepted packet; 0 never */
	bool lost;
	uint8_t frz1;         /* freeze store index + 1 (its frames are kept); 0: none */
};

/* Per output flow slot, worker-owned: continuity and take state. */
struct dp_slot_rt {
	int16_t cur_in;       /* input being forwarded; -1 none */
	int16_t new_in;       /* pending take's input; -1 none */
	bool cur_fwd;         /* the current frame of cur_in is forwarded */
	bool new_fwd;         /* the current frame of new_in is forwarded */
	bool old_done;        /* old source reached the switch point */
	bool started;         /* new source forwarded its first frame */
	bool done;            /* this slot's part of the take completed */
	bool have_last;       /* last_* valid */
	uint32_t seq32;       /* next output sequence number */
	uint32_t ts_off;      /* restamp: out ts = in ts + ts_off */
	uint32_t new_ts_off;
	uint32_t last_out_ts; /* last output frame/packet ts */
	uint64_t last_key_ns; /* its key */
	uint64_t new_last_key_ns; /* the new source's last accepted frame... */
	uint32_t new_last_in_ts;  /* ...and its input ts (last_* at completion) */
	uint32_t new_frames;      /* its frames accepted before completion */
	uint64_t out_frames;  /* output frame counter (video restamp grid) */
	/* hold queue (ring of private packets, keys parallel) */
	struct rte_mbuf **hold;
	uint64_t *hold_key;
	uint32_t hold_head, hold_tail, hold_mask;
	uint64_t hold_start_ns;
	uint32_t held_total;
};

/* DP_LOSS_FREEZE (dp_freeze.c): a frame's packets, kept by reference. */
struct dp_frz_frame {
	struct rte_mbuf **m;  /* [cap] received packets (one reference each) */
	uint32_t *off_ns;     /* [cap] arrival of packet j after the first one */
	uint32_t n;
	uint32_t ts;          /* RTP timestamp of field 0 (the frame) */
	uint32_t ts1;         /* of field 1 (interlaced; else ts) */
	uint64_t t0_ns;       /* arrival of the first packet */
	uint16_t next_seq;    /* collecting: the sequence number expected next */
	bool ok;              /* collecting: whole so far (starts at row 0, no gap) */
};

/* Per worker store of one video input a freeze output is on. */
struct dp_frz_store {
	int16_t input;        /* -1: free */
	uint8_t kept;         /* f[kept]: the last complete frame (if have) */
	bool have;
	uint16_t pinned;      /* outputs repeating f[kept]: it is not replaced */
	uint16_t hdr_len;     /* headers of its packets (Ethernet .. ext seq) */
	uint64_t fs_clk_ns;   /* worker clock at the input's last frame start */
	struct dp_frz_frame f[2]; /* kept, being received */
};

/* Per output: the repeat in progress. */
struct dp_frz_out {
	bool on;              /* repeating the kept frame of store */
	bool back;            /* the input returned: back at its next whole frame */
	bool stop;            /* a take started: stop at the end of this repeat */
	bool held;            /* the input's return frame started during a repeat:
			       * held in the slot's queue until the repeat ends */
	uint8_t k;            /* the video slot */
	uint8_t store;
	int16_t in;           /* the lost input */
	uint32_t next;        /* next packet of the current repeat; 0: between */
	uint32_t adv;         /* output frames from the last one sent to the next */
	uint64_t start_ns;    /* worker clock: start of the current / next repeat */
	uint64_t last_start_ns; /* of the last repeat started */
	uint32_t ts;          /* output RTP timestamp of the current repeat */
};

struct dp_out_rt {
	uint32_t take_id;
	int16_t source;       /* current source */
	int16_t new_source;   /* pending; -1 none */
	bool pending;         /* a take is waiting for its switch point */
	bool armed;           /* switch time known */
	enum dp_take_mode mode;
	uint64_t not_before_ns;
	uint64_t t_s;         /* switch time (frame key threshold) */
	bool have_k;          /* first new video frame key known */
	uint64_t k_ns;
	uint32_t flags;
	struct dp_event ev;   /* being filled */
	bool subst;           /* on the loss source (or going there) */
	bool loss_take;       /* the pending take is a loss/restore take */
	int16_t lost_in;      /* the input whose loss caused subst */
	struct dp_frz_out frz;
	struct dp_slot_rt slot[DP_GROUP_MAX_FLOWS];
	/* slots with snap resolve[k]: the neighbour entry of the egress port
	 * (dp_host.c, set when a snapshot is applied); NULL: none (port without
	 * address, or cache full) */
	const struct dp_neigh *nb[DP_GROUP_MAX_FLOWS];
};

/* Per internal input, worker-owned: where its generator is. */
struct dp_gen_rt {
	const struct dp_gen_asset *a; /* asset it runs (a change restarts it) */
	bool active;
	bool skip;            /* the current frame is not sent (late / busy) */
	uint64_t frame;       /* grid index of the frame (audio: packet) being sent */
	uint64_t frame_ns;    /* its start (TAI) */
	uint32_t ts[2];       /* RTP timestamp per field */
	uint32_t next;        /* next packet of the frame */
	uint32_t seq;         /* RTP (extended) sequence */
	uint8_t slot;         /* stamp slot of the frame */
	uint32_t phase;       /* box phase of the frame */
};

struct dp_counters {
	uint64_t rx_pkts, tx_pkts, events_lost;
	uint64_t host_tx;             /* ARP/IGMP frames sent by host duties */
	uint64_t drops[DP_DROP_MAX];
	struct dp_input_stats in[DP_MAX_INPUTS];
	struct dp_output_stats out[DP_MAX_OUTPUTS][DP_GROUP_MAX_FLOWS];
} __rte_cache_aligned;

struct dp_txbuf {
	uint16_t n;
	struct rte_mbuf *pkts[DP_BURST];
};

struct dp_worker {
	/* read-only after dp_create */
	struct dp *dp;
	uint16_t idx;
	unsigned lcore;
	uint16_t n_rxq;
	uint16_t rxq_port[DP_MAX_RXQ];
	uint16_t txq;                 /* tx queue index on every port */
	struct rte_ring *cmd_ring;    /* SPSC control -> worker */
	struct rte_ring *ev_ring;     /* SPSC worker -> control */
	volatile bool stop;
	bool inline_online;           /* driven by dp_poll() */
	struct dp_host_port *host[DP_MAX_PORTS]; /* ports it polls (dp_host.c) */

	/* worker-only */
	struct {
		const struct dp_snap *snap;
		uint64_t snap_gen;
		uint64_t now_ns;          /* arrival TAI of the packet being processed */
		struct dp_in_rt in[DP_MAX_INPUTS];
		struct dp_out_rt out[DP_MAX_OUTPUTS];
		struct dp_gen_rt gen[DP_MAX_INPUTS];
		uint64_t burst_tai_ns;    /* TAI clock at the current rx burst */
		uint64_t loss_check_ns;   /* next input-loss check */
		struct dp_txbuf tx[DP_MAX_PORTS];
		struct rte_mbuf *free_buf[DP_BURST * 2];
		unsigned n_free;
		struct dp_frz_store *frz;  /* [n_frz] (dp_freeze.c) */
		unsigned n_frz;
		uint32_t frz_cap;          /* packets per kept frame */
		unsigned n_frozen;         /* outputs repeating now */
	} rt __rte_cache_aligned;

	struct dp_counters cnt;
};

struct dp {
	struct dp_config cfg;
	uint16_t n_ports;
	uint16_t port_id[DP_MAX_PORTS];
	uint8_t port_mac[DP_MAX_PORTS][6];
	bool port_rx_ts[DP_MAX_PORTS];
	struct rte_mempool *pkt_pool, *hdr_pool, *ind_pool;
	unsigned n_workers;
	struct dp_worker *w[DP_MAX_WORKERS];
	bool launched;
	bool eal_done;

	struct rte_rcu_qsbr *qs;
	const struct dp_snap *volatile snap; /* release store / acquire load */
	uint64_t gen;
	struct {
		struct dp_snap *snap;
		uint64_t token;
	} retired[DP_RETIRED_MAX];
	unsigned n_retired;

	/* TSC -> TAI: tai = tai0 + (tsc - tsc0) * mult >> 32 (seqcount) */
	volatile uint32_t clk_seq;
	uint64_t clk_tsc0, clk_tai0, clk_mult;
	uint64_t clk_ref_tsc, clk_ref_tai; /* first sync: the frequency baseline */

	/* internal sources (dp_gen.c), control thread */
	struct dp_gen_asset *gen_assets[DP_GEN_ASSETS_MAX];
	unsigned n_gen_assets;

	int rx_ts_dynfield;           /* -1: none */
	uint64_t rx_ts_dynflag;
};

uint64_t dp_clock_tai(const struct dp *dp, uint64_t tsc);
int dp_worker_main(void *arg);
void dp_worker_iter(struct dp_worker *w, unsigned *rx);
/* Process pkts as one received burst on port (arrival_ns for packets without
 * an rx timestamp), then flush tx. Unit tests drive the stages with it. */
void dp_worker_process(struct dp_worker *w, uint16_t port, struct rte_mbuf **pkts, unsigned n,
		       uint64_t arrival_ns);
void dp_worker_flush(struct dp_worker *w);
int dp_worker_init(struct dp_worker *w, uint32_t hold_pkts);
void dp_worker_fini(struct dp_worker *w);

#endif
