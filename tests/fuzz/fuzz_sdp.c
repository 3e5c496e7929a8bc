/* SPDX-License-Identifier: MIT */
/*
 * fuzz_sdp.c: libFuzzer target for sy_sdp_parse / sy_sdp_emit.
 *
 * Invariants trapped on: a successful parse emits without error (LF and
 * CRLF), the emitted text parses again, the re-parse equals the first parse
 * (sy_sdp_equal), and emitting the re-parse gives the same bytes (the
 * canonical form is a fixed point). On failure the error code is negative,
 * names a line within the input and carries a reason.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sy_err.h"
#include "sy_sdp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sy_sdp a, b;
	static char out1[16384], out2[16384], crlf[16384];
	struct sy_sdp_error err;
	int rc, n1, n2, n3;
	size_t lines = 1;

	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	rc = sy_sdp_parse((const char *)data, size, &a, &err);
	if (rc != 0) {
		if (rc > 0 || err.code != rc || err.line == 0 || err.line > lines ||
		    err.reason[0] == '\0')
			__builtin_trap();
		return 0;
	}
	if (a.n_media == 0 || a.n_media > SY_SDP_MAX_MEDIA || a.n_warnings > SY_SDP_MAX_WARNINGS)
		__builtin_trap();
	n1 = sy_sdp_emit(&a, out1, sizeof(out1), SY_SDP_EOL_LF);
	if (n1 <= 0 || (size_t)n1 >= sizeof(out1) || out1[n1] != '\0')
		__builtin_trap();
	if (sy_sdp_parse(out1, (size_t)n1, &b, &err) != 0)
		__builtin_trap();
	if (!sy_sdp_equal(&a, &b))
		__builtin_trap();
	n2 = sy_sdp_emit(&b, out2, sizeof(out2), SY_SDP_EOL_LF);
	if (n2 != n1 || memcmp(out1, out2, (size_t)n1) != 0)
		__builtin_trap();
	/* CRLF form: same description, one more byte per line */
	n3 = sy_sdp_emit(&a, crlf, sizeof(crlf), SY_SDP_EOL_CRLF);
	if (n3 <= n1 || sy_sdp_parse(crlf, (size_t)n3, &b, &err) != 0 || !sy_sdp_equal(&a, &b))
		__builtin_trap();
	/* too small a buffer is refused, never overrun */
	if (sy_sdp_emit(&a, out2, (size_t)n1, SY_SDP_EOL_LF) != -SY_E_NOSPACE)
		__builtin_trap();
	return 0;
}
