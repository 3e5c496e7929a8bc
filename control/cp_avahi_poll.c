/* SPDX-License-Identifier: MIT */
/*
 * cp_avahi_poll.c: AvahiPoll on libuv (see cp_avahi_poll.h).
 *
 * A watch freed from inside a callback on its own fd is only marked dead and
 * swept after the dispatch; every uv handle is freed in its close callback,
 * which touches nothing but itself, so the poll object can go first.
 *
 * Thread: the libuv loop thread.
 */
#include "cp_avahi_poll.h"

#include <stdbool.h>
#include <stdlib.h>
#include <sys/time.h>

struct avp_fd {
	uv_poll_t poll;
	int fd;
	bool dispatching;
	struct AvahiWatch *watches;
	struct cp_avahi_poll *p;
	struct avp_fd *next;
};

struct AvahiWatch {
	struct avp_fd *fe;
	AvahiWatchEvent events, revents;
	AvahiWatchCallback cb;
	void *ud;
	bool dead;
	struct AvahiWatch *next;
};

struct AvahiTimeout {
	uv_timer_t timer;
	AvahiTimeoutCallback cb;
	void *ud;
	uv_loop_t *loop;
};

struct cp_avahi_poll {
	AvahiPoll api; /* first: avahi hands us back &api */
	uv_loop_t *loop;
	struct avp_fd *fds;
};

static void on_fd_closed(uv_handle_t *h)
{
	free(h->data);
}

static void on_fd(uv_poll_t *h, int status, int events);

/* Recompute the uv mask from the live watches; close the fd entry when none. */
static void fd_update(struct avp_fd *fe)
{
	int mask = 0;
	bool any = false;
	for (struct AvahiWatch *w = fe->watches; w; w = w->next) {
		if (w->dead)
			continue;
		any = true;
		if (w->events & AVAHI_WATCH_IN)
			mask |= UV_READABLE;
		if (w->events & AVAHI_WATCH_OUT)
			mask |= UV_WRITABLE;
	}
	if (!any) {
		struct avp_fd **pp = &fe->p->fds;
		while (*pp != fe)
			pp = &(*pp)->next;
		*pp = fe->next;
		uv_poll_stop(&fe->poll);
		uv_close((uv_handle_t *)&fe->poll, on_fd_closed);
		return;
	}
	if (mask)
		uv_poll_start(&fe->poll, mask, on_fd);
	else
		uv_poll_stop(&fe->poll);
}

static void fd_sweep(struct avp_fd *fe)
{
	struct AvahiWatch **pp = &fe->watches;
	while (*pp) {
		struct AvahiWatch *w = *pp;
		if (w->dead) {
			*pp = w->next;
			free(w);
		} else {
			pp = &w->next;
		}
	}
	fd_update(fe);
}

static void on_fd(uv_poll_t *h, int status, int events)
{
	struct avp_fd *fe = h->data;
	AvahiWatchEvent rev = 0;
	if (status < 0)
		rev |= AVAHI_WATCH_ERR;
	if (events & UV_READABLE)
		rev |= AVAHI_WATCH_IN;
	if (events & UV_WRITABLE)
		rev |= AVAHI_WATCH_OUT;
	if (events & UV_DISCONNECT)
		rev |= AVAHI_WATCH_HUP;
	fe->dispatching = true;
	for (struct AvahiWatch *w = fe->watches; w; w = w->next) {
		AvahiWatchEvent mine = rev & (w->events | AVAHI_WATCH_ERR | AVAHI_WATCH_HUP);
		if (w->dead || !mine)
			continue;
		w->revents = mine;
		w->cb(w, fe->fd, mine, w->ud);
		if (!w->dead)
			w->revents = 0;
	}
	fe->dispatching = false;
	fd_sweep(fe);
}

static AvahiWatch *watch_new(const AvahiPoll *api, int fd, AvahiWatchEvent event,
			     AvahiWatchCallback cb, void *ud)
{
	struct cp_avahi_poll *p = api->userdata;
	struct avp_fd *fe;
	for (fe = p->fds; fe; fe = fe->next)
		if (fe->fd == fd)
			break;
	if (!fe) {
		fe = calloc(1, sizeof(*fe));
		if (!fe)
			return NULL;
		if (uv_poll_init(p->loop, &fe->poll, fd) < 0) {
			free(fe);
			return NULL;
		}
		fe->fd = fd;
		fe->p = p;
		fe->poll.data = fe;
		fe->next = p->fds;
		p->fds = fe;
	}
	struct AvahiWatch *w = calloc(1, sizeof(*w));
	if (!w) {
		fd_update(fe);
		return NULL;
	}
	w->fe = fe;
	w->events = event;
	w->cb = cb;
	w->ud = ud;
	w->next = fe->watches;
	fe->watches = w;
	fd_update(fe);
	return w;
}

static void watch_update(AvahiWatch *w, AvahiWatchEvent event)
{
	w->events = event;
	if (!w->fe->dispatching)
		fd_update(w->fe);
}

static AvahiWatchEvent watch_get_events(AvahiWatch *w)
{
	return w->revents;
}

static void watch_free(AvahiWatch *w)
{
	w->dead = true;
	if (!w->fe->dispatching)
		fd_sweep(w->fe);
}

static void on_timeout(uv_timer_t *t)
{
	struct AvahiTimeout *to = t->data;
	to->cb(to, to->ud);
}

static void timeout_arm(struct AvahiTimeout *to, const struct timeval *tv)
{
	uv_timer_stop(&to->timer);
	if (!tv)
		return; /* disabled */
	struct timeval now;
	gettimeofday(&now, NULL);
	int64_t us = ((int64_t)tv->tv_sec - now.tv_sec) * 1000000 + (tv->tv_usec - now.tv_usec);
	uint64_t ms = us <= 0 ? 0 : (uint64_t)(us + 999) / 1000;
	uv_timer_start(&to->timer, on_timeout, ms, 0);
}

static AvahiTimeout *timeout_new(const AvahiPoll *api, const struct timeval *tv,
				 AvahiTimeoutCallback cb, void *ud)
{
	struct cp_avahi_poll *p = api->userdata;
	struct AvahiTimeout *to = calloc(1, sizeof(*to));
	if (!to)
		return NULL;
	uv_timer_init(p->loop, &to->timer);
	to->timer.data = to;
	to->cb = cb;
	to->ud = ud;
	to->loop = p->loop;
	timeout_arm(to, tv);
	return to;
}

static void timeout_update(AvahiTimeout *to, const struct timeval *tv)
{
	timeout_arm(to, tv);
}

static void on_timeout_closed(uv_handle_t *h)
{
	free(h->data);
}

static void timeout_free(AvahiTimeout *to)
{
	uv_timer_stop(&to->timer);
	uv_close((uv_handle_t *)&to->timer, on_timeout_closed);
}

struct cp_avahi_poll *cp_avahi_poll_new(uv_loop_t *loop)
{
	struct cp_avahi_poll *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->loop = loop;
	p->api.userdata = p;
	p->api.watch_new = watch_new;
	p->api.watch_update = watch_update;
	p->api.watch_get_events = watch_get_events;
	p->api.watch_free = watch_free;
	p->api.timeout_new = timeout_new;
	p->api.timeout_update = timeout_update;
	p->api.timeout_free = timeout_free;
	return p;
}

const AvahiPoll *cp_avahi_poll_get(struct cp_avahi_poll *p)
{
	return &p->api;
}

void cp_avahi_poll_free(struct cp_avahi_poll *p)
{
	if (!p)
		return;
	/* anything avahi left behind: close it */
	while (p->fds) {
		struct avp_fd *fe = p->fds;
		for (struct AvahiWatch *w = fe->watches; w; w = w->next)
			w->dead = true;
		fd_sweep(fe); /* unlinks fe */
	}
	free(p);
}
