/* SPDX-License-Identifier: MIT */
/*
 * cp_persist.c: temp file + fsync + rename + directory fsync, in the libuv
 * thread pool, with coalescing (see cp_persist.h).
 *
 * Thread: loop thread, except write_work() which runs in the pool and only
 * touches the job it was given.
 */
#include "cp_persist.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct cp_persist_job {
	uv_work_t work;
	struct cp_persist *p;
	char *text;
	uint64_t gen;
	int rc;
};

struct cp_persist {
	uv_loop_t *loop;
	char *path;
	struct cp_persist_job *inflight;
	json_t *waiting;
	int destroying;
	struct cp_persist_stats stats;
	/* Ordering between a pool job and the final synchronous save: every
	 * document gets a generation; a rename happens only if it is newer than
	 * the last one renamed (checked and done under `lock`), so an older
	 * document finishing late can never replace a newer one. Temp files are
	 * unique (mkstemp), so two writers never share an inode. */
	uv_mutex_t lock;
	uint64_t gen_next, gen_written;
};

/* Write data to a unique temp file beside path and fsync it; then, under
 * `lock` when given, rename it over path only if gen is newer than
 * *gen_written (always when gen_written is NULL), and fsync the directory. */
static int write_gen(const char *path, const char *data, size_t len, uv_mutex_t *lock,
		     uint64_t gen, uint64_t *gen_written)
{
	size_t plen = strlen(path);
	char *tmp = malloc(plen + 8);
	char *dcopy = strdup(path);
	int rc = 0, fd = -1;
	bool renamed = false;
	if (!tmp || !dcopy) {
		rc = -ENOMEM;
		goto out;
	}
	memcpy(tmp, path, plen);
	memcpy(tmp + plen, ".XXXXXX", 8);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		goto out;
	}
	for (size_t off = 0; off < len;) {
		ssize_t n = write(fd, data + off, len - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			goto out;
		}
		off += (size_t)n;
	}
	if (fsync(fd) < 0) {
		rc = -errno;
		goto out;
	}
	close(fd);
	fd = -1;
	if (lock)
		uv_mutex_lock(lock);
	if (!gen_written || gen > *gen_written) {
		if (rename(tmp, path) < 0) {
			rc = -errno;
		} else {
			renamed = true;
			if (gen_written)
				*gen_written = gen;
		}
	}
	if (lock)
		uv_mutex_unlock(lock);
	if (renamed) {
		int dfd = open(dirname(dcopy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd >= 0) {
			fsync(dfd); /* the rename itself must survive a power cut */
			close(dfd);
		}
	}
out:
	if (fd >= 0)
		close(fd);
	if (tmp && !renamed)
		unlink(tmp); /* failed, or superseded by a newer document */
	free(tmp);
	free(dcopy);
	return rc;
}

int cp_persist_write_atomic(const char *path, const char *data, size_t len)
{
	return write_gen(path, data, len, NULL, 0, NULL);
}

static void write_work(uv_work_t *w)
{
	struct cp_persist_job *j = (struct cp_persist_job *)w;
	struct cp_persist *p = j->p;

	j->rc = write_gen(p->path, j->text, strlen(j->text), &p->lock, j->gen, &p->gen_written);
}

static void start_job(struct cp_persist *p, json_t *doc);

static void write_done(uv_work_t *w, int status)
{
	struct cp_persist_job *j = (struct cp_persist_job *)w;
	struct cp_persist *p = j->p;
	if (status < 0)
		j->rc = status;
	if (j->rc < 0) {
		p->stats.writes_failed++;
		p->stats.last_error = j->rc;
		fprintf(stderr, "switchyard: state file %s: %s\n", p->path, strerror(-j->rc));
	} else {
		p->stats.writes_ok++;
		p->stats.last_error = 0;
	}
	free(j->text);
	free(j);
	p->inflight = NULL;
	if (p->destroying) {
		json_decref(p->waiting);
		uv_mutex_destroy(&p->lock);
		free(p->path);
		free(p);
		return;
	}
	if (p->waiting) {
		json_t *d = p->waiting;
		p->waiting = NULL;
		start_job(p, d);
	}
}

static void start_job(struct cp_persist *p, json_t *doc)
{
	struct cp_persist_job *j = calloc(1, sizeof(*j));
	char *text = json_dumps(doc, JSON_INDENT(1) | JSON_SORT_KEYS);
	json_decref(doc);
	if (!j || !text) {
		free(j);
		free(text);
		p->stats.writes_failed++;
		p->stats.last_error = -ENOMEM;
		return;
	}
	j->p = p;
	j->text = text;
	j->gen = ++p->gen_next;
	p->inflight = j;
	if (uv_queue_work(p->loop, &j->work, write_work, write_done) < 0) {
		p->inflight = NULL;
		free(text);
		free(j);
		p->stats.writes_failed++;
	}
}

int cp_persist_create(uv_loop_t *loop, const char *path, struct cp_persist **out)
{
	struct cp_persist *p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->loop = loop;
	p->path = strdup(path);
	if (!p->path || uv_mutex_init(&p->lock) != 0) {
		free(p->path);
		free(p);
		return -ENOMEM;
	}
	*out = p;
	return 0;
}

void cp_persist_save(struct cp_persist *p, json_t *doc)
{
	p->stats.saves_requested++;
	if (p->inflight) {
		if (p->waiting) {
			json_decref(p->waiting);
			p->stats.coalesced++;
		}
		p->waiting = doc;
		return;
	}
	start_job(p, doc);
}

int cp_persist_flush_sync(struct cp_persist *p, json_t *doc)
{
	char *text = json_dumps(doc, JSON_INDENT(1) | JSON_SORT_KEYS);
	json_decref(doc);
	if (!text)
		return -ENOMEM;
	json_decref(p->waiting);
	p->waiting = NULL;
	/* newest generation: a pool job still running can no longer win */
	int rc = write_gen(p->path, text, strlen(text), &p->lock, ++p->gen_next, &p->gen_written);
	free(text);
	if (rc == 0)
		p->stats.writes_ok++;
	else
		p->stats.writes_failed++;
	return rc;
}

int cp_persist_busy(const struct cp_persist *p)
{
	return p->inflight != NULL || p->waiting != NULL;
}

void cp_persist_destroy(struct cp_persist *p)
{
	if (!p)
		return;
	if (p->inflight) {
		p->destroying = 1; /* freed in write_done */
		return;
	}
	json_decref(p->waiting);
	uv_mutex_destroy(&p->lock);
	free(p->path);
	free(p);
}

const struct cp_persist_stats *cp_persist_stats(const struct cp_persist *p)
{
	return &p->stats;
}

int cp_persist_load(const char *path, json_t **out, char *err, size_t cap)
{
	json_error_t e;
	FILE *f = fopen(path, "rb");
	if (!f) {
		int rc = -errno;
		snprintf(err, cap, "%s: %s", path, strerror(-rc));
		return rc;
	}
	json_t *doc = json_loadf(f, JSON_REJECT_DUPLICATES, &e);
	fclose(f);
	if (!doc) {
		snprintf(err, cap, "%s:%d:%d: %s", path, e.line, e.column, e.text);
		return -EINVAL;
	}
	*out = doc;
	return 0;
}
