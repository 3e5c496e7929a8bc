/* SPDX-License-Identifier: MIT */
/*
 * sy_sdp_tool.c: `sy-sdp`, a command-line front end to sy_sdp.
 *
 *   sy-sdp check FILE   parse, print a summary and the warnings; exit 0 if
 *                       valid (warnings allowed), 1 with line + reason if not
 *   sy-sdp emit FILE [--dst-ip A] [--src-ip S] [--port P] [--ttl T] [--crlf]
 *                       parse, rewrite the addresses/port of every media
 *                       (c=, source-filter, o=) and print the canonical SDP
 *
 * `emit` exists so integration tests can replay a vector inside a network
 * namespace with other addresses. Every media gets the same values; a
 * session-level c= is rewritten too. Exit codes: 0 ok, 1 invalid SDP or
 * I/O error, 2 usage. Single-threaded tool.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sy_err.h"
#include "sy_sdp.h"

#define MAX_FILE_BYTES (1u << 20)

static void usage(FILE *f)
{
	fprintf(f, "usage: sy-sdp check FILE\n"
		   "       sy-sdp emit FILE [--dst-ip A] [--src-ip S] [--port P] [--ttl T] [--crlf]\n"
		   "       sy-sdp --help\n"
		   "check: print the parsed description and its warnings; exit 0 if valid,\n"
		   "       1 with the line and reason if not.\n"
		   "emit:  print the canonical SDP; --dst-ip sets every c= and source-filter\n"
		   "       destination, --src-ip the source-filter source and the o= address,\n"
		   "       --port and --ttl every media's port and multicast TTL.\n");
}

static char *read_all(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	char *buf;

	if (!f) {
		fprintf(stderr, "sy-sdp: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	buf = malloc(MAX_FILE_BYTES);
	if (!buf) {
		if (f != stdin)
			fclose(f);
		return NULL;
	}
	*len = fread(buf, 1, MAX_FILE_BYTES, f);
	if (ferror(f) || *len == MAX_FILE_BYTES) {
		fprintf(stderr, "sy-sdp: %s: read error or larger than %u bytes\n", path,
			MAX_FILE_BYTES - 1);
		free(buf);
		buf = NULL;
	}
	if (f != stdin)
		fclose(f);
	return buf;
}

static int load(const char *path, struct sy_sdp *sdp)
{
	struct sy_sdp_error err;
	size_t len = 0;
	char *text = read_all(path, &len);
	int rc;

	if (!text)
		return -1;
	rc = sy_sdp_parse(text, len, sdp, &err);
	free(text);
	if (rc < 0) {
		fprintf(stderr, "%s: error: %s (%s)\n", path, err.reason,
			sy_err_name(rc));
		return -1;
	}
	return 0;
}

static const char *ip_str(uint32_t ip, char buf[16])
{
	snprintf(buf, 16, "%u.%u.%u.%u", ip >> 24, ip >> 16 & 0xff, ip >> 8 & 0xff, ip & 0xff);
	return buf;
}

static void print_clock(const char *indent, const struct sy_sdp_clock *k)
{
	for (unsigned i = 0; i < k->n_refclk; i++) {
		const struct sy_sdp_refclk *r = &k->refclk[i];
		const uint8_t *g = r->gmid;

		if (r->kind == SY_SDP_REFCLK_PTP)
			printf("%sclock: PTP IEEE1588-%u gm %02X-%02X-%02X-%02X-%02X-%02X-%02X-%02X "
			       "domain %s%u\n",
			       indent, r->ptp_version, g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7],
			       r->has_domain ? "" : "(none) ", r->domain);
		else if (r->kind == SY_SDP_REFCLK_PTP_TRACEABLE)
			printf("%sclock: PTP IEEE1588-%u traceable\n", indent, r->ptp_version);
		else
			printf("%sclock: localmac %02X-%02X-%02X-%02X-%02X-%02X\n", indent, r->mac[0],
			       r->mac[1], r->mac[2], r->mac[3], r->mac[4], r->mac[5]);
	}
	if (k->mediaclk.kind == SY_SDP_MEDIACLK_DIRECT)
		printf("%smediaclk: direct offset %u\n", indent, k->mediaclk.offset);
	else if (k->mediaclk.kind == SY_SDP_MEDIACLK_SENDER)
		printf("%smediaclk: sender\n", indent);
}

static void print_media(const struct sy_sdp *sdp, unsigned i)
{
	const struct sy_sdp_media *m = &sdp->media[i];
	const struct sy_sdp_conn *c = sy_sdp_media_conn(sdp, i);
	char a[16], b[16];

	printf("media %u: %s pt %u -> %s:%u", i, sy_sdp_essence_name(m->essence), m->pt,
	       c ? ip_str(c->ip, a) : "?", m->port);
	if (c && c->has_ttl)
		printf(" ttl %u", c->ttl);
	if (m->filter.present)
		printf(" source %s", ip_str(m->filter.src_ip, b));
	if (m->mid[0])
		printf(" mid %s", m->mid);
	printf("\n");
	if (m->essence == SY_SDP_VIDEO) {
		const struct sy_video_format *f = &m->video.fmt;

		printf("  video: %ux%u%s %u/%u fps %s %u-bit %s %s %s %s %s\n", f->width, f->height,
		       f->interlaced ? (f->segmented ? "psf" : "i") : "p", f->rate.num, f->rate.den,
		       sy_format_sampling_name(f->sampling), f->depth, sy_format_tcs_name(f->tcs),
		       sy_format_colorimetry_name(f->colorimetry), sy_format_packing_name(f->packing),
		       sy_format_range_name(f->range), sy_sdp_tp_name(m->video.tp));
	} else if (m->essence == SY_SDP_AUDIO) {
		const struct sy_st2110_30_format *f = &m->audio.fmt;
		char order[SY_ST2110_30_ORDER_TEXT_MAX] = "(none)";
		uint32_t frames = 0;

		sy_st2110_30_order_emit(&f->order, order, sizeof(order));
		sy_st2110_30_frames_per_packet(f->rate_hz, f->ptime_ns, &frames);
		printf("  audio: %s %u Hz %u ch, ptime %u us (%u frames), channel-order %s\n",
		       sy_st2110_30_encoding_name(f->encoding), f->rate_hz, f->channels,
		       f->ptime_ns / 1000, frames, order);
	} else {
		printf("  anc:");
		for (unsigned k = 0; k < m->anc.n_did_sdid; k++)
			printf(" DID_SDID={0x%02X,0x%02X}", m->anc.did_sdid[k].did,
			       m->anc.did_sdid[k].sdid);
		if (m->anc.has_vpid)
			printf(" VPID_Code=%u", m->anc.vpid_code);
		printf("\n");
	}
	print_clock("  ", sy_sdp_media_clock(sdp, i));
}

static int cmd_check(const char *path)
{
	static struct sy_sdp sdp;

	if (load(path, &sdp) < 0)
		return 1;
	printf("session: '%s' origin %s %llu %llu %s\n", sdp.name, sdp.username,
	       (unsigned long long)sdp.sess_id, (unsigned long long)sdp.sess_version,
	       sdp.origin_addr);
	for (unsigned i = 0; i < sdp.n_media; i++)
		print_media(&sdp, i);
	if (sdp.n_dup) {
		printf("ST 2022-7 DUP:");
		for (unsigned i = 0; i < sdp.n_dup; i++)
			printf(" %s (media %u)", sdp.dup_mid[i], sdp.dup_media[i]);
		printf("\n");
	}
	if (sdp.n_unknown)
		printf("ignored attributes/lines: %u\n", sdp.n_unknown);
	for (unsigned i = 0; i < sdp.n_warnings; i++)
		printf("%s:%u: warning: %s (%s)\n", path, sdp.warnings[i].line, sdp.warnings[i].text,
		       sy_sdp_warn_name(sdp.warnings[i].code));
	if (sdp.warnings_truncated)
		printf("%s: more warnings not shown\n", path);
	printf("%s: valid, %u warning%s\n", path, sdp.n_warnings, sdp.n_warnings == 1 ? "" : "s");
	return 0;
}

static int parse_ip(const char *s, uint32_t *ip)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		return -1;
	*ip = ntohl(a.s_addr);
	return 0;
}

static int parse_num(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 10);
	return (errno || end == s || *end || *out > max || s[0] == '-') ? -1 : 0;
}

static int cmd_emit(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dst-ip", required_argument, NULL, 'd' }, { "src-ip", required_argument, NULL, 's' },
		{ "port", required_argument, NULL, 'p' },   { "ttl", required_argument, NULL, 't' },
		{ "crlf", no_argument, NULL, 'c' },	    { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static struct sy_sdp sdp;
	static char out[65536];
	bool has_dst = false, has_src = false, has_port = false, has_ttl = false, crlf = false;
	uint32_t dst = 0, src = 0;
	unsigned long port = 0, ttl = 0;
	const char *path;
	int opt, n;

	optind = 2;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'd':
			if (parse_ip(optarg, &dst) < 0)
				goto bad;
			has_dst = true;
			break;
		case 's':
			if (parse_ip(optarg, &src) < 0)
				goto bad;
			has_src = true;
			break;
		case 'p':
			if (parse_num(optarg, 65535, &port) < 0)
				goto bad;
			has_port = true;
			break;
		case 't':
			if (parse_num(optarg, 255, &ttl) < 0)
				goto bad;
			has_ttl = true;
			break;
		case 'c': crlf = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 2;
	}
	path = argv[optind];
	if (load(path, &sdp) < 0)
		return 1;
	if (has_src) {
		char a[16];

		snprintf(sdp.origin_addr, sizeof(sdp.origin_addr), "%s", ip_str(src, a));
		sdp.origin_ip6 = false;
	}
	if (sdp.conn.present) {
		if (has_dst)
			sdp.conn.ip = dst;
		if (has_ttl) {
			sdp.conn.has_ttl = true;
			sdp.conn.ttl = (uint8_t)ttl;
		}
	}
	for (unsigned i = 0; i < sdp.n_media; i++) {
		struct sy_sdp_media *m = &sdp.media[i];
		const struct sy_sdp_conn *c;

		if (has_dst && m->conn.present)
			m->conn.ip = dst;
		if (has_ttl && m->conn.present) {
			m->conn.has_ttl = true;
			m->conn.ttl = (uint8_t)ttl;
		}
		if (has_port)
			m->port = (uint16_t)port;
		c = sy_sdp_media_conn(&sdp, i);
		if (has_src && !m->filter.present) {
			m->filter.present = true;
			m->filter.dst_ip = c ? c->ip : dst;
		}
		if (m->filter.present) {
			if (has_src)
				m->filter.src_ip = src;
			if (has_dst && !m->filter.dst_any)
				m->filter.dst_ip = dst;
		}
	}
	n = sy_sdp_emit(&sdp, out, sizeof(out), crlf ? SY_SDP_EOL_CRLF : SY_SDP_EOL_LF);
	if (n < 0) {
		fprintf(stderr, "sy-sdp: emit: %s\n", sy_err_str(n));
		return 1;
	}
	fwrite(out, 1, (size_t)n, stdout);
	return fflush(stdout) == 0 ? 0 : 1;
bad:
	fprintf(stderr, "sy-sdp: invalid value '%s'\n", optarg);
	return 2;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "check")) {
		if (argc != 3) {
			usage(stderr);
			return 2;
		}
		return cmd_check(argv[2]);
	}
	if (!strcmp(argv[1], "emit"))
		return cmd_emit(argc, argv);
	usage(stderr);
	return 2;
}
