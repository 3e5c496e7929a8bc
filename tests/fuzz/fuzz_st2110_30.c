/* SPDX-License-Identifier: MIT */
/*
 * fuzz_st2110_30.c: libFuzzer target for the ST 2110-30 payload checks,
 * sample accessors and channel-order grammar.
 *
 * Input layout: byte 0 encoding (bit 0), byte 1 channels, byte 2 rate
 * selector, bytes 3..6 ptime_ns (big-endian), byte 7 channel-order text
 * length n, then n bytes of channel-order text, then the payload.
 * Invariants trapped on: a payload accepted by payload_frames is read only
 * inside its bounds (ASan) and write(read(x)) reproduces it byte for byte;
 * a parsed channel-order emits text that parses back to the same groups.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sy_bytes.h"
#include "sy_err.h"
#include "sy_st2110_30.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t rates[4] = { 48000, 96000, 44100, 0 };
	static uint8_t copy[65536];
	struct sy_st2110_30_format fmt;
	struct sy_st2110_30_order o2;
	char text[SY_ST2110_30_ORDER_TEXT_MAX];
	const uint8_t *payload;
	size_t n, len;
	uint32_t frames, bytes;

	if (size < 8)
		return 0;
	memset(&fmt, 0, sizeof(fmt));
	fmt.encoding = (data[0] & 1) ? SY_ST2110_30_L24 : SY_ST2110_30_L16;
	fmt.channels = data[1];
	fmt.rate_hz = rates[data[2] & 3];
	fmt.ptime_ns = sy_load_be32(data + 3);
	n = data[7];
	if (n > size - 8)
		n = size - 8;
	if (sy_st2110_30_order_parse((const char *)data + 8, n, &fmt.order) == 0) {
		int w = sy_st2110_30_order_emit(&fmt.order, text, sizeof(text));

		if (w <= 0 || (size_t)w >= sizeof(text))
			__builtin_trap();
		if (sy_st2110_30_order_parse(text, (size_t)w, &o2) != 0 ||
		    o2.n_groups != fmt.order.n_groups ||
		    memcmp(o2.groups, fmt.order.groups, o2.n_groups * sizeof(o2.groups[0])) != 0)
			__builtin_trap();
		if (sy_st2110_30_order_channels(&fmt.order) > SY_ST2110_30_MAX_CHANNELS)
			__builtin_trap();
	} else if (fmt.order.n_groups != 0) {
		__builtin_trap();
	}
	payload = data + 8 + n;
	len = size - 8 - n;

	if (sy_st2110_30_packet_bytes(&fmt, &bytes) == 0) {
		int rc = sy_st2110_30_check_payload(&fmt, len);

		if ((rc == 0) != (len == bytes))
			__builtin_trap();
	}
	if (sy_st2110_30_payload_frames(&fmt, len, &frames) != 0)
		return 0;
	if ((size_t)frames * sy_st2110_30_frame_bytes(&fmt) != len || len > sizeof(copy))
		__builtin_trap();
	for (uint32_t f = 0; f < frames; f++) {
		for (uint32_t c = 0; c < fmt.channels; c++) {
			int32_t v = sy_st2110_30_read(payload, fmt.encoding, fmt.channels, f, c);
			int32_t s = sy_st2110_30_read_s32(payload, fmt.encoding, fmt.channels, f, c);

			if ((fmt.encoding == SY_ST2110_30_L24 && (v < -8388608 || v > 8388607)) ||
			    (fmt.encoding == SY_ST2110_30_L16 && (v < -32768 || v > 32767)))
				__builtin_trap();
			if ((int64_t)s != (int64_t)v * (fmt.encoding == SY_ST2110_30_L24 ? 256 : 65536))
				__builtin_trap();
			if (c & 1)
				sy_st2110_30_write(copy, fmt.encoding, fmt.channels, f, c, v);
			else
				sy_st2110_30_write_s32(copy, fmt.encoding, fmt.channels, f, c, s);
		}
	}
	if (memcmp(copy, payload, len) != 0)
		__builtin_trap();
	return 0;
}
