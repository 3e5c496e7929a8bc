/* SPDX-License-Identifier: MIT */
/*
 * cp_persist.h: atomic, coalesced state persistence off the event loop.
 *
 * Why: crosspoints, salvos, labels, locks and receiver connections must
 * survive a restart or a power cut, and a slow disk must never stall the
 * HTTP loop. Each save serialises the document, writes <path>.tmp, fsyncs
 * it, renames it over <path> and fsyncs the directory, in a libuv worker
 * thread (uv_queue_work). At most one write is in flight; a save requested
 * meanwhile replaces any waiting document, so a burst of takes costs two
 * writes, not one per take.
 *
 * Thread: the libuv loop thread (the write itself runs in libuv's pool).
 */
#ifndef CP_PERSIST_H
#define CP_PERSIST_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <uv.h>

struct cp_persist_stats {
	uint64_t saves_requested;
	uint64_t writes_ok;
	uint64_t writes_failed;
	uint64_t coalesced; /* requests replaced before they were written */
	int last_error;     /* -errno of the last failed write, 0 */
};

struct cp_persist;

int cp_persist_create(uv_loop_t *loop, const char *path, struct cp_persist **out);
/* Queue doc (stolen) for writing. */
void cp_persist_save(struct cp_persist *p, json_t *doc);
/* Write doc (stolen) now, synchronously (shutdown). 0 or -errno. */
int cp_persist_flush_sync(struct cp_persist *p, json_t *doc);
/* Outstanding work? (a write in flight or waiting) */
int cp_persist_busy(const struct cp_persist *p);
/* Freed once any in-flight write completed (run the loop). NULL is fine. */
void cp_persist_destroy(struct cp_persist *p);
const struct cp_persist_stats *cp_persist_stats(const struct cp_persist *p);

/* Read a state file at start-up (synchronous): 0 and *out (new reference),
 * -ENOENT if absent, -EINVAL with err for a corrupt file. */
int cp_persist_load(const char *path, json_t **out, char *err, size_t cap);

/* The atomic write itself (exposed for tests). 0 or -errno. */
int cp_persist_write_atomic(const char *path, const char *data, size_t len);

#endif
