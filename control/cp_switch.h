/* SPDX-License-Identifier: MIT */
/*
 * cp_switch.h: what the control model needs from a switching engine.
 *
 * Why an interface: the model (crosspoints, salvos, locks, IS-05
 * activations) must not know DPDK. The one production implementation
 * (cp_switch_dp.c, "dataplane") publishes a route snapshot to dataplane/dp.h
 * and drains its event rings. Two more exist:
 *  - "none" (cp_switch_none.c): no dataplane linked or started. Every operation that would move
 *    media returns -ENODEV, which the API reports as 503 with an NMOS error
 *    body. Nothing is pretended.
 *  - "sim" (cp_switch_sim.c): linked ONLY into the test build
 *    (switchyard-test and the unit tests), never into the shipped binary. It
 *    records takes and reports them done at the computed frame boundary, for
 *    API tests that need takes to land without media; every API document
 *    and /metrics says engine "sim".
 *
 * Indices are the config order of inputs and outputs. Times are TAI ns
 * since the SMPTE epoch; 0 means "at the next frame boundary".
 *
 * Thread: the libuv loop thread (the engine hides its own threads).
 */
#ifndef CP_SWITCH_H
#define CP_SWITCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum cp_switch_kind { CP_SWITCH_NONE, CP_SWITCH_SIM, CP_SWITCH_DATAPLANE, CP_SWITCH_KIND_MAX };

/* One leg of a flow (ST 2022-7: up to two). Host byte order. */
struct cp_switch_leg {
	bool enabled;
	uint32_t dst_ip;   /* multicast group or unicast destination */
	uint32_t src_ip;   /* source filter (inputs) / source address (outputs); 0: any */
	uint16_t dst_port;
	uint16_t src_port; /* outputs only; 0: engine chooses */
};

enum cp_switch_event_kind {
	CP_SWITCH_EV_TAKE_DONE,   /* output switched: out_idx, in_idx, tai_ns, rtp_ts */
	CP_SWITCH_EV_TAKE_FAILED, /* a pending take was dropped (e.g. source lost) */
	CP_SWITCH_EV_INPUT_LOST,  /* in_idx, leg */
	CP_SWITCH_EV_INPUT_OK,    /* in_idx, leg */
	/* a receiver activation armed with schedule_input() happened: in_idx,
	 * leg = the essence, tai_ns = the frame time the outputs following
	 * the input switched on (the requested time if none follows it) */
	CP_SWITCH_EV_ACTIVATED,
	CP_SWITCH_EV_KIND_MAX
};

struct cp_switch_event {
	enum cp_switch_event_kind kind;
	uint32_t out_idx;
	int32_t in_idx;     /* -1: nothing (output to black/idle) */
	uint32_t leg;
	uint64_t tai_ns;    /* where it landed */
	uint32_t rtp_ts;    /* video RTP timestamp of the first new frame */
	uint32_t frames_held;
	uint32_t frames_lost;
};

/* Summed per-lcore counters. */
struct cp_switch_io_counters {
	uint64_t packets;
	uint64_t bytes;
	uint64_t drops;
	uint64_t seq_errors; /* inputs: gaps; outputs: 0 */
	uint64_t takes;      /* outputs: takes landed */
};

#define CP_SWITCH_MAX_DROPS 64u

/* Engine-wide counters (the dataplane: summed over workers). */
struct cp_switch_engine_stats {
	uint64_t rx_pkts, tx_pkts;
	uint64_t events_lost;       /* worker -> control event ring was full */
	uint32_t snapshots_waiting; /* retired route snapshots not yet reclaimed */
	uint32_t n_workers;
	uint32_t n_drops;
	const char *drop_name[CP_SWITCH_MAX_DROPS]; /* static strings */
	uint64_t drops[CP_SWITCH_MAX_DROPS];
};

struct cp_switch;

struct cp_switch_ops {
	const char *name;
	/* Arrange out_idx to carry in_idx (-1: idle) from the first frame at or
	 * after at_tai_ns (0: next frame). Replaces a pending take on that output.
	 * 0, -ENODEV (no engine), -EINVAL. */
	int (*take)(struct cp_switch *sw, uint32_t out_idx, int32_t in_idx, uint64_t at_tai_ns);
	/* Change where an input listens / an output sends (IS-05 activation). */
	int (*set_input)(struct cp_switch *sw, uint32_t in_idx, uint32_t essence,
			 const struct cp_switch_leg legs[2], uint32_t n_legs);
	int (*set_output)(struct cp_switch *sw, uint32_t out_idx, uint32_t essence,
			  const struct cp_switch_leg legs[2], uint32_t n_legs, bool enable);
	/* 0 and *c filled, or -ENODEV. */
	int (*input_counters)(struct cp_switch *sw, uint32_t in_idx,
			      struct cp_switch_io_counters *c);
	int (*output_counters)(struct cp_switch *sw, uint32_t out_idx,
			       struct cp_switch_io_counters *c);
	/* Up to max events into ev (drain until it returns 0). now_tai_ns lets the
	 * sim engine land due takes. */
	uint32_t (*poll)(struct cp_switch *sw, uint64_t now_tai_ns, struct cp_switch_event *ev,
			 uint32_t max);
	void (*destroy)(struct cp_switch *sw);
	/* Optional (NULL: not provided). Why the last refused operation was
	 * refused, one sentence, or "". */
	const char *(*last_error)(struct cp_switch *sw);
	/* Optional. Start moving media, after the restored crosspoints and
	 * connections have been applied (so the first packet already sees
	 * them). 0 or -errno. */
	int (*start)(struct cp_switch *sw);
	/* Optional. Engine-wide counters; 0 or -ENODEV. */
	int (*engine_stats)(struct cp_switch *sw, struct cp_switch_engine_stats *s);
	/* Optional. n takes sharing at_tai_ns (a salvo), all or none: on error
	 * no output's crosspoint has changed. Engines without it get the takes
	 * one by one. */
	int (*take_many)(struct cp_switch *sw, uint32_t n, const uint32_t *out_idx,
			 const int32_t *in_idx, uint64_t at_tai_ns);
	/* Optional (NULL: the model applies scheduled receiver activations
	 * with set_input when due). Frame-accurate receiver activation: from
	 * the first frame at or after at_tai_ns (0: the next frame), the
	 * essence of in_idx is received from legs[0] (enabled), and every
	 * output carrying the input switches to it on that frame, never torn.
	 * Reported by CP_SWITCH_EV_ACTIVATED. One pending activation per input
	 * (several essences of one input may be scheduled for the same time).
	 * 0; -EBUSY (another time pending on the input); -EOPNOTSUPP (no
	 * standby slot: use set_input); -EEXIST and others from the engine;
	 * on error nothing changed. */
	int (*schedule_input)(struct cp_switch *sw, uint32_t in_idx, uint32_t essence,
			      const struct cp_switch_leg legs[2], uint32_t n_legs,
			      uint64_t at_tai_ns);
	/* Optional. Drop the pending activation of in_idx (all its essences).
	 * 0, or -ENOENT (none pending). A switch already under way on an
	 * output completes (then the activation is reported). */
	int (*cancel_input)(struct cp_switch *sw, uint32_t in_idx);
};

struct cp_switch {
	const struct cp_switch_ops *ops;
	enum cp_switch_kind kind;
};

/* The honest "no engine" (cp_switch_none.c) and the test-only simulator
 * (cp_switch_sim.c, not in the shipped binary). frame rates give the sim
 * engine each output's frame grid. */
struct sy_rate;
int cp_switch_none_create(struct cp_switch **out);
int cp_switch_sim_create(uint32_t n_inputs, uint32_t n_outputs, const struct sy_rate *out_rates,
			 struct cp_switch **out);

/* The DPDK engine (cp_switch_dp.c; only when built with the dataplane):
 * starts the EAL in this process from cfg->dp (the loop thread becomes the
 * main lcore), launches the workers and publishes the routes of cfg. 0, or
 * -errno / -SY_E_* with a sentence in err. cfg must outlive the engine. */
struct cp_config;
int cp_switch_dp_create(const struct cp_config *cfg, struct cp_switch **out, char *err,
			size_t err_cap);

const char *cp_switch_kind_name(enum cp_switch_kind k);

#endif
