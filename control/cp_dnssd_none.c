/* SPDX-License-Identifier: MIT */
/*
 * cp_dnssd_none.c: DNS-SD when built without libavahi-client: nothing (see
 * cp_dnssd.h); registration uses the configured registries only.
 *
 * Thread: the libuv loop thread.
 */
#include "cp_dnssd.h"

#include <stddef.h>

bool cp_dnssd_built(void)
{
	return false;
}

int cp_dnssd_create(struct cp_app *app, struct cp_reg *reg, struct cp_dnssd **out)
{
	(void)app;
	(void)reg;
	*out = NULL;
	return 0;
}

void cp_dnssd_destroy(struct cp_dnssd *d)
{
	(void)d;
}
