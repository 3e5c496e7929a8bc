/* SPDX-License-Identifier: MIT */
/*
 * dp_xbar.h: the crosspoint stage (dp_xbar.c), called by the worker loop.
 * Worker lcore context; state in struct dp_worker.rt.out[].
 */
#ifndef DP_XBAR_H
#define DP_XBAR_H

#include "dp_tx.h"

/*
 * The decision for one packet (pi) of an input on output flow (o, k): emit,
 * hold or drop. May arm, advance or complete the output's take. *rel: the
 * caller must call dp_xbar_release(o, k) after handling this packet.
 */
enum dp_act dp_xbar_decide(struct dp_worker *w, const struct dp_snap *s, unsigned o,
			   unsigned k, const struct dp_pkt_info *pi, bool *rel);

/* Queue a private packet on (o, k)'s hold queue (full: dropped, flagged). */
void dp_xbar_hold_push(struct dp_worker *w, unsigned o, unsigned k, struct rte_mbuf *m,
		       uint64_t key);

/* The old source reached its switch point: send what (o, k) holds. */
void dp_xbar_release(struct dp_worker *w, const struct dp_snap *s, unsigned o, unsigned k);

/* Rebuild every input's list of listening output flows (current and
 * pending sources). Bound: outputs x DP_GROUP_MAX_FLOWS. */
void dp_xbar_rebuild_listeners(struct dp_worker *w);

/* Start the take the snapshot holds for output o, if its take id is new and
 * no take is in progress. */
void dp_xbar_start_take(struct dp_worker *w, unsigned o);

/* The dataplane's own take of output o (input loss): to_loss: to source
 * (the loss source) because lost_in is lost; else back to source (the
 * crosspoint's). Not when a take is pending. Reported as DP_EV_TAKE_DONE
 * with DP_TAKE_F_LOSS and the crosspoint's unchanged take id. */
void dp_xbar_loss_take(struct dp_worker *w, unsigned o, int16_t source, bool to_loss,
		       int16_t lost_in);

/* Post an event to control (ring full: counted in events_lost). */
void dp_xbar_post_event(struct dp_worker *w, const struct dp_event *ev);

#endif
