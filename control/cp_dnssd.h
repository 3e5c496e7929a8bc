/* SPDX-License-Identifier: MIT */
/*
 * cp_dnssd.h: NMOS DNS-SD through avahi (IS-04 discovery).
 *
 * Why: in a studio the registry is usually found, not configured. When
 * built with libavahi-client, registration.dns_sd is true (the default) and
 * an avahi daemon answers on the D-Bus system bus, this
 *  - browses _nmos-register._tcp and the older _nmos-registration._tcp,
 *    resolves each instance, keeps those whose TXT has api_proto http/https
 *    and api_ver listing v1.3, and hands them to cp_reg with their "pri"
 *    (removed again when the service disappears);
 *  - advertises the Node API as _nmos-node._tcp on the HTTP port with TXT
 *    api_proto, api_ver=v1.3, api_auth=false, pri=100.
 * No daemon: one line on stderr, registration goes on with the configured
 * registries. Built without avahi, cp_dnssd_none.c does nothing.
 *
 * Thread: the libuv loop thread (AvahiPoll adapter: cp_avahi_poll.c).
 */
#ifndef CP_DNSSD_H
#define CP_DNSSD_H

#include <stdbool.h>

struct cp_app;
struct cp_reg;
struct cp_dnssd;

#define CP_DNSSD_NODE_PRI 100 /* TXT pri of the Node advertisement */

/* true when built with libavahi-client. */
bool cp_dnssd_built(void);
/* Start browsing and advertising (after the HTTP server listens and
 * cp_reg exists). *out is NULL when DNS-SD is off, not built or no daemon
 * is reachable: all three return 0. -ENOMEM only. */
int cp_dnssd_create(struct cp_app *app, struct cp_reg *reg, struct cp_dnssd **out);
/* Withdraw the advertisement and free everything (before cp_reg_destroy).
 * NULL is fine. */
void cp_dnssd_destroy(struct cp_dnssd *d);

#endif
