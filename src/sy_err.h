/* SPDX-License-Identifier: MIT */
/*
 * sy_err.h: project error codes (generated from sy_err.def) and their text.
 *
 * Convention: functions return 0 on success or a negative code: -errno or
 * -SY_E_*. Project codes start at SY_E_BASE so they never collide with errno.
 * Any thread; pure.
 */
#ifndef SY_ERR_H
#define SY_ERR_H

enum sy_err {
	SY_E_BASE = 1000,
#define SY_ERR(name, msg) SY_E_##name,
#include "sy_err.def"
#undef SY_ERR
	SY_E_MAX
};

/* "SY_E_SRD_ROW" or "EINVAL"-style name; never NULL. */
const char *sy_err_name(int err);
/* Human-readable message for err (negative or positive); never NULL. */
const char *sy_err_str(int err);

#endif
