/* SPDX-License-Identifier: MIT */
/*
 * sy_err.c: names and messages for the error table in sy_err.def.
 * Any thread; pure (strerror text for errno values comes from a static table
 * of the ones we use, so this stays reentrant).
 */
#include "sy_err.h"

#include <errno.h>
#include <string.h>

static const char *const names[] = {
#define SY_ERR(name, msg) "SY_E_" #name,
#include "sy_err.def"
#undef SY_ERR
};

static const char *const msgs[] = {
#define SY_ERR(name, msg) msg,
#include "sy_err.def"
#undef SY_ERR
};

_Static_assert(sizeof(names) / sizeof(names[0]) == SY_E_MAX - SY_E_BASE - 1,
	       "sy_err.def tables out of step");

struct errno_text {
	int code;
	const char *name;
	const char *msg;
};

static const struct errno_text errnos[] = {
	{ EINVAL, "EINVAL", "invalid argument" },
	{ ENOMEM, "ENOMEM", "out of memory" },
	{ ENOENT, "ENOENT", "no such file or object" },
	{ EEXIST, "EEXIST", "already exists" },
	{ EIO, "EIO", "input/output error" },
	{ EAGAIN, "EAGAIN", "try again" },
	{ ENOSPC, "ENOSPC", "no space left" },
	{ EBUSY, "EBUSY", "busy" },
	{ ERANGE, "ERANGE", "result out of range" },
	{ EOVERFLOW, "EOVERFLOW", "value too large" },
	{ EPERM, "EPERM", "not permitted" },
	{ EACCES, "EACCES", "permission denied" },
};

/* name and message of err (either sign); NULL name for an unknown code */
static void lookup(int err, const char **name, const char **msg)
{
	int c = err < 0 ? -err : err;

	*name = NULL;
	*msg = "unknown error";
	if (c == 0) {
		*name = "OK";
		*msg = "success";
	} else if (c > SY_E_BASE && c < SY_E_MAX) {
		*name = names[c - SY_E_BASE - 1];
		*msg = msgs[c - SY_E_BASE - 1];
	} else {
		for (size_t i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
			if (errnos[i].code == c) {
				*name = errnos[i].name;
				*msg = errnos[i].msg;
			}
	}
}

const char *sy_err_name(int err)
{
	const char *name, *msg;

	lookup(err, &name, &msg);
	return name ? name : "E?";
}

const char *sy_err_str(int err)
{
	const char *name, *msg;

	lookup(err, &name, &msg);
	return msg;
}
