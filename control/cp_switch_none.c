/* SPDX-License-Identifier: MIT */
/*
 * cp_switch_none.c: the "none" engine: no dataplane in this build or none
 * configured. Every operation that would move media is refused with -ENODEV
 * (503 at the API): nothing is pretended. Also the engine kind names.
 *
 * Thread: the libuv loop thread.
 */
#include "cp_switch.h"

#include <errno.h>
#include <stdlib.h>

const char *cp_switch_kind_name(enum cp_switch_kind k)
{
	static const char *const names[CP_SWITCH_KIND_MAX] = {"none", "sim", "dataplane"};
	return k < CP_SWITCH_KIND_MAX ? names[k] : "?";
}

/* ---- none ---- */

static int none_take(struct cp_switch *sw, uint32_t o, int32_t i, uint64_t t)
{
	(void)sw, (void)o, (void)i, (void)t;
	return -ENODEV;
}
static int none_set(struct cp_switch *sw, uint32_t i, uint32_t e, const struct cp_switch_leg l[2],
		    uint32_t n)
{
	(void)sw, (void)i, (void)e, (void)l, (void)n;
	return -ENODEV;
}
static int none_set_out(struct cp_switch *sw, uint32_t i, uint32_t e,
			const struct cp_switch_leg l[2], uint32_t n, bool en)
{
	(void)sw, (void)i, (void)e, (void)l, (void)n, (void)en;
	return -ENODEV;
}
static int none_counters(struct cp_switch *sw, uint32_t i, struct cp_switch_io_counters *c)
{
	(void)sw, (void)i, (void)c;
	return -ENODEV;
}
static uint32_t none_poll(struct cp_switch *sw, uint64_t now, struct cp_switch_event *ev,
			  uint32_t max)
{
	(void)sw, (void)now, (void)ev, (void)max;
	return 0;
}
static void plain_destroy(struct cp_switch *sw)
{
	free(sw);
}

static const struct cp_switch_ops none_ops = {
	.name = "none",
	.take = none_take,
	.set_input = none_set,
	.set_output = none_set_out,
	.input_counters = none_counters,
	.output_counters = none_counters,
	.poll = none_poll,
	.destroy = plain_destroy,
};

int cp_switch_none_create(struct cp_switch **out)
{
	struct cp_switch *sw = calloc(1, sizeof(*sw));
	if (!sw)
		return -ENOMEM;
	sw->ops = &none_ops;
	sw->kind = CP_SWITCH_NONE;
	*out = sw;
	return 0;
}
