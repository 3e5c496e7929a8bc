/* SPDX-License-Identifier: MIT */
/*
 * cp_avahi_poll.h: an AvahiPoll on the libuv loop (uv_poll for watches,
 * uv_timer for timeouts), so avahi-client runs in the loop thread with no
 * thread of its own.
 *
 * Why not avahi's simple-watch/thread-watch: the first wants its own loop,
 * the second a thread; switchyard has one loop and no locks in the control
 * plane. libdbus may watch one fd twice (read and write watches); libuv
 * allows one uv_poll per fd, so watches on the same fd share one.
 *
 * Built only with libavahi-client. Thread: the libuv loop thread.
 */
#ifndef CP_AVAHI_POLL_H
#define CP_AVAHI_POLL_H

#include <avahi-common/watch.h>
#include <uv.h>

struct cp_avahi_poll;

/* NULL on out of memory. */
struct cp_avahi_poll *cp_avahi_poll_new(uv_loop_t *loop);
const AvahiPoll *cp_avahi_poll_get(struct cp_avahi_poll *p);
/* After avahi_client_free (which frees every watch and timeout); the uv
 * handles finish closing on the next loop turns. NULL is fine. */
void cp_avahi_poll_free(struct cp_avahi_poll *p);

#endif
