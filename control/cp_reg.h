/* SPDX-License-Identifier: MIT */
/*
 * cp_reg.h: IS-04 registration of the Node to a Registration API (v1.3).
 *
 * Why: controllers find the switcher's Senders and Receivers through the
 * registry. The client POSTs every resource (node, device, sources, flows,
 * senders, receivers; parents first), then heartbeats every heartbeat_s.
 * A heartbeat answered 404 means the registry forgot us: register again.
 * Any transport error or 5xx moves to the next registry by priority (lower
 * value first, as NMOS DNS-SD "pri") after a back-off (1 s doubling to 30 s).
 * When the model changes, every resource whose JSON changed is POSTed again.
 *
 * Candidates: the configured registries first (by "priority"), then those
 * DNS-SD found (cp_dnssd.c) by TXT "pri". A discovered registry that
 * disappears is dropped; if it was the current one, registration starts over
 * with the best one left (IDLE when none).
 *
 * libcurl's multi-socket interface runs on the libuv loop (uv_poll per
 * socket, one uv_timer), one request at a time: nothing blocks the loop.
 *
 * Thread: the libuv loop thread.
 */
#ifndef CP_REG_H
#define CP_REG_H

#include <stdbool.h>
#include <stdint.h>

struct cp_app;
struct cp_reg;

enum cp_reg_state {
	CP_REG_IDLE,        /* no registry configured */
	CP_REG_REGISTERING, /* POSTing resources */
	CP_REG_REGISTERED,  /* heartbeating */
	CP_REG_BACKOFF,     /* waiting before the next attempt */
	CP_REG_STATE_MAX
};

struct cp_reg_stats {
	uint64_t posts_ok, posts_failed;
	uint64_t heartbeats_ok, heartbeats_failed;
	uint64_t reregistrations; /* heartbeat 404 -> register again */
	uint64_t failovers;
	enum cp_reg_state state;
	int registry_idx;         /* current candidate index, -1 none */
};

#define CP_REG_MAX_DISCOVERED 8u
#define CP_REG_KEY_MAX 320u /* DNS-SD "name.type.domain" (+ interface) */

/* 0, or -ENOMEM / -EIO (libcurl init). State IDLE while there is no
 * candidate; does nothing at all with no registry configured and
 * registration.dns_sd false. */
int cp_reg_create(struct cp_app *app, struct cp_reg **out);
/* Call when the model may have changed (cheap; compares at most once per
 * 200 ms). */
void cp_reg_poke(struct cp_reg *r);
/* Abort transfers, close handles (run the loop afterwards). NULL is fine. */
void cp_reg_destroy(struct cp_reg *r);
/* DNS-SD results. key names the service instance; adding it again with
 * another url/pri updates it. 0, -EINVAL (too long, or registration off),
 * -ENOSPC (CP_REG_MAX_DISCOVERED reached). Removing an unknown key is a
 * no-op. */
int cp_reg_add_discovered(struct cp_reg *r, const char *key, const char *url, int32_t pri);
void cp_reg_remove_discovered(struct cp_reg *r, const char *key);
void cp_reg_remove_all_discovered(struct cp_reg *r);
/* URL of the registry in use (or being tried); NULL when IDLE. */
const char *cp_reg_current_url(const struct cp_reg *r);
const struct cp_reg_stats *cp_reg_stats(const struct cp_reg *r);
const char *cp_reg_state_name(enum cp_reg_state s);

#endif
