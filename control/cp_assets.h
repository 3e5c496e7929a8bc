/* SPDX-License-Identifier: MIT */
/*
 * cp_assets.h: the operator panel (web/) compiled into the binary by
 * cp_assets_gen.py. Looked up by exact path: nothing on disk is read.
 *
 * Thread: any (read-only data).
 */
#ifndef CP_ASSETS_H
#define CP_ASSETS_H

#include <stddef.h>

struct cp_asset {
	const char *path; /* "/index.html" */
	const char *mime;
	const unsigned char *data;
	size_t len;
};

/* Terminated by an entry with path NULL. */
extern const struct cp_asset cp_assets[];

#endif
