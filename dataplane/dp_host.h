/* SPDX-License-Identifier: MIT */
/*
 * dp_host.h: host duties of the dataplane's ports (dp_host.c): ARP replies
 * and IGMPv3 membership reports, done by the worker polling the port.
 * Worker lcore context except init/fini (dp_create / dp_destroy).
 */
#ifndef DP_HOST_H
#define DP_HOST_H

#include <stdbool.h>
#include <stdint.h>

/* Neighbour cache (ARP, RFC 826) per port with an address: the unicast
 * output destinations of the snapshot on that port. Written by the worker
 * polling the port, which is also the worker of its outputs (dp_snap.c). */
#define DP_NEIGH_MAX 64u
#define DP_NEIGH_REACHABLE_MS 60000u /* a learned MAC is used this long... */
#define DP_NEIGH_REFRESH_MS 5000u    /* ...and re-requested (1/s) in its last 5 s */
#define DP_NEIGH_RETRY_MS 1000u      /* requests per entry: at most 1/s */
#define DP_NEIGH_REQ_PER_TICK 8u     /* requests per port per tick at most */

struct dp_neigh {
	uint32_t ip;          /* host order; 0: free */
	bool valid;           /* mac usable (learned, not expired) */
	bool used;            /* by the current snapshot */
	uint8_t mac[6];
	uint64_t expire_ms;   /* valid: until then */
	uint64_t next_req_ms; /* next request not before */
};

struct dp_worker;
struct dp_snap;
struct rte_mbuf;

/* State per port this worker polls that has an address (dp_port_config.ip;
 * MAC from .mac or the port's own). 0 or -ENOMEM. */
int dp_host_init(struct dp_worker *w);
void dp_host_fini(struct dp_worker *w);

/* A received frame that is not an input's packet: true if it was ARP or
 * IGMP for the host duties (answered/noted and counted; the caller frees
 * it), false if it is none of theirs. */
bool dp_host_rx(struct dp_worker *w, uint16_t port, struct rte_mbuf *m, uint64_t now_ns);

/* A snapshot was applied: join/leave the groups of its network inputs on
 * each port and report the changes. */
void dp_host_snapshot(struct dp_worker *w, const struct dp_snap *s, uint64_t now_ns);

/* Once a millisecond: send query responses and report repeats now due. */
void dp_host_tick(struct dp_worker *w, uint64_t now_ns);

#endif
