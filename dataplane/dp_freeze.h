/* SPDX-License-Identifier: MIT */
/*
 * dp_freeze.h: input loss mode DP_LOSS_FREEZE (dp_freeze.c), called by the
 * worker loop (dp_worker.c) and the crosspoint (dp_xbar.c). Worker lcore
 * context except init/fini; state in struct dp_worker.rt (frz stores,
 * out[].frz).
 *
 * Why its own file: keeping a frame by reference, repeating it on the
 * frame grid and going back is one concern, apart from takes and from the
 * per-packet path it hooks into.
 */
#ifndef DP_FREEZE_H
#define DP_FREEZE_H

#include "dp_tx.h"

#define DP_FREEZE_BUDGET 64u /* repeated packets per frozen output per loop iteration */

/* dp_create (control thread): cfg.freeze_inputs stores of cfg.freeze_pkts
 * packets per frame for worker w. 0 or -ENOMEM. */
int dp_freeze_init(struct dp_worker *w);
void dp_freeze_fini(struct dp_worker *w);

/* Give a store to every network video input a DP_LOSS_FREEZE output of this
 * worker is on (current source, or frozen on it); free the others (not
 * while repeated). Called when the listener lists are rebuilt. Bound:
 * stores x outputs x slots. */
void dp_freeze_assign(struct dp_worker *w);

/* An accepted received packet of an input with a store (in[].frz1), before
 * it is routed (its headers are still the input's): keep a reference to it
 * in the frame being collected; a complete frame replaces the kept one
 * (unless an output repeats it). clk_ns: the worker clock of its burst. */
void dp_freeze_keep(struct dp_worker *w, struct rte_mbuf *m, const struct dp_pkt_info *pi,
		    uint64_t clk_ns);

/* Input i's packets are gone for good (its configuration changed at the same
 * index): release its kept frames; outputs repeating it stop. */
void dp_freeze_input_reset(struct dp_worker *w, int16_t i);

/* Input i was declared lost at worker clock now: DP_LOSS_FREEZE outputs on
 * it (no take pending, video slot on it, a complete frame kept) start
 * repeating at the next grid frame. */
void dp_freeze_lost(struct dp_worker *w, const struct dp_snap *s, int16_t i, uint64_t now_ns);

/* Input i is back: outputs frozen on it go back at its next whole frame. */
void dp_freeze_restored(struct dp_worker *w, int16_t i);

/* Per loop iteration: the repeated packets due at worker clock now, at most
 * DP_FREEZE_BUDGET per frozen output. */
void dp_freeze_run(struct dp_worker *w, const struct dp_snap *s, uint64_t now_ns);

/* Crosspoint hook while output o is frozen: true with *act decided (audio and
 * ANC slots: nothing; the video slot: nothing until the lost input's first
 * whole frame after it returned, which ends the freeze and is forwarded),
 * false: the normal decision applies. */
bool dp_freeze_decide(struct dp_worker *w, const struct dp_snap *s, unsigned o, unsigned k,
		      const struct dp_pkt_info *pi, enum dp_act *act);

/* A take begins on output o while it is frozen: the freeze ends at the end
 * of the repeat in progress (until then the new source is held). Call after
 * the take set the slots up. */
void dp_freeze_take(struct dp_worker *w, unsigned o);

/* dp_flush / dp_destroy: end every freeze, release every kept packet. */
void dp_freeze_release_all(struct dp_worker *w);

#endif
