/* SPDX-License-Identifier: MIT */
/*
 * cp_uuid.h: name-based (version 5, SHA-1) UUIDs for NMOS resources.
 *
 * Why name-based: an NMOS id must stay the same across restarts (IS-04
 * "Identity"), and registries and controllers key on it. id =
 * UUIDv5(namespace, "<seed>/<kind>/<name>") with the node seed from the
 * config, so two switchers with different seeds never collide and one
 * switcher never changes its ids.
 *
 * Thread: any (pure).
 */
#ifndef CP_UUID_H
#define CP_UUID_H

#include <stdbool.h>

#define CP_UUID_STRLEN 37u /* 36 + NUL */

/* out: "xxxxxxxx-xxxx-5xxx-yxxx-xxxxxxxxxxxx" (lower case). */
void cp_uuid_name(const char *seed, const char *kind, const char *name,
		  char out[CP_UUID_STRLEN]);

/* 8-4-4-4-12 lower/upper hex? */
bool cp_uuid_valid(const char *s);

#endif
