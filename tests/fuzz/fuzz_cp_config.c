/* SPDX-License-Identifier: MIT */
/*
 * fuzz_cp_config.c: libFuzzer target for the configuration loader
 * (control/cp_config.c on jansson): a config file is client input. Any bytes
 * must give either a parsed config or -EINVAL with a message naming the
 * origin ("fuzz:line:col: ..." or "fuzz: $.path: ..."), never a crash, a
 * leak (LeakSanitizer) or an unterminated message.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cp_config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct cp_config cfg;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512];

	memset(err, 0x5a, sizeof(err));
	cp_config_defaults(&cfg);
	int rc = cp_config_parse(&cfg, "fuzz", (const char *)data, size, err, sizeof(err));
	if (rc != 0) {
		if (rc != -EINVAL || memchr(err, 0, sizeof(err)) == NULL ||
		    strncmp(err, "fuzz", 4) != 0)
			__builtin_trap();
	}
	return 0;
}
