/* SPDX-License-Identifier: MIT */
/*
 * sy_analyze.c: sy-analyze, read ST 2110 captures (classic pcap) and report
 * per flow what is in them, human-readable and as JSON, using only src/ for
 * every protocol decision (docs/sy-analyze.md; the file list is in
 * sy_analyze.h). This file: command line, pcap reading, --expect-* checks
 * and the exit code (0 every expectation met, 1 one failed, 2 usage or
 * unreadable input).
 *
 * Single-threaded command-line tool.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sy_analyze.h"

struct sy_analyze_opts sy_analyze_opts = { .list_frames = true };

enum expect {
	EXPECT_NARROW,
	EXPECT_NO_LOSS,
	EXPECT_NO_TORN,
	EXPECT_CLEAN,
	EXPECT_MAX
};

static int read_pcap(const char *path)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO,
							    errbuf);
	struct pcap_pkthdr *h;
	const u_char *data;
	int rc;

	if (!p) {
		fprintf(stderr, "sy-analyze: %s: %s\n", path, errbuf);
		return -1;
	}
	if (pcap_datalink(p) != DLT_EN10MB) {
		fprintf(stderr, "sy-analyze: %s: not an Ethernet capture\n", path);
		pcap_close(p);
		return -1;
	}
	while ((rc = pcap_next_ex(p, &h, &data)) == 1)
		sy_analyze_flow_packet(data, h->caplen, h->len,
				       (uint64_t)h->ts.tv_sec * 1000000000u + (uint64_t)h->ts.tv_usec);
	if (rc == -1)
		fprintf(stderr, "sy-analyze: %s: %s\n", path, pcap_geterr(p));
	pcap_close(p);
	return rc == -1 ? -1 : 0;
}

/* Check one expectation over every flow; print each failure. */
static bool check(enum expect e)
{
	bool ok = true, any_video = false;

	for (unsigned i = 0; i < sy_analyze_n_flows; i++) {
		const struct sy_analyze_flow *f = &sy_analyze_flows[i];
		char dst[24];

		sy_analyze_flow_dst(f, dst);
		switch (e) {
		case EXPECT_NARROW:
			if (!f->video)
				break;
			any_video = true;
			if (!sy_analyze_timing_narrow(&f->video->timing)) {
				const struct sy_analyze_timing *t = &f->video->timing;

				fprintf(stderr, "sy-analyze: --expect-narrow: %s is %s%s%s\n", dst,
					t->has_verdict ? sy_analyze_timing_verdict_name(t->verdict.type)
						       : "not measured",
					t->has_verdict && t->verdict.reason ? ", reason " : "",
					t->has_verdict && t->verdict.reason
						? sy_analyze_timing_reason_name(t->verdict.reason)
						: "");
				ok = false;
			}
			break;
		case EXPECT_NO_LOSS:
			if (f->seq16.lost || (f->seq32_used && f->seq32.lost)) {
				fprintf(stderr, "sy-analyze: --expect-no-loss: %s lost %" PRIu64
						" packets\n", dst, f->seq16.lost);
				ok = false;
			}
			break;
		case EXPECT_NO_TORN:
			if (f->video && f->video->torn) {
				fprintf(stderr, "sy-analyze: --expect-no-torn: %s has %" PRIu64
						" torn frames\n", dst, f->video->torn);
				ok = false;
			}
			break;
		case EXPECT_CLEAN:
			if (f->fault_count) {
				const char *names[32];
				unsigned n = sy_analyze_flow_faults(f, names, 32);

				fprintf(stderr, "sy-analyze: --expect-clean: %s:", dst);
				for (unsigned k = 0; k < n; k++)
					fprintf(stderr, " %s", names[k]);
				fputc('\n', stderr);
				ok = false;
			}
			break;
		default:
			break;
		}
	}
	if (e == EXPECT_NARROW && !any_video) {
		fprintf(stderr, "sy-analyze: --expect-narrow: no video flow (give its --sdp)\n");
		ok = false;
	}
	return ok;
}

static void usage(FILE *o)
{
	fprintf(o,
		"usage: sy-analyze [--sdp FILE]... [--json FILE|-] [--tai-offset-ns N]\n"
		"                  [--expect-narrow] [--expect-no-loss] [--expect-no-torn]\n"
		"                  [--expect-clean] [--no-frames] [--md5|--no-md5]\n"
		"                  [--tpr0 auto|rtp|arrival] [--packets FILE] CAPTURE.pcap...\n"
		"Reads classic pcap captures (Ethernet, ns or us timestamps) and reports every\n"
		"UDP/RTP flow (one per destination IP:port): packets, bytes, bit rate, sequence\n"
		"loss/duplicates/reordering (16-bit and RFC 4175 32-bit), wrong PT/SSRC and\n"
		"malformed packets by reason. Flows whose destination matches an --sdp media are\n"
		"decoded: ST 2110-20 frames (coverage, markers, RTP deltas, ST 2110-21 timing,\n"
		"stamps, switch points, torn frames, MD5), ST 2110-30 audio (packet time,\n"
		"continuity, TS-DF), ST 2110-40 ANC (marker, F bits, checksums, ATC).\n"
		"  --sdp FILE          session description of flows in the captures (repeatable)\n"
		"  --json FILE|-       write the JSON report (docs/sy-analyze.md); '-' = stdout,\n"
		"                      the text report then goes nowhere\n"
		"  --tai-offset-ns N   capture clock minus TAI, ns (default 0: pcap time is TAI)\n"
		"  --expect-narrow     every video flow is ST 2110-21 narrow or narrow-linear\n"
		"  --expect-no-loss    no flow lost a packet (sequence gaps)\n"
		"  --expect-no-torn    no torn (mixed-source or incomplete) video frame\n"
		"  --expect-clean      no fault of any kind in any flow\n"
		"  --no-frames         no per-frame lists\n"
		"  --md5 / --no-md5    per-frame MD5 always / never (default: frames up to 8 MiB,\n"
		"                      and any frame whose stamp does not decode)\n"
		"  --tpr0 MODE         VRX read schedule from the RTP timestamp (rtp), the first\n"
		"                      packet's arrival (arrival) or auto (default)\n"
		"  --packets FILE      one line per RTP packet: dst, seq, timestamp, marker\n"
		"Exit status: 0 every --expect-* met, 1 one was not (printed on stderr),\n"
		"2 usage error or an unreadable capture or SDP.\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "sdp", required_argument, NULL, 's' },
		{ "json", required_argument, NULL, 'j' },
		{ "tai-offset-ns", required_argument, NULL, 'T' },
		{ "expect-narrow", no_argument, NULL, 'N' },
		{ "expect-no-loss", no_argument, NULL, 'L' },
		{ "expect-no-torn", no_argument, NULL, 'R' },
		{ "expect-clean", no_argument, NULL, 'C' },
		{ "no-frames", no_argument, NULL, 'n' },
		{ "md5", no_argument, NULL, 'm' },
		{ "no-md5", no_argument, NULL, 'M' },
		{ "tpr0", required_argument, NULL, 'P' },
		{ "packets", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool expect[EXPECT_MAX] = { false };
	const char *json_path = NULL, *packets_path = NULL;
	FILE *json = NULL;
	int c, rc = 0;
	char *end;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (sy_analyze_flow_load_sdp(optarg) < 0)
				return 2;
			break;
		case 'j': json_path = optarg; break;
		case 'T':
			errno = 0;
			sy_analyze_opts.tai_offset_ns = strtoll(optarg, &end, 10);
			if (errno || *end || end == optarg) {
				fprintf(stderr, "sy-analyze: --tai-offset-ns '%s' is not a number\n",
					optarg);
				return 2;
			}
			break;
		case 'N': expect[EXPECT_NARROW] = true; break;
		case 'L': expect[EXPECT_NO_LOSS] = true; break;
		case 'R': expect[EXPECT_NO_TORN] = true; break;
		case 'C': expect[EXPECT_CLEAN] = true; break;
		case 'n': sy_analyze_opts.list_frames = false; break;
		case 'm': sy_analyze_opts.md5 = SY_ANALYZE_MD5_ON; break;
		case 'M': sy_analyze_opts.md5 = SY_ANALYZE_MD5_OFF; break;
		case 'P':
			if (!strcmp(optarg, "auto"))
				sy_analyze_opts.tpr0 = SY_ANALYZE_TPR0_AUTO;
			else if (!strcmp(optarg, "rtp"))
				sy_analyze_opts.tpr0 = SY_ANALYZE_TPR0_RTP;
			else if (!strcmp(optarg, "arrival"))
				sy_analyze_opts.tpr0 = SY_ANALYZE_TPR0_ARRIVAL;
			else {
				fprintf(stderr, "sy-analyze: --tpr0 '%s': auto, rtp or arrival\n",
					optarg);
				return 2;
			}
			break;
		case 'p': packets_path = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind == argc) {
		usage(stderr);
		return 2;
	}
	if (packets_path) {
		sy_analyze_opts.packets_out = fopen(packets_path, "w");
		if (!sy_analyze_opts.packets_out) {
			fprintf(stderr, "sy-analyze: %s: %s\n", packets_path, strerror(errno));
			return 2;
		}
	}
	if (json_path) {
		json = strcmp(json_path, "-") ? fopen(json_path, "w") : stdout;
		if (!json) {
			fprintf(stderr, "sy-analyze: %s: %s\n", json_path, strerror(errno));
			return 2;
		}
	}
	for (int i = optind; i < argc; i++)
		if (read_pcap(argv[i]) < 0)
			rc = 2;
	sy_analyze_flow_finish();
	if (sy_analyze_opts.packets_out)
		fclose(sy_analyze_opts.packets_out);
	if (json != stdout)
		sy_analyze_text_report(stdout, argv + optind, argc - optind);
	if (json) {
		if (sy_analyze_json_report(json, argv + optind, argc - optind) < 0)
			rc = 2;
		if (json != stdout)
			fclose(json);
	}
	if (rc)
		return rc;
	for (int e = 0; e < EXPECT_MAX; e++)
		if (expect[e] && !check((enum expect)e))
			rc = 1;
	return rc;
}
