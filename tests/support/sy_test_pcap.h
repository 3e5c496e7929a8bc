/* SPDX-License-Identifier: MIT */
/*
 * sy_test_pcap.h: test helpers to read capture files (libpcap) and to find
 * the shared vectors. Test code only.
 */
#ifndef SY_TEST_PCAP_H
#define SY_TEST_PCAP_H

#include <stddef.h>
#include <stdint.h>

#include "sy_net.h"

struct sy_test_pkt {
	uint64_t time_ns;   /* capture timestamp, ns since 1970 */
	const uint8_t *frame;
	size_t frame_len;
	struct sy_udp_view udp; /* valid if udp_rc == 0 */
	int udp_rc;
};

/* Calls fn for every packet of path in order; stops early if fn returns
 * non-zero and returns that value. Returns -errno/-SY_E_PCAP_FORMAT on open
 * failure, 0 at the end of the file. */
int sy_test_pcap_foreach(const char *path, int (*fn)(const struct sy_test_pkt *, void *),
			 void *arg);

/* Path of a file in $SY_VECTORS_DIR (static buffer, test code only). */
const char *sy_test_vector(const char *name);

/* Read a whole file into a malloc'd NUL-terminated buffer; NULL on error. */
char *sy_test_read_file(const char *path, size_t *len);

/* Lowercase hex MD5 of buf into out[33]. */
void sy_test_md5_hex(const void *buf, size_t len, char out[33]);

#endif
