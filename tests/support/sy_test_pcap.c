/* SPDX-License-Identifier: MIT */
/*
 * sy_test_pcap.c: capture-file iteration for tests, on libpcap (Debian
 * libpcap-dev) with nanosecond timestamps. Test code only.
 */
#include "sy_test_pcap.h"

#include <errno.h>
#include <openssl/evp.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sy_err.h"

int sy_test_pcap_foreach(const char *path, int (*fn)(const struct sy_test_pkt *, void *),
			 void *arg)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO,
							    errbuf);
	struct pcap_pkthdr *h;
	const u_char *data;
	int rc = 0;

	if (!p) {
		fprintf(stderr, "%s: %s\n", path, errbuf);
		return -SY_E_PCAP_FORMAT;
	}
	while (pcap_next_ex(p, &h, &data) == 1) {
		struct sy_test_pkt pkt = {
			.time_ns = (uint64_t)h->ts.tv_sec * 1000000000u + (uint64_t)h->ts.tv_usec,
			.frame = data,
			.frame_len = h->caplen,
		};
		pkt.udp_rc = sy_net_parse_udp(data, h->caplen, true, &pkt.udp);
		rc = fn(&pkt, arg);
		if (rc)
			break;
	}
	pcap_close(p);
	return rc;
}

const char *sy_test_vector(const char *name)
{
	static char path[4096];
	const char *dir = getenv("SY_VECTORS_DIR");

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "../shared/vectors", name);
	return path;
}

char *sy_test_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n + 1);
		if (buf && fread(buf, 1, (size_t)n, f) == (size_t)n) {
			buf[n] = '\0';
			if (len)
				*len = (size_t)n;
		} else {
			free(buf);
			buf = NULL;
		}
	}
	fclose(f);
	return buf;
}

void sy_test_md5_hex(const void *buf, size_t len, char out[33])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	EVP_Digest(buf, len, md, &n, EVP_md5(), NULL);
	for (unsigned int i = 0; i < n && i < 16; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	out[32] = '\0';
}
